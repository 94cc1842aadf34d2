//! The OpenAPI document, generated from the handlers' annotations: its paths are those of
//! the route table (`routes::RouteDoc`, made by the same list as the router), its info and
//! security scheme are here. It is checked in as `api/openapi.json`; a test regenerates
//! and compares it, and checks that every route of the route table is in it.
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

/// The document's info.
#[derive(OpenApi)]
#[openapi(info(
    title = "BitTicket API",
    description = "Authenticated reads over the BitTicket mirror, wallet sign-in, transactions for wallets to sign, ticket QR codes and the gate."
))]
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
