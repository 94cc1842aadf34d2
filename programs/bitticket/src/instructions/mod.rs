// Each module exports its `handler`; lib.rs calls them by path, as in Anchor's
// `--template multiple`.
#![allow(ambiguous_glob_reexports)]

pub mod add_member;
pub mod cancel_event;
pub mod check_in;
pub mod close_proposal;
pub mod claim_refund;
pub mod create_event;
pub mod create_organizer;
pub mod create_proposal;
pub mod execute_proposal;
pub mod freeze_spending_limit;
pub mod open_shard;
pub mod purchase;
pub mod remove_member;
pub mod set_paused;
pub mod spend;
pub mod sweep_shard;
pub mod transfer_ticket;
pub mod update_event;
pub mod vote_proposal;

pub use add_member::*;
pub use cancel_event::*;
pub use check_in::*;
pub use close_proposal::*;
pub use claim_refund::*;
pub use create_event::*;
pub use create_organizer::*;
pub use create_proposal::*;
pub use execute_proposal::*;
pub use freeze_spending_limit::*;
pub use open_shard::*;
pub use purchase::*;
pub use remove_member::*;
pub use set_paused::*;
pub use spend::*;
pub use sweep_shard::*;
pub use transfer_ticket::*;
pub use update_event::*;
pub use vote_proposal::*;
