use anchor_lang::prelude::*;

#[error_code]
pub enum BitTicketError {
    #[msg("The signer is not a member of this organizer")]
    NotAMember,
    #[msg("The signer lacks the permission this action needs")]
    MissingPermission,
    #[msg("Permissions contain unknown bits or are empty")]
    InvalidPermissions,
    #[msg("This wallet is already a member")]
    MemberAlreadyExists,
    #[msg("The organizer already has the maximum number of members")]
    TooManyMembers,
    #[msg("The last admin of an organizer cannot be removed")]
    LastAdmin,
    #[msg("Event name must be 1 to 64 bytes, with no control characters")]
    InvalidName,
    #[msg("Metadata URI must be at most 200 bytes, with no control characters")]
    InvalidUri,
    #[msg("Supply must be at least 1 and at least the number of shards")]
    InvalidSupply,
    #[msg("Shard count must be between 1 and 64")]
    InvalidShardCount,
    #[msg("Sale start must be before sale end")]
    InvalidSaleWindow,
    #[msg("Resale unlock must lie between the sale start and the end of check-in")]
    InvalidResaleUnlock,
    #[msg("Check-in must start no earlier than the sale and before it ends")]
    InvalidCheckInWindow,
    #[msg("Per-wallet limit must be at least 1")]
    InvalidWalletLimit,
    #[msg("The event's price and windows cannot change once its sale has started")]
    SaleStarted,
    #[msg("The event is not the one the proposal names")]
    EventMismatch,
    #[msg("Shards must be opened in order, up to the event's shard count")]
    InvalidShardIndex,
    #[msg("The event is cancelled")]
    EventCancelled,
    #[msg("The event is not cancelled")]
    EventNotCancelled,
    #[msg("The event is already in that pause state")]
    PauseStateUnchanged,
    #[msg("Sales of this event are paused")]
    SalePaused,
    #[msg("The sale has not started")]
    SaleNotStarted,
    #[msg("The sale has ended")]
    SaleEnded,
    #[msg("This shard has sold its share of the supply")]
    ShardSoldOut,
    #[msg("This wallet has reached the per-wallet ticket limit")]
    WalletLimitReached,
    #[msg("Tickets cannot be resold before the resale unlock time")]
    ResaleLocked,
    #[msg("The ticket is not valid (already checked in or refunded)")]
    TicketNotValid,
    #[msg("The ticket has already been checked in")]
    AlreadyCheckedIn,
    #[msg("The ticket was refunded")]
    TicketRefunded,
    #[msg("The signer does not hold this ticket")]
    NotTicketHolder,
    #[msg("Check-in is not open")]
    CheckInClosed,
    #[msg("The shard does not hold enough lamports for this refund")]
    InsufficientShardFunds,
    #[msg("This role is granted and revoked only by a proposal")]
    MultisigRoleNeedsProposal,
    #[msg("Threshold must be between 1 and the number of voters")]
    InvalidThreshold,
    #[msg("The change would leave no member able to propose or execute")]
    MultisigUnusable,
    #[msg("The proposal is not open for votes")]
    ProposalNotActive,
    #[msg("The proposal is not approved")]
    ProposalNotApproved,
    #[msg("A configuration change made this proposal stale")]
    ProposalStale,
    #[msg("This member has already voted on the proposal")]
    AlreadyVoted,
    #[msg("The time-lock since approval has not elapsed")]
    TimeLockNotElapsed,
    #[msg("Amount must be greater than zero")]
    InvalidAmount,
    #[msg("An account this action needs is missing")]
    MissingAccount,
    #[msg("The destination does not match")]
    DestinationMismatch,
    #[msg("The token account is not the vault's account for this mint")]
    VaultTokenMismatch,
    #[msg("The vault cannot be its own destination")]
    DestinationIsVault,
    #[msg("The vault does not hold enough for this transfer")]
    InsufficientVaultFunds,
    #[msg("The event is not over: proceeds are swept, tickets burned and records closed only after it")]
    EventNotOver,
    #[msg("An event that is over can no longer be cancelled")]
    EventAlreadyHeld,
    #[msg("The shard holds no proceeds to sweep")]
    NothingToSweep,
    #[msg("A spending limit with this id exists")]
    SpendingLimitExists,
    #[msg("No spending limit with this id")]
    SpendingLimitNotFound,
    #[msg("The organizer already has the maximum number of spending limits")]
    TooManySpendingLimits,
    #[msg("A spending limit needs an amount and at least one member")]
    InvalidSpendingLimit,
    #[msg("A spending limit needs an organizer outflow cap for its mint")]
    NoOutflowCap,
    #[msg("A spending limit cannot exceed the organizer's outflow cap")]
    LimitAboveCap,
    #[msg("The outflow cap is still used by spending limits")]
    CapInUse,
    #[msg("The organizer already has the maximum number of outflow caps")]
    TooManyOutflowCaps,
    #[msg("The signer is not a member of this spending limit")]
    NotLimitMember,
    #[msg("The destination is not allowed by this spending limit")]
    DestinationNotAllowed,
    #[msg("The amount exceeds what is left of the spending limit in this period")]
    SpendingLimitExceeded,
    #[msg("The amount exceeds the organizer's outflow cap in this period")]
    OutflowCapExceeded,
    #[msg("Arithmetic overflow")]
    Overflow,
    #[msg("A shard would have paid out more than it took in")]
    ShardOverpaid,
    #[msg("The bump given is not the canonical bump of this address")]
    BumpNotCanonical,
    #[msg("The buyer record belongs to another event or wallet")]
    BuyerRecordMismatch,
    #[msg("A program-derived account was passed as a signer")]
    SignerInPlaceOfPda,
    #[msg("The sale must end by the end of check-in")]
    SaleOutlastsCheckIn,
    #[msg("An event may run at most two years from its sale start to its check-in end")]
    EventTooLong,
    #[msg("The refund period of this cancelled event is still open")]
    RefundPeriodOpen,
    #[msg("The refund period of this cancelled event is over")]
    RefundPeriodOver,
    #[msg("The ticket's price is above the most the buyer agreed to pay")]
    PriceAboveMaximum,
    #[msg("Once the threshold is above one, this change needs a proposal")]
    MultisigRequired,
    #[msg("The time-lock may be at most 90 days")]
    InvalidTimeLock,
    #[msg("The proposal index must be the organizer's next one")]
    ProposalIndexMismatch,
    #[msg("The stale-proposal mark cannot be ahead of the latest proposal")]
    StaleIndexAhead,
    #[msg("An outflow cap needs an amount and cannot have used more than it")]
    InvalidOutflowCap,
    #[msg("A mint has at most one outflow cap")]
    DuplicateOutflowCap,
    #[msg("Only a cancelled event has a cancellation time")]
    CancellationTimeMismatch,
    #[msg("A shard issued a serial at or above the event's supply")]
    SerialAboveSupply,
    #[msg("Only a checked-in ticket has a check-in time")]
    CheckInTimeMismatch,
    #[msg("The last member slots are kept for proposals: an admin alone cannot fill them")]
    MemberSlotReserved,
    #[msg("The multisig has not approved this event's sale terms")]
    EventNotApproved,
    #[msg("This spending limit is frozen; only a proposal unfreezes it")]
    SpendingLimitFrozen,
    #[msg("This spending limit is not frozen")]
    SpendingLimitNotFrozen,
    #[msg("Only an executed, rejected, cancelled or stale proposal can be closed")]
    ProposalNotClosable,
    #[msg("The account's layout version is not this program's")]
    AccountVersionMismatch,
    #[msg("The rent must go back to the account that paid it")]
    RentCollectorMismatch,
    #[msg("The proposal belongs to another organizer")]
    OrganizerMismatch,
    #[msg("The ticket's mint must be a fresh key, not the buyer's")]
    MintIsBuyer,
    #[msg("This proposal's action is executed by another instruction")]
    WrongExecuteInstruction,
    #[msg("Once the organizer needs proposals, only a proposal removes its last gatekeeper")]
    LastGatekeeper,
    #[msg(
        "The check-in needs the holder's pass: an Ed25519 signature instruction right before it"
    )]
    PassMissing,
    #[msg("The Ed25519 instruction does not carry this holder's pass for this ticket and expiry")]
    PassMismatch,
    #[msg("The holder's pass has expired")]
    PassExpired,
    #[msg("The holder's pass is valid for longer than PASS_MAX_VALIDITY")]
    PassTooLong,
    #[msg("A tier has 1 to 4 phases, in time order, apart, inside the event's sale window")]
    InvalidPhases,
    #[msg("No phase of this tier is open now; a later one is")]
    BetweenPhases,
    #[msg("The tier index must be the event's next one, below MAX_TIERS")]
    InvalidTierIndex,
    #[msg("An event has at most MAX_TIERS tiers")]
    TooManyTiers,
    #[msg("An event's sale and its tiers have at most MAX_SHARDS shards together")]
    TooManyShards,
    #[msg("This phase sells only to its allow-list, and the proof does not place the buyer on it")]
    NotAllowListed,
    #[msg("An allow-list proof has at most MAX_PROOF_LEN hashes")]
    ProofTooLong,
    #[msg("The shard or the ticket belongs to another tier")]
    TierMismatch,
    #[msg("The wallet has bought as many tickets of this tier as it may")]
    TierLimitReached,
    #[msg("The wallet has bought as many tickets in this phase as it may")]
    PhaseLimitReached,
    #[msg("The event's tiers changed after this proposal was made: propose its terms again")]
    TermsChangedSinceProposal,
    #[msg(
        "Resale terms: a cap of at most MAX_RESALE_CAP_BPS, a royalty of at most MAX_ROYALTY_BPS"
    )]
    InvalidResaleTerms,
    #[msg("The event's tickets are not resold through the market (its cap is zero)")]
    ResaleClosed,
    #[msg("The event is over: its tickets no longer change hands")]
    ResaleOver,
    #[msg("The price is above the event's resale cap for this ticket")]
    AboveResaleCap,
    #[msg("The event's tickets move only through its resale market")]
    TransfersLocked,
    #[msg("The listing is void: its seller no longer holds a valid ticket, or the event was cancelled")]
    ListingVoid,
    #[msg("The listing is still good: only its seller may take it down")]
    ListingStillValid,
    #[msg("A seller cannot buy their own listing")]
    OwnListing,
    #[msg("The ticket account is not the ticket of this mint")]
    TicketMintMismatch,
    #[msg("The mint is not a currency a tier can take: SPL Token, or Token-2022 without transfer fees, hooks, a permanent delegate, default-frozen accounts, pausing or confidential transfers")]
    UnsupportedCurrency,
    #[msg("The tier or shard is priced in another currency: pass its mint and token accounts for a token price, none for SOL")]
    CurrencyMismatch,
    #[msg("A token account is not the expected owner's (the shard's, the seller's or the vault's) in the tier's currency")]
    CurrencyAccountMismatch,
    #[msg(
        "The ticket is still owed its refund: claim it first, or wait until the refund period ends"
    )]
    RefundStillOwed,
    #[msg("The ticket is listed on the resale market: delist it first")]
    TicketListed,
    #[msg("The shard still holds proceeds: sweep them into the vault first")]
    ShardHoldsProceeds,
    #[msg("The account for the ticket is not a Token-2022 account of its mint owned by the buyer")]
    TicketAccountMismatch,
}
