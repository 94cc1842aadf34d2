use anchor_lang::prelude::*;

use crate::constants::{
    ACCOUNT_VERSION, MAX_LIMIT_DESTINATIONS, MAX_LIMIT_MEMBERS, MAX_MEMBERS, MAX_NAME_LEN,
    MAX_OUTFLOW_CAPS, MAX_SPENDING_LIMITS, MAX_TIME_LOCK, PROPOSAL_MEMBER_SLOTS,
};
use crate::errors::BitTicketError;
use crate::state::{OutflowCap, SpendingLimit};

/// Role bits of an organizer member. A member may hold several.
pub mod permission {
    use anchor_lang::prelude::constant;

    #[constant]
    pub const ADMIN: u8 = 1 << 0;
    #[constant]
    pub const EVENT_MANAGER: u8 = 1 << 1;
    /// May freeze a spending limit at once (`freeze_spending_limit`), as an admin may;
    /// only a proposal unfreezes it. Off chain, the API shows vault and sales figures to it.
    #[constant]
    pub const FINANCE: u8 = 1 << 2;
    #[constant]
    pub const GATEKEEPER: u8 = 1 << 3;
    /// Multi-signature roles over the organizer's vault. Only a proposal grants or
    /// revokes them (an admin alone cannot), so no single key can capture the vault.
    /// Once the organizer needs proposals (a threshold above one, or a time-lock),
    /// ADMIN and EVENT_MANAGER join them (see `Organizer::roles_needing_proposal`).
    #[constant]
    pub const PROPOSE: u8 = 1 << 4;
    #[constant]
    pub const VOTE: u8 = 1 << 5;
    #[constant]
    pub const EXECUTE: u8 = 1 << 6;
    #[constant]
    pub const MULTISIG: u8 = PROPOSE | VOTE | EXECUTE;
    #[constant]
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

/// The tenant: a group of wallets with roles that runs events and controls a vault.
/// PDA: ["organizer", creator, organizer_id (le)]. Its vault is the system-owned PDA
/// ["vault", organizer] (SOL) and the token accounts that PDA owns.
#[account]
#[derive(InitSpace, Debug)]
pub struct Organizer {
    /// Layout version (`ACCOUNT_VERSION`).
    pub version: u8,
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
    /// What people call the organizer: shown by the CLI, the API and the catalogue. Last,
    /// so that the fixed fields keep their offsets.
    #[max_len(MAX_NAME_LEN)]
    pub name: String,
}

/// A name shown to people: 1 to `MAX_NAME_LEN` bytes, no control characters (they are
/// shown by wallets and stored by indexers, and a NUL is refused by Postgres).
pub fn require_name(name: &str) -> Result<()> {
    require!(
        !name.is_empty()
            && name.len() <= usize::from(MAX_NAME_LEN)
            && !name.chars().any(char::is_control),
        BitTicketError::InvalidName
    );
    Ok(())
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

    /// `key` is not a member yet and there is room for one more: every slot for a
    /// proposal, all but `PROPOSAL_MEMBER_SLOTS` for an admin alone once the organizer
    /// needs proposals (so an admin cannot fill the list against the multisig).
    pub fn require_room_for(&self, key: &Pubkey, by_proposal: bool) -> Result<()> {
        require!(
            self.permissions_of(key).is_none(),
            BitTicketError::MemberAlreadyExists
        );
        require!(
            self.members.len() < usize::from(MAX_MEMBERS),
            BitTicketError::TooManyMembers
        );
        if !by_proposal && self.needs_proposals() {
            require!(
                self.members.len() < usize::from(MAX_MEMBERS - PROPOSAL_MEMBER_SLOTS),
                BitTicketError::MemberSlotReserved
            );
        }
        Ok(())
    }

    /// Whether changes go through proposals: a threshold above one (no single key may
    /// move, lock or redirect money), or a time-lock (every change waits it out). Either
    /// way, what a single key could otherwise do alone needs a proposal.
    pub fn needs_proposals(&self) -> bool {
        self.threshold > 1 || self.time_lock > 0
    }

    /// Role bits an admin alone may neither grant nor revoke: the vault roles always; the
    /// roles that grant roles or run events once the organizer needs proposals.
    pub fn roles_needing_proposal(&self) -> u8 {
        if self.needs_proposals() {
            permission::MULTISIG | permission::ADMIN | permission::EVENT_MANAGER
        } else {
            permission::MULTISIG
        }
    }

    /// Adds `member`: known, non-empty permissions; not a member yet; room for one more
    /// (see `require_room_for`).
    pub fn add_member(&mut self, member: Member, by_proposal: bool) -> Result<()> {
        permission::validate(member.permissions)?;
        self.require_room_for(&member.key, by_proposal)?;
        self.members.push(member);
        Ok(())
    }

    /// Removes the member `key` and returns the permissions it held; the organizer must
    /// stay governable (`require_governable`).
    pub fn remove_member(&mut self, key: &Pubkey) -> Result<u8> {
        let removed = self.permissions_of(key).ok_or(BitTicketError::NotAMember)?;
        self.members.retain(|m| m.key != *key);
        self.require_governable()?;
        Ok(removed)
    }

    /// Replaces the permissions of the member `key` in place (a proposal's
    /// `SetPermissions`); the organizer must stay governable.
    pub fn set_permissions(&mut self, key: &Pubkey, permissions: u8) -> Result<()> {
        permission::validate(permissions)?;
        let member = self
            .members
            .iter_mut()
            .find(|m| m.key == *key)
            .ok_or(BitTicketError::NotAMember)?;
        member.permissions = permissions;
        self.require_governable()
    }

    /// An admin remains, enough voters for the threshold, and someone to propose and
    /// to execute.
    fn require_governable(&self) -> Result<()> {
        require!(self.admin_count() >= 1, BitTicketError::LastAdmin);
        require!(
            usize::from(self.threshold) <= self.voter_count(),
            BitTicketError::InvalidThreshold
        );
        require!(
            self.count_with(permission::PROPOSE) >= 1 && self.count_with(permission::EXECUTE) >= 1,
            BitTicketError::MultisigUnusable
        );
        Ok(())
    }

    /// Whether `key` may spend through any spending limit.
    pub fn is_limit_member(&self, key: &Pubkey) -> bool {
        self.spending_limits
            .iter()
            .any(|l| l.config.members.contains(key))
    }

    /// Takes `key` off every spending limit, and drops limits left with no member: the
    /// multisig removing a key ends the spending rights it granted them.
    pub fn revoke_spending_rights(&mut self, key: &Pubkey) {
        for limit in &mut self.spending_limits {
            limit.config.members.retain(|m| m != key);
        }
        self.spending_limits
            .retain(|l| !l.config.members.is_empty());
    }

    /// A proposal's `RemoveMember`: ends every right `key` holds, as a member and on any
    /// spending limit, whether or not it is still a member (an admin may have removed it
    /// first, and a limit may name a key that never was one). Fails only if `key` holds
    /// no right at all.
    pub fn remove_everywhere(&mut self, key: &Pubkey) -> Result<()> {
        let member = self.permissions_of(key).is_some();
        require!(
            member || self.is_limit_member(key),
            BitTicketError::NotAMember
        );
        if member {
            self.remove_member(key)?;
        }
        self.revoke_spending_rights(key);
        Ok(())
    }

    pub fn spending_limit_mut(&mut self, id: u8) -> Result<&mut SpendingLimit> {
        self.spending_limits
            .iter_mut()
            .find(|l| l.config.id == id)
            .ok_or_else(|| error!(BitTicketError::SpendingLimitNotFound))
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

    pub fn spending_limit(&self, id: u8) -> Option<&SpendingLimit> {
        self.spending_limits.iter().find(|l| l.config.id == id)
    }

    /// Counts `amount` against limit `id` and its mint's outflow cap, windows rolled to
    /// `now`; fails if either would be exceeded. Returns what the limit has left and what
    /// the cap has used.
    pub fn record_spend(&mut self, id: u8, amount: u64, now: i64) -> Result<(u64, u64)> {
        let limit = self.spending_limit_mut(id)?;
        require!(!limit.frozen, BitTicketError::SpendingLimitFrozen);
        limit.roll(now);
        limit.remaining = limit
            .remaining
            .checked_sub(amount)
            .ok_or(BitTicketError::SpendingLimitExceeded)?;
        let (mint, remaining) = (limit.config.mint, limit.remaining);
        let cap = self
            .outflow_caps
            .iter_mut()
            .find(|c| c.mint == mint)
            .ok_or(BitTicketError::NoOutflowCap)?;
        cap.record(amount, now)?;
        Ok((remaining, cap.used))
    }

    pub fn cap_for(&self, mint: &Pubkey) -> Option<&OutflowCap> {
        self.outflow_caps.iter().find(|c| c.mint == *mint)
    }

    pub fn invariant(&self) -> Result<()> {
        require!(
            self.version == ACCOUNT_VERSION,
            BitTicketError::AccountVersionMismatch
        );
        require_name(&self.name)?;
        require!(
            self.members.len() <= usize::from(MAX_MEMBERS),
            BitTicketError::TooManyMembers
        );
        // governable: an admin (so never without members), M <= voters, and someone to
        // propose and execute; the same check removals and role changes make
        require!(self.threshold >= 1, BitTicketError::InvalidThreshold);
        self.require_governable()?;
        for (i, m) in self.members.iter().enumerate() {
            require!(
                m.permissions != 0 && m.permissions & !permission::ALL == 0,
                BitTicketError::InvalidPermissions
            );
            require!(
                !self.members[..i].iter().any(|o| o.key == m.key),
                BitTicketError::MemberAlreadyExists
            );
        }
        require!(
            self.stale_transaction_index <= self.transaction_index,
            BitTicketError::StaleIndexAhead
        );
        require!(
            self.time_lock <= MAX_TIME_LOCK,
            BitTicketError::InvalidTimeLock
        );
        require!(
            self.spending_limits.len() <= usize::from(MAX_SPENDING_LIMITS),
            BitTicketError::TooManySpendingLimits
        );
        require!(
            self.outflow_caps.len() <= usize::from(MAX_OUTFLOW_CAPS),
            BitTicketError::TooManyOutflowCaps
        );
        for (i, l) in self.spending_limits.iter().enumerate() {
            let c = &l.config;
            require!(
                !self.spending_limits[..i]
                    .iter()
                    .any(|o| o.config.id == c.id),
                BitTicketError::SpendingLimitExists
            );
            require!(
                c.amount > 0
                    && l.remaining <= c.amount
                    && !c.members.is_empty()
                    && c.members.len() <= usize::from(MAX_LIMIT_MEMBERS)
                    && c.destinations.len() <= usize::from(MAX_LIMIT_DESTINATIONS),
                BitTicketError::InvalidSpendingLimit
            );
            // every limit sits under its mint's organizer-wide cap
            let cap = self.cap_for(&c.mint).ok_or(BitTicketError::NoOutflowCap)?;
            require!(c.amount <= cap.amount, BitTicketError::LimitAboveCap);
        }
        for (i, c) in self.outflow_caps.iter().enumerate() {
            require!(
                c.amount > 0 && c.used <= c.amount && (c.carry_until != 0 || c.carry_room == 0),
                BitTicketError::InvalidOutflowCap
            );
            require!(
                !self.outflow_caps[..i].iter().any(|o| o.mint == c.mint),
                BitTicketError::DuplicateOutflowCap
            );
        }
        Ok(())
    }
}
