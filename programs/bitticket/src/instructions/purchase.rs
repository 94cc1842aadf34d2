use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token_2022::Token2022;

use crate::constants::{ACCOUNT_VERSION, NO_TIER, SEED_BUYER, SEED_TICKET};
use crate::cpi;
use crate::errors::BitTicketError;
use crate::events::TicketPurchased;
use crate::lamports;
use crate::pda::create_pda;
use crate::rent::exempt_minimum;
use crate::state::{
    BuyerRecord, BuyerRecordHead, EventHead, SaleShape, Shard, Ticket, TicketState,
};
use crate::ticket_mint;

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
    /// One of the event's shards (`Shard::load_for_sale`: owner, discriminator, writable,
    /// its event this one). No seeds check: a Shard exists only where open_shard created
    /// it, at its canonical PDA, and re-deriving its address would cost 1,500 CU for no
    /// further guarantee. Read here rather than as an `Account<Shard>` because a sale
    /// writes back only its two counts (`Shard::write_sale`), where Anchor would re-encode
    /// the whole account on exit. A buyer record or ticket address holding a Shard is
    /// refused by its discriminator, so no other account of the sale can alias it.
    /// CHECK: the checks are the ones described above.
    #[account(mut)]
    pub shard: UncheckedAccount<'info>,
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
    /// (buyer, mint, Token-2022) itself and refuses any other.
    /// CHECK: the checks are the ones described above.
    #[account(mut)]
    pub buyer_token: UncheckedAccount<'info>,
    /// The ticket ["ticket", mint], created here with the canonical bump; the system
    /// program creates nothing at any other address (the program signs for this one).
    /// CHECK: the checks are the ones described above.
    #[account(mut)]
    pub ticket: UncheckedAccount<'info>,
    /// Token-2022, the program of every ticket's mint.
    pub token_program: Program<'info, Token2022>,
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
    fn validate(
        &self,
        shard: &Shard,
        event: &EventHead,
        sale: &SaleShape,
        now: i64,
        purchased: u16,
        max_price: u64,
    ) -> Result<u32> {
        require_mint_is_not_buyer(&self.mint, &self.buyer)?;
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
        let serial = shard.next_serial(sale)?;
        require!(
            purchased < event.max_per_wallet,
            BitTicketError::WalletLimitReached
        );
        Ok(serial)
    }
}

/// A client that leaves the mint out may fill it with the buyer's own key (both sign);
/// the buyer's wallet must never become the ticket's mint. (A fresh mint holds nothing:
/// only then is the comparison needed, and the buyer, who pays the fee, always holds
/// something.)
pub(crate) fn require_mint_is_not_buyer(mint: &AccountInfo, buyer: &AccountInfo) -> Result<()> {
    require!(
        mint.lamports() == 0 || mint.key != buyer.key,
        BitTicketError::MintIsBuyer
    );
    Ok(())
}

/// The accounts every sale creates or pays from, whichever instruction sells.
/// `ticket_accounts!(accounts)` takes them from a sale's accounts struct.
pub(crate) struct TicketAccounts<'a, 'info> {
    pub buyer: &'a AccountInfo<'info>,
    pub event: &'a AccountInfo<'info>,
    pub buyer_record: &'a AccountInfo<'info>,
    pub mint: &'a AccountInfo<'info>,
    pub buyer_token: &'a AccountInfo<'info>,
    pub ticket: &'a AccountInfo<'info>,
    pub system_program: &'a AccountInfo<'info>,
    pub token_program: &'a AccountInfo<'info>,
}

macro_rules! ticket_accounts {
    ($a:expr) => {
        $crate::instructions::purchase::TicketAccounts {
            buyer: $a.buyer.as_ref(),
            event: $a.event.as_ref(),
            buyer_record: $a.buyer_record.as_ref(),
            mint: $a.mint.as_ref(),
            buyer_token: $a.buyer_token.as_ref(),
            ticket: $a.ticket.as_ref(),
            system_program: $a.system_program.as_ref(),
            token_program: $a.token_program.as_ref(),
        }
    };
}
pub(crate) use ticket_accounts;

/// The head of the buyer's stored record (`BuyerRecordHead`), or `None` before their
/// first purchase of this event: what the base sale reads of it.
pub(crate) fn stored_buyer_head(
    info: &AccountInfo,
    event: &Pubkey,
    buyer: &Pubkey,
) -> Result<Option<BuyerRecordHead>> {
    if info.owner != &crate::ID {
        return Ok(None);
    }
    let head = BuyerRecordHead::from_account_data(&info.try_borrow_data()?)?;
    require!(
        head.event == *event && head.buyer == *buyer,
        BitTicketError::BuyerRecordMismatch
    );
    Ok(Some(head))
}

