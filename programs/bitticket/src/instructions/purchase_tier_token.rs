use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::TokenInterface;

use crate::currency;
use crate::errors::BitTicketError;
use crate::instructions::purchase::{ticket_accounts, TicketBumps};
use crate::instructions::purchase_tier::sell_tier;
use crate::state::TierHead;

/// `purchase_tier` for a tier priced in an SPL mint: every rule and account as there, and
/// the price moves from the buyer's token account into the shard's till with
/// `TransferChecked` (`max_price` in the mint's smallest unit). Write set: as
/// `purchase_tier`, plus the buyer's token account and the till.
#[derive(Accounts)]
pub struct PurchaseTierToken<'info> {
    #[account(mut)]
    pub buyer: Signer<'info>,
    /// CHECK: as in `purchase_tier`.
    pub event: UncheckedAccount<'info>,
    /// CHECK: as in `purchase_tier` (`TierHead::load`).
    pub tier: UncheckedAccount<'info>,
    /// CHECK: as in `purchase_tier` (`Shard::load_for_sale`).
    #[account(mut)]
    pub shard: UncheckedAccount<'info>,
    /// CHECK: as in `purchase`.
    #[account(mut)]
    pub buyer_record: UncheckedAccount<'info>,
    #[account(mut)]
    pub mint: Signer<'info>,
    /// CHECK: as in `purchase`.
    #[account(mut)]
    pub buyer_token: UncheckedAccount<'info>,
    /// CHECK: as in `purchase`.
    #[account(mut)]
    pub ticket: UncheckedAccount<'info>,
    /// Token-2022, the program of every ticket's mint.
    pub token_program: Program<'info, Token2022>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
    /// CHECK: the tier's currency, owned by `currency_program` (`currency::tokens`).
    pub currency_mint: UncheckedAccount<'info>,
    /// CHECK: the buyer's token account it is paid from (`TransferChecked` checks that the
    /// buyer signs for it and its mint).
    #[account(mut)]
    pub buyer_currency: UncheckedAccount<'info>,
    /// CHECK: a token account of the shard in the currency (`Tokens::require_account_of`);
    /// clients use its associated one.
    #[account(mut)]
    pub till: UncheckedAccount<'info>,
    /// The currency mint's token program (SPL Token or Token-2022).
    pub currency_program: Interface<'info, TokenInterface>,
}

pub fn handler(
    ctx: Context<PurchaseTierToken>,
    bumps: TicketBumps,
    max_price: u64,
    proof: Vec<[u8; 32]>,
) -> Result<()> {
    let a = ctx.accounts;
    let tier = TierHead::load(&a.tier, a.event.key)?;
    let tokens = currency::tokens(
        &tier.currency,
        Some(a.currency_mint.as_ref()),
        Some(&a.currency_program),
        &[],
    )?
    .ok_or(BitTicketError::CurrencyMismatch)?;
    tokens.require_account_of(&a.till, a.shard.key)?;
    let price = sell_tier(
        &ticket_accounts!(a),
        &tier,
        &a.shard,
        bumps,
        max_price,
        &proof,
        false,
    )?;
    tokens.transfer(&a.buyer_currency, &a.till, a.buyer.as_ref(), price, &[])
}
