//! Access and service tokens. Each kind has one allowed algorithm:
//! * a wallet's access token is signed by this API with Ed25519 (`EdDSA`);
//! * a calling service signs its own token with HMAC-SHA256 (`HS256`) under its own
//!   secret, names itself in `kid`, `iss` and `sub`.
//!
//! Anything else is refused: `none`, another algorithm (an `HS256` token "signed" with
//! the public Ed25519 key is a service token without a service), a wrong audience or
//! issuer, an expired or not-yet-valid token, one kind presented as the other.
use std::collections::HashMap;
use std::time::Duration;

use jsonwebtoken::{
    decode, decode_header, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation,
};
use serde::{Deserialize, Serialize};

use crate::config::Settings;
use crate::domain::AccountAddress;

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("malformed token")]
    Malformed,
    #[error("algorithm not allowed")]
    Algorithm,
    #[error("unknown service")]
    UnknownService,
    #[error("invalid token: {0}")]
    Invalid(String),
    #[error("token of the wrong kind")]
    Kind,
    #[error("service token lives too long")]
    Lifetime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    Access,
    Service,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub exp: i64,
    pub nbf: i64,
    pub iat: i64,
    /// When it was issued, in milliseconds (`iat` is whole seconds): compared with the
    /// wallet's not-before, which sign-out sets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat_ms: Option<i64>,
    pub jti: String,
    pub kind: TokenKind,
}

/// Who a valid token speaks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    Wallet(AccountAddress),
    Service {
        name: String,
        organizers: Vec<String>,
    },
}

impl Identity {
    /// How the audit log names the caller.
    pub fn actor(&self) -> String {
        match self {
            Identity::Wallet(w) => w.to_string(),
            Identity::Service { name, .. } => format!("service:{name}"),
        }
    }
}

/// A valid token: who it speaks for, and when it was issued (Unix milliseconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub identity: Identity,
    pub issued_at_ms: i64,
}

/// A service token may not claim a longer life than this.
pub const SERVICE_TOKEN_MAX_LIFETIME: Duration = Duration::from_secs(600);
const LEEWAY_SECS: u64 = 30;

struct ServiceKey {
    key: DecodingKey,
    organizers: Vec<String>,
}

pub struct Tokens {
    signing: EncodingKey,
    verifying: DecodingKey,
    issuer: String,
    audience: String,
    access_ttl: Duration,
    services: HashMap<String, ServiceKey>,
    /// Tokens already verified, by their SHA-256, with who they speak for and until when:
    /// a client sends the same token for its whole life, and an Ed25519 verification costs
    /// more than the rest of a small read. Entries end with their token's `exp`.
    verified: std::sync::Mutex<HashMap<[u8; 32], (Verified, i64)>>,
}

/// The most tokens the verified cache holds before it is cleared.
const VERIFIED_CACHE: usize = 50_000;

