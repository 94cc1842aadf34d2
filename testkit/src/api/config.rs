//! The application's test settings: one service ("box-office") with a fixed secret, a
//! fixed access-token seed and QR master key, a web app (`https://app.tickets.test`)
//! allowed to call from a browser and to sign its users in, limits far above what a test
//! reaches (the rate-limit tests set their own), the suite's Redis and validator when they
//! are set.
use std::collections::HashMap;

use base64::Engine;
use bitticket_api::Settings;

/// The one service the settings allow.
pub const SERVICE: &str = "box-office";

/// The service's shared secret.
pub fn service_secret() -> Vec<u8> {
    (100u8..148).collect()
}

/// The seed of the access tokens' signing key.
pub fn access_seed() -> Vec<u8> {
    (1u8..33).collect()
}

pub fn settings(api_url: &str, service_organizers: &[&str]) -> Settings {
    settings_with(api_url, service_organizers, &[])
}

/// Test settings: generous limits (the rate-limit tests set their own), the suite's
/// Redis when there is one, under a prefix of this instance's own unless `extra` names one.
pub fn settings_vars(
    api_url: &str,
    service_organizers: &[&str],
    extra: &[(&str, String)],
) -> HashMap<String, String> {
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let services = serde_json::json!([{
        "name": SERVICE,
        "secret": b64(&service_secret()),
        "organizers": service_organizers,
    }]);
    let mut vars: HashMap<String, String> = [
        ("BITTICKET_API_LISTEN", "127.0.0.1:0".to_string()),
        ("BITTICKET_API_METRICS_LISTEN", "off".to_string()),
        ("BITTICKET_API_DATABASE_URL", api_url.to_string()),
        ("BITTICKET_API_DATABASE_POOL", "4".to_string()),
        ("BITTICKET_API_DOMAIN", "tickets.test".to_string()),
        ("BITTICKET_API_URI", "https://tickets.test".to_string()),
        ("BITTICKET_API_ACCESS_KEY", b64(&access_seed())),
        (
            "BITTICKET_API_QR_MASTER_KEY",
            b64(&(60u8..92).collect::<Vec<u8>>()),
        ),
        ("BITTICKET_API_SERVICES", services.to_string()),
        // a web app: its calls from a browser, and its users' sign-ins under its own origin
        (
            "BITTICKET_API_CORS_ORIGINS",
            "https://app.tickets.test".to_string(),
        ),
        (
            "BITTICKET_API_SIGN_IN_ORIGINS",
            "https://app.tickets.test".to_string(),
        ),
        ("BITTICKET_API_RATE_SIGN_IN_PER_MIN", "10000".to_string()),
        ("BITTICKET_API_RATE_USER_PER_MIN", "10000".to_string()),
        ("BITTICKET_API_RATE_TENANT_PER_MIN", "10000".to_string()),
        ("BITTICKET_API_RATE_CLIENT_PER_MIN", "100000".to_string()),
        // the seeded mirrors have no checkpoint: the lag bound has a test of its own
        ("BITTICKET_API_STAFF_MAX_LAG_SLOTS", "off".to_string()),
        ("BITTICKET_API_RATE_REFRESH_PER_MIN", "10000".to_string()),
        ("BITTICKET_API_RATE_SIGN_OUT_PER_MIN", "10000".to_string()),
        (
            "BITTICKET_API_REDIS_PREFIX",
            format!("t{:016x}", rand::random::<u64>()),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    if let Ok(url) = std::env::var("BITTICKET_TEST_REDIS") {
        vars.insert("BITTICKET_API_REDIS_URL".into(), url);
    }
    if let Ok(url) = std::env::var("BITTICKET_TEST_RPC") {
        vars.insert("BITTICKET_API_RPC_URL".into(), url);
    }
    for (k, v) in extra {
        vars.insert(k.to_string(), v.clone());
    }
    vars
}

pub fn settings_with(
    api_url: &str,
    service_organizers: &[&str],
    extra: &[(&str, String)],
) -> Settings {
    Settings::from_vars(&settings_vars(api_url, service_organizers, extra)).expect("settings")
}
