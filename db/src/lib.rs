//! The mirror's schema in one crate: the migrations (the only copy, embedded here), the
//! registry of tables with their keys and kinds, and a row type with its column set per
//! table, so that the indexer's sink, `verify`, `rebuild`, the fork undo, the API and the
//! tests all name a table and its columns the same way.
pub mod columns;
pub mod rows;
pub mod tables;

pub use columns::{insert, insert_new, upsert, upsert_keys, Columns};
pub use tables::{Kind, Table, TABLES};

/// Every migration, embedded: `MIGRATOR.run(&pool)` brings a database to the current schema.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");