/// The encoding key for an Ed25519 seed: PKCS#8 v2 (RFC 8410 with the public key), as
/// `ring` reads it.
pub fn ed25519_encoding_key(seed: &[u8; 32]) -> EncodingKey {
    let public = ed25519_dalek::SigningKey::from_bytes(seed)
        .verifying_key()
        .to_bytes();
    let mut der = vec![
        0x30, 0x53, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    der.extend_from_slice(seed);
    der.extend_from_slice(&[0xa1, 0x23, 0x03, 0x21, 0x00]);
    der.extend_from_slice(&public);
    EncodingKey::from_ed_der(&der)
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

impl Tokens {
    pub fn new(s: &Settings) -> Result<Self, TokenError> {
        let seed: [u8; 32] = s
            .tokens
            .access_key
            .expose()
            .try_into()
            .map_err(|_| TokenError::Malformed)?;
        let public = ed25519_dalek::SigningKey::from_bytes(&seed)
            .verifying_key()
            .to_bytes();
        Ok(Tokens {
            signing: ed25519_encoding_key(&seed),
            verifying: DecodingKey::from_ed_der(&public),
            issuer: s.tokens.issuer.clone(),
            audience: s.tokens.audience.clone(),
            access_ttl: s.tokens.access_ttl,
            services: s
                .services
                .by_name
                .iter()
                .map(|(name, svc)| {
                    (
                        name.clone(),
                        ServiceKey {
                            key: DecodingKey::from_secret(svc.secret.expose()),
                            organizers: svc.organizers.clone(),
                        },
                    )
                })
                .collect(),
            verified: std::sync::Mutex::new(HashMap::new()),
        })
    }

    pub fn access_ttl(&self) -> Duration {
        self.access_ttl
    }

    /// A short-lived access token for `wallet`.
    pub fn issue_access(&self, wallet: &AccountAddress) -> Result<String, TokenError> {
        let at = time::OffsetDateTime::now_utc();
        let now = at.unix_timestamp();
        let claims = Claims {
            iss: self.issuer.clone(),
            sub: wallet.to_string(),
            aud: self.audience.clone(),
            exp: now + self.access_ttl.as_secs() as i64,
            nbf: now,
            iat: now,
            iat_ms: Some((at.unix_timestamp_nanos() / 1_000_000) as i64),
            jti: uuid::Uuid::new_v4().to_string(),
            kind: TokenKind::Access,
        };
        encode(&Header::new(Algorithm::EdDSA), &claims, &self.signing)
            .map_err(|e| TokenError::Invalid(e.to_string()))
    }

    fn validation(&self, alg: Algorithm, issuer: &str) -> Validation {
        let mut v = Validation::new(alg);
        v.set_issuer(&[issuer]);
        v.set_audience(&[&self.audience]);
        v.set_required_spec_claims(&["exp", "nbf", "aud", "iss", "sub"]);
        v.validate_nbf = true;
        v.leeway = LEEWAY_SECS;
        v
    }

    /// Checks `token` and says whom it speaks for.
    pub fn verify(&self, token: &str) -> Result<Identity, TokenError> {
        self.verify_full(token).map(|v| v.identity)
    }

    /// Checks `token` and says whom it speaks for and when it was issued.
    pub fn verify_full(&self, token: &str) -> Result<Verified, TokenError> {
        if token.len() > 4096 {
            return Err(TokenError::Malformed);
        }
        use sha2::Digest;
        let digest: [u8; 32] = sha2::Sha256::digest(token.as_bytes()).into();
        let now = now();
        if let Ok(cache) = self.verified.lock() {
            // the same leeway as a full verification
            if let Some((v, exp)) = cache.get(&digest) {
                if now <= exp + LEEWAY_SECS as i64 {
                    return Ok(v.clone());
                }
            }
        }
        let (verified, exp) = self.verify_uncached(token)?;
        if let Ok(mut cache) = self.verified.lock() {
            if cache.len() >= VERIFIED_CACHE {
                cache.retain(|_, (_, e)| now <= *e + LEEWAY_SECS as i64);
                if cache.len() >= VERIFIED_CACHE {
                    cache.clear();
                }
            }
            cache.insert(digest, (verified.clone(), exp));
        }
        Ok(verified)
    }

    fn verify_uncached(&self, token: &str) -> Result<(Verified, i64), TokenError> {
        let header = decode_header(token).map_err(|_| TokenError::Malformed)?;
        match header.alg {
            Algorithm::EdDSA => {
                let data = decode::<Claims>(
                    token,
                    &self.verifying,
                    &self.validation(Algorithm::EdDSA, &self.issuer),
                )
                .map_err(|e| TokenError::Invalid(e.to_string()))?;
                if data.claims.kind != TokenKind::Access {
                    return Err(TokenError::Kind);
                }
                // bounded like a service token's: no longer than what this API issues
                let lifetime = data.claims.exp - data.claims.iat.min(data.claims.nbf);
                if lifetime > self.access_ttl.as_secs() as i64 + LEEWAY_SECS as i64 {
                    return Err(TokenError::Lifetime);
                }
                let wallet = data.claims.sub.parse().map_err(|_| TokenError::Malformed)?;
                let issued_at_ms = data.claims.iat_ms.unwrap_or(data.claims.iat * 1000);
                Ok((
                    Verified {
                        identity: Identity::Wallet(wallet),
                        issued_at_ms,
                    },
                    data.claims.exp,
                ))
            }
            Algorithm::HS256 => {
                let name = header.kid.ok_or(TokenError::UnknownService)?;
                let svc = self.services.get(&name).ok_or(TokenError::UnknownService)?;
                let data =
                    decode::<Claims>(token, &svc.key, &self.validation(Algorithm::HS256, &name))
                        .map_err(|e| TokenError::Invalid(e.to_string()))?;
                if data.claims.kind != TokenKind::Service || data.claims.sub != name {
                    return Err(TokenError::Kind);
                }
                let lifetime = data.claims.exp - data.claims.iat.min(data.claims.nbf);
                if lifetime > SERVICE_TOKEN_MAX_LIFETIME.as_secs() as i64 {
                    return Err(TokenError::Lifetime);
                }
                Ok((
                    Verified {
                        identity: Identity::Service {
                            name,
                            organizers: svc.organizers.clone(),
                        },
                        issued_at_ms: data.claims.iat * 1000,
                    },
                    data.claims.exp,
                ))
            }
            _ => Err(TokenError::Algorithm),
        }
    }
}

/// What a calling service does to speak to the API: an HS256 token under its own secret.
pub fn service_token(
    name: &str,
    secret: &[u8],
    audience: &str,
    ttl: Duration,
) -> Result<String, TokenError> {
    let now = now();
    let claims = Claims {
        iss: name.into(),
        sub: name.into(),
        aud: audience.into(),
        exp: now + ttl.as_secs() as i64,
        nbf: now,
        iat: now,
        iat_ms: None,
        jti: uuid::Uuid::new_v4().to_string(),
        kind: TokenKind::Service,
    };
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(name.into());
    encode(&header, &claims, &EncodingKey::from_secret(secret))
        .map_err(|e| TokenError::Invalid(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use std::collections::HashMap as Map;

    fn tokens() -> Tokens {
        let b64 = |b: Vec<u8>| base64::engine::general_purpose::STANDARD.encode(b);
        let vars: Map<String, String> = [
            (
                "BITTICKET_API_DATABASE_URL",
                "postgres://x@127.0.0.1/db".to_string(),
            ),
            ("BITTICKET_API_ACCESS_KEY", b64((0u8..32).collect())),
            ("BITTICKET_API_QR_MASTER_KEY", b64((50u8..82).collect())),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        Tokens::new(&Settings::from_vars(&vars).expect("settings")).expect("tokens")
    }

    #[test]
    fn a_verified_token_is_cached_and_a_tampered_one_still_fails() {
        let t = tokens();
        let wallet: AccountAddress = solana_address::Address::new_unique()
            .to_string()
            .parse()
            .expect("address");
        let token = t.issue_access(&wallet).expect("issue");
        assert_eq!(t.verify(&token).expect("first"), Identity::Wallet(wallet));
        assert_eq!(t.verify(&token).expect("cached"), Identity::Wallet(wallet));
        assert_eq!(t.verified.lock().expect("cache").len(), 1);
        // one character changed in the signature: another cache key, a full verification
        let mut forged = token.clone();
        let last = forged.pop().expect("char");
        forged.push(if last == 'A' { 'B' } else { 'A' });
        assert!(t.verify(&forged).is_err());
        assert_eq!(t.verified.lock().expect("cache").len(), 1);
    }
}
