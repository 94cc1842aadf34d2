use anchor_lang::prelude::*;

use crate::errors::BitTicketError;
use crate::events::EventCancelled;
use crate::state::{permission, Event, Organizer};

#[derive(Accounts)]
pub struct CancelEvent<'info> {
    pub organizer: Account<'info, Organizer>,
    #[account(mut, has_one = organizer)]
    pub event: Account<'info, Event>,
    pub manager: Signer<'info>,
}

impl CancelEvent<'_> {
    fn validate(&self) -> Result<()> {
        self.organizer
            .require_permission(&self.manager.key(), permission::EVENT_MANAGER)?;
        require!(!self.event.cancelled, BitTicketError::EventCancelled);
        Ok(())
    }
}

/// Irreversible: sales, transfers and check-in stop; holders may claim refunds.
pub fn handler(ctx: Context<CancelEvent>) -> Result<()> {
    ctx.accounts.validate()?;
    let event = &mut ctx.accounts.event;
    event.cancelled = true;
    event.invariant()?;
    emit!(EventCancelled {
        event: event.key(),
        by: ctx.accounts.manager.key(),
    });
    Ok(())
}
