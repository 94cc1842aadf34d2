use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token::Token;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::allow_list;
use crate::constants::MAX_PROOF_LEN;
use crate::currency;
use crate::errors::BitTicketError;
use crate::events::TicketPurchased;
use crate::instructions::purchase::{
    count_in_shard, issue_ticket, require_mint_is_not_buyer, stored_buyer_record, ticket_accounts,
    write_buyer_record, TicketBumps, TicketSold,
};
use crate::state::{BuyerRecord, EventHead, Phase, Shard, Tier};

/// The buyer signs their own purchase of a ticket of one of the event's tiers, in the
/// phase open now, at that phase's price, within the event's, the tier's and the phase's
/// wallet limits, and on the phase's allow-list when it has one (`proof`). Write set as
/// `purchase`: the buyer, one shard of the tier, the buyer's record and the accounts
/// created for the ticket; the event and the tier are only read. A tier priced in an SPL
/// mint takes the price from the buyer's token account into the shard's till with
/// `transfer_checked` (the four `currency` accounts, which a SOL tier leaves out; then the
/// buyer's and the till's token accounts are written too).
#[derive(Accounts)]
pub struct PurchaseTier<'info> {
    #[account(mut)]
    pub buyer: Signer<'info>,
    /// An Event of this program, read as its fixed-size head (owner and discriminator).
    /// CHECK: the checks are the ones described above.
    pub event: UncheckedAccount<'info>,
    /// A Tier exists only where create_tier made it, at its canonical PDA: owner,
    /// discriminator and its event prove it is this event's.
    #[account(has_one = event)]
    pub tier: Account<'info, Tier>,
    /// One of the tier's shards (its `tier` is checked by `next_serial`).
    #[account(mut, dup, has_one = event)]
    pub shard: Account<'info, Shard>,
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
    pub token_program: Program<'info, Token>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
    /// The tier's currency mint, for a token price.
    pub currency_mint: Option<Box<InterfaceAccount<'info, Mint>>>,
    /// The buyer's token account it is paid from (`transfer_checked` checks the buyer
    /// signs for it and its mint).
    #[account(mut)]
    pub buyer_currency: Option<Box<InterfaceAccount<'info, TokenAccount>>>,
    /// A token account of the shard in the currency (clients use its associated one).
    #[account(mut)]
    pub till: Option<Box<InterfaceAccount<'info, TokenAccount>>>,
    /// The currency mint's token program (SPL Token or Token-2022).
    pub currency_program: Option<Interface<'info, TokenInterface>>,
}

impl PurchaseTier<'_> {
    /// The phase open now, after every rule of the sale; returns it with its index and the
    /// serial the ticket gets.
    fn validate(
        &self,
        event: &EventHead,
        now: i64,
        record: Option<&BuyerRecord>,
        max_price: u64,
        proof: &[[u8; 32]],
    ) -> Result<(u8, Phase, u32)> {
        require_mint_is_not_buyer(&self.mint, &self.buyer)?;
        require!(!event.cancelled, BitTicketError::EventCancelled);
        require!(event.approved, BitTicketError::EventNotApproved);
        require!(!event.paused, BitTicketError::SalePaused);
        require!(now >= event.sale_start, BitTicketError::SaleNotStarted);
        require!(now < event.sale_end, BitTicketError::SaleEnded);
        let tier = &self.tier;
        let (index, phase) = tier.config.phase_at(now)?;
        // the buyer signed for at most this: a price raised in front of them is refused
        require!(phase.price <= max_price, BitTicketError::PriceAboveMaximum);
        if phase.is_allow_listed() {
            require!(
                proof.len() <= usize::from(MAX_PROOF_LEN),
                BitTicketError::ProofTooLong
            );
            let leaf = allow_list::leaf(self.event.key, tier.index, index, self.buyer.key);
            require!(
                allow_list::verify(&phase.allow_list, leaf, proof),
                BitTicketError::NotAllowListed
            );
        }
        let serial = self.shard.next_serial(&tier.sale())?;
        let purchased = record.map_or(0, |r| r.purchased);
        require!(
            purchased < event.max_per_wallet,
            BitTicketError::WalletLimitReached
        );
        let mine = match record {
            Some(r) => *r
                .tiers
                .get(usize::from(tier.index))
                .ok_or(BitTicketError::InvalidTierIndex)?,
            None => Default::default(),
        };
        require!(
            mine.bought < tier.config.max_per_wallet,
            BitTicketError::TierLimitReached
        );
        require!(
            mine.in_phase(index) < phase.max_per_wallet,
            BitTicketError::PhaseLimitReached
        );
        Ok((index, *phase, serial))
    }
}

pub fn handler(
    ctx: Context<PurchaseTier>,
    bumps: TicketBumps,
    max_price: u64,
    proof: Vec<[u8; 32]>,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = ctx.accounts;
    let event = EventHead::load(&a.event)?;
    let stored = stored_buyer_record(&a.buyer_record, a.event.key, a.buyer.key)?;
    let (phase_index, phase, serial) =
        a.validate(&event, now, stored.as_ref(), max_price, &proof)?;
    let tier_index = a.tier.index;
    let sale = a.tier.sale();
    // the token side of the payment: `None` for a SOL tier
    let tokens = currency::tokens(
        &a.tier.currency,
        a.currency_mint.as_deref(),
        a.currency_program.as_ref(),
        &[a.buyer_currency.is_some(), a.till.is_some()],
    )?;
    issue_ticket(
        &ticket_accounts!(a),
        a.shard.as_ref(),
        &event,
        bumps,
        stored.is_some(),
        TicketSold {
            serial,
            price: phase.price,
            lamports: if tokens.is_some() { 0 } else { phase.price },
            shard_index: a.shard.index,
            tier: tier_index,
        },
    )?;
    if let (Some(tokens), Some(from), Some(till)) = (&tokens, &a.buyer_currency, &a.till) {
        currency::require_account_of(till, &a.shard.key(), tokens)?;
        tokens.transfer(from, till, a.buyer.to_account_info(), phase.price, &[])?;
    }
    count_in_shard(&mut a.shard, phase.price, &sale)?;
    let mut record = stored
        .unwrap_or_else(|| BuyerRecord::new(a.event.key(), a.buyer.key(), bumps.buyer_record));
    let mine = record
        .tiers
        .get_mut(usize::from(tier_index))
        .ok_or(BitTicketError::InvalidTierIndex)?;
    mine.record(phase_index)?;
    require!(
        mine.bought <= a.tier.config.max_per_wallet && mine.in_phase <= phase.max_per_wallet,
        BitTicketError::TierLimitReached
    );
    write_buyer_record(&a.buyer_record, record, event.max_per_wallet)?;

    emit!(TicketPurchased {
        event: a.event.key(),
        shard: a.shard.key(),
        ticket: a.ticket.key(),
        mint: a.mint.key(),
        buyer: a.buyer.key(),
        serial,
        price_lamports: phase.price,
        shard_sold: a.shard.sold,
        shard_revenue: a.shard.revenue,
        tier: tier_index,
        phase: phase_index,
    });
    Ok(())
}
