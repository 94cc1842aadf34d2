use anchor_lang::prelude::*;

use crate::errors::BitTicketError;
use crate::events::EventCancelled;
use crate::state::{permission, Event, Organizer};

/// An event manager cancels an event. Once the organizer needs proposals and the sale has
/// started, cancelling needs a `CancelEvent` proposal: it decides where proceeds go.
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
        require!(
            !self.organizer.needs_proposals() || now < self.event.config.sale_start,
            BitTicketError::MultisigRequired
        );
        Ok(())
    }
}

/// Irreversible: sales, transfers and check-in stop; holders may claim refunds for
/// `REFUND_PERIOD`.
pub fn handler(ctx: Context<CancelEvent>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    ctx.accounts.validate(now)?;
    let event = &mut ctx.accounts.event;
    event.cancel(now)?;
    event.invariant()?;
    emit!(EventCancelled {
        event: event.key(),
        by: ctx.accounts.manager.key(),
        at: now,
    });
    Ok(())
}
