//! The BitTicket client library: addresses (PDAs with their canonical bumps, the ticket
//! mint a purchase should use) and instruction builders. The program tests, the demo and
//! the bench use it through LiteSVM; the indexer, the API and the CLI use it over RPC.
use solana_address::Address;

pub mod instructions;
pub mod pda;
#[cfg(feature = "rpc")]
pub mod rpc;

pub use instructions::*;
pub use pda::*;

pub use bitticket::instructions::TicketBumps;
pub use bitticket::ID as PROGRAM_ID;

pub const SYSTEM: Address = solana_sdk_ids::system_program::ID;
pub const TOKEN: Address = anchor_spl::token::ID;
pub const ATA_PROGRAM: Address = anchor_spl::associated_token::ID;
