//! Sign-In With Solana: the message wallets' `signIn` feature produces (the
//! wallet-standard `createSignInMessageText` layout), parsed strictly, and its Ed25519
//! signature checked against the address it names.
use ed25519_dalek::{Signature, VerifyingKey};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::domain::AccountAddress;

const HEADER: &str = " wants you to sign in with your Solana account:";

/// Why a sign-in is refused, in words that tell the client what to fix and nothing secret.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignInError {
    #[error("the message is not a Sign-In With Solana message: {0}")]
    Malformed(&'static str),
    #[error("domain mismatch: the message's domain is not a sign-in domain of this API")]
    Domain,
    #[error("URI mismatch: the message's URI is not the one of its domain")]
    Uri,
    #[error("chain mismatch: the message names another chain ID")]
    Chain,
    #[error("the message has expired")]
    Expired,
    #[error("the message is not valid yet (is the wallet's clock right?)")]
    NotYetValid,
    #[error("the message was issued too long ago: ask for a new nonce")]
    TooOld,
    #[error("the signature does not verify for this wallet and message")]
    Signature,
    #[error("nonce unknown or already used (a nonce works once): ask for a new one")]
    NonceUnknown,
    #[error("nonce expired: ask for a new one")]
    NonceExpired,
    #[error("the nonce was issued to another wallet")]
    NonceOtherWallet,
}

