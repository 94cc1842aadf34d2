//! Sign-In With Solana: what a signed message must name, and how long its parts live. A
//! message names the API's own domain, or the domain of one of the web apps listed in
//! `BITTICKET_API_SIGN_IN_ORIGINS` (a wallet signing in on a web page names the page's
//! own domain).
use std::time::Duration;

use bitticket_settings::{ConfigError, Vars};

pub const DOMAIN: &str = "BITTICKET_API_DOMAIN";
pub const URI: &str = "BITTICKET_API_URI";
pub const CHAIN_ID: &str = "BITTICKET_API_CHAIN_ID";
pub const NONCE_TTL: &str = "BITTICKET_API_NONCE_TTL";
pub const SIGN_IN_MAX_AGE: &str = "BITTICKET_API_SIGN_IN_MAX_AGE";
/// Comma-separated origins of web apps (`https://app.example`, `http://localhost:5173`):
/// each one's host (with its port) is a sign-in domain, and the origin its URI.
pub const SIGN_IN_ORIGINS: &str = "BITTICKET_API_SIGN_IN_ORIGINS";

/// A domain a sign-in message may name, with the URI it must name alongside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInDomain {
    pub domain: String,
    pub uri: String,
}

#[derive(Debug, Clone)]
pub struct SignIn {
    /// The API's own domain and URI (`localhost:8080`, `http://<domain>`).
    pub domain: String,
    pub uri: String,
    /// Web apps' domains (from their origins), beside the API's own.
    pub web: Vec<SignInDomain>,
    pub chain_id: String,
    /// A nonce's life (300 s).
    pub nonce_ttl: Duration,
    /// How old a sign-in message's `Issued At` may be (600 s).
    pub max_age: Duration,
}

impl SignIn {
    pub fn read(v: &Vars) -> Result<Self, ConfigError> {
        let domain = v.or(DOMAIN, "localhost:8080").to_string();
        Ok(SignIn {
            uri: v
                .get(URI)
                .map(String::from)
                .unwrap_or_else(|| format!("http://{domain}")),
            domain,
            web: v
                .list(SIGN_IN_ORIGINS)
                .iter()
                .map(String::as_str)
                .map(|item| web_origin(SIGN_IN_ORIGINS, item))
                .collect::<Result<_, _>>()?,
            chain_id: v.or(CHAIN_ID, "localnet").to_string(),
            nonce_ttl: v.seconds_or(NONCE_TTL, 300)?,
            max_age: v.seconds_or(SIGN_IN_MAX_AGE, 600)?,
        })
    }

    /// Every `(domain, uri)` a message may name, the API's own first.
    pub fn domains(&self) -> Vec<(&str, &str)> {
        std::iter::once((self.domain.as_str(), self.uri.as_str()))
            .chain(self.web.iter().map(|d| (d.domain.as_str(), d.uri.as_str())))
            .collect()
    }

    /// The URI a message for `domain` must name; `None` for a domain not signed in for.
    pub fn uri_for(&self, domain: &str) -> Option<&str> {
        self.domains()
            .into_iter()
            .find(|(d, _)| *d == domain)
            .map(|(_, uri)| uri)
    }

    /// The web app's domain whose origin a browser sent (`Origin`), if it is one of them.
    pub fn domain_of_origin(&self, origin: &str) -> Option<&str> {
        self.web
            .iter()
            .find(|d| d.uri.eq_ignore_ascii_case(origin))
            .map(|d| d.domain.as_str())
    }
}

/// `scheme://host[:port]` (http or https, nothing after but an optional `/`), lower case;
/// a refusal names the setting `var`.
pub(super) fn web_origin(var: &'static str, item: &str) -> Result<SignInDomain, ConfigError> {
    let refuse = |why: &str| {
        ConfigError::invalid(
            var,
            format!("{item:?} {why}: an origin such as https://app.example"),
        )
    };
    let lower = item.to_ascii_lowercase();
    let origin = lower.strip_suffix('/').unwrap_or(&lower);
    let (scheme, host) = origin
        .split_once("://")
        .ok_or_else(|| refuse("has no scheme"))?;
    if scheme != "https" && scheme != "http" {
        return Err(refuse("is neither http nor https"));
    }
    if host.is_empty()
        || host
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '/' | '?' | '#' | '@' | '*' | ','))
    {
        return Err(refuse("is not an origin"));
    }
    Ok(SignInDomain {
        domain: host.to_string(),
        uri: origin.to_string(),
    })
}
