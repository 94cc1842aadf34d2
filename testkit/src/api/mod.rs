//! The API's side: a fresh database the API's own role may log in to, two organizers'
//! mirrored rows as the indexer writes them, the application's test settings, the app
//! spawned on a loopback port (or its binary in a process of its own), and wallets that
//! sign in as wallets do. `use bitticket_testkit::api::*` brings all of it.
mod app;
mod config;
mod database;
mod process;
mod tenant;
mod wallet;

pub use app::{spawn_configured, spawn_with, world, Api, World};
pub use config::{access_seed, service_secret, settings, settings_vars, settings_with, SERVICE};
pub use database::{as_api_role, fresh_db, API_ROLE_PASSWORD};
pub use process::{spawn_process, ApiProcess};
pub use tenant::{key, seed_tenant, Tenant, ROLES};
pub use wallet::Wallet;

pub use crate::db::admin_url;
