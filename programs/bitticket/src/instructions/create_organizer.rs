use anchor_lang::prelude::*;
use anchor_lang::system_program;

use crate::constants::{ACCOUNT_VERSION, SEED_ORGANIZER, SEED_VAULT};
use crate::events::OrganizerCreated;
use crate::state::{permission, Member, Organizer};

#[derive(Accounts)]
#[instruction(organizer_id: u64)]
pub struct CreateOrganizer<'info> {
    #[account(
        init,
        payer = creator,
        space = Organizer::SIZE,
        seeds = [SEED_ORGANIZER, creator.key().as_ref(), &organizer_id.to_le_bytes()],
        bump
    )]
    pub organizer: Account<'info, Organizer>,
    /// The organizer's SOL vault, funded here with its rent-exempt minimum so that any
    /// amount swept or deposited later can land in it.
    #[account(mut, seeds = [SEED_VAULT, organizer.key().as_ref()], bump)]
    pub vault: SystemAccount<'info>,
    #[account(mut)]
    pub creator: Signer<'info>,
    pub system_program: Program<'info, System>,
}

/// The creator becomes the organizer's first member, holding every role, with a
/// 1-of-1 threshold and no time-lock; proposals add members and raise both.
pub fn handler(ctx: Context<CreateOrganizer>, organizer_id: u64) -> Result<()> {
    let organizer = &mut ctx.accounts.organizer;
    let creator = ctx.accounts.creator.key();
    organizer.version = ACCOUNT_VERSION;
    organizer.creator = creator;
    organizer.organizer_id = organizer_id;
    organizer.next_event_id = 0;
    organizer.bump = ctx.bumps.organizer;
    organizer.vault_bump = ctx.bumps.vault;
    organizer.threshold = 1;
    organizer.time_lock = 0;
    organizer.transaction_index = 0;
    organizer.stale_transaction_index = 0;
    organizer.spending_limits = vec![];
    organizer.outflow_caps = vec![];
    organizer.members = vec![Member {
        key: creator,
        permissions: permission::ALL,
    }];
    organizer.invariant()?;
    crate::rent::return_surplus(
        &organizer.to_account_info(),
        &ctx.accounts.creator.to_account_info(),
        Organizer::SIZE,
    )?;

    // A sweep of less than the rent-exempt minimum into an empty vault would otherwise
    // fail (`InsufficientFundsForRent`); vault outflows keep this reserve.
    let vault = &ctx.accounts.vault;
    let reserve = crate::vault::vault_reserve()?;
    if let Some(top_up) = reserve.checked_sub(vault.lamports()).filter(|l| *l > 0) {
        system_program::transfer(
            CpiContext::new(
                ctx.accounts.system_program.key(),
                system_program::Transfer {
                    from: ctx.accounts.creator.to_account_info(),
                    to: vault.to_account_info(),
                },
            ),
            top_up,
        )?;
    }
    emit!(OrganizerCreated {
        organizer: organizer.key(),
        creator,
        organizer_id,
    });
    Ok(())
}
