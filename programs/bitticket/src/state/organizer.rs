use anchor_lang::prelude::*;

use crate::constants::{
    MAX_LIMIT_DESTINATIONS, MAX_LIMIT_MEMBERS, MAX_MEMBERS, MAX_OUTFLOW_CAPS, MAX_SPENDING_LIMITS,
};
use crate::errors::BitTicketError;
use crate::state::{Period, SpendingLimitConfig};

/// Role bits of an organizer member. A member may hold several.
pub mod permission {
    pub const ADMIN: u8 = 1 << 0;
    pub const EVENT_MANAGER: u8 = 1 << 1;
    pub const FINANCE: u8 = 1 << 2;
    pub const GATEKEEPER: u8 = 1 << 3;
    /// Multi-signature roles over the organizer's vault. Only a proposal grants or
    /// revokes them (an admin alone cannot), so no single key can capture the vault.
    pub const PROPOSE: u8 = 1 << 4;
    pub const VOTE: u8 = 1 << 5;
    pub const EXECUTE: u8 = 1 << 6;
    pub const MULTISIG: u8 = PROPOSE | VOTE | EXECUTE;
    pub const ALL: u8 = ADMIN | EVENT_MANAGER | FINANCE | GATEKEEPER | MULTISIG;

    /// Non-empty, known bits only.
    pub fn validate(bits: u8) -> anchor_lang::Result<()> {
        anchor_lang::require!(
            bits != 0 && bits & !ALL == 0,
            crate::errors::BitTicketError::InvalidPermissions
        );
        Ok(())
    }
}

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub struct Member {
    pub key: Pubkey,
    pub permissions: u8,
}

/// A spending limit in force: `config` plus what is left in the current window.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, PartialEq, Eq, Debug, InitSpace)]
pub struct SpendingLimit {
    pub config: SpendingLimitConfig,
    pub remaining: u64,
    /// Start of the current window; windows are laid on a grid from the creation time.
    pub window_start: i64,
}

/// The organizer-wide cap on what spending limits may move out of the vault per period,
/// for one mint (`Pubkey::default()` for SOL). Proposals are not capped: they already need
/// the threshold.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub struct OutflowCap {
    pub mint: Pubkey,
    pub amount: u64,
    pub period: Period,
    pub used: u64,
    pub window_start: i64,
}

/// The tenant: a group of wallets with roles that runs events and controls a vault.
/// PDA: ["organizer", creator, organizer_id (le)]. Its vault is the system-owned PDA
/// ["vault", organizer] (SOL) and the token accounts that PDA owns.
#[account]
#[derive(InitSpace, Debug)]
pub struct Organizer {
    pub creator: Pubkey,
    pub organizer_id: u64,
    /// Id the next event gets; also the number of events created.
    pub next_event_id: u64,
    pub bump: u8,
    pub vault_bump: u8,
    /// Approvals a proposal needs, among members with VOTE.
    pub threshold: u16,
    /// Seconds between a proposal's approval and its earliest execution.
    pub time_lock: u32,
    /// Index of the latest proposal.
    pub transaction_index: u64,
    /// Proposals with an index at or below this are stale: a configuration change
    /// happened after they were made.
    pub stale_transaction_index: u64,
    #[max_len(MAX_MEMBERS)]
    pub members: Vec<Member>,
    #[max_len(MAX_SPENDING_LIMITS)]
    pub spending_limits: Vec<SpendingLimit>,
    #[max_len(MAX_OUTFLOW_CAPS)]
    pub outflow_caps: Vec<OutflowCap>,
}

impl Organizer {
    /// Account size including the discriminator; allocated once at every bound.
    pub const SIZE: usize = 8 + Self::INIT_SPACE;

    pub fn permissions_of(&self, key: &Pubkey) -> Option<u8> {
        self.members
            .iter()
            .find(|m| m.key == *key)
            .map(|m| m.permissions)
    }

    /// Fails unless `key` is a member holding every bit of `needed`.
    pub fn require_permission(&self, key: &Pubkey, needed: u8) -> Result<()> {
        let have = self.permissions_of(key).ok_or(BitTicketError::NotAMember)?;
        require!(have & needed == needed, BitTicketError::MissingPermission);
        Ok(())
    }

