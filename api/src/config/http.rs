//! What the HTTP layer accepts: the browser origins allowed (CORS), the body size, and the
//! proxies whose forwarding headers name the client.
use bitticket_settings::{ConfigError, Vars};

/// Comma-separated allow-list of origins (`*` is refused).
pub const CORS_ORIGINS: &str = "BITTICKET_API_CORS_ORIGINS";
/// Comma-separated CIDR ranges or single addresses.
pub const TRUSTED_PROXIES: &str = "BITTICKET_API_TRUSTED_PROXIES";

#[derive(Debug, Clone)]
pub struct Http {
    pub cors_origins: Vec<String>,
    /// A request body's limit (16 KiB; not configurable).
    pub max_body_bytes: usize,
    /// Proxies whose `X-Forwarded-For` / `Forwarded` is believed (CIDR ranges); the client
    /// address is the right-most hop that is not one of them. Empty: the TCP peer.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl Http {
    pub fn read(v: &Vars) -> Result<Self, ConfigError> {
        let cors_origins = v.list(CORS_ORIGINS);
        if cors_origins.iter().any(|o| o == "*") {
            return Err(ConfigError::invalid(
                CORS_ORIGINS,
                "an allow-list of origins, not *",
            ));
        }
        // the same origins a browser sends: scheme://host[:port], nothing more
        let cors_origins = cors_origins
            .iter()
            .map(|o| super::sign_in::web_origin(CORS_ORIGINS, o).map(|d| d.uri))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Http {
            cors_origins,
            max_body_bytes: 16 * 1024,
            trusted_proxies: trusted_proxies(&v.list(TRUSTED_PROXIES))?,
        })
    }
}

/// A range that holds every address would let any client choose its own address: refused.
fn trusted_proxies(items: &[String]) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    items
        .iter()
        .map(|item| {
            let net = item
                .parse::<ipnet::IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    ConfigError::invalid(
                        TRUSTED_PROXIES,
                        format!("{item:?} is not an address or CIDR range"),
                    )
                })?;
            if net.prefix_len() == 0 {
                return Err(ConfigError::invalid(
                    TRUSTED_PROXIES,
                    format!("{item} would trust every address"),
                ));
            }
            Ok(net)
        })
        .collect()
}
