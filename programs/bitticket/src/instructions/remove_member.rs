use anchor_lang::prelude::*;

use crate::errors::BitTicketError;
use crate::events::MemberRemoved;
use crate::state::{permission, Organizer};

/// An admin alone removes a member holding none of the roles only a proposal may revoke
/// (`Organizer::roles_needing_proposal`), and, once the organizer needs proposals, never
/// the last gatekeeper. Spending limits are the multisig's: this does
/// not touch them.
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
            removed & organizer.roles_needing_proposal() == 0,
            BitTicketError::MultisigRoleNeedsProposal
        );
        // once the organizer needs proposals, one admin cannot close the door: the last
        // gatekeeper goes only by proposal (or after another is added)
        require!(
            !organizer.needs_proposals()
                || removed & permission::GATEKEEPER == 0
                || organizer.count_with(permission::GATEKEEPER) > 1,
            BitTicketError::LastGatekeeper
        );
        Ok(())
    }
}

pub fn handler(ctx: Context<RemoveMember>, member: Pubkey) -> Result<()> {
    ctx.accounts.validate(&member)?;
    let organizer = &mut ctx.accounts.organizer;
    organizer.remove_member(&member)?;
    organizer.invariant()?;
    emit!(MemberRemoved {
        organizer: organizer.key(),
        member,
        by: ctx.accounts.admin.key(),
    });
    Ok(())
}
