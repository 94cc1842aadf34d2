//! Seeds and bounds shared by every instruction; each is exported in the IDL.
use anchor_lang::prelude::*;

#[constant]
pub const SEED_ORGANIZER: &[u8] = b"organizer";
#[constant]
pub const SEED_EVENT: &[u8] = b"event";
#[constant]
pub const SEED_SHARD: &[u8] = b"shard";
#[constant]
pub const SEED_BUYER: &[u8] = b"buyer";
#[constant]
pub const SEED_TICKET: &[u8] = b"ticket";

/// Members an organizer may have; bounds the account size and every member scan.
#[constant]
pub const MAX_MEMBERS: u8 = 10;
/// Member slots an admin alone can never fill once the organizer needs proposals: an
/// `AddMember` proposal always finds room, however many members an admin has added.
#[constant]
pub const PROPOSAL_MEMBER_SLOTS: u8 = 1;
#[constant]
pub const MAX_NAME_LEN: u16 = 64;
#[constant]
pub const MAX_URI_LEN: u16 = 200;
/// Sale shards per event: each purchase writes only its own shard, so this bounds
/// how many purchases of one event can land in one block (see README, "No hot account").
#[constant]
pub const MAX_SHARDS: u8 = 64;

#[constant]
pub const SEED_VAULT: &[u8] = b"vault";
#[constant]
pub const SEED_PROPOSAL: &[u8] = b"proposal";

/// Spending limits and outflow caps an organizer may hold (inline in the Organizer).
#[constant]
pub const MAX_SPENDING_LIMITS: u8 = 4;
#[constant]
pub const MAX_OUTFLOW_CAPS: u8 = 4;
/// Members a spending limit may name, and destinations it may allow.
#[constant]
pub const MAX_LIMIT_MEMBERS: u8 = 5;
#[constant]
pub const MAX_LIMIT_DESTINATIONS: u8 = 4;

#[constant]
pub const SECONDS_PER_DAY: u64 = 86_400;

/// The longest time-lock a proposal can set: about three months, as Squads v4. A longer
/// one could block every later proposal, the one undoing it included.
#[constant]
pub const MAX_TIME_LOCK: u32 = 90 * SECONDS_PER_DAY as u32;
/// Holders have this long after the later of the cancellation and the event's own end of
/// check-in to claim their refunds; then what is left in the shards (checked-in tickets,
/// unclaimed refunds) may be swept to the vault.
#[constant]
pub const REFUND_PERIOD: i64 = 30 * SECONDS_PER_DAY as i64;
/// The longest an event may run, from its sale start to the end of its check-in; bounds
/// how long its proceeds can wait in the shards.
#[constant]
pub const MAX_EVENT_SPAN: i64 = 2 * 365 * SECONDS_PER_DAY as i64;

/// The layout version every account of this program carries, first after its
/// discriminator. A layout change bumps it; see README, "Account versions".
#[constant]
pub const ACCOUNT_VERSION: u8 = 1;

/// The longest a holder's check-in pass may be valid, from the chain's clock: a pass is
/// signed when the QR code is shown and used at the door within minutes.
#[constant]
pub const PASS_MAX_VALIDITY: i64 = 600;

#[constant]
pub const SEED_TIER: &[u8] = b"tier";
/// Tiers an event may have besides its own sale (GA, VIP, ...): each is a Tier account
/// with its own supply, wallet limit, shards and phases.
#[constant]
pub const MAX_TIERS: u8 = 8;
/// Sale phases a tier may have (a presale, the public sale, ...); they never overlap.
#[constant]
pub const MAX_PHASES: u8 = 4;
#[constant]
pub const MAX_TIER_NAME_LEN: u16 = 32;
/// The longest allow-list proof a purchase may carry: enough for a million wallets.
#[constant]
pub const MAX_PROOF_LEN: u8 = 20;
/// The `tier` of a shard, a ticket or a sale that belongs to the event's own sale (its
/// price and supply in `EventConfig`) rather than to one of its tiers.
#[constant]
pub const NO_TIER: u8 = u8::MAX;

/// The symbol of every ticket's token metadata, as wallets show it.
#[constant]
pub const TICKET_SYMBOL: &str = "TIX";

/// Seed of a resale listing: ["listing", ticket].
#[constant]
pub const SEED_LISTING: &[u8] = b"listing";

/// Basis points in one: 10,000 = 100%.
#[constant]
pub const BPS: u32 = 10_000;

/// The highest resale cap an organizer may set: five times a ticket's face value.
#[constant]
pub const MAX_RESALE_CAP_BPS: u32 = 50_000;

/// The highest royalty an organizer may take of a resale: half of it.
#[constant]
pub const MAX_ROYALTY_BPS: u32 = 5_000;

/// The currency of a tier or shard priced in lamports (a tier's `currency` otherwise names
/// its SPL mint).
#[constant]
pub const SOL_CURRENCY: Pubkey = Pubkey::new_from_array([0; 32]);

/// Decimals of a lamport price (1 SOL = 10^9 lamports).
#[constant]
pub const SOL_DECIMALS: u8 = 9;
