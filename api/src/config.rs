//! Settings from the environment (`BITTICKET_API_*`). Secrets are wrapped so that they
//! never print, and the service refuses to start with a missing or weak one.
use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use base64::Engine;
use serde::Deserialize;

use crate::limiter::Quota;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is required")]
    Missing(&'static str),
    #[error("{name}: {reason}")]
    Invalid { name: &'static str, reason: String },
}

/// Bytes that must never reach a log: `Debug` prints a placeholder.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// A secret is weak when short or plainly not random (few distinct bytes).
fn strong(name: &'static str, bytes: Vec<u8>, min_len: usize) -> Result<Secret, ConfigError> {
    if bytes.len() < min_len {
        return Err(ConfigError::Invalid {
            name,
            reason: format!("must be at least {min_len} bytes, got {}", bytes.len()),
        });
    }
    let mut seen = [false; 256];
    bytes.iter().for_each(|b| seen[*b as usize] = true);
    let distinct = seen.iter().filter(|s| **s).count();
    if distinct < min_len / 2 {
        return Err(ConfigError::Invalid {
            name,
            reason: "looks weak (too few distinct bytes): use random bytes".into(),
        });
    }
    Ok(Secret(bytes))
}

fn decode_b64(name: &'static str, text: &str) -> Result<Vec<u8>, ConfigError> {
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|_| ConfigError::Invalid {
            name,
            reason: "must be base64".into(),
        })
}

/// A calling service: its HMAC secret and the organizers it may read for.
#[derive(Debug, Clone)]
pub struct Service {
    pub secret: Secret,
    pub organizers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceEntry {
    name: String,
    /// base64, at least 32 bytes
    secret: String,
    #[serde(default)]
    organizers: Vec<String>,
}

/// `KEY=value` lines; blank lines and `#` comments skipped; values may be quoted.
pub fn parse_env_file(text: &str) -> Result<Vec<(String, String)>, ConfigError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (k, v) = line.split_once('=').ok_or_else(|| ConfigError::Invalid {
            name: "BITTICKET_API_ENV_FILE",
            reason: format!("line {}: expected KEY=value", n + 1),
        })?;
        let v = v.trim();
        let v = v
            .strip_prefix('"')
            .and_then(|x| x.strip_suffix('"'))
            .or_else(|| v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
            .unwrap_or(v);
        out.push((k.trim().to_string(), v.to_string()));
    }
    Ok(out)
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    pub metrics_listen: Option<SocketAddr>,
    pub database_url: String,
    pub database_pool: u32,
    /// Sign-In With Solana: the domain and URI the signed message must name.
    pub domain: String,
    pub uri: String,
    pub chain_id: String,
    pub issuer: String,
    pub audience: String,
    /// The Ed25519 seed that signs access tokens.
    pub access_key: Secret,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    /// A refresh family's absolute lifetime from its sign-in, however often it rotates.
    pub refresh_family_ttl: Duration,
    pub nonce_ttl: Duration,
    /// How old a sign-in message's `Issued At` may be.
    pub sign_in_max_age: Duration,
    pub services: HashMap<String, Service>,
    pub cors_origins: Vec<String>,
    pub max_body_bytes: usize,
    /// Shared rate-limit state; without it each instance limits in its own memory.
    pub redis_url: Option<String>,
    /// Namespaces this deployment's keys in a shared Redis.
    pub redis_prefix: String,
    pub rate_user: Quota,
    pub rate_tenant: Quota,
    pub rate_sign_in: Quota,
    pub rate_sensitive: Quota,
    /// Every request but health, per client address, spent before authentication: refused
    /// traffic (no token, a bad one, another tenant's routes) is limited too.
    pub rate_client: Quota,
    /// Refreshing and signing out, per client address, apart from sign-in's budget.
    pub rate_refresh: Quota,
    pub rate_sign_out: Quota,
    /// Proxies whose `X-Forwarded-For` / `Forwarded` is believed (CIDR ranges); the client
    /// address is the right-most hop that is not one of them. Empty: the TCP peer.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Wraps the QR keys stored in the database (32 bytes).
    pub qr_master_key: Secret,
    /// The master key's version, stored beside every key it wraps (rotation of the master
    /// key: the new one gets the next version, and the previous one is kept in
    /// `qr_master_key_previous` until the keys it wrapped are retired).
    pub qr_master_key_version: u32,
    pub qr_master_key_previous: Option<Secret>,
    pub qr_rotate: Duration,
    pub qr_grace: Duration,
    pub qr_ttl: Duration,
    /// The node the gate verifies ownership on and transactions take their blockhash from.
    /// The nodes, best first (`BITTICKET_API_RPC_URLS`, comma-separated, or one
    /// `BITTICKET_API_RPC_URL`): the client library's failover pool, a breaker per node.
    pub rpc_urls: Vec<String>,
    /// Readiness says `degraded` beyond this many slots of indexer lag.
    pub max_lag_slots: i64,
    /// Staff routes answer 503 beyond this many slots of lag (or when it is unknown): their
    /// roles come from the mirror. `None` (`off`) never refuses.
    pub staff_max_lag_slots: Option<i64>,
    /// PEM certificate chain and private key: TLS 1.3 on `listen` when both are set.
    pub tls: Option<(std::path::PathBuf, std::path::PathBuf)>,
}