    /// `key` is not a member yet and there is room for one more.
    pub fn require_room_for(&self, key: &Pubkey) -> Result<()> {
        require!(
            self.permissions_of(key).is_none(),
            BitTicketError::MemberAlreadyExists
        );
        require!(
            self.members.len() < MAX_MEMBERS,
            BitTicketError::TooManyMembers
        );
        Ok(())
    }

    pub fn count_with(&self, bit: u8) -> usize {
        self.members
            .iter()
            .filter(|m| m.permissions & bit != 0)
            .count()
    }

    pub fn admin_count(&self) -> usize {
        self.count_with(permission::ADMIN)
    }

    pub fn voter_count(&self) -> usize {
        self.count_with(permission::VOTE)
    }

    /// Rejections that make a proposal unreachable: voters - threshold + 1.
    pub fn rejection_cutoff(&self) -> usize {
        self.voter_count()
            .saturating_sub(usize::from(self.threshold))
            .saturating_add(1)
    }

    pub fn is_stale(&self, proposal_index: u64) -> bool {
        proposal_index <= self.stale_transaction_index
    }

    /// Makes every proposal made so far stale.
    pub fn invalidate_prior_proposals(&mut self) {
        self.stale_transaction_index = self.transaction_index;
    }

    pub fn cap_for(&self, mint: &Pubkey) -> Option<&OutflowCap> {
        self.outflow_caps.iter().find(|c| c.mint == *mint)
    }

    pub fn invariant(&self) -> Result<()> {
        require!(
            !self.members.is_empty() && self.members.len() <= MAX_MEMBERS,
            BitTicketError::InvariantViolated
        );
        require!(self.admin_count() >= 1, BitTicketError::InvariantViolated);
        for (i, m) in self.members.iter().enumerate() {
            require!(
                m.permissions != 0 && m.permissions & !permission::ALL == 0,
                BitTicketError::InvariantViolated
            );
            require!(
                !self.members[..i].iter().any(|o| o.key == m.key),
                BitTicketError::InvariantViolated
            );
        }
        // 1 <= M <= N, and someone can propose and execute
        require!(
            self.threshold >= 1 && usize::from(self.threshold) <= self.voter_count(),
            BitTicketError::InvariantViolated
        );
        require!(
            self.count_with(permission::PROPOSE) >= 1 && self.count_with(permission::EXECUTE) >= 1,
            BitTicketError::InvariantViolated
        );
        require!(
            self.stale_transaction_index <= self.transaction_index,
            BitTicketError::InvariantViolated
        );
        require!(
            self.spending_limits.len() <= MAX_SPENDING_LIMITS
                && self.outflow_caps.len() <= MAX_OUTFLOW_CAPS,
            BitTicketError::InvariantViolated
        );
        for (i, l) in self.spending_limits.iter().enumerate() {
            let c = &l.config;
            require!(
                !self.spending_limits[..i]
                    .iter()
                    .any(|o| o.config.id == c.id),
                BitTicketError::InvariantViolated
            );
            require!(
                c.amount > 0
                    && l.remaining <= c.amount
                    && !c.members.is_empty()
                    && c.members.len() <= MAX_LIMIT_MEMBERS
                    && c.destinations.len() <= MAX_LIMIT_DESTINATIONS,
                BitTicketError::InvariantViolated
            );
            // every limit sits under its mint's organizer-wide cap
            let cap = self
                .cap_for(&c.mint)
                .ok_or(BitTicketError::InvariantViolated)?;
            require!(c.amount <= cap.amount, BitTicketError::InvariantViolated);
        }
        for (i, c) in self.outflow_caps.iter().enumerate() {
            require!(
                c.amount > 0 && c.used <= c.amount,
                BitTicketError::InvariantViolated
            );
            require!(
                !self.outflow_caps[..i].iter().any(|o| o.mint == c.mint),
                BitTicketError::InvariantViolated
            );
        }
        Ok(())
    }
}
