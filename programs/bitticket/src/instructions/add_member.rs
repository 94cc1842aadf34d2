use anchor_lang::prelude::*;

use crate::constants::MAX_MEMBERS;
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
        require!(
            permissions != 0 && permissions & !permission::ALL == 0,
            BitTicketError::InvalidPermissions
        );
        require!(
            permissions & permission::MULTISIG == 0,
            BitTicketError::MultisigRoleNeedsProposal
        );
        require!(
            self.organizer.permissions_of(member).is_none(),
            BitTicketError::MemberAlreadyExists
        );
        require!(
            self.organizer.members.len() < MAX_MEMBERS,
            BitTicketError::TooManyMembers
        );
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