impl Settings {
    /// From the process environment.
    /// From the process environment, and from the file `BITTICKET_API_ENV_FILE` names
    /// (`KEY=value` lines, `#` comments) for what the environment does not set.
    pub fn from_env() -> Result<Self, ConfigError> {
        let mut vars: HashMap<String, String> = std::env::vars().collect();
        if let Some(path) = vars.get("BITTICKET_API_ENV_FILE").cloned() {
            let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::Invalid {
                name: "BITTICKET_API_ENV_FILE",
                reason: format!("{path}: {e}"),
            })?;
            for (k, v) in parse_env_file(&text)? {
                vars.entry(k).or_insert(v);
            }
        }
        Self::from_vars(&vars)
    }

    /// From `BITTICKET_API_*` entries of `vars`.
    pub fn from_vars(vars: &HashMap<String, String>) -> Result<Self, ConfigError> {
        let get = |k: &str| vars.get(&format!("BITTICKET_API_{k}")).map(|s| s.as_str());
        let req = |k: &'static str, full: &'static str| get(k).ok_or(ConfigError::Missing(full));
        let secs =
            |k: &'static str, full: &'static str, default: u64| -> Result<Duration, ConfigError> {
                match get(k) {
                    None => Ok(Duration::from_secs(default)),
                    Some(v) => v
                        .parse::<u64>()
                        .ok()
                        .filter(|n| *n > 0)
                        .map(Duration::from_secs)
                        .ok_or(ConfigError::Invalid {
                            name: full,
                            reason: "must be a positive number of seconds".into(),
                        }),
                }
            };
        let addr = |k: &'static str,
                    full: &'static str,
                    default: &str|
         -> Result<SocketAddr, ConfigError> {
            get(k)
                .unwrap_or(default)
                .parse()
                .map_err(|_| ConfigError::Invalid {
                    name: full,
                    reason: "must be ip:port".into(),
                })
        };
        let listen = addr("LISTEN", "BITTICKET_API_LISTEN", "127.0.0.1:8080")?;
        let tls = match (get("TLS_CERT"), get("TLS_KEY")) {
            (Some(c), Some(k)) => Some((c.into(), k.into())),
            (None, None) => None,
            _ => {
                return Err(ConfigError::Invalid {
                    name: "BITTICKET_API_TLS_CERT",
                    reason: "set both BITTICKET_API_TLS_CERT and BITTICKET_API_TLS_KEY".into(),
                })
            }
        };
        // In a container the service must listen on the container's network, which only
        // the proxy (TLS) and Prometheus reach: an explicit opt-in, never a default.
        let private_network = match get("PRIVATE_NETWORK") {
            None | Some("false") => false,
            Some("true") => true,
            Some(_) => {
                return Err(ConfigError::Invalid {
                    name: "BITTICKET_API_PRIVATE_NETWORK",
                    reason: "must be true or false".into(),
                })
            }
        };
        if tls.is_none() && !listen.ip().is_loopback() && !private_network {
            // without a certificate, plain HTTP stays on loopback (behind a TLS proxy)
            return Err(ConfigError::Invalid {
                name: "BITTICKET_API_LISTEN",
                reason: "plain HTTP listens on loopback only: configure TLS, or set BITTICKET_API_PRIVATE_NETWORK=true behind a TLS proxy".into(),
            });
        }
        let metrics_listen = match get("METRICS_LISTEN") {
            Some("off") => None,
            _ => {
                let a = addr(
                    "METRICS_LISTEN",
                    "BITTICKET_API_METRICS_LISTEN",
                    "127.0.0.1:9464",
                )?;
                if !a.ip().is_loopback() && !private_network {
                    return Err(ConfigError::Invalid {
                        name: "BITTICKET_API_METRICS_LISTEN",
                        reason: "metrics listen on loopback only (or BITTICKET_API_PRIVATE_NETWORK=true)".into(),
                    });
                }
                Some(a)
            }
        };
        let access_key = strong(
            "BITTICKET_API_ACCESS_KEY",
            decode_b64(
                "BITTICKET_API_ACCESS_KEY",
                req("ACCESS_KEY", "BITTICKET_API_ACCESS_KEY")?,
            )?,
            32,
        )?;
        if access_key.expose().len() != 32 {
            return Err(ConfigError::Invalid {
                name: "BITTICKET_API_ACCESS_KEY",
                reason: "must be a 32-byte Ed25519 seed".into(),
            });
        }
        let mut services = HashMap::new();
        if let Some(json) = get("SERVICES") {
            let entries: Vec<ServiceEntry> =
                serde_json::from_str(json).map_err(|e| ConfigError::Invalid {
                    name: "BITTICKET_API_SERVICES",
                    reason: format!("a JSON list of {{name, secret, organizers}}: {e}"),
                })?;
            for e in entries {
                if e.name.is_empty() || e.name.len() > 64 {
                    return Err(ConfigError::Invalid {
                        name: "BITTICKET_API_SERVICES",
                        reason: "a service name is 1 to 64 characters".into(),
                    });
                }
                let secret = strong(
                    "BITTICKET_API_SERVICES",
                    decode_b64("BITTICKET_API_SERVICES", &e.secret)?,
                    32,
                )?;
                if services
                    .insert(
                        e.name.clone(),
                        Service {
                            secret,
                            organizers: e.organizers,
                        },
                    )
                    .is_some()
                {
                    return Err(ConfigError::Invalid {
                        name: "BITTICKET_API_SERVICES",
                        reason: format!("service {} is listed twice", e.name),
                    });
                }
            }
        }
        let cors_origins: Vec<String> = get("CORS_ORIGINS")
            .map(|s| {
                s.split(',')
                    .map(str::trim)
                    .filter(|o| !o.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        if cors_origins.iter().any(|o: &String| o == "*") {
            return Err(ConfigError::Invalid {
                name: "BITTICKET_API_CORS_ORIGINS",
                reason: "an allow-list of origins, not *".into(),
            });
        }
        let quota =
            |k: &'static str, full: &'static str, default: u32| -> Result<Quota, ConfigError> {
                match get(k) {
                    None => Ok(Quota {
                        per_minute: default,
                    }),
                    Some(v) => v
                        .parse::<u32>()
                        .ok()
                        .filter(|n| *n > 0)
                        .map(|per_minute| Quota { per_minute })
                        .ok_or(ConfigError::Invalid {
                            name: full,
                            reason: "must be a positive number of requests a minute".into(),
                        }),
                }
            };
        let qr_master_key = strong(
            "BITTICKET_API_QR_MASTER_KEY",
            decode_b64(
                "BITTICKET_API_QR_MASTER_KEY",
                req("QR_MASTER_KEY", "BITTICKET_API_QR_MASTER_KEY")?,
            )?,
            32,
        )?;
        if qr_master_key.expose().len() != 32 {
            return Err(ConfigError::Invalid {
                name: "BITTICKET_API_QR_MASTER_KEY",
                reason: "must be 32 bytes (AES-256)".into(),
            });
        }
        let qr_master_key_version = get("QR_MASTER_KEY_VERSION")
            .map(|v| v.parse::<u32>().ok().filter(|n| *n >= 1))
            .unwrap_or(Some(1))
            .ok_or(ConfigError::Invalid {
                name: "BITTICKET_API_QR_MASTER_KEY_VERSION",
                reason: "must be a version number from 1".into(),
            })?;
        let qr_master_key_previous = match get("QR_MASTER_KEY_PREVIOUS") {
            None => None,
            Some(v) => {
                let name = "BITTICKET_API_QR_MASTER_KEY_PREVIOUS";
                let k = strong(name, decode_b64(name, v)?, 32)?;
                if k.expose().len() != 32 || qr_master_key_version < 2 {
                    return Err(ConfigError::Invalid {
                        name,
                        reason: "must be 32 bytes, beside a master key version of 2 or more".into(),
                    });
                }
                Some(k)
            }
        };
        let domain = get("DOMAIN").unwrap_or("localhost:8080").to_string();
        Ok(Settings {
            listen,
            metrics_listen,
            database_url: req("DATABASE_URL", "BITTICKET_API_DATABASE_URL")?.to_string(),
            database_pool: get("DATABASE_POOL")
                .map(|v| v.parse().ok().filter(|n| *n > 0))
                .unwrap_or(Some(16))
                .ok_or(ConfigError::Invalid {
                    name: "BITTICKET_API_DATABASE_POOL",
                    reason: "must be a positive number".into(),
                })?,
            uri: get("URI")
                .map(String::from)
                .unwrap_or_else(|| format!("http://{domain}")),
            domain,
            chain_id: get("CHAIN_ID").unwrap_or("localnet").to_string(),
            issuer: get("ISSUER").unwrap_or("bitticket-api").to_string(),
            audience: get("AUDIENCE").unwrap_or("bitticket").to_string(),
            access_key,
            access_ttl: secs("ACCESS_TTL", "BITTICKET_API_ACCESS_TTL", 900)?,
            refresh_ttl: secs("REFRESH_TTL", "BITTICKET_API_REFRESH_TTL", 30 * 86_400)?,
            refresh_family_ttl: secs(
                "REFRESH_FAMILY_TTL",
                "BITTICKET_API_REFRESH_FAMILY_TTL",
                90 * 86_400,
            )?,
            nonce_ttl: secs("NONCE_TTL", "BITTICKET_API_NONCE_TTL", 300)?,
            sign_in_max_age: secs("SIGN_IN_MAX_AGE", "BITTICKET_API_SIGN_IN_MAX_AGE", 600)?,
            services,
            cors_origins,
            max_body_bytes: 16 * 1024,
            redis_url: get("REDIS_URL").map(String::from),
            redis_prefix: get("REDIS_PREFIX").unwrap_or("bitticket").to_string(),
            rate_user: quota("RATE_USER_PER_MIN", "BITTICKET_API_RATE_USER_PER_MIN", 100)?,
            rate_tenant: quota(
                "RATE_TENANT_PER_MIN",
                "BITTICKET_API_RATE_TENANT_PER_MIN",
                1_000,
            )?,
            rate_sign_in: quota(
                "RATE_SIGN_IN_PER_MIN",
                "BITTICKET_API_RATE_SIGN_IN_PER_MIN",
                20,
            )?,
            qr_master_key,
            qr_master_key_version,
            qr_master_key_previous,
            tls,
            max_lag_slots: get("MAX_LAG_SLOTS")
                .map(|v| v.parse().ok().filter(|n: &i64| *n >= 0))
                .unwrap_or(Some(150))
                .ok_or(ConfigError::Invalid {
                    name: "BITTICKET_API_MAX_LAG_SLOTS",
                    reason: "must be a number of slots".into(),
                })?,
            staff_max_lag_slots: match get("STAFF_MAX_LAG_SLOTS") {
                Some("off") => None,
                v => Some(
                    v.map(|v| v.parse().ok().filter(|n: &i64| *n >= 0))
                        .unwrap_or(Some(150))
                        .ok_or(ConfigError::Invalid {
                            name: "BITTICKET_API_STAFF_MAX_LAG_SLOTS",
                            reason: "must be a number of slots, or off".into(),
                        })?,
                ),
            },
            rpc_urls: get("RPC_URLS")
                .or(get("RPC_URL"))
                .unwrap_or("http://127.0.0.1:8899")
                .split(',')
                .map(|u| u.trim().to_string())
                .filter(|u| !u.is_empty())
                .collect(),
            qr_rotate: secs("QR_ROTATE_SECS", "BITTICKET_API_QR_ROTATE_SECS", 86_400)?,
            qr_grace: secs("QR_GRACE_SECS", "BITTICKET_API_QR_GRACE_SECS", 3_600)?,
            qr_ttl: secs("QR_TTL_SECS", "BITTICKET_API_QR_TTL_SECS", 120)?,
            rate_sensitive: quota(
                "RATE_SENSITIVE_PER_MIN",
                "BITTICKET_API_RATE_SENSITIVE_PER_MIN",
                30,
            )?,
            rate_client: quota(
                "RATE_CLIENT_PER_MIN",
                "BITTICKET_API_RATE_CLIENT_PER_MIN",
                300,
            )?,
            rate_refresh: quota(
                "RATE_REFRESH_PER_MIN",
                "BITTICKET_API_RATE_REFRESH_PER_MIN",
                30,
            )?,
            rate_sign_out: quota(
                "RATE_SIGN_OUT_PER_MIN",
                "BITTICKET_API_RATE_SIGN_OUT_PER_MIN",
                30,
            )?,
            trusted_proxies: trusted_proxies(get("TRUSTED_PROXIES"))?,
        })
    }
}

/// `BITTICKET_API_TRUSTED_PROXIES`: comma-separated CIDR ranges or single addresses. A
/// range that holds every address would let any client choose its own address: refused.
fn trusted_proxies(v: Option<&str>) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    let invalid = |reason: String| ConfigError::Invalid {
        name: "BITTICKET_API_TRUSTED_PROXIES",
        reason,
    };
    let mut out = Vec::new();
    for item in v
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let net = item
            .parse::<ipnet::IpNet>()
            .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
            .map_err(|_| invalid(format!("{item:?} is not an address or CIDR range")))?;
        if net.prefix_len() == 0 {
            return Err(invalid(format!("{item} would trust every address")));
        }
        out.push(net);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(b: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(b)
    }

    fn base() -> HashMap<String, String> {
        let seed: Vec<u8> = (0u8..32).collect();
        HashMap::from([
            (
                "BITTICKET_API_DATABASE_URL".into(),
                "postgres://x@127.0.0.1/db".into(),
            ),
            ("BITTICKET_API_ACCESS_KEY".into(), b64(&seed)),
            (
                "BITTICKET_API_QR_MASTER_KEY".into(),
                b64(&(100u8..132).collect::<Vec<u8>>()),
            ),
        ])
    }

    #[test]
    fn defaults_load_and_secrets_never_print() {
        let s = Settings::from_vars(&base()).expect("settings");
        assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
        let printed = format!("{s:?}");
        assert!(printed.contains("[redacted]"));
        assert!(!printed.contains(&b64(&(0u8..32).collect::<Vec<u8>>())));
    }

    #[test]
    fn a_missing_or_weak_secret_refuses_to_start() {
        let mut v = base();
        v.remove("BITTICKET_API_ACCESS_KEY");
        assert!(matches!(
            Settings::from_vars(&v),
            Err(ConfigError::Missing(_))
        ));
        let mut v = base();
        v.insert("BITTICKET_API_ACCESS_KEY".into(), b64(&[7u8; 32]));
        assert!(Settings::from_vars(&v).is_err(), "repeated bytes");
        let mut v = base();
        v.insert("BITTICKET_API_ACCESS_KEY".into(), b64(&[1, 2, 3]));
        assert!(Settings::from_vars(&v).is_err(), "short");
        let mut v = base();
        v.insert(
            "BITTICKET_API_SERVICES".into(),
            format!(
                r#"[{{"name":"box-office","secret":"{}"}}]"#,
                b64(b"password")
            ),
        );
        assert!(Settings::from_vars(&v).is_err(), "weak service secret");
    }

    #[test]
    fn an_env_file_fills_what_the_environment_leaves() {
        let parsed = parse_env_file(
            "# secrets\nBITTICKET_API_DOMAIN=tickets.example\n\nBITTICKET_API_URI=\"https://x\"\n",
        )
        .expect("parse");
        assert_eq!(
            parsed,
            vec![
                (
                    "BITTICKET_API_DOMAIN".to_string(),
                    "tickets.example".to_string()
                ),
                ("BITTICKET_API_URI".to_string(), "https://x".to_string()),
            ]
        );
        assert!(parse_env_file("no equals sign").is_err());
    }

    #[test]
    fn plain_http_and_metrics_stay_on_loopback_and_cors_is_a_list() {
        for (k, v) in [
            ("BITTICKET_API_LISTEN", "0.0.0.0:8080"),
            ("BITTICKET_API_METRICS_LISTEN", "0.0.0.0:9464"),
            ("BITTICKET_API_CORS_ORIGINS", "*"),
        ] {
            let mut vars = base();
            vars.insert(k.into(), v.into());
            assert!(Settings::from_vars(&vars).is_err(), "{k}={v}");
        }
        // a certificate without its key is refused; with both, TLS may listen wider
        let mut vars = base();
        vars.insert("BITTICKET_API_TLS_CERT".into(), "/c.pem".into());
        assert!(Settings::from_vars(&vars).is_err());
        vars.insert("BITTICKET_API_TLS_KEY".into(), "/k.pem".into());
        vars.insert("BITTICKET_API_LISTEN".into(), "0.0.0.0:8443".into());
        assert!(Settings::from_vars(&vars)
            .expect("TLS settings")
            .tls
            .is_some());
        // inside a container's private network, by explicit opt-in only
        let mut vars = base();
        vars.insert("BITTICKET_API_LISTEN".into(), "0.0.0.0:8080".into());
        vars.insert("BITTICKET_API_METRICS_LISTEN".into(), "0.0.0.0:9464".into());
        vars.insert("BITTICKET_API_PRIVATE_NETWORK".into(), "yes".into());
        assert!(Settings::from_vars(&vars).is_err());
        vars.insert("BITTICKET_API_PRIVATE_NETWORK".into(), "true".into());
        let s = Settings::from_vars(&vars).expect("private network");
        assert!(!s.listen.ip().is_loopback() && s.tls.is_none());
    }
}
