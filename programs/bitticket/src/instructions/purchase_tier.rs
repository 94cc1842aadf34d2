use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token_2022::Token2022;

use crate::allow_list;
use crate::constants::{MAX_PROOF_LEN, SOL_CURRENCY};
use crate::errors::BitTicketError;
use crate::events::TicketPurchased;
use crate::instructions::purchase::{
    count_in_shard, issue_ticket, require_mint_is_not_buyer, stored_buyer_head, ticket_accounts,
    TicketAccounts, TicketBumps, TicketSold,
};
use crate::state::{BuyerRecordHead, EventHead, Phase, Shard, TierHead, TierPurchases};

/// The buyer signs their own purchase of a ticket of one of the event's tiers priced in
/// SOL, in the phase open now, at that phase's price, within the event's, the tier's and
/// the phase's wallet limits, and on the phase's allow-list when it has one (`proof`).
/// Write set as `purchase`: the buyer, one shard of the tier, the buyer's record and the
/// accounts created for the ticket; the event and the tier are only read. A tier priced
/// in an SPL mint sells through `purchase_tier_token`.
#[derive(Accounts)]
pub struct PurchaseTier<'info> {
    #[account(mut)]
    pub buyer: Signer<'info>,
    /// An Event of this program, read as its fixed-size head (owner and discriminator).
    /// CHECK: the checks are the ones described above.
    pub event: UncheckedAccount<'info>,
    /// A Tier exists only where create_tier made it, at its canonical PDA: owner,
    /// discriminator and its event prove it is this event's (`TierHead::load`, which
    /// reads what a purchase needs without decoding the name or the phases' vector).
    /// CHECK: the checks are the ones described above.
    pub tier: UncheckedAccount<'info>,
    /// One of the tier's shards (its `tier` is checked by `next_serial`), read as in
    /// `purchase` (`Shard::load_for_sale`).
    /// CHECK: the checks are the ones described in `purchase`.
    #[account(mut)]
    pub shard: UncheckedAccount<'info>,
    /// The buyer's record ["buyer", event, buyer], as in `purchase`.
    /// CHECK: the checks are the ones described in `purchase`.
    #[account(mut)]
    pub buyer_record: UncheckedAccount<'info>,
    #[account(mut)]
    pub mint: Signer<'info>,
    /// CHECK: created by the Associated Token program, as in `purchase`.
    #[account(mut)]
    pub buyer_token: UncheckedAccount<'info>,
    /// CHECK: the ticket ["ticket", mint], created here as in `purchase`.
    #[account(mut)]
    pub ticket: UncheckedAccount<'info>,
    /// Token-2022, the program of every ticket's mint.
    pub token_program: Program<'info, Token2022>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
}

/// The phase open now, after every rule of the sale; returns it with its index and the
/// serial the ticket gets.
#[allow(clippy::too_many_arguments)]
fn validate(
    t: &TicketAccounts,
    tier: &TierHead,
    shard: &Shard,
    event: &EventHead,
    now: i64,
    purchased: u16,
    mine: &TierPurchases,
    max_price: u64,
    proof: &[[u8; 32]],
) -> Result<(u8, Phase, u32)> {
    require_mint_is_not_buyer(t.mint, t.buyer)?;
    require!(!event.cancelled, BitTicketError::EventCancelled);
    require!(event.approved, BitTicketError::EventNotApproved);
    require!(!event.paused, BitTicketError::SalePaused);
    require!(now >= event.sale_start, BitTicketError::SaleNotStarted);
    require!(now < event.sale_end, BitTicketError::SaleEnded);
    let (index, phase) = tier.phase_at(now)?;
    // the buyer signed for at most this: a price raised in front of them is refused
    require!(phase.price <= max_price, BitTicketError::PriceAboveMaximum);
    if phase.is_allow_listed() {
        require!(
            proof.len() <= usize::from(MAX_PROOF_LEN),
            BitTicketError::ProofTooLong
        );
        let leaf = allow_list::leaf(t.event.key, tier.index, index, t.buyer.key);
        require!(
            allow_list::verify(&phase.allow_list, leaf, proof),
            BitTicketError::NotAllowListed
        );
    }
    let serial = shard.next_serial(&tier.sale())?;
    require!(
        purchased < event.max_per_wallet,
        BitTicketError::WalletLimitReached
    );
    require!(
        mine.bought < tier.max_per_wallet,
        BitTicketError::TierLimitReached
    );
    require!(
        mine.in_phase(index) < phase.max_per_wallet,
        BitTicketError::PhaseLimitReached
    );
    Ok((index, *phase, serial))
}

