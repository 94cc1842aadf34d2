//! Where the API and its metrics listen. Without TLS, plain HTTP stays on loopback (behind
//! a TLS proxy), and metrics always do, unless a container's private network is declared.
use std::net::SocketAddr;

use bitticket_settings::{ConfigError, Vars};

pub const LISTEN: &str = "BITTICKET_API_LISTEN";
pub const METRICS_LISTEN: &str = "BITTICKET_API_METRICS_LISTEN";
pub const PRIVATE_NETWORK: &str = "BITTICKET_API_PRIVATE_NETWORK";

#[derive(Debug, Clone)]
pub struct Listen {
    pub addr: SocketAddr,
    /// Prometheus' `/metrics` (`off`: `None`).
    pub metrics: Option<SocketAddr>,
    /// In a container the service must listen on the container's network, which only the
    /// proxy (TLS) and Prometheus reach: an explicit opt-in, never a default.
    pub private_network: bool,
}

impl Listen {
    /// `tls`: whether the API serves TLS itself (then it may listen beyond loopback).
    pub fn read(v: &Vars, tls: bool) -> Result<Self, ConfigError> {
        let addr = v.socket_addr_or(LISTEN, "127.0.0.1:8080")?;
        let private_network = v.flag_or(PRIVATE_NETWORK, false)?;
        if !tls && !addr.ip().is_loopback() && !private_network {
            return Err(ConfigError::invalid(
                LISTEN,
                "plain HTTP listens on loopback only: configure TLS, or set BITTICKET_API_PRIVATE_NETWORK=true behind a TLS proxy",
            ));
        }
        let metrics = match v.get(METRICS_LISTEN) {
            Some("off") => None,
            _ => {
                let a = v.socket_addr_or(METRICS_LISTEN, "127.0.0.1:9464")?;
                if !a.ip().is_loopback() && !private_network {
                    return Err(ConfigError::invalid(
                        METRICS_LISTEN,
                        "metrics listen on loopback only (or BITTICKET_API_PRIVATE_NETWORK=true)",
                    ));
                }
                Some(a)
            }
        };
        Ok(Listen {
            addr,
            metrics,
            private_network,
        })
    }
}
