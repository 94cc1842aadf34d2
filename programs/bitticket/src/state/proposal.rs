use anchor_lang::prelude::*;

use crate::constants::{MAX_LIMIT_DESTINATIONS, MAX_LIMIT_MEMBERS, MAX_MEMBERS};
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
    AddMember {
        member: Member,
    },
    RemoveMember {
        key: Pubkey,
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
    /// `amount == 0` removes the cap (and with it, every limit on that mint must go first).
    /// Replacing a cap keeps what was used in its current window.
    SetOutflowCap {
        mint: Pubkey,
        amount: u64,
        period: Period,
    },
    /// Replaces an event's configuration, windows included, before its sale starts.
    UpdateEvent {
        event: Pubkey,
        config: EventConfig,
    },
    /// Cancels an event, which opens its refund period.
    CancelEvent {
        event: Pubkey,
    },
}

impl ProposalAction {
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

/// PDA: ["proposal", organizer, index (le)].
#[account]
#[derive(InitSpace, Debug)]
pub struct Proposal {
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

    pub fn invariant(&self) -> Result<()> {
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
