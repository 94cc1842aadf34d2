use anchor_lang::prelude::*;

use crate::errors::BitTicketError;
use crate::events::MemberAdded;
use crate::state::{permission, Member, Organizer};

#[derive(Accounts)]
pub struct AddMember<'info> {
    #[account(mut)]
    pub organizer: Account<'info, Organizer>,
    pub admin: Signer<'info>,
}

impl AddMember<'_> {
    fn validate(&self, member: &Pubkey, permissions: u8) -> Result<()> {
        self.organizer
            .require_permission(&self.admin.key(), permission::ADMIN)?;
        permission::validate(permissions)?;
        require!(
            permissions & permission::MULTISIG == 0,
            BitTicketError::MultisigRoleNeedsProposal
        );
        self.organizer.require_room_for(member)?;
        Ok(())
    }
}

pub fn handler(ctx: Context<AddMember>, member: Pubkey, permissions: u8) -> Result<()> {
    ctx.accounts.validate(&member, permissions)?;
    let organizer = &mut ctx.accounts.organizer;
    organizer.members.push(Member {
        key: member,
        permissions,
    });
    organizer.invariant()?;
    emit!(MemberAdded {
        organizer: organizer.key(),
        member,
        permissions,
        by: ctx.accounts.admin.key(),
    });
    Ok(())
}
