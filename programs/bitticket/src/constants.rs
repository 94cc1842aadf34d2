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
