//! TLS: the certificate chain and private key (PEM) the API serves TLS 1.3 with on its
//! listen address. Both or neither.
use std::path::PathBuf;

use bitticket_settings::{ConfigError, Vars};

pub const TLS_CERT: &str = "BITTICKET_API_TLS_CERT";
pub const TLS_KEY: &str = "BITTICKET_API_TLS_KEY";

/// PEM files: TLS 1.3 on `listen` when both are set.
#[derive(Debug, Clone)]
pub struct Tls {
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl Tls {
    /// `None` without either variable; one without the other is refused.
    pub fn read(v: &Vars) -> Result<Option<Self>, ConfigError> {
        match (v.get(TLS_CERT), v.get(TLS_KEY)) {
            (Some(cert), Some(key)) => Ok(Some(Tls {
                cert: cert.into(),
                key: key.into(),
            })),
            (None, None) => Ok(None),
            _ => Err(ConfigError::invalid(
                TLS_CERT,
                "set both BITTICKET_API_TLS_CERT and BITTICKET_API_TLS_KEY",
            )),
        }
    }
}
