use anchor_lang::prelude::*;

use crate::errors::BitTicketError;
use crate::events::EventPauseChanged;
use crate::state::{permission, Event, Organizer};

#[derive(Accounts)]
pub struct SetPaused<'info> {
    pub organizer: Account<'info, Organizer>,
    #[account(mut, has_one = organizer)]
    pub event: Account<'info, Event>,
    pub manager: Signer<'info>,
}

impl SetPaused<'_> {
    fn validate(&self, paused: bool) -> Result<()> {
        self.organizer
            .require_permission(&self.manager.key(), permission::EVENT_MANAGER)?;
        require!(!self.event.cancelled, BitTicketError::EventCancelled);
        require!(
            self.event.paused != paused,
            BitTicketError::PauseStateUnchanged
        );
        Ok(())
    }
}

/// Pause (true) or resume (false) sales.
pub fn handler(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
    ctx.accounts.validate(paused)?;
    let event = &mut ctx.accounts.event;
    event.paused = paused;
    event.invariant()?;
    emit!(EventPauseChanged {
        event: event.key(),
        paused,
        by: ctx.accounts.manager.key(),
    });
    Ok(())
}
