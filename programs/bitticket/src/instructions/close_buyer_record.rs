use anchor_lang::prelude::*;

use crate::constants::SEED_BUYER;
use crate::errors::BitTicketError;
use crate::events::BuyerRecordClosed;
use crate::state::{BuyerRecord, Event};

/// Anyone may crank it, as `close_proposal`: after the event (its check-in ended, or it
/// was cancelled) a buyer's record, which only counted their purchases against the wallet
/// limits, is closed and its rent goes back to the buyer, who paid it. Nothing can sell
/// then, so no limit is lost.
#[derive(Accounts)]
pub struct CloseBuyerRecord<'info> {
    pub event: Box<Account<'info, Event>>,
    #[account(
        mut,
        seeds = [SEED_BUYER, event.key().as_ref(), buyer.key().as_ref()],
        bump = buyer_record.bump,
        has_one = event,
        has_one = buyer @ BitTicketError::RentCollectorMismatch,
        close = buyer
    )]
    pub buyer_record: Box<Account<'info, BuyerRecord>>,
    /// Receives the rent; must be the record's buyer.
    /// CHECK: only receives lamports; the seeds and `has_one` above check its key.
    #[account(mut)]
    pub buyer: UncheckedAccount<'info>,
}

pub fn handler(ctx: Context<CloseBuyerRecord>) -> Result<()> {
    let a = ctx.accounts;
    let now = Clock::get()?.unix_timestamp;
    require!(
        a.event.cancelled || now >= a.event.config.check_in_end,
        BitTicketError::EventNotOver
    );
    emit!(BuyerRecordClosed {
        event: a.event.key(),
        buyer_record: a.buyer_record.key(),
        buyer: a.buyer.key(),
        rent: a.buyer_record.to_account_info().lamports(),
    });
    Ok(())
}