/// Validation is done: creates the accounts of this ticket (the buyer's record on a first
/// purchase, `record_exists` false, with zeroed data the caller writes; the ticket with
/// the price, which moves on to `shard`; the mint with its metadata (`ticket_mint`); the
/// buyer's token account with the
/// ticket minted and frozen) and writes the ticket.
pub(crate) fn issue_ticket<'info>(
    a: &TicketAccounts<'_, 'info>,
    shard: &AccountInfo<'info>,
    event: &EventHead,
    bumps: TicketBumps,
    record_exists: bool,
    ticket: TicketSold,
) -> Result<()> {
    let event_key = a.event.key();
    let buyer_key = a.buyer.key();
    let mint_key = a.mint.key();
    let rent = Rent::get()?;

    if !record_exists {
        create_pda(
            a.buyer,
            a.buyer_record,
            exempt_minimum(&rent, BuyerRecord::SIZE),
            BuyerRecord::SIZE,
            &[SEED_BUYER, event_key.as_ref(), buyer_key.as_ref()],
            bumps.buyer_record,
        )?;
    }
    // The ticket is created holding its rent plus a lamport price, which then moves on to
    // the shard: both accounts are this program's, so the payment needs no transfer CPI.
    let ticket_rent = exempt_minimum(&rent, Ticket::SIZE);
    create_pda(
        a.buyer,
        a.ticket,
        ticket_rent
            .checked_add(ticket.lamports)
            .ok_or(BitTicketError::Overflow)?,
        Ticket::SIZE,
        &[SEED_TICKET, mint_key.as_ref()],
        bumps.ticket,
    )?;
    if ticket.lamports > 0 {
        lamports::transfer(
            a.ticket,
            shard,
            ticket.lamports,
            ticket_rent,
            BitTicketError::Overflow,
        )?;
    }

    {
        let data = a.event.try_borrow_data()?;
        let (name, uri) = EventHead::name_and_uri(&data)?;
        event.with_signer(|signer| {
            ticket_mint::create(
                a.buyer,
                a.mint,
                a.event,
                &rent,
                name,
                uri,
                ticket.serial,
                signer,
            )
        })?;
    }
    cpi::create_associated_token_account(
        a.buyer,
        a.buyer_token,
        a.buyer,
        a.mint,
        a.system_program,
        a.token_program,
    )?;
    event
        .with_signer(|signer| cpi::mint_to_and_freeze(a.mint, a.buyer_token, a.event, 1, signer))?;

    let record_ticket = Ticket {
        version: ACCOUNT_VERSION,
        event: event_key,
        mint: mint_key,
        holder: buyer_key,
        serial: ticket.serial,
        shard_index: ticket.shard_index,
        tier: ticket.tier,
        price_paid: ticket.price,
        state: TicketState::Valid,
        checked_in_at: 0,
        bump: bumps.ticket,
    };
    record_ticket.invariant()?;
    record_ticket.write_to(&mut a.ticket.try_borrow_mut_data()?)
}

/// The ticket a sale issues.
pub(crate) struct TicketSold {
    pub serial: u32,
    /// In the sale's currency: what a refund pays back.
    pub price: u64,
    /// The price when it is paid in lamports (through the ticket, below); zero when it is
    /// paid in a mint (by the caller's `transfer_checked`).
    pub lamports: u64,
    pub shard_index: u8,
    pub tier: u8,
}

/// Counts the sale in `shard`, checks it and writes the counts back into `info`, its
/// account.
pub(crate) fn count_in_shard(
    info: &AccountInfo,
    shard: &mut Shard,
    price: u64,
    sale: &SaleShape,
) -> Result<()> {
    shard.sold = shard.sold.checked_add(1).ok_or(BitTicketError::Overflow)?;
    shard.revenue = shard
        .revenue
        .checked_add(price)
        .ok_or(BitTicketError::Overflow)?;
    shard.invariant(info.lamports())?;
    shard.require_serials_within(sale)?;
    shard.write_sale(info)
}

pub fn handler(ctx: Context<Purchase>, bumps: TicketBumps, max_price: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = ctx.accounts;
    let event = EventHead::load(&a.event)?;
    let stored = stored_buyer_head(&a.buyer_record, a.event.key, a.buyer.key)?;
    let purchased = stored.as_ref().map_or(0, |r| r.purchased);
    let mut shard = Shard::load_for_sale(&a.shard, a.event.key)?;
    let sale = SaleShape::of_event(&event);
    let serial = a.validate(&shard, &event, &sale, now, purchased, max_price)?;
    let price = event.price_lamports;
    issue_ticket(
        &ticket_accounts!(a),
        a.shard.as_ref(),
        &event,
        bumps,
        stored.is_some(),
        TicketSold {
            serial,
            price,
            lamports: price,
            shard_index: shard.index,
            tier: NO_TIER,
        },
    )?;
    count_in_shard(&a.shard, &mut shard, price, &sale)?;
    let mut head = stored
        .unwrap_or_else(|| BuyerRecordHead::new(a.event.key(), a.buyer.key(), bumps.buyer_record));
    head.purchased = purchased.checked_add(1).ok_or(BitTicketError::Overflow)?;
    head.write(
        &mut a.buyer_record.try_borrow_mut_data()?,
        event.max_per_wallet,
    )?;

    TicketPurchased {
        event: a.event.key(),
        shard: a.shard.key(),
        ticket: a.ticket.key(),
        mint: a.mint.key(),
        buyer: a.buyer.key(),
        serial,
        price_lamports: price,
        shard_sold: shard.sold,
        shard_revenue: shard.revenue,
        tier: NO_TIER,
        phase: 0,
    }
    .emit();
    Ok(())
}
