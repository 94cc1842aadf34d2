use anchor_lang::prelude::*;

use crate::errors::BitTicketError;
use crate::events::EventConfigured;
use crate::state::{permission, Event, EventConfig, Organizer};

/// An event manager changes an event before its sale starts (by the clock). Once the
/// organizer is a multisig, a change of any window needs an `UpdateEvent` proposal.
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
            !self.organizer.is_multisig() || !self.event.config.windows_differ(config),
            BitTicketError::MultisigRequired
        );
        Ok(())
    }
}

pub fn handler(ctx: Context<UpdateEvent>, config: EventConfig) -> Result<()> {
    ctx.accounts.validate(&config)?;
    let event = &mut ctx.accounts.event;
    event.update(config, Clock::get()?.unix_timestamp)?;
    event.invariant()?;
    emit!(EventConfigured::from_event(event, event.key()));
    Ok(())
}
