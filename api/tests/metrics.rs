//! Prometheus metrics on their own loopback listener: requests by route and status,
//! latency histograms, authentication failures, rate-limit rejections.
use bitticket_testkit::api::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_requests_latency_auth_failures_and_rate_limits() {
    let db = fresh_db().await;
    let holder = Wallet::random();
    let _a = seed_tenant(&db.0, &holder, 1).await;
    let extra = [
        ("BITTICKET_API_METRICS_LISTEN", "127.0.0.1:0".to_string()),
        ("BITTICKET_API_RATE_USER_PER_MIN", "2".to_string()),
    ];
    let (admin, url) = db;
    let app = bitticket_api::Application::build(settings_with(&as_api_role(&url), &[], &extra))
        .await
        .expect("build");
    let addr = app.address();
    let metrics = app.metrics_address().expect("metrics listener");
    assert!(metrics.ip().is_loopback());
    tokio::spawn(app.run_until_stopped());
    let api = Api {
        addr,
        http: reqwest::Client::new(),
        admin,
        api_url: url,
    };
    let (token, _) = api.sign_in(&holder).await;
    for _ in 0..3 {
        api.get("/v1/me", Some(&token)).await;
    }
    api.get("/v1/me", Some("bad")).await;
    let text = api
        .http
        .get(format!("http://{metrics}/metrics"))
        .send()
        .await
        .expect("scrape")
        .text()
        .await
        .expect("text");
    for needle in [
        r#"api_requests_total{route="/v1/me",method="GET",status="200"} 2"#,
        r#"api_requests_total{route="/v1/me",method="GET",status="429"} 1"#,
        r#"api_requests_total{route="/v1/me",method="GET",status="401"} 1"#,
        "api_request_duration_seconds_bucket{",
        r#"api_auth_failures_total{reason="bad_token"} 1"#,
        r#"api_rate_limited_total{class="Read"} 1"#,
    ] {
        assert!(text.contains(needle), "{needle} not in:\n{text}");
    }
}