impl SignInError {
    /// A short name for the audit log and the metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            SignInError::Malformed(_) => "malformed",
            SignInError::Domain => "domain",
            SignInError::Uri => "uri",
            SignInError::Chain => "chain",
            SignInError::Expired => "expired",
            SignInError::NotYetValid => "not_yet_valid",
            SignInError::TooOld => "too_old",
            SignInError::Signature => "signature",
            SignInError::NonceUnknown => "nonce_unknown",
            SignInError::NonceExpired => "nonce_expired",
            SignInError::NonceOtherWallet => "nonce_other_wallet",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInMessage {
    pub domain: String,
    pub address: AccountAddress,
    pub statement: Option<String>,
    pub uri: String,
    pub version: String,
    pub chain_id: String,
    pub nonce: String,
    pub issued_at: OffsetDateTime,
    pub expiration_time: OffsetDateTime,
    pub not_before: Option<OffsetDateTime>,
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

impl SignInMessage {
    /// The exact text a wallet signs.
    pub fn render(&self) -> String {
        let mut s = format!("{}{HEADER}\n{}", self.domain, self.address);
        if let Some(st) = &self.statement {
            s.push_str("\n\n");
            s.push_str(st);
        }
        s.push_str(&format!(
            "\n\nURI: {}\nVersion: {}\nChain ID: {}\nNonce: {}\nIssued At: {}\nExpiration Time: {}",
            self.uri,
            self.version,
            self.chain_id,
            self.nonce,
            rfc3339(self.issued_at),
            rfc3339(self.expiration_time)
        ));
        if let Some(nb) = self.not_before {
            s.push_str(&format!("\nNot Before: {}", rfc3339(nb)));
        }
        s
    }

    /// Parses `text`; every field this API relies on must be there, unknown lines are refused.
    pub fn parse(text: &str) -> Result<Self, SignInError> {
        use SignInError::Malformed as M;
        if text.len() > 4096 {
            return Err(M("too long"));
        }
        let (first, rest) = text.split_once('\n').ok_or(M("no header"))?;
        let domain = first.strip_suffix(HEADER).ok_or(M("no header"))?;
        if domain.is_empty() || domain.contains(char::is_whitespace) {
            return Err(M("bad domain"));
        }
        let (address, rest) = match rest.split_once('\n') {
            Some((a, r)) => (a, r),
            None => (rest, ""),
        };
        let address: AccountAddress = address.parse().map_err(|_| M("bad address"))?;
        let rest = rest.strip_prefix('\n').ok_or(M("no fields"))?;
        // an optional statement paragraph, then the fields paragraph
        let (statement, fields) = match rest.split_once("\n\n") {
            Some((st, f)) => (Some(st.to_string()), f),
            None => (None, rest),
        };
        if statement
            .as_deref()
            .is_some_and(|s| s.contains('\n') || s.is_empty())
        {
            return Err(M("bad statement"));
        }
        let mut uri = None;
        let mut version = None;
        let mut chain_id = None;
        let mut nonce = None;
        let mut issued_at = None;
        let mut expiration_time = None;
        let mut not_before = None;
        let time = |v: &str| OffsetDateTime::parse(v, &Rfc3339).map_err(|_| M("bad time"));
        for line in fields.split('\n') {
            let (key, value) = line.split_once(": ").ok_or(M("bad field"))?;
            let slot = match key {
                "URI" => &mut uri,
                "Version" => &mut version,
                "Chain ID" => &mut chain_id,
                "Nonce" => &mut nonce,
                "Issued At" => {
                    if issued_at.replace(time(value)?).is_some() {
                        return Err(M("repeated field"));
                    }
                    continue;
                }
                "Expiration Time" => {
                    if expiration_time.replace(time(value)?).is_some() {
                        return Err(M("repeated field"));
                    }
                    continue;
                }
                "Not Before" => {
                    if not_before.replace(time(value)?).is_some() {
                        return Err(M("repeated field"));
                    }
                    continue;
                }
                _ => return Err(M("unknown field")),
            };
            if slot.replace(value.to_string()).is_some() {
                return Err(M("repeated field"));
            }
        }
        Ok(SignInMessage {
            domain: domain.to_string(),
            address,
            statement,
            uri: uri.ok_or(M("no URI"))?,
            version: version.ok_or(M("no version"))?,
            chain_id: chain_id.ok_or(M("no chain ID"))?,
            nonce: nonce.ok_or(M("no nonce"))?,
            issued_at: issued_at.ok_or(M("no issued-at"))?,
            expiration_time: expiration_time.ok_or(M("no expiration time"))?,
            not_before,
        })
    }
}

/// What a sign-in message must match: one of the sign-in domains, with that domain's URI.
#[derive(Debug, Clone)]
pub struct Expected<'a> {
    /// `(domain, uri)`: the API's own, then the web apps'.
    pub domains: Vec<(&'a str, &'a str)>,
    pub chain_id: &'a str,
    pub max_age: std::time::Duration,
    pub now: OffsetDateTime,
}

/// Clock skew tolerated between a wallet and this server.
const SKEW: time::Duration = time::Duration::seconds(60);

/// Parses `text` and checks its fields and its signature; the nonce is the caller's to
/// consume (once) afterwards.
pub fn verify(
    text: &str,
    signature: &[u8],
    expected: &Expected,
) -> Result<SignInMessage, SignInError> {
    let m = SignInMessage::parse(text)?;
    let (_, uri) = expected
        .domains
        .iter()
        .find(|(domain, _)| *domain == m.domain)
        .ok_or(SignInError::Domain)?;
    if m.uri != *uri {
        return Err(SignInError::Uri);
    }
    if m.version != "1" {
        return Err(SignInError::Malformed("version must be 1"));
    }
    if m.chain_id != expected.chain_id {
        return Err(SignInError::Chain);
    }
    let now = expected.now;
    let max_age = time::Duration::try_from(expected.max_age).map_err(|_| SignInError::TooOld)?;
    if m.expiration_time <= now {
        return Err(SignInError::Expired);
    }
    if m.issued_at > now + SKEW || m.not_before.is_some_and(|nb| nb > now + SKEW) {
        return Err(SignInError::NotYetValid);
    }
    if m.issued_at < now - max_age {
        return Err(SignInError::TooOld);
    }
    let signature = Signature::from_slice(signature).map_err(|_| SignInError::Signature)?;
    let key =
        VerifyingKey::from_bytes(&m.address.0.to_bytes()).map_err(|_| SignInError::Signature)?;
    key.verify_strict(text.as_bytes(), &signature)
        .map_err(|_| SignInError::Signature)?;
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};
    use solana_address::Address;

    fn message(key: &SigningKey, now: OffsetDateTime) -> SignInMessage {
        SignInMessage {
            domain: "tickets.example".into(),
            address: AccountAddress(Address::new_from_array(key.verifying_key().to_bytes())),
            statement: Some("Sign in to BitTicket".into()),
            uri: "https://tickets.example".into(),
            version: "1".into(),
            chain_id: "localnet".into(),
            nonce: "n0nce".into(),
            issued_at: now,
            expiration_time: now + time::Duration::minutes(5),
            not_before: None,
        }
    }

