use anchor_lang::prelude::*;

use crate::errors::BitTicketError;
use crate::events::EventConfigured;
use crate::state::{permission, Event, EventConfig, Organizer};

/// An event manager changes an event before its sale starts (by the clock). Once the
/// organizer needs proposals, a manager alone changes only the name and the URI: the
/// price, the supply, the per-wallet limit and the windows need an `UpdateEvent`
/// proposal, which also approves the terms. Where the manager's key governs alone, an
/// update approves the terms it sets.
#[derive(Accounts)]
pub struct UpdateEvent<'info> {
    pub organizer: Account<'info, Organizer>,
    #[account(mut, has_one = organizer)]
    pub event: Account<'info, Event>,
    pub manager: Signer<'info>,
}

impl UpdateEvent<'_> {
    fn validate(&self, config: &EventConfig) -> Result<()> {
        self.organizer
            .require_permission(&self.manager.key(), permission::EVENT_MANAGER)?;
        require!(
            !self.organizer.needs_proposals() || !self.event.config.terms_differ(config),
            BitTicketError::MultisigRequired
        );
        Ok(())
    }
}

pub fn handler(ctx: Context<UpdateEvent>, config: EventConfig) -> Result<()> {
    ctx.accounts.validate(&config)?;
    let approves = !ctx.accounts.organizer.needs_proposals();
    let event = &mut ctx.accounts.event;
    event.update(config, Clock::get()?.unix_timestamp)?;
    event.approved |= approves;
    event.invariant()?;
    emit!(EventConfigured::from_event(event, event.key()));
    Ok(())
}
