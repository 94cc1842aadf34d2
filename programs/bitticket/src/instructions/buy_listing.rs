use anchor_lang::prelude::*;
use anchor_lang::system_program::{self, Transfer};
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::TokenAccount;
use anchor_spl::token_interface::TokenInterface;

use crate::currency;
use crate::errors::BitTicketError;
use crate::events::ListingSold;
use crate::frozen::{Frozen, MovedBy};
use crate::state::{Event, Listing, Shard, Ticket};

/// A buyer takes a standing listing in one instruction: the listing's price (at most the
/// buyer's signed `max_price`) minus the event's royalty goes to the seller, the royalty
/// to the shard that sold the ticket (the event's proceeds, so refunds and sweeps count
/// it), and the ticket moves, still frozen, to the buyer's account; the listing closes,
/// its rent back to the seller.
///
/// The shard, the ticket and the listing are bound by what they hold rather than by
/// deriving their addresses again (1,500 CU a derivation): each is owned by this program
/// with its discriminator, and the program creates each only at its PDA (a shard per event
/// and index, a ticket per mint, a listing per ticket), so `has_one` and the index check
/// name exactly one account each. The seller's token account is any of the seller's for
/// the mint (it must hold the ticket); the buyer's is its associated account.
#[derive(Accounts)]
pub struct BuyListing<'info> {
    #[account(mut)]
    pub buyer: Signer<'info>,
    /// CHECK: the listing's seller (`has_one`), who is paid and gets its rent back.
    #[account(mut)]
    pub seller: UncheckedAccount<'info>,
    pub event: Box<Account<'info, Event>>,
    /// The shard that sold the ticket, which keeps the royalty.
    // raw constraints rather than `has_one`, which would make the IDL resolve the event
    // from the shard (and the mint from the ticket) where a client derives them the other
    // way round
    #[account(
        mut,
        constraint = shard.event == event.key() @ BitTicketError::EventMismatch,
        constraint = shard.index == ticket.shard_index @ BitTicketError::InvalidShardIndex
    )]
    pub shard: Box<Account<'info, Shard>>,
    #[account(
        mut,
        has_one = event,
        constraint = ticket.mint == mint.key() @ BitTicketError::TicketMintMismatch
    )]
    pub ticket: Box<Account<'info, Ticket>>,
    /// The ticket's mint (`ticket.mint`): only its address is read here, and Token-2022
    /// checks it against both token accounts when it moves the ticket (decoding it, with
    /// its metadata, would cost about a thousand CU for nothing).
    /// CHECK: the checks are the ones described above.
    pub mint: UncheckedAccount<'info>,
    #[account(
        mut,
        has_one = seller,
        has_one = event,
        has_one = ticket,
        close = seller
    )]
    pub listing: Box<Account<'info, Listing>>,
    #[account(
        mut,
        token::mint = mint,
        token::authority = seller,
        token::token_program = token_program
    )]
    pub seller_token: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The buyer's token account for the ticket. When none exists yet it is created here as
    /// the buyer's associated account (the Associated Token program derives that address
    /// itself and refuses any other); an existing one is any Token-2022 account of the
    /// buyer for this mint, as the seller's, checked by its owner program, mint and owner
    /// (deriving the associated address again would cost 1,500 CU per bump tried).
    /// CHECK: the checks are the ones described above.
    #[account(mut)]
    pub buyer_token: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token2022>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
    /// For a ticket priced in an SPL mint, the price moves in it: the mint, the buyer's
    /// token account it is paid from, the seller's it is paid into, the shard's till that
    /// keeps the royalty, and the mint's token program.
    /// CHECK: `currency::tokens`.
    pub currency_mint: Option<UncheckedAccount<'info>>,
    /// CHECK: `TransferChecked` checks that the buyer signs for it and its mint.
    #[account(mut)]
    pub buyer_currency: Option<UncheckedAccount<'info>>,
    /// CHECK: `Tokens::require_account_of` (the seller's, in the currency).
    #[account(mut)]
    pub seller_currency: Option<UncheckedAccount<'info>>,
    /// CHECK: `Tokens::require_account_of` (the shard's, in the currency).
    #[account(mut)]
    pub till: Option<UncheckedAccount<'info>>,
    pub currency_program: Option<Interface<'info, TokenInterface>>,
}

