//! A currency for tiers priced in an SPL mint: create one (the demo's and the tests'
//! USDC-like mints), open an owner's associated account in it (a shard's till, a vault's,
//! a buyer's) and mint into it.
use anchor_lang::prelude::ProgramError;
use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use anchor_spl::token_2022::spl_token_2022::instruction as token;
use solana_address::Address;
use solana_instruction::{AccountMeta, Instruction};

use crate::pda::TokenCurrency;
use crate::SYSTEM;

/// Bytes of a mint without extensions (both token programs).
pub const MINT_LEN: u64 = 82;

/// Creates `currency.mint` (a new keypair, which signs) under `currency.program` with
/// `decimals` and `authority` as its mint authority and no freeze authority; `rent` is the
/// rent-exempt minimum of `MINT_LEN` bytes, paid by `payer` (`IncorrectProgramId` unless
/// its program is a token program).
pub fn ixs_create_currency(
    payer: &Address,
    currency: &TokenCurrency,
    decimals: u8,
    authority: &Address,
    rent: u64,
) -> Result<Vec<Instruction>, ProgramError> {
    // System CreateAccount (tag 0): lamports, space, owner
    let mut data = vec![0u8; 4];
    data.extend_from_slice(&rent.to_le_bytes());
    data.extend_from_slice(&MINT_LEN.to_le_bytes());
    data.extend_from_slice(currency.program.as_ref());
    let create = Instruction {
        program_id: SYSTEM,
        accounts: vec![
            AccountMeta::new(*payer, true),
            AccountMeta::new(currency.mint, true),
        ],
        data,
    };
    let init =
        token::initialize_mint2(&currency.program, &currency.mint, authority, None, decimals)?;
    Ok(vec![create, init])
}

/// Opens `owner`'s associated account in `currency` unless it exists, paid by `payer`.
pub fn ix_open_currency_account(
    payer: &Address,
    owner: &Address,
    currency: &TokenCurrency,
) -> Instruction {
    create_associated_token_account_idempotent(payer, owner, &currency.mint, &currency.program)
}

/// Mints `amount` of `currency` into `owner`'s associated account, signed by `authority`
/// (`IncorrectProgramId` unless its program is a token program).
pub fn ix_mint_currency(
    currency: &TokenCurrency,
    owner: &Address,
    authority: &Address,
    amount: u64,
) -> Result<Instruction, ProgramError> {
    token::mint_to(
        &currency.program,
        &currency.mint,
        &currency.account(owner),
        authority,
        &[],
        amount,
    )
}
