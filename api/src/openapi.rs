//! The OpenAPI document, generated from the handlers' annotations. It is checked in as
//! `api/openapi.json`; a test regenerates and compares it, and checks that every route of
//! the route table is in it.
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes::{auth, events, health, me, organizers, status, tickets, transactions};

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

#[derive(OpenApi)]
#[openapi(
    info(
        title = "BitTicket API",
        description = "Authenticated reads over the BitTicket mirror, wallet sign-in, transactions for wallets to sign, ticket QR codes and the gate."
    ),
    paths(
        health::live,
        health::ready,
        auth::nonce,
        auth::sign_in,
        auth::refresh,
        auth::sign_out,
        me::whoami,
        tickets::mine,
        tickets::one,
        tickets::qr,
        transactions::purchase,
        transactions::transfer,
        events::list,
        events::one,
        status::indexer,
        organizers::members,
        organizers::event_tickets,
        organizers::check_ins,
        organizers::vault,
        organizers::proposals,
        organizers::alerts,
        organizers::gate_verify,
    ),
    modifiers(&Bearer)
)]
pub struct ApiDoc;

/// The document as checked in (pretty JSON, trailing newline).
pub fn document() -> String {
    let mut s = ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
