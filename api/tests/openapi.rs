//! The checked-in OpenAPI document is the one the code generates, documents every route
//! of the route table with a one-line summary, and names a server. `BITTICKET_BLESS=1`
//! rewrites it. (The API serving it and its page is tested in `http.rs`.)
use bitticket_api::openapi::document;
use bitticket_api::routes::TABLE;

#[test]
fn the_openapi_document_is_current_and_covers_every_route() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
    let generated = document();
    if std::env::var("BITTICKET_BLESS").is_ok() {
        std::fs::write(path, &generated).expect("write openapi.json");
    }
    let checked_in = std::fs::read_to_string(path).expect("api/openapi.json");
    assert!(
        checked_in == generated,
        "api/openapi.json is stale: run BITTICKET_BLESS=1 cargo test -p bitticket-api --test openapi"
    );
    let doc: serde_json::Value = serde_json::from_str(&generated).expect("json");
    for route in TABLE {
        let op = &doc["paths"][route.path][route.method];
        assert!(
            op.is_object(),
            "{} {} is not documented",
            route.method,
            route.path
        );
        assert!(
            op["summary"]
                .as_str()
                .is_some_and(|s| !s.is_empty() && !s.contains('\n')),
            "{} {} has no one-line summary",
            route.method,
            route.path
        );
    }
    assert!(
        doc["servers"][0]["url"].is_string(),
        "the document names no server"
    );
    let documented: usize = doc["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|p| p.as_object().map_or(0, |m| m.len()))
        .sum();
    assert_eq!(
        documented,
        TABLE.len(),
        "a documented path is not in the route table"
    );
}
