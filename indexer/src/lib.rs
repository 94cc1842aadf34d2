//! The BitTicket indexer: follows the program over Solana JSON-RPC and mirrors its
//! accounts and events into Postgres. Stages read top to bottom: `source` (RPC with
//! failover, PubSub wake-ups) -> `decode` (logs, events, accounts with the program's own
//! types) -> `sink` (batched, slot-guarded, checkpointed Postgres writes); `pipeline`
//! drives them, `verify` checks the mirror against the chain, `leader` keeps one writer.
pub mod config;
pub mod decode;
pub mod leader;
pub mod pipeline;
pub mod sink;
pub mod source;
pub mod telemetry;
pub mod verify;

pub use config::Settings;
pub use pipeline::Indexer;
pub use sink::Sink;
