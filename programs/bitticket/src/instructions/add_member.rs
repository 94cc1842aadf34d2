use anchor_lang::prelude::*;

use crate::errors::BitTicketError;
use crate::events::MemberAdded;
use crate::state::{permission, Member, Organizer};

/// An admin alone adds a member with roles that cannot move, lock or redirect money
/// (`Organizer::roles_needing_proposal`); any other role needs an `AddMember` proposal.
#[derive(Accounts)]
pub struct AddMember<'info> {
    #[account(mut)]
    pub organizer: Account<'info, Organizer>,
    pub admin: Signer<'info>,
}

impl AddMember<'_> {
    fn validate(&self, permissions: u8) -> Result<()> {
        let organizer = &self.organizer;
        organizer.require_permission(&self.admin.key(), permission::ADMIN)?;
        require!(
            permissions & organizer.roles_needing_proposal() == 0,
            BitTicketError::MultisigRoleNeedsProposal
        );
        Ok(())
    }
}

pub fn handler(ctx: Context<AddMember>, member: Pubkey, permissions: u8) -> Result<()> {
    ctx.accounts.validate(permissions)?;
    let organizer = &mut ctx.accounts.organizer;
    organizer.add_member(
        Member {
            key: member,
            permissions,
        },
        false,
    )?;
    organizer.invariant()?;
    emit!(MemberAdded {
        organizer: organizer.key(),
        member,
        permissions,
        by: ctx.accounts.admin.key(),
    });
    Ok(())
}
