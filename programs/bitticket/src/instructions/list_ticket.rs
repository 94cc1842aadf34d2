use anchor_lang::prelude::*;
use anchor_spl::token_2022::{self as token, Approve, Token2022};
use anchor_spl::token_interface::TokenAccount;

use crate::constants::{ACCOUNT_VERSION, SEED_LISTING, SEED_TICKET};
use crate::errors::BitTicketError;
use crate::events::TicketListed;
use crate::frozen::Frozen;
use crate::state::{Event, Listing, Ticket};

/// The holder offers a ticket on the event's resale market at `price` lamports, at most
/// the event's cap for it (`ResaleTerms::cap` of its face value). The ticket stays frozen
/// in the holder's account; the event PDA, its freeze authority, becomes its delegate for
/// that one token, which only `buy_listing` uses, and only while this listing stands.
/// One listing per ticket: a void one is closed first (`delist_ticket`, by anyone).
#[derive(Accounts)]
pub struct ListTicket<'info> {
    #[account(mut)]
    pub seller: Signer<'info>,
    pub event: Box<Account<'info, Event>>,
    #[account(
        seeds = [SEED_TICKET, mint.key().as_ref()],
        bump = ticket.bump,
        has_one = event
    )]
    pub ticket: Box<Account<'info, Ticket>>,
    /// The ticket's mint, named by the ticket's seeds: only its address is read here, and
    /// Token-2022 checks it against the token accounts (decoding it, with its metadata,
    /// would cost about a thousand CU for nothing).
    /// CHECK: the checks are the ones described above.
    pub mint: UncheckedAccount<'info>,
    #[account(
        mut,
        associated_token::mint = mint,
        associated_token::authority = seller,
        associated_token::token_program = token_program
    )]
    pub seller_token: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        init,
        payer = seller,
        space = Listing::SIZE,
        seeds = [SEED_LISTING, ticket.key().as_ref()],
        bump
    )]
    pub listing: Box<Account<'info, Listing>>,
    pub token_program: Program<'info, Token2022>,
    pub system_program: Program<'info, System>,
}

impl ListTicket<'_> {
    fn validate(&self, price: u64, now: i64) -> Result<()> {
        self.event.require_resale_open(now)?;
        self.ticket.require_valid()?;
        self.ticket
            .require_held_by(self.seller.key, &self.seller_token)?;
        require!(
            price <= self.event.resale.cap(self.ticket.price_paid)?,
            BitTicketError::AboveResaleCap
        );
        Ok(())
    }
}

pub fn handler(ctx: Context<ListTicket>, price: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    ctx.accounts.validate(price, now)?;
    let a = ctx.accounts;
    let event = &a.event;
    let program = a.token_program.key();
    event.with_signer(|signer| -> Result<()> {
        let frozen = Frozen {
            program,
            mint: a.mint.to_account_info(),
            event: event.to_account_info(),
            signer,
        };
        frozen.thaw(a.seller_token.to_account_info())?;
        token::approve(
            CpiContext::new(
                program,
                Approve {
                    to: a.seller_token.to_account_info(),
                    delegate: event.to_account_info(),
                    authority: a.seller.to_account_info(),
                },
            ),
            1,
        )?;
        frozen.freeze(a.seller_token.to_account_info())
    })?;

    crate::rent::return_surplus(
        &a.listing.to_account_info(),
        &a.seller.to_account_info(),
        Listing::SIZE,
    )?;
    let listing = &mut a.listing;
    listing.version = ACCOUNT_VERSION;
    listing.event = event.key();
    listing.ticket = a.ticket.key();
    listing.mint = a.mint.key();
    listing.seller = a.seller.key();
    listing.price = price;
    listing.listed_at = now;
    listing.bump = ctx.bumps.listing;
    listing.invariant(event, &a.ticket)?;
    emit!(TicketListed {
        event: listing.event,
        ticket: listing.ticket,
        listing: listing.key(),
        mint: listing.mint,
        seller: listing.seller,
        price,
    });
    Ok(())
}
