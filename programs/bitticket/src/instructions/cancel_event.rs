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
    fn validate(&self, now: i64) -> Result<()> {
        self.organizer
            .require_permission(&self.manager.key(), permission::EVENT_MANAGER)?;
        require!(!self.event.cancelled, BitTicketError::EventCancelled);
        // once the event is over its proceeds may be swept, so refunds could not be paid
        require!(
            now < self.event.config.check_in_end,
            BitTicketError::EventAlreadyHeld
        );
        Ok(())
    }
}

/// Irreversible: sales, transfers and check-in stop; holders may claim refunds.
pub fn handler(ctx: Context<CancelEvent>) -> Result<()> {
    ctx.accounts.validate(Clock::get()?.unix_timestamp)?;
    let event = &mut ctx.accounts.event;
    event.cancelled = true;
    event.invariant()?;
    emit!(EventCancelled {
        event: event.key(),
        by: ctx.accounts.manager.key(),
    });
    Ok(())
}
