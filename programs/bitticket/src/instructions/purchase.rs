use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token::{Mint, Token};

use crate::constants::{ACCOUNT_VERSION, SEED_BUYER, SEED_TICKET};
use crate::cpi;
use crate::errors::BitTicketError;
use crate::events::TicketPurchased;
use crate::lamports;
use crate::pda::create_pda;
use crate::rent::exempt_minimum;
use crate::state::{BuyerRecord, EventHead, Shard, Ticket, TicketState};

/// The buyer signs their own purchase. Write set: the buyer, the chosen shard, the
/// buyer's record for this event, and the accounts created for this ticket (mint, token
/// account, ticket). The event is only read, so no account is written by every purchase.
///
/// The hot path of a sale, so it skips work `init` would repeat: the client passes the
/// canonical bumps of the ticket and the buyer record (see `pda.rs`), and accounts that
/// only this program can have created are not re-derived.
#[derive(Accounts)]
pub struct Purchase<'info> {
    #[account(mut)]
    pub buyer: Signer<'info>,
    /// An Event of this program, read as its fixed-size head (`EventHead::load`
    /// checks owner and discriminator as `Account<Event>` would, without decoding the
    /// name and the URI).
    /// CHECK: the checks are the ones described above.
    pub event: UncheckedAccount<'info>,
    // No seeds check: a Shard exists only where open_shard created it, at its canonical
    // PDA. Owner and discriminator prove it is one, has_one ties it to this event, and
    // re-deriving its address would cost 1,500 CU for no further guarantee.
    //
    // `dup`: the shard is the only account here that Anchor serializes on exit, so its
    // duplicate-mutable-account check (a HashSet of the one key, hashed with SipHash) can
    // find nothing; the others are created at distinct PDAs or are signers, and a buyer
    // record or ticket address holding a Shard is refused by its discriminator.
    #[account(mut, dup, has_one = event)]
    pub shard: Account<'info, Shard>,
    /// The buyer's record ["buyer", event, buyer]. On a first purchase it is created
    /// here at that PDA with the canonical bump; afterwards it is read as a BuyerRecord
    /// (owner and discriminator) whose event and buyer must be these.
    /// CHECK: the checks are the ones described above.
    #[account(mut)]
    pub buyer_record: UncheckedAccount<'info>,
    /// A fresh keypair chosen by the client; it signs its own creation. An address that
    /// holds only lamports (someone sent them ahead) is adopted, and what it held above its
    /// rent goes back to the buyer; one with data or another owner is refused by the system
    /// program, so a mint is never reused.
    #[account(mut)]
    pub mint: Signer<'info>,
    /// Created by the Associated Token program, which derives this address from
    /// (buyer, mint, token program) itself and refuses any other.
    /// CHECK: the checks are the ones described above.
    #[account(mut)]
    pub buyer_token: UncheckedAccount<'info>,
    /// The ticket ["ticket", mint], created here with the canonical bump; the system
    /// program creates nothing at any other address (the program signs for this one).
    /// CHECK: the checks are the ones described above.
    #[account(mut)]
    pub ticket: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
}

/// Canonical bumps of the purchase's two PDAs, computed by the client
/// (`find_program_address`) and proven canonical on chain.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct TicketBumps {
    pub ticket: u8,
    pub buyer_record: u8,
}

impl Purchase<'_> {
    /// The buyer's stored record, or `None` before their first purchase of this event.
    fn stored_buyer_record(&self) -> Result<Option<BuyerRecord>> {
        let info = self.buyer_record.to_account_info();
        if info.owner != &crate::ID {
            return Ok(None);
        }
        let record = BuyerRecord::try_deserialize(&mut &info.try_borrow_data()?[..])?;
        require!(
            record.event == self.event.key() && record.buyer == self.buyer.key(),
            BitTicketError::BuyerRecordMismatch
        );
        Ok(Some(record))
    }

    fn validate(&self, event: &EventHead, now: i64, purchased: u16, max_price: u64) -> Result<u32> {
        // a client that leaves the mint out may fill it with the buyer's own key (both
        // sign); the buyer's wallet must never become the ticket's mint
        // (a fresh mint holds nothing: only then is the comparison needed, and the buyer,
        // who pays the fee, always holds something)
        require!(
            self.mint.lamports() == 0 || self.mint.key != self.buyer.key,
            BitTicketError::MintIsBuyer
        );
        require!(!event.cancelled, BitTicketError::EventCancelled);
        require!(event.approved, BitTicketError::EventNotApproved);
        // the buyer signed for at most this: a price raised in front of them is refused
        require!(
            event.price_lamports <= max_price,
            BitTicketError::PriceAboveMaximum
        );
        require!(!event.paused, BitTicketError::SalePaused);
        require!(now >= event.sale_start, BitTicketError::SaleNotStarted);
        require!(now < event.sale_end, BitTicketError::SaleEnded);
        let serial = self.shard.next_serial(event.shard_count)?;
        require!(serial < event.supply, BitTicketError::ShardSoldOut);
        require!(
            purchased < event.max_per_wallet,
            BitTicketError::WalletLimitReached
        );
        Ok(serial)
    }
}

