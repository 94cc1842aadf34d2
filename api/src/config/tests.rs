//! The settings' defaults, and the refusals that keep the service from starting.
use base64::Engine;

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
    assert_eq!(s.listen.addr.to_string(), "127.0.0.1:8080");
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
        // CORS origins are origins, as sign-in's: no path, no wildcard, http(s) only
        ("BITTICKET_API_CORS_ORIGINS", "https://app.example/path"),
        ("BITTICKET_API_CORS_ORIGINS", "https://*.example"),
        ("BITTICKET_API_CORS_ORIGINS", "app.example"),
        ("BITTICKET_API_CORS_ORIGINS", "ftp://app.example"),
        (
            "BITTICKET_API_PUBLIC_RPC_URL",
            "https://rpc.example; script-src *",
        ),
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
    assert!(!s.listen.addr.ip().is_loopback() && s.tls.is_none());
}

#[test]
fn every_refusal_names_its_variable() {
    let key = |b: &[u8]| b64(b);
    let strong: Vec<u8> = (40u8..72).collect();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "BITTICKET_API_LISTEN",
            "nowhere".into(),
            "BITTICKET_API_LISTEN",
        ),
        (
            "BITTICKET_API_TLS_KEY",
            "/k.pem".into(),
            "BITTICKET_API_TLS_CERT",
        ),
        (
            "BITTICKET_API_PRIVATE_NETWORK",
            "1".into(),
            "BITTICKET_API_PRIVATE_NETWORK",
        ),
        (
            "BITTICKET_API_METRICS_LISTEN",
            "x".into(),
            "BITTICKET_API_METRICS_LISTEN",
        ),
        (
            "BITTICKET_API_ACCESS_KEY",
            "not base64!".into(),
            "BITTICKET_API_ACCESS_KEY",
        ),
        (
            "BITTICKET_API_ACCESS_KEY",
            key(&(0u8..48).collect::<Vec<u8>>()),
            "BITTICKET_API_ACCESS_KEY",
        ),
        (
            "BITTICKET_API_ACCESS_TTL",
            "0".into(),
            "BITTICKET_API_ACCESS_TTL",
        ),
        (
            "BITTICKET_API_REFRESH_TTL",
            "-1".into(),
            "BITTICKET_API_REFRESH_TTL",
        ),
        (
            "BITTICKET_API_REFRESH_FAMILY_TTL",
            "x".into(),
            "BITTICKET_API_REFRESH_FAMILY_TTL",
        ),
        (
            "BITTICKET_API_NONCE_TTL",
            "0".into(),
            "BITTICKET_API_NONCE_TTL",
        ),
        (
            "BITTICKET_API_SIGN_IN_MAX_AGE",
            "0".into(),
            "BITTICKET_API_SIGN_IN_MAX_AGE",
        ),
        (
            "BITTICKET_API_SERVICES",
            "{}".into(),
            "BITTICKET_API_SERVICES",
        ),
        (
            "BITTICKET_API_SERVICES",
            format!(r#"[{{"name":"","secret":"{}"}}]"#, key(&strong)),
            "BITTICKET_API_SERVICES",
        ),
        (
            "BITTICKET_API_SERVICES",
            format!(
                r#"[{{"name":"a","secret":"{0}"}},{{"name":"a","secret":"{0}"}}]"#,
                key(&strong)
            ),
            "BITTICKET_API_SERVICES",
        ),
        (
            "BITTICKET_API_TRUSTED_PROXIES",
            "10.0.0.0/8, 0.0.0.0/0".into(),
            "BITTICKET_API_TRUSTED_PROXIES",
        ),
        (
            "BITTICKET_API_TRUSTED_PROXIES",
            "proxy".into(),
            "BITTICKET_API_TRUSTED_PROXIES",
        ),
        (
            "BITTICKET_API_QR_MASTER_KEY",
            key(&[1u8; 32]),
            "BITTICKET_API_QR_MASTER_KEY",
        ),
        (
            "BITTICKET_API_QR_MASTER_KEY_VERSION",
            "0".into(),
            "BITTICKET_API_QR_MASTER_KEY_VERSION",
        ),
        // a previous master key beside version 1 (the default)
        (
            "BITTICKET_API_QR_MASTER_KEY_PREVIOUS",
            key(&strong),
            "BITTICKET_API_QR_MASTER_KEY_PREVIOUS",
        ),
        (
            "BITTICKET_API_QR_ROTATE_SECS",
            "0".into(),
            "BITTICKET_API_QR_ROTATE_SECS",
        ),
        (
            "BITTICKET_API_QR_GRACE_SECS",
            "0".into(),
            "BITTICKET_API_QR_GRACE_SECS",
        ),
        (
            "BITTICKET_API_QR_TTL_SECS",
            "0".into(),
            "BITTICKET_API_QR_TTL_SECS",
        ),
        (
            "BITTICKET_API_DATABASE_POOL",
            "0".into(),
            "BITTICKET_API_DATABASE_POOL",
        ),
        (
            "BITTICKET_API_RATE_USER_PER_MIN",
            "0".into(),
            "BITTICKET_API_RATE_USER_PER_MIN",
        ),
        (
            "BITTICKET_API_RATE_TENANT_PER_MIN",
            "0".into(),
            "BITTICKET_API_RATE_TENANT_PER_MIN",
        ),
        (
            "BITTICKET_API_RATE_SIGN_IN_PER_MIN",
            "0".into(),
            "BITTICKET_API_RATE_SIGN_IN_PER_MIN",
        ),
        (
            "BITTICKET_API_RATE_SENSITIVE_PER_MIN",
            "0".into(),
            "BITTICKET_API_RATE_SENSITIVE_PER_MIN",
        ),
        (
            "BITTICKET_API_RATE_CLIENT_PER_MIN",
            "0".into(),
            "BITTICKET_API_RATE_CLIENT_PER_MIN",
        ),
        (
            "BITTICKET_API_RATE_REFRESH_PER_MIN",
            "0".into(),
            "BITTICKET_API_RATE_REFRESH_PER_MIN",
        ),
        (
            "BITTICKET_API_RATE_SIGN_OUT_PER_MIN",
            "0".into(),
            "BITTICKET_API_RATE_SIGN_OUT_PER_MIN",
        ),
        (
            "BITTICKET_API_MAX_LAG_SLOTS",
            "-1".into(),
            "BITTICKET_API_MAX_LAG_SLOTS",
        ),
        (
            "BITTICKET_API_STAFF_MAX_LAG_SLOTS",
            "never".into(),
            "BITTICKET_API_STAFF_MAX_LAG_SLOTS",
        ),
    ];
    for (k, v, refused) in cases {
        let mut vars = base();
        vars.insert(k.into(), v.clone());
        match Settings::from_vars(&vars) {
            Err(e) => assert_eq!(e.name(), refused, "{k}={v}: {e}"),
            Ok(_) => panic!("{k}={v} was accepted"),
        }
    }
    let mut vars = base();
    vars.remove("BITTICKET_API_DATABASE_URL");
    assert!(matches!(
        Settings::from_vars(&vars),
        Err(ConfigError::Missing("BITTICKET_API_DATABASE_URL"))
    ));
}

