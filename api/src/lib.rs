//! BitTicket's API: authenticated reads over the indexer's Postgres mirror.
//!
//! * `config`: settings from the environment in sections (a file each), read by the
//!   `bitticket-settings` crate's one reader; secrets that never print.
//! * `startup`: the application bound to its listeners (tests run it on port 0).
//! * `auth`: Sign-In With Solana, access and service JWTs, refresh tokens.
//! * `rbac`: who may call what; `routes::TABLE` declares each route's access beside it.
//! * `db`: every query runs in a transaction that first sets the caller's wallet and
//!   tenant for Postgres row-level security.
//! * `middleware`: one file per concern (security headers, authorisation, CORS, metrics).
//! * `sale`: where an event's sale stands (the catalogue's status, a purchase's 409).
//! * `currency`: SOL or an SPL mint, and amounts as a wallet shows them.
//! * `tiers`: an event's ticket tiers and their phases, by the program's rules.
pub mod audit;
pub mod auth;
pub mod chain;
pub mod config;
pub mod currency;
pub mod db;
pub mod domain;
pub mod error;
pub mod extract;
pub mod freshness;
pub mod limiter;
pub mod middleware;
pub mod openapi;
pub mod qr;
pub mod rbac;
pub mod routes;
pub mod sale;
pub mod startup;
pub mod telemetry;
pub mod tiers;
pub mod tls;

pub use config::Settings;
pub use error::ApiError;
pub use startup::Application;