pub fn handler(ctx: Context<Purchase>, bumps: TicketBumps, max_price: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = ctx.accounts;
    let event = EventHead::load(&a.event)?;
    let stored = a.stored_buyer_record()?;
    let purchased = stored.as_ref().map_or(0, |r| r.purchased);
    let serial = a.validate(&event, now, purchased, max_price)?;
    let event_key = a.event.key();
    let buyer_key = a.buyer.key();
    let mint_key = a.mint.key();
    let price = event.price_lamports;
    let rent = Rent::get()?;
    let buyer = a.buyer.to_account_info();

    // validation is done: create the accounts of this ticket
    let mut record = match stored {
        Some(record) => record,
        None => {
            create_pda(
                &buyer,
                &a.buyer_record,
                exempt_minimum(&rent, BuyerRecord::SIZE),
                BuyerRecord::SIZE,
                &[SEED_BUYER, event_key.as_ref(), buyer_key.as_ref()],
                bumps.buyer_record,
            )?;
            BuyerRecord {
                version: ACCOUNT_VERSION,
                event: event_key,
                buyer: buyer_key,
                purchased: 0,
                bump: bumps.buyer_record,
            }
        }
    };
    // The ticket is created holding its rent plus the price, which then moves on to the
    // shard: both accounts are this program's, so the payment needs no transfer CPI.
    let ticket_rent = exempt_minimum(&rent, Ticket::SIZE);
    create_pda(
        &buyer,
        &a.ticket,
        ticket_rent
            .checked_add(price)
            .ok_or(BitTicketError::Overflow)?,
        Ticket::SIZE,
        &[SEED_TICKET, mint_key.as_ref()],
        bumps.ticket,
    )?;
    lamports::transfer(
        &a.ticket,
        &a.shard.to_account_info(),
        price,
        ticket_rent,
        BitTicketError::Overflow,
    )?;

    let mint = a.mint.to_account_info();
    let buyer_token = a.buyer_token.to_account_info();
    cpi::create_account(
        &buyer,
        &mint,
        exempt_minimum(&rent, Mint::LEN),
        Mint::LEN,
        &anchor_spl::token::ID,
        &[],
    )?;
    cpi::initialize_mint2(&mint, 0, &event_key, &event_key)?;
    cpi::create_associated_token_account(
        &buyer,
        &buyer_token,
        &buyer,
        &mint,
        &a.system_program.to_account_info(),
        &a.token_program.to_account_info(),
    )?;
    event
        .with_signer(|signer| cpi::mint_to_and_freeze(&mint, &buyer_token, &a.event, 1, signer))?;

    let shard = &mut a.shard;
    shard.sold = shard.sold.checked_add(1).ok_or(BitTicketError::Overflow)?;
    shard.revenue = shard
        .revenue
        .checked_add(price)
        .ok_or(BitTicketError::Overflow)?;
    let lamports = shard.to_account_info().lamports();
    shard.invariant(lamports, event.supply, event.shard_count)?;

    record.purchased = record
        .purchased
        .checked_add(1)
        .ok_or(BitTicketError::Overflow)?;
    record.invariant(event.max_per_wallet)?;
    record.try_serialize(&mut &mut a.buyer_record.try_borrow_mut_data()?[..])?;

    let ticket = Ticket {
        version: ACCOUNT_VERSION,
        event: event_key,
        mint: mint_key,
        holder: buyer_key,
        serial,
        shard_index: shard.index,
        price_paid: price,
        state: TicketState::Valid,
        checked_in_at: 0,
        bump: bumps.ticket,
    };
    ticket.invariant()?;
    ticket.try_serialize(&mut &mut a.ticket.try_borrow_mut_data()?[..])?;

    emit!(TicketPurchased {
        event: event_key,
        shard: shard.key(),
        ticket: a.ticket.key(),
        mint: mint_key,
        buyer: buyer_key,
        serial,
        price_lamports: price,
        shard_sold: shard.sold,
        shard_revenue: shard.revenue,
    });
    Ok(())
}
