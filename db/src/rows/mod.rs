//! A row type and a column set per table the indexer writes.
pub mod accounts;
pub mod history;

pub use accounts::*;
pub use history::*;
