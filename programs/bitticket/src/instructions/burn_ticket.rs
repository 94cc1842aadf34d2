use anchor_lang::prelude::*;
use anchor_spl::token_2022::{self as token, Burn, CloseAccount, Token2022};
use anchor_spl::token_interface::TokenAccount;

use crate::constants::{SEED_LISTING, SEED_TICKET};
use crate::errors::BitTicketError;
use crate::events::TicketBurned;
use crate::frozen::Frozen;
use crate::state::{Event, Ticket, TicketState};

/// After the event, the holder burns their ticket and takes back the rent of all it
/// locked: the NFT is thawed and burned, then its token account, its mint (the event PDA
/// is the mint's close authority) and its ticket record are closed, every lamport going
/// to the holder. Checked in, unused or refunded, a ticket burns once the event's check-in
/// has ended, or at once if the event was cancelled, but not while a refund is still owed
/// on it, nor while it is listed.
#[derive(Accounts)]
pub struct BurnTicket<'info> {
    #[account(mut)]
    pub holder: Signer<'info>,
    pub event: Box<Account<'info, Event>>,
    /// The ticket's mint, named by the ticket's seeds; Token-2022 burns from and closes it.
    /// CHECK: the checks are the ones described above.
    #[account(mut)]
    pub mint: UncheckedAccount<'info>,
    #[account(
        mut,
        seeds = [SEED_TICKET, mint.key().as_ref()],
        bump = ticket.bump,
        has_one = event,
        close = holder
    )]
    pub ticket: Box<Account<'info, Ticket>>,
    #[account(
        mut,
        token::mint = mint,
        token::authority = holder,
        token::token_program = token_program
    )]
    pub holder_token: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The ticket's listing address, which must hold no listing: a listed ticket is
    /// delisted first, so that its seller's rent is not left behind.
    /// CHECK: only its emptiness is read.
    #[account(seeds = [SEED_LISTING, ticket.key().as_ref()], bump)]
    pub listing: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token2022>,
}

impl BurnTicket<'_> {
    fn validate(&self, now: i64) -> Result<()> {
        let event = &self.event;
        if event.cancelled {
            require!(
                self.ticket.state != TicketState::Valid || now >= event.refund_deadline(),
                BitTicketError::RefundStillOwed
            );
        } else {
            require!(
                now >= event.config.check_in_end,
                BitTicketError::EventNotOver
            );
        }
        self.ticket
            .require_held_by(&self.holder.key(), &self.holder_token)?;
        require!(self.listing.lamports() == 0, BitTicketError::TicketListed);
        Ok(())
    }
}

pub fn handler(ctx: Context<BurnTicket>) -> Result<()> {
    ctx.accounts.validate(Clock::get()?.unix_timestamp)?;
    let a = ctx.accounts;
    let holder = a.holder.to_account_info();
    let mint = a.mint.to_account_info();
    let account = a.holder_token.to_account_info();
    let program = a.token_program.key();
    let rent = [&mint, &account, &a.ticket.to_account_info()]
        .iter()
        .try_fold(0u64, |sum, info| sum.checked_add(info.lamports()))
        .ok_or(BitTicketError::Overflow)?;

    a.event.with_signer(|signer| -> Result<()> {
        Frozen {
            program,
            mint: mint.clone(),
            event: a.event.to_account_info(),
            signer,
        }
        .thaw(account.clone())?;
        token::burn(
            CpiContext::new(
                program,
                Burn {
                    mint: mint.clone(),
                    from: account.clone(),
                    authority: holder.clone(),
                },
            ),
            1,
        )?;
        token::close_account(CpiContext::new(
            program,
            CloseAccount {
                account: account.clone(),
                destination: holder.clone(),
                authority: holder.clone(),
            },
        ))?;
        token::close_account(CpiContext::new_with_signer(
            program,
            CloseAccount {
                account: mint.clone(),
                destination: holder.clone(),
                authority: a.event.to_account_info(),
            },
            signer,
        ))
    })?;

    emit!(TicketBurned {
        event: a.event.key(),
        ticket: a.ticket.key(),
        mint: mint.key(),
        holder: holder.key(),
        serial: a.ticket.serial,
        rent,
    });
    Ok(())
}
