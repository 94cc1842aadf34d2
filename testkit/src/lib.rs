//! BitTicket's test kit, a dev-dependency of every crate's tests: one fresh database per
//! test (`db`), the test services' URLs (`services`), builders for configurations
//! (`builders`), the mirror's rows and decoded transactions (`mirror`), funded wallets and
//! the scripted sale on the validator (`chain`), a misbehaving RPC proxy (`proxy`), the
//! API spawned over two organizers' seeded rows with wallets that sign in (`api`), JSON
//! snapshots with their per-run values redacted (`snapshot`).
pub mod api;
pub mod builders;
pub mod chain;
pub mod db;
pub mod mirror;
pub mod proxy;
pub mod services;
pub mod snapshot;
