use anchor_lang::prelude::*;

use crate::constants::{ACCOUNT_VERSION, MAX_LIMIT_DESTINATIONS, MAX_LIMIT_MEMBERS, MAX_MEMBERS};
use crate::errors::BitTicketError;
use crate::state::{EventConfig, Member, Period};

/// The configuration of a spending limit, as proposed.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, PartialEq, Eq, Debug, InitSpace)]
pub struct SpendingLimitConfig {
    /// Names the limit within its organizer.
    pub id: u8,
    /// `Pubkey::default()` for SOL, else the SPL mint.
    pub mint: Pubkey,
    pub amount: u64,
    pub period: Period,
    #[max_len(MAX_LIMIT_MEMBERS)]
    pub members: Vec<Pubkey>,
    /// Empty: any destination. For tokens these are token accounts.
    #[max_len(MAX_LIMIT_DESTINATIONS)]
    pub destinations: Vec<Pubkey>,
}

/// What a proposal does when executed. All but the withdrawals and the event actions
/// change the organizer's configuration, which makes every older pending proposal stale.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, PartialEq, Eq, Debug, InitSpace)]
pub enum ProposalAction {
    WithdrawSol {
        destination: Pubkey,
        amount: u64,
    },
    /// `destination` is a token account of `mint`.
    WithdrawToken {
        mint: Pubkey,
        destination: Pubkey,
        amount: u64,
    },
    /// Uses every member slot, those an admin alone cannot fill included.
    AddMember {
        member: Member,
    },
    /// Ends every right `key` holds: its membership, if any, and its place on every
    /// spending limit, whether or not it is still a member.
    RemoveMember {
        key: Pubkey,
    },
    /// Replaces an existing member's roles in place (an admin made a gatekeeper, a second
    /// admin before the first is demoted); an admin, the threshold's voters and someone to
    /// propose and execute must remain.
    SetPermissions {
        key: Pubkey,
        permissions: u8,
    },
    SetThreshold {
        threshold: u16,
    },
    SetTimeLock {
        seconds: u32,
    },
    AddSpendingLimit {
        limit: SpendingLimitConfig,
    },
    RemoveSpendingLimit {
        id: u8,
    },
    /// Thaws a spending limit an admin or a finance member froze.
    UnfreezeSpendingLimit {
        id: u8,
    },
    /// `amount == 0` removes the cap (and with it, every limit on that mint must go first).
    /// Replacing a cap keeps what was used in its current window.
    SetOutflowCap {
        mint: Pubkey,
        amount: u64,
        period: Period,
    },
    /// Replaces an event's configuration, windows included, before its sale starts, and
    /// approves its sale terms (an event created while the organizer needs proposals
    /// sells nothing until one does).
    UpdateEvent {
        event: Pubkey,
        config: EventConfig,
    },
    /// Cancels an event, which opens its refund period.
    CancelEvent {
        event: Pubkey,
    },
}

/// Which instruction executes an action: each takes exactly the accounts its kind needs,
/// none optional (as Squads v4 executes config and vault transactions apart).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ActionKind {
    /// `execute_proposal`: members, roles, threshold, time-lock, limits and caps.
    Config,
    /// `execute_event_action`: `UpdateEvent` and `CancelEvent`, with their event.
    Event,
    /// `execute_withdrawal`: `WithdrawSol`, with its destination.
    SolWithdrawal,
    /// `execute_token_withdrawal`: `WithdrawToken`, with its token accounts.
    TokenWithdrawal,
}

impl ProposalAction {
    pub fn kind(&self) -> ActionKind {
        match self {
            ProposalAction::WithdrawSol { .. } => ActionKind::SolWithdrawal,
            ProposalAction::WithdrawToken { .. } => ActionKind::TokenWithdrawal,
            ProposalAction::UpdateEvent { .. } | ProposalAction::CancelEvent { .. } => {
                ActionKind::Event
            }
            _ => ActionKind::Config,
        }
    }

    pub fn is_config_change(&self) -> bool {
        !matches!(
            self,
            ProposalAction::WithdrawSol { .. }
                | ProposalAction::WithdrawToken { .. }
                | ProposalAction::UpdateEvent { .. }
                | ProposalAction::CancelEvent { .. }
        )
    }

    /// The event this action changes, if it is an event action.
    pub fn event(&self) -> Option<Pubkey> {
        match self {
            ProposalAction::UpdateEvent { event, .. } | ProposalAction::CancelEvent { event } => {
                Some(*event)
            }
            _ => None,
        }
    }
}

/// A member's vote on a proposal.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug)]
pub enum Vote {
    Approve,
    Reject,
    /// A vote to cancel an approved proposal before it executes.
    Cancel,
}

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub enum ProposalStatus {
    Active,
    Approved { at: i64 },
    Rejected { at: i64 },
    Cancelled { at: i64 },
    Executed { at: i64 },
}

/// PDA: ["proposal", organizer, index (le)]. Closed (rent back to `proposer`) once it
/// can no longer change anything (`Proposal::is_closable`).
#[account]
#[derive(InitSpace, Debug)]
pub struct Proposal {
    /// Layout version (`ACCOUNT_VERSION`).
    pub version: u8,
    pub organizer: Pubkey,
    pub index: u64,
    pub proposer: Pubkey,
    pub action: ProposalAction,
    pub status: ProposalStatus,
    pub bump: u8,
    #[max_len(MAX_MEMBERS)]
    pub approved: Vec<Pubkey>,
    #[max_len(MAX_MEMBERS)]
    pub rejected: Vec<Pubkey>,
    #[max_len(MAX_MEMBERS)]
    pub cancelled: Vec<Pubkey>,
}

impl Proposal {
    pub const SIZE: usize = 8 + Self::INIT_SPACE;

    pub fn has_voted(&self, key: &Pubkey) -> bool {
        self.approved.contains(key) || self.rejected.contains(key)
    }

    /// Executed, rejected and cancelled proposals are done; a stale one can neither be
    /// voted on nor executed. Either can be closed.
    pub fn is_closable(&self, stale: bool) -> bool {
        stale
            || matches!(
                self.status,
                ProposalStatus::Executed { .. }
                    | ProposalStatus::Rejected { .. }
                    | ProposalStatus::Cancelled { .. }
            )
    }

    pub fn invariant(&self) -> Result<()> {
        require!(
            self.version == ACCOUNT_VERSION,
            BitTicketError::AccountVersionMismatch
        );
        for list in [&self.approved, &self.rejected, &self.cancelled] {
            require!(
                list.len() <= usize::from(MAX_MEMBERS),
                BitTicketError::TooManyMembers
            );
            for (i, k) in list.iter().enumerate() {
                require!(!list[..i].contains(k), BitTicketError::AlreadyVoted);
            }
        }
        require!(
            !self.approved.iter().any(|k| self.rejected.contains(k)),
            BitTicketError::AlreadyVoted
        );
        Ok(())
    }
}
