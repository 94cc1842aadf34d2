use anchor_lang::prelude::*;

use crate::errors::BitTicketError;
use crate::events::EventConfigured;
use crate::state::{permission, Event, EventConfig, Organizer, Shard};

/// Remaining accounts: every opened shard of the event, in index order, so the program
/// can see that none has sold a ticket.
#[derive(Accounts)]
pub struct UpdateEvent<'info> {
    pub organizer: Account<'info, Organizer>,
    #[account(mut, has_one = organizer)]
    pub event: Account<'info, Event>,
    pub manager: Signer<'info>,
}

impl<'info> UpdateEvent<'info> {
    fn validate(&self, config: &EventConfig, shards: &'info [AccountInfo<'info>]) -> Result<()> {
        self.organizer
            .require_permission(&self.manager.key(), permission::EVENT_MANAGER)?;
        require!(!self.event.cancelled, BitTicketError::EventCancelled);
        config.validate()?;
        require!(
            config.supply >= u32::from(self.event.shard_count),
            BitTicketError::InvalidSupply
        );
        require!(
            shards.len() == usize::from(self.event.shards_opened),
            BitTicketError::ShardListMismatch
        );
        for (i, info) in shards.iter().enumerate() {
            // owner + discriminator checked here; event and index tie it to this event
            let shard = Account::<Shard>::try_from(info)?;
            require!(
                shard.event == self.event.key() && usize::from(shard.index) == i,
                BitTicketError::ShardListMismatch
            );
            require!(shard.sold == 0, BitTicketError::TicketsAlreadySold);
        }
        Ok(())
    }
}

pub fn handler<'info>(ctx: Context<'info, UpdateEvent<'info>>, config: EventConfig) -> Result<()> {
    ctx.accounts.validate(&config, ctx.remaining_accounts)?;
    let event = &mut ctx.accounts.event;
    event.config = config;
    event.invariant()?;
    emit!(EventConfigured::from_event(event, event.key()));
    Ok(())
}
