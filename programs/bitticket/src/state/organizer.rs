use anchor_lang::prelude::*;

use crate::constants::MAX_MEMBERS;
use crate::errors::BitTicketError;

/// Role bits of an organizer member. A member may hold several.
pub mod permission {
    pub const ADMIN: u8 = 1 << 0;
    pub const EVENT_MANAGER: u8 = 1 << 1;
    pub const FINANCE: u8 = 1 << 2;
    pub const GATEKEEPER: u8 = 1 << 3;
    pub const ALL: u8 = ADMIN | EVENT_MANAGER | FINANCE | GATEKEEPER;
}

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub struct Member {
    pub key: Pubkey,
    pub permissions: u8,
}

/// The tenant: a group of wallets with roles that runs events.
/// PDA: ["organizer", creator, organizer_id (le)].
#[account]
#[derive(InitSpace, Debug)]
pub struct Organizer {
    pub creator: Pubkey,
    pub organizer_id: u64,
    /// Id the next event gets; also the number of events created.
    pub next_event_id: u64,
    pub bump: u8,
    #[max_len(MAX_MEMBERS)]
    pub members: Vec<Member>,
}

impl Organizer {
    /// Account size including the discriminator; allocated once at the maximum member count.
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

    pub fn admin_count(&self) -> usize {
        self.members
            .iter()
            .filter(|m| m.permissions & permission::ADMIN != 0)
            .count()
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
        Ok(())
    }
}
