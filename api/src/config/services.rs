//! Calling services: each one's HMAC secret (its JWTs are HS256 under it) and the
//! organizers it may read for.
use std::collections::HashMap;

use bitticket_settings::{ConfigError, Secret, Vars};
use serde::Deserialize;

/// A JSON list of `{"name", "secret" (base64, >= 32 bytes), "organizers": [...]}`.
pub const SERVICES: &str = "BITTICKET_API_SERVICES";

/// A calling service: its HMAC secret and the organizers it may read for.
#[derive(Debug, Clone)]
pub struct Service {
    pub secret: Secret,
    pub organizers: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Services {
    /// By the name a service's token gives as `kid`, `iss` and `sub`.
    pub by_name: HashMap<String, Service>,
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

impl Services {
    /// None when unset; a name of 1 to 64 characters, listed once, with a strong secret.
    pub fn read(v: &Vars) -> Result<Self, ConfigError> {
        let mut by_name = HashMap::new();
        let Some(json) = v.get(SERVICES) else {
            return Ok(Services { by_name });
        };
        let entries: Vec<ServiceEntry> = serde_json::from_str(json).map_err(|e| {
            ConfigError::invalid(
                SERVICES,
                format!("a JSON list of {{name, secret, organizers}}: {e}"),
            )
        })?;
        for e in entries {
            if e.name.is_empty() || e.name.len() > 64 {
                return Err(ConfigError::invalid(
                    SERVICES,
                    "a service name is 1 to 64 characters",
                ));
            }
            let secret = Secret::from_base64(SERVICES, &e.secret, 32)?;
            let service = Service {
                secret,
                organizers: e.organizers,
            };
            if by_name.insert(e.name.clone(), service).is_some() {
                return Err(ConfigError::invalid(
                    SERVICES,
                    format!("service {} is listed twice", e.name),
                ));
            }
        }
        Ok(Services { by_name })
    }
}
