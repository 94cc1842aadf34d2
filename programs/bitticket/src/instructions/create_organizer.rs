use anchor_lang::prelude::*;
use anchor_lang::system_program;

use crate::constants::{ACCOUNT_VERSION, SEED_ORGANIZER, SEED_VAULT};
use crate::events::OrganizerCreated;
use crate::state::{permission, require_name, Member, Organizer};

/// An organizer's name and its multisig from the start: members beside the creator, the
/// approvals a proposal needs and the time-lock, all in the creating transaction (raising
/// them later takes a proposal each).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct OrganizerSetup {
    pub name: String,
    /// Members with their roles. The creator holds every role unless listed here with
    /// fewer; each key once.
    pub members: Vec<Member>,
    pub threshold: u16,
    pub time_lock: u32,
}

impl OrganizerSetup {
    /// The creator alone, every role, 1-of-1 with no time-lock.
    pub fn single(name: &str) -> Self {
        OrganizerSetup {
            name: name.to_string(),
            members: vec![],
            threshold: 1,
            time_lock: 0,
        }
    }
}

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

/// The creator becomes the organizer's first member (every role unless `setup` lists it
/// with fewer), then `setup`'s members, threshold and time-lock; the result must be
/// governable (`Organizer::invariant`).
pub fn handler(
    ctx: Context<CreateOrganizer>,
    organizer_id: u64,
    setup: OrganizerSetup,
) -> Result<()> {
    let organizer = &mut ctx.accounts.organizer;
    let creator = ctx.accounts.creator.key();
    organizer.version = ACCOUNT_VERSION;
    organizer.creator = creator;
    organizer.organizer_id = organizer_id;
    organizer.next_event_id = 0;
    organizer.bump = ctx.bumps.organizer;
    organizer.vault_bump = ctx.bumps.vault;
    require_name(&setup.name)?;
    organizer.name = setup.name;
    organizer.threshold = setup.threshold;
    organizer.time_lock = setup.time_lock;
    organizer.transaction_index = 0;
    organizer.stale_transaction_index = 0;
    organizer.spending_limits = vec![];
    organizer.outflow_caps = vec![];
    organizer.members = vec![];
    if !setup.members.iter().any(|m| m.key == creator) {
        organizer.add_member(
            Member {
                key: creator,
                permissions: permission::ALL,
            },
            true,
        )?;
    }
    for member in setup.members {
        organizer.add_member(member, true)?;
    }
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
