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
    #[msg("Event name must be 1 to 64 bytes")]
    InvalidName,
    #[msg("Metadata URI must be at most 200 bytes")]
    InvalidUri,
    #[msg("Supply must be at least 1 and at least the number of shards")]
    InvalidSupply,
    #[msg("Shard count must be between 1 and 64")]
    InvalidShardCount,
    #[msg("Sale start must be before sale end")]
    InvalidSaleWindow,
    #[msg("Resale unlock must not be before the sale start")]
    InvalidResaleUnlock,
    #[msg("Check-in start must be before check-in end")]
    InvalidCheckInWindow,
    #[msg("Per-wallet limit must be at least 1")]
    InvalidWalletLimit,
    #[msg("The event cannot be changed once a ticket is sold")]
    TicketsAlreadySold,
    #[msg("Every opened shard of the event must be passed, in order")]
    ShardListMismatch,
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
    #[msg("Arithmetic overflow")]
    Overflow,
    #[msg("An account invariant does not hold")]
    InvariantViolated,
}
