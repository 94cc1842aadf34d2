//! The OpenAPI document, generated from the handlers' annotations: its paths are those of
//! the route table (`routes::RouteDoc`, made by the same list as the router), its info,
//! server and security scheme are here. It is checked in as `api/openapi.json`; a test
//! regenerates and compares it, and checks that every route of the route table is in it,
//! with a summary. The API serves it at `/openapi.json` (its `servers` naming itself) and
//! lists it as a page at `/docs` (`routes::docs`).
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes::RouteDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(c) = openapi.components.as_mut() {
            c.add_security_scheme(
                "bearer",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .bearer_format("JWT")
                        .description(Some(
                            "a wallet's access token (EdDSA) or a service's token (HS256, kid = service)",
                        ))
                        .build(),
                ),
            );
        }
    }
}

/// The document's info, and the server of the checked-in copy: a local API at the default
/// `BITTICKET_API_URI` (the served document names the running API instead).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "BitTicket API",
        description = "The public event catalogue, wallet sign-in (Sign-In With Solana), a wallet's tickets and their QR codes, transactions for wallets to sign, reads for an organizer's staff and the gate."
    ),
    servers((url = "http://localhost:8080", description = "a local API (the default BITTICKET_API_URI)"))
)]
struct Info;

/// The whole document: the info, the route table's paths and schemas, the bearer scheme.
pub struct ApiDoc;

impl OpenApi for ApiDoc {
    fn openapi() -> utoipa::openapi::OpenApi {
        let mut doc = Info::openapi();
        doc.merge(RouteDoc::openapi());
        Bearer.modify(&mut doc);
        doc
    }
}

/// The document as checked in (pretty JSON, trailing newline).
pub fn document() -> String {
    let mut s = ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// The document as served by a running API: its `servers` name `uri`, this API's own
/// (`BITTICKET_API_URI`).
pub fn served(uri: &str) -> String {
    let mut doc = ApiDoc::openapi();
    doc.servers = Some(vec![utoipa::openapi::server::ServerBuilder::new()
        .url(uri)
        .description(Some("this API"))
        .build()]);
    doc.to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
