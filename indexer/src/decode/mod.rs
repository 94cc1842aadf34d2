//! Decode: transactions and accounts as the node returns them, into typed records.
pub mod accounts;
pub mod events;
pub mod json;
pub mod logs;
pub mod transaction;

pub use accounts::{AccountError, ProgramAccount};
pub use events::{EventError, ProgramEvent, Tenant};
pub use logs::{program_data, LogError, ProgramLogs};
pub use transaction::{decode_transaction, DecodedTx, RawTx};
