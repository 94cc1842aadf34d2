use anchor_lang::prelude::*;

use crate::errors::BitTicketError;
use crate::events::MemberRemoved;
use crate::state::{permission, Organizer};

#[derive(Accounts)]
pub struct RemoveMember<'info> {
    #[account(mut)]
    pub organizer: Account<'info, Organizer>,
    pub admin: Signer<'info>,
}

impl RemoveMember<'_> {
    fn validate(&self, member: &Pubkey) -> Result<()> {
        let organizer = &self.organizer;
        organizer.require_permission(&self.admin.key(), permission::ADMIN)?;
        let removed = organizer
            .permissions_of(member)
            .ok_or(BitTicketError::NotAMember)?;
        require!(
            removed & permission::MULTISIG == 0,
            BitTicketError::MultisigRoleNeedsProposal
        );
        require!(
            removed & permission::ADMIN == 0 || organizer.admin_count() > 1,
            BitTicketError::LastAdmin
        );
        Ok(())
    }
}

pub fn handler(ctx: Context<RemoveMember>, member: Pubkey) -> Result<()> {
    ctx.accounts.validate(&member)?;
    let organizer = &mut ctx.accounts.organizer;
    organizer.members.retain(|m| m.key != member);
    organizer.invariant()?;
    emit!(MemberRemoved {
        organizer: organizer.key(),
        member,
        by: ctx.accounts.admin.key(),
    });
    Ok(())
}