    fn expected(now: OffsetDateTime) -> Expected<'static> {
        Expected {
            domains: vec![
                ("tickets.example", "https://tickets.example"),
                ("app.example:8443", "https://app.example:8443"),
            ],
            chain_id: "localnet",
            max_age: std::time::Duration::from_secs(600),
            now,
        }
    }

    fn now() -> OffsetDateTime {
        // whole seconds: RFC 3339 text round-trips them exactly
        OffsetDateTime::from_unix_timestamp(OffsetDateTime::now_utc().unix_timestamp()).unwrap()
    }

    #[test]
    fn a_rendered_message_parses_back_and_verifies() {
        let key = SigningKey::from_bytes(&[3u8; 32]);
        let now = now();
        let m = message(&key, now);
        let text = m.render();
        assert_eq!(SignInMessage::parse(&text).unwrap(), m);
        let sig = key.sign(text.as_bytes()).to_bytes();
        assert_eq!(verify(&text, &sig, &expected(now)).unwrap(), m);
        // without a statement too
        let m2 = SignInMessage {
            statement: None,
            ..m
        };
        assert_eq!(SignInMessage::parse(&m2.render()).unwrap(), m2);
    }

    #[test]
    fn another_domain_uri_chain_time_or_key_is_refused() {
        let key = SigningKey::from_bytes(&[3u8; 32]);
        let other = SigningKey::from_bytes(&[4u8; 32]);
        let now = now();
        let sign = |m: &SignInMessage, k: &SigningKey| {
            let t = m.render();
            let s = k.sign(t.as_bytes()).to_bytes();
            verify(&t, &s, &expected(now))
        };
        let base = message(&key, now);
        let m = SignInMessage {
            domain: "evil.example".into(),
            ..base.clone()
        };
        assert_eq!(sign(&m, &key), Err(SignInError::Domain));
        let m = SignInMessage {
            uri: "https://evil.example".into(),
            ..base.clone()
        };
        assert_eq!(sign(&m, &key), Err(SignInError::Uri));
        let m = SignInMessage {
            chain_id: "mainnet".into(),
            ..base.clone()
        };
        assert_eq!(sign(&m, &key), Err(SignInError::Chain));
        let m = SignInMessage {
            issued_at: now - time::Duration::minutes(20),
            expiration_time: now - time::Duration::minutes(1),
            ..base.clone()
        };
        assert_eq!(sign(&m, &key), Err(SignInError::Expired));
        let m = SignInMessage {
            issued_at: now + time::Duration::minutes(5),
            ..base.clone()
        };
        assert_eq!(sign(&m, &key), Err(SignInError::NotYetValid));
        let m = SignInMessage {
            issued_at: now - time::Duration::minutes(20),
            expiration_time: now + time::Duration::minutes(1),
            ..base.clone()
        };
        assert_eq!(sign(&m, &key), Err(SignInError::TooOld));
        // a web app's domain, with its own URI (not another's)
        let m = SignInMessage {
            domain: "app.example:8443".into(),
            uri: "https://app.example:8443".into(),
            ..base.clone()
        };
        assert!(sign(&m, &key).is_ok());
        let m = SignInMessage {
            domain: "app.example:8443".into(),
            ..base.clone()
        };
        assert_eq!(sign(&m, &key), Err(SignInError::Uri));
        // signed by a key other than the address's
        assert_eq!(sign(&base, &other), Err(SignInError::Signature));
        // a signature over other text
        let t = base.render();
        let s = key.sign(b"something else").to_bytes();
        assert_eq!(verify(&t, &s, &expected(now)), Err(SignInError::Signature));
        assert_eq!(
            verify(&t, &[0u8; 10], &expected(now)),
            Err(SignInError::Signature)
        );
    }

    #[test]
    fn malformed_messages_are_refused() {
        let key = SigningKey::from_bytes(&[3u8; 32]);
        let text = message(&key, now()).render();
        for bad in [
            String::new(),
            text.replace("wants you", "would like you"),
            text.replace("Nonce: n0nce\n", ""),
            format!("{text}\nNonce: again"),
            format!("{text}\nX-Extra: 1"),
            text.replace("Version: 1", "Version 1"),
            "x".repeat(5000),
        ] {
            assert!(SignInMessage::parse(&bad).is_err(), "{bad:?}");
        }
    }
}
