use anchor_lang::prelude::*;
use anchor_lang::system_program;
use anchor_spl::associated_token::{self, AssociatedToken};
use anchor_spl::token::{self, FreezeAccount, InitializeMint2, Mint, MintTo, Token};

use crate::constants::{SEED_BUYER, SEED_SHARD, SEED_TICKET};
use crate::errors::BitTicketError;
use crate::events::TicketPurchased;
use crate::state::{BuyerRecord, Event, Shard, Ticket, TicketState};

/// The buyer signs their own purchase. Write set: the buyer, the chosen shard, the
/// buyer's record for this event, and the accounts created for this ticket (mint, token
/// account, ticket). The event is only read, so no account is written by every purchase.
#[derive(Accounts)]
pub struct Purchase<'info> {
    #[account(mut)]
    pub buyer: Signer<'info>,
    pub event: Box<Account<'info, Event>>,
    #[account(
        mut,
        seeds = [SEED_SHARD, event.key().as_ref(), &[shard.index]],
        bump = shard.bump,
        has_one = event
    )]
    pub shard: Account<'info, Shard>,
    // init_if_needed: the record is keyed by (event, buyer) and only ever counts up; an
    // existing one is checked for owner, discriminator and seeds like any other account.
    #[account(
        init_if_needed,
        payer = buyer,
        space = BuyerRecord::SIZE,
        seeds = [SEED_BUYER, event.key().as_ref(), buyer.key().as_ref()],
        bump
    )]
    pub buyer_record: Account<'info, BuyerRecord>,
    /// A fresh keypair chosen by the client; it signs its own creation. Created and
    /// initialised in the handler: the system program refuses an account that exists, so
    /// a mint is never reused.
    #[account(mut)]
    pub mint: Signer<'info>,
    /// CHECK: created in the handler by the Associated Token program, which derives this
    /// address from (buyer, mint, token program) itself and refuses any other.
    #[account(mut)]
    pub buyer_token: UncheckedAccount<'info>,
    #[account(
        init,
        payer = buyer,
        space = Ticket::SIZE,
        seeds = [SEED_TICKET, mint.key().as_ref()],
        bump
    )]
    pub ticket: Box<Account<'info, Ticket>>,
    pub token_program: Program<'info, Token>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
}

impl Purchase<'_> {
    fn validate(&self, now: i64) -> Result<u32> {
        let event = &self.event;
        require!(!event.cancelled, BitTicketError::EventCancelled);
        require!(!event.paused, BitTicketError::SalePaused);
        require!(
            now >= event.config.sale_start,
            BitTicketError::SaleNotStarted
        );
        require!(now < event.config.sale_end, BitTicketError::SaleEnded);
        let serial = self.shard.next_serial(event.shard_count)?;
        require!(serial < event.config.supply, BitTicketError::ShardSoldOut);
        require!(
            self.buyer_record.purchased < event.config.max_per_wallet,
            BitTicketError::WalletLimitReached
        );
        Ok(serial)
    }
}

pub fn handler(ctx: Context<Purchase>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let serial = ctx.accounts.validate(now)?;
    let a = ctx.accounts;
    let event = &a.event;
    let price = event.config.price_lamports;

    // validation is done: create the ticket's mint and the buyer's token account
    let rent = Rent::get()?;
    let token_program = a.token_program.key();
    system_program::create_account(
        CpiContext::new(
            a.system_program.key(),
            system_program::CreateAccount {
                from: a.buyer.to_account_info(),
                to: a.mint.to_account_info(),
            },
        ),
        rent.minimum_balance(Mint::LEN),
        Mint::LEN as u64,
        &token_program,
    )?;
    token::initialize_mint2(
        CpiContext::new(
            token_program,
            InitializeMint2 {
                mint: a.mint.to_account_info(),
            },
        ),
        0,
        &event.key(),
        Some(&event.key()),
    )?;
    associated_token::create(CpiContext::new(
        a.associated_token_program.key(),
        associated_token::Create {
            payer: a.buyer.to_account_info(),
            associated_token: a.buyer_token.to_account_info(),
            authority: a.buyer.to_account_info(),
            mint: a.mint.to_account_info(),
            system_program: a.system_program.to_account_info(),
            token_program: a.token_program.to_account_info(),
        },
    ))?;

    if price > 0 {
        system_program::transfer(
            CpiContext::new(
                a.system_program.key(),
                system_program::Transfer {
                    from: a.buyer.to_account_info(),
                    to: a.shard.to_account_info(),
                },
            ),
            price,
        )?;
    }

    event.with_signer(|signer| -> Result<()> {
        token::mint_to(
            CpiContext::new_with_signer(
                a.token_program.key(),
                MintTo {
                    mint: a.mint.to_account_info(),
                    to: a.buyer_token.to_account_info(),
                    authority: event.to_account_info(),
                },
                signer,
            ),
            1,
        )?;
        token::freeze_account(CpiContext::new_with_signer(
            a.token_program.key(),
            FreezeAccount {
                account: a.buyer_token.to_account_info(),
                mint: a.mint.to_account_info(),
                authority: event.to_account_info(),
            },
            signer,
        ))
    })?;

    let shard = &mut a.shard;
    shard.sold = shard.sold.checked_add(1).ok_or(BitTicketError::Overflow)?;
    shard.revenue = shard
        .revenue
        .checked_add(price)
        .ok_or(BitTicketError::Overflow)?;
    let lamports = shard.to_account_info().lamports();
    shard.invariant(lamports, &rent, event)?;

    let record = &mut a.buyer_record;
    if record.buyer == Pubkey::default() {
        record.event = event.key();
        record.buyer = a.buyer.key();
        record.bump = ctx.bumps.buyer_record;
    }
    record.purchased = record
        .purchased
        .checked_add(1)
        .ok_or(BitTicketError::Overflow)?;
    record.invariant(event.config.max_per_wallet)?;

    let ticket = &mut a.ticket;
    ticket.event = event.key();
    ticket.mint = a.mint.key();
    ticket.holder = a.buyer.key();
    ticket.serial = serial;
    ticket.shard_index = shard.index;
    ticket.price_paid = price;
    ticket.state = TicketState::Valid;
    ticket.checked_in_at = 0;
    ticket.bump = ctx.bumps.ticket;
    ticket.invariant()?;

    emit!(TicketPurchased {
        event: event.key(),
        shard: shard.key(),
        ticket: ticket.key(),
        mint: ticket.mint,
        buyer: ticket.holder,
        serial,
        price_lamports: price,
        shard_sold: shard.sold,
        shard_revenue: shard.revenue,
    });
    Ok(())
}
