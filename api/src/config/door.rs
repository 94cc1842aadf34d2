//! The door page (`clients/door`): where its built files are, and the Solana RPC URL the
//! browser sends check-ins to. Not served unless `BITTICKET_API_DOOR_DIR` is set.
use std::path::PathBuf;

use bitticket_settings::{ConfigError, Vars};

/// The directory holding the door page's built files (`clients/door/dist`).
pub const DOOR_DIR: &str = "BITTICKET_API_DOOR_DIR";
/// The RPC URL browsers use (default: the API's own first node).
pub const PUBLIC_RPC_URL: &str = "BITTICKET_API_PUBLIC_RPC_URL";

#[derive(Debug, Clone)]
pub struct Door {
    pub dir: Option<PathBuf>,
    /// An `http(s)://host[:port][/path]` URL, also the page's only `connect-src` beside the API.
    pub rpc_url: String,
}

impl Door {
    pub fn read(v: &Vars, rpc_urls: &[String]) -> Result<Self, ConfigError> {
        let rpc_url = match v.get(PUBLIC_RPC_URL) {
            Some(u) => u.to_string(),
            None => rpc_urls
                .first()
                .cloned()
                .unwrap_or_else(|| "http://127.0.0.1:8899".into()),
        };
        if origin_of(&rpc_url).is_none() {
            return Err(ConfigError::invalid(
                PUBLIC_RPC_URL,
                "an http(s):// URL without spaces, quotes or semicolons",
            ));
        }
        Ok(Door {
            dir: v.get(DOOR_DIR).map(PathBuf::from),
            rpc_url,
        })
    }

    /// The RPC URL's origin (`scheme://host[:port]`), for the page's CSP.
    pub fn rpc_origin(&self) -> String {
        origin_of(&self.rpc_url).unwrap_or_default()
    }
}

/// `scheme://authority` of an http(s) URL fit to stand in a CSP header; `None` otherwise.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let fit = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
    if authority.is_empty()
        || !authority.chars().all(fit)
        || url.contains([' ', '"', ';', '\'', ','])
    {
        return None;
    }
    Some(format!("{scheme}://{authority}"))
}

#[cfg(test)]
mod tests {
    use super::origin_of;

    #[test]
    fn only_plain_http_origins_reach_the_csp() {
        assert_eq!(
            origin_of("https://rpc.example.com/v1/key?x=1").as_deref(),
            Some("https://rpc.example.com")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8899").as_deref(),
            Some("http://127.0.0.1:8899")
        );
        for bad in [
            "ftp://x",
            "http://",
            "https://a b",
            "https://x; script-src *",
            "x",
            "https://u@h",
        ] {
            assert_eq!(origin_of(bad), None, "{bad}");
        }
    }
}
