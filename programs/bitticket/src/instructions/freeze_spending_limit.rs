use anchor_lang::prelude::*;

use crate::errors::BitTicketError;
use crate::events::SpendingLimitFreezeChanged;
use crate::state::{permission, Organizer};

/// The quick, restrict-only answer to a compromised spending-limit key: any admin or
/// finance member freezes a limit at once, and a frozen limit moves nothing. Only an
/// `UnfreezeSpendingLimit` proposal thaws it, so a single key can stop spending but never
/// start it.
#[derive(Accounts)]
pub struct FreezeSpendingLimit<'info> {
    #[account(mut)]
    pub organizer: Box<Account<'info, Organizer>>,
    pub member: Signer<'info>,
}

impl FreezeSpendingLimit<'_> {
    fn validate(&self) -> Result<()> {
        let have = self
            .organizer
            .permissions_of(&self.member.key())
            .ok_or(BitTicketError::NotAMember)?;
        require!(
            have & (permission::ADMIN | permission::FINANCE) != 0,
            BitTicketError::MissingPermission
        );
        Ok(())
    }
}

pub fn handler(ctx: Context<FreezeSpendingLimit>, limit_id: u8) -> Result<()> {
    ctx.accounts.validate()?;
    let organizer = &mut ctx.accounts.organizer;
    let limit = organizer.spending_limit_mut(limit_id)?;
    require!(!limit.frozen, BitTicketError::SpendingLimitFrozen);
    limit.frozen = true;
    organizer.invariant()?;
    emit!(SpendingLimitFreezeChanged {
        organizer: organizer.key(),
        limit_id,
        frozen: true,
        by: ctx.accounts.member.key(),
    });
    Ok(())
}