#[test]
fn sections_read_their_variables() {
    let mut vars = base();
    for (k, v) in [
        ("BITTICKET_API_DOMAIN", "tickets.example"),
        ("BITTICKET_API_RPC_URL", "http://one"),
        ("BITTICKET_API_STAFF_MAX_LAG_SLOTS", "off"),
        ("BITTICKET_API_METRICS_LISTEN", "off"),
        ("BITTICKET_API_CORS_ORIGINS", " https://a, ,https://b "),
        ("BITTICKET_API_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.1"),
        ("BITTICKET_API_RATE_USER_PER_MIN", "7"),
    ] {
        vars.insert(k.into(), v.into());
    }
    let s = Settings::from_vars(&vars).expect("settings");
    assert_eq!(s.sign_in.uri, "http://tickets.example");
    assert_eq!(s.rpc.urls, vec!["http://one".to_string()]);
    // the door page: not served unless its directory is set; browsers use the API's node
    assert!(s.door.dir.is_none());
    assert_eq!(s.door.rpc_url, "http://one");
    assert_eq!((s.lag.max_slots, s.lag.staff_max_slots), (150, None));
    assert!(s.listen.metrics.is_none());
    assert_eq!(s.http.cors_origins, vec!["https://a", "https://b"]);
    assert_eq!(s.http.trusted_proxies.len(), 2);
    assert_eq!(s.rate_limits.user.per_minute, 7);
    assert_eq!(s.database.pool, 16);
    vars.insert("BITTICKET_API_RPC_URLS".into(), "http://a,http://b".into());
    let s = Settings::from_vars(&vars).expect("settings");
    assert_eq!(s.rpc.urls, vec!["http://a", "http://b"]);
}

#[test]
fn web_apps_sign_in_under_their_own_origin_and_other_origins_are_refused() {
    let mut vars = base();
    vars.insert(
        "BITTICKET_API_SIGN_IN_ORIGINS".into(),
        "https://App.Example/, http://localhost:5173".into(),
    );
    let s = Settings::from_vars(&vars).expect("settings");
    assert_eq!(
        s.sign_in.domains(),
        vec![
            ("localhost:8080", "http://localhost:8080"),
            ("app.example", "https://app.example"),
            ("localhost:5173", "http://localhost:5173"),
        ]
    );
    assert_eq!(
        s.sign_in.uri_for("app.example"),
        Some("https://app.example")
    );
    assert_eq!(s.sign_in.uri_for("evil.example"), None);
    assert_eq!(
        s.sign_in.domain_of_origin("http://localhost:5173"),
        Some("localhost:5173")
    );
    assert_eq!(s.sign_in.domain_of_origin("https://evil.example"), None);
    for bad in [
        "*",
        "app.example",
        "ftp://app.example",
        "https://app.example/login",
        "https://",
        "https://user@app.example",
    ] {
        vars.insert("BITTICKET_API_SIGN_IN_ORIGINS".into(), bad.into());
        assert!(
            matches!(Settings::from_vars(&vars), Err(e) if e.name() == super::sign_in::SIGN_IN_ORIGINS),
            "{bad}"
        );
    }
}