/// Sells one ticket of `tier` through `shard` (every rule of the sale, the ticket issued,
/// the shard's books and the buyer's record written, the purchase emitted); the price
/// moves with the ticket's lamports for a SOL tier (`in_lamports`), and is left to the
/// caller's token transfer otherwise. Returns the price.
pub(crate) fn sell_tier<'info>(
    t: &TicketAccounts<'_, 'info>,
    tier: &TierHead,
    shard_info: &AccountInfo<'info>,
    bumps: TicketBumps,
    max_price: u64,
    proof: &[[u8; 32]],
    in_lamports: bool,
) -> Result<u64> {
    let now = Clock::get()?.unix_timestamp;
    let event = EventHead::load(t.event)?;
    let mut shard = Shard::load_for_sale(shard_info, t.event.key)?;
    // the record's head and this tier's counts, read alone (`BuyerRecordHead`)
    let stored = stored_buyer_head(t.buyer_record, t.event.key, t.buyer.key)?;
    let mut mine = match stored {
        Some(_) => BuyerRecordHead::tier_counts(&t.buyer_record.try_borrow_data()?, tier.index)?,
        None => TierPurchases::default(),
    };
    let purchased = stored.as_ref().map_or(0, |r| r.purchased);
    let (phase_index, phase, serial) = validate(
        t, tier, &shard, &event, now, purchased, &mine, max_price, proof,
    )?;
    let sale = tier.sale();
    issue_ticket(
        t,
        shard_info,
        &event,
        bumps,
        stored.is_some(),
        TicketSold {
            serial,
            price: phase.price,
            lamports: if in_lamports { phase.price } else { 0 },
            shard_index: shard.index,
            tier: tier.index,
        },
    )?;
    count_in_shard(shard_info, &mut shard, phase.price, &sale)?;
    let mut head = stored
        .unwrap_or_else(|| BuyerRecordHead::new(t.event.key(), t.buyer.key(), bumps.buyer_record));
    head.purchased = purchased.checked_add(1).ok_or(BitTicketError::Overflow)?;
    mine.record(phase_index)?;
    require!(
        mine.bought <= tier.max_per_wallet && mine.in_phase <= phase.max_per_wallet,
        BitTicketError::TierLimitReached
    );
    head.write_with_tier(
        &mut t.buyer_record.try_borrow_mut_data()?,
        tier.index,
        &mine,
        event.max_per_wallet,
    )?;

    TicketPurchased {
        event: t.event.key(),
        shard: shard_info.key(),
        ticket: t.ticket.key(),
        mint: t.mint.key(),
        buyer: t.buyer.key(),
        serial,
        price_lamports: phase.price,
        shard_sold: shard.sold,
        shard_revenue: shard.revenue,
        tier: tier.index,
        phase: phase_index,
    }
    .emit();
    Ok(phase.price)
}

pub fn handler(
    ctx: Context<PurchaseTier>,
    bumps: TicketBumps,
    max_price: u64,
    proof: Vec<[u8; 32]>,
) -> Result<()> {
    let a = ctx.accounts;
    let tier = TierHead::load(&a.tier, a.event.key)?;
    require_keys_eq!(
        tier.currency,
        SOL_CURRENCY,
        BitTicketError::CurrencyMismatch
    );
    sell_tier(
        &ticket_accounts!(a),
        &tier,
        &a.shard,
        bumps,
        max_price,
        &proof,
        true,
    )?;
    Ok(())
}
