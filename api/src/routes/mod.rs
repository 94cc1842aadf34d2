//! Routes by resource. `TABLE` is the one place that says which method and path reach
//! which handler with which access: the router is built from it, so are the OpenAPI
//! document's paths (`RouteDoc`), and the authorisation matrix test walks it, so a new
//! route cannot be forgotten.
pub mod actions;
pub mod auth;
pub mod docs;
pub mod door;
pub mod events;
pub mod health;
pub mod me;
pub mod metadata;
pub mod organizers;
pub mod status;
pub mod tickets;
pub mod transactions;

use axum::Router;
use serde::Serialize;

use crate::middleware::authorize::authorize;
use crate::middleware::rate_limit::Class;
use crate::rbac::{Access, ANY_MEMBER, EVENT_STAFF, GATE, MANAGERS, MONEY};
use crate::startup::AppState;

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub limit: Class,
}

macro_rules! routes {
    ($( $method:ident $path:literal => $handler:path, $access:expr, $limit:expr; )*) => {
        pub const TABLE: &[Route] = &[
            $( Route { method: stringify!($method), path: $path, access: $access, limit: $limit }, )*
        ];

        /// The OpenAPI operations of the table's handlers (each one's `#[utoipa::path]`),
        /// with the schemas they name; `openapi::ApiDoc` adds the document's info.
        #[derive(utoipa::OpenApi)]
        #[openapi(paths($( $handler ),*))]
        pub struct RouteDoc;

        pub fn router(state: &AppState) -> Router<AppState> {
            Router::new()
                $( .route(
                    $path,
                    axum::routing::$method($handler).route_layer(
                        axum::middleware::from_fn_with_state((state.clone(), $access, $limit), authorize),
                    ),
                ) )*
        }
    };
}

routes! {
    get "/health/live" => health::live, Access::Public, Class::Open;
    get "/health/ready" => health::ready, Access::Public, Class::Open;
    get "/openapi.json" => docs::openapi, Access::Public, Class::Read;
    get "/docs" => docs::page, Access::Public, Class::Read;
    get "/door/" => door::index, Access::Public, Class::Read;
    get "/door/{file}" => door::file, Access::Public, Class::Read;
    get "/actions.json" => actions::rules, Access::Public, Class::Read;
    get "/v1/actions/events/{event}" => actions::metadata, Access::Anyone, Class::Read;
    post "/v1/actions/events/{event}" => actions::purchase, Access::Anyone, Class::Sensitive;
    get "/v1/actions/events/{event}/icon.svg" => actions::icon, Access::Anyone, Class::Read;
    post "/v1/auth/nonce" => auth::nonce, Access::Public, Class::SignIn;
    post "/v1/auth/sign-in" => auth::sign_in, Access::Public, Class::SignIn;
    post "/v1/auth/refresh" => auth::refresh, Access::Public, Class::Refresh;
    post "/v1/auth/sign-out" => auth::sign_out, Access::Public, Class::SignOut;
    get "/v1/me" => me::whoami, Access::Signed, Class::Read;
    get "/v1/me/tickets" => tickets::mine, Access::Holder, Class::Read;
    get "/v1/tickets/{ticket}" => tickets::one, Access::Holder, Class::Read;
    get "/v1/tickets/{ticket}/qr" => tickets::qr, Access::Holder, Class::Sensitive;
    post "/v1/tickets/{ticket}/qr" => tickets::qr_with_pass, Access::Holder, Class::Sensitive;
    post "/v1/transactions/purchase" => transactions::purchase, Access::Holder, Class::Sensitive;
    post "/v1/transactions/transfer" => transactions::transfer, Access::Holder, Class::Sensitive;
    post "/v1/transactions/list" => transactions::list, Access::Holder, Class::Sensitive;
    post "/v1/transactions/delist" => transactions::delist, Access::Holder, Class::Sensitive;
    post "/v1/transactions/buy-listing" => transactions::buy_listing, Access::Holder, Class::Sensitive;
    get "/v1/events" => events::list, Access::Anyone, Class::Read;
    get "/v1/events/{event}" => events::one, Access::Anyone, Class::Read;
    get "/v1/events/{event}/listings" => events::listings, Access::Anyone, Class::Read;
    get "/v1/metadata/{event}/{serial}" => metadata::json, Access::Anyone, Class::Read;
    get "/v1/metadata/{event}/{serial}/image.svg" => metadata::image, Access::Anyone, Class::Read;
    get "/v1/events/{event}/allow-lists/{tier}/{phase}/proof" => organizers::proof, Access::Holder, Class::Read;
    get "/v1/status" => status::indexer, Access::Signed, Class::Read;
    get "/v1/organizers/{organizer}/members" => organizers::members, Access::Staff(ANY_MEMBER), Class::Read;
    get "/v1/organizers/{organizer}/events/{event}/tickets" => organizers::event_tickets, Access::Staff(EVENT_STAFF), Class::Read;
    get "/v1/organizers/{organizer}/check-ins" => organizers::check_ins, Access::Staff(EVENT_STAFF), Class::Read;
    get "/v1/organizers/{organizer}/vault" => organizers::vault, Access::Staff(MONEY), Class::Read;
    get "/v1/organizers/{organizer}/proposals" => organizers::proposals, Access::Staff(MONEY), Class::Read;
    get "/v1/organizers/{organizer}/alerts" => organizers::alerts, Access::Staff(MANAGERS), Class::Read;
    post "/v1/organizers/{organizer}/gate/verify" => organizers::gate_verify, Access::Staff(GATE), Class::Sensitive;
    put "/v1/organizers/{organizer}/events/{event}/allow-lists/{tier}/{phase}" => organizers::put_allow_list, Access::Staff(MANAGERS), Class::Sensitive;
    put "/v1/organizers/{organizer}/events/{event}/display" => organizers::put_display, Access::Staff(MANAGERS), Class::Sensitive;
}
