//! Seeds and bounds shared by every instruction.

pub const SEED_ORGANIZER: &[u8] = b"organizer";
pub const SEED_EVENT: &[u8] = b"event";
pub const SEED_SHARD: &[u8] = b"shard";
pub const SEED_BUYER: &[u8] = b"buyer";
pub const SEED_TICKET: &[u8] = b"ticket";

/// Members an organizer may have; bounds the account size and every member scan.
pub const MAX_MEMBERS: usize = 10;
pub const MAX_NAME_LEN: usize = 64;
pub const MAX_URI_LEN: usize = 200;
/// Sale shards per event: each purchase writes only its own shard, so this bounds
/// how many purchases of one event can land in one block (see README, "No hot account").
pub const MAX_SHARDS: u8 = 64;

pub const SEED_VAULT: &[u8] = b"vault";
pub const SEED_PROPOSAL: &[u8] = b"proposal";

/// Spending limits and outflow caps an organizer may hold (inline in the Organizer).
pub const MAX_SPENDING_LIMITS: usize = 4;
pub const MAX_OUTFLOW_CAPS: usize = 4;
/// Members a spending limit may name, and destinations it may allow.
pub const MAX_LIMIT_MEMBERS: usize = 5;
pub const MAX_LIMIT_DESTINATIONS: usize = 4;

pub const SECONDS_PER_DAY: u64 = 86_400;
