use anchor_lang::prelude::*;

use crate::events::ResaleTermsSet;
use crate::instructions::create_tier::change_tiers;
use crate::state::{Event, Organizer, ResaleTerms};

/// An event manager sets how the event's tickets are resold: the market's cap (a share of
/// each ticket's face value; zero closes it), the organizer's royalty on each resale, and
/// whether tickets move only through the market. These are sale terms a buyer relies on,
/// so they change under the rules of the event's other terms: while those may change
/// (`Event::require_terms_open`), and where the organizer needs proposals only while they
/// await approval, the approving `UpdateEvent` proposal made after this change
/// (`TermsChangedSinceProposal`).
#[derive(Accounts)]
pub struct SetResaleTerms<'info> {
    pub organizer: Account<'info, Organizer>,
    #[account(mut, has_one = organizer)]
    pub event: Account<'info, Event>,
    pub manager: Signer<'info>,
}

pub fn handler(ctx: Context<SetResaleTerms>, terms: ResaleTerms) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = ctx.accounts;
    change_tiers(&a.organizer, &mut a.event, a.manager.key)?;
    a.event.require_terms_open(now)?;
    terms.validate()?;
    a.event.resale = terms;
    a.event.invariant()?;
    emit!(ResaleTermsSet {
        event: a.event.key(),
        terms,
    });
    Ok(())
}