impl BuyListing<'_> {
    fn validate(&self, max_price: u64, now: i64) -> Result<()> {
        require!(
            self.buyer.key() != self.seller.key(),
            BitTicketError::OwnListing
        );
        self.event.require_resale_open(now)?;
        require!(
            self.listing.stands(&self.event, &self.ticket),
            BitTicketError::ListingVoid
        );
        self.ticket
            .require_held_by(self.seller.key, &self.seller_token)?;
        if !self.buyer_token.data_is_empty() {
            crate::frozen::require_ticket_account(
                &self.buyer_token,
                self.mint.key,
                self.buyer.key,
            )?;
        }
        self.listing.invariant(&self.event, &self.ticket)?;
        require!(
            self.listing.price <= max_price,
            BitTicketError::PriceAboveMaximum
        );
        Ok(())
    }
}

pub fn handler(ctx: Context<BuyListing>, max_price: u64) -> Result<()> {
    ctx.accounts
        .validate(max_price, Clock::get()?.unix_timestamp)?;
    let a = ctx.accounts;
    let price = a.listing.price;
    let royalty = a.event.resale.royalty(price);
    let to_seller = price.checked_sub(royalty).ok_or(BitTicketError::Overflow)?;
    let tokens = currency::tokens(
        &a.shard.currency,
        a.currency_mint.as_deref(),
        a.currency_program.as_ref(),
        &[
            a.buyer_currency.is_some(),
            a.seller_currency.is_some(),
            a.till.is_some(),
        ],
    )?;
    match (&tokens, &a.buyer_currency, &a.seller_currency, &a.till) {
        (Some(tokens), Some(from), Some(seller), Some(till)) => {
            tokens.require_account_of(seller, a.seller.key)?;
            tokens.require_account_of(till, &a.shard.key())?;
            let buyer = a.buyer.as_ref();
            tokens.transfer(from, seller, buyer, to_seller, &[])?;
            tokens.transfer(from, till, buyer, royalty, &[])?;
        }
        _ => {
            let system = a.system_program.key();
            pay(system, &a.buyer, a.seller.to_account_info(), to_seller)?;
            pay(system, &a.buyer, a.shard.to_account_info(), royalty)?;
        }
    }

    if a.buyer_token.data_is_empty() {
        crate::cpi::create_associated_token_account(
            a.buyer.as_ref(),
            a.buyer_token.as_ref(),
            a.buyer.as_ref(),
            a.mint.as_ref(),
            a.system_program.as_ref(),
            a.token_program.as_ref(),
        )?;
    }
    let event = &a.event;
    // the event PDA moves the ticket as the delegate the seller approved when listing
    event.with_signer(|signer| {
        Frozen {
            program: a.token_program.key(),
            mint: a.mint.to_account_info(),
            event: event.to_account_info(),
            signer,
        }
        .move_ticket(
            a.seller_token.to_account_info(),
            a.buyer_token.to_account_info(),
            MovedBy::EventAsDelegate,
        )
    })?;

    let lamports = a.shard.to_account_info().lamports();
    let shard = &mut a.shard;
    shard.revenue = shard
        .revenue
        .checked_add(royalty)
        .ok_or(BitTicketError::Overflow)?;
    shard.invariant(lamports)?;

    let ticket = &mut a.ticket;
    ticket.holder = a.buyer.key();
    ticket.invariant()?;
    emit!(ListingSold {
        event: event.key(),
        ticket: ticket.key(),
        listing: a.listing.key(),
        mint: ticket.mint,
        seller: a.seller.key(),
        buyer: ticket.holder,
        shard: shard.key(),
        price,
        royalty,
    });
    Ok(())
}

/// `amount` lamports from the buyer to `to` through the System program (nothing for zero).
fn pay<'info>(
    system: Pubkey,
    buyer: &Signer<'info>,
    to: AccountInfo<'info>,
    amount: u64,
) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    system_program::transfer(
        CpiContext::new(
            system,
            Transfer {
                from: buyer.to_account_info(),
                to,
            },
        ),
        amount,
    )
}
