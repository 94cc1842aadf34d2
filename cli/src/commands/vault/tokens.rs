//! SPL tokens leaving the vault: the mint's program (SPL Token or Token-2022) and decimals,
//! an amount typed in tokens to base units, the receiving token account checked before a
//! proposal names it, and the vault's associated token account that pays.
use anchor_lang::AccountDeserialize;
use anchor_spl::associated_token::get_associated_token_address_with_program_id;
use anchor_spl::token_interface::Mint;
use bitticket_client::accounts::token_account;
use solana_address::Address;

use crate::ctx::Ctx;
use crate::error::CliError;

/// A mint as the vault's outflows need it.
pub struct TokenMint {
    /// The token program that owns it (SPL Token or Token-2022).
    pub program: Address,
    pub decimals: u8,
}

/// The mint at `mint`, read from the chain.
pub async fn mint(ctx: &Ctx, mint: &Address) -> Result<TokenMint, CliError> {
    let acc = ctx
        .chain
        .raw_account(mint)
        .await?
        .ok_or_else(|| CliError::NotFound {
            kind: "mint",
            address: mint.to_string(),
        })?;
    let not_a_mint = || CliError::Invalid(format!("{mint} is not an SPL token mint"));
    if acc.owner != anchor_spl::token::ID && acc.owner != anchor_spl::token_2022::ID {
        return Err(not_a_mint());
    }
    let m = Mint::try_deserialize(&mut acc.data.as_slice()).map_err(|_| not_a_mint())?;
    Ok(TokenMint {
        program: acc.owner,
        decimals: m.decimals,
    })
}

/// The vault's associated token account for `mint`, the account its token outflows pay
/// from.
pub fn vault_account(vault: &Address, mint: &Address, m: &TokenMint) -> Address {
    get_associated_token_address_with_program_id(vault, mint, &m.program)
}

/// `typed` tokens (`1.5`) in base units of a mint with `decimals`; above zero.
pub fn base_units(typed: &str, decimals: u8) -> Result<u64, CliError> {
    let bad = || {
        CliError::Invalid(format!(
            "--amount {typed:?}: expected an amount of tokens above 0 with at most {decimals} decimal(s)"
        ))
    };
    let (whole, frac) = typed.trim().split_once('.').unwrap_or((typed.trim(), ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let places = usize::from(decimals);
    if (whole.is_empty() && frac.is_empty())
        || !digits(whole)
        || !digits(frac)
        || frac.len() > places
    {
        return Err(bad());
    }
    let scale = 10u64.checked_pow(u32::from(decimals)).ok_or_else(bad)?;
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let frac: u64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<places$}").parse().map_err(|_| bad())?
    };
    whole
        .checked_mul(scale)
        .and_then(|w| w.checked_add(frac))
        .filter(|units| *units > 0)
        .ok_or_else(bad)
}

/// The base units a `withdraw-token` proposal names: `typed` tokens of `mint`, after
/// checking that `to` is a token account of that mint (the program checks it again when
/// the proposal executes; a proposal that cannot execute is worth refusing now).
pub async fn amount_to_propose(
    ctx: &Ctx,
    mint_address: &Address,
    typed: &str,
    to: &Address,
) -> Result<u64, CliError> {
    let m = mint(ctx, mint_address).await?;
    let amount = base_units(typed, m.decimals)?;
    let receiving = ctx.chain.raw_account(to).await?;
    let holds_mint = receiving
        .as_ref()
        .filter(|a| a.owner == m.program)
        .and_then(|a| token_account(&a.owner, &a.data))
        .is_some_and(|t| t.mint == *mint_address);
    if !holds_mint {
        return Err(CliError::Invalid(format!(
            "--to {to} is not a token account of {mint_address}: name the receiving wallet's token \
             account for this mint (its associated token account), not the wallet"
        )));
    }
    Ok(amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_as_typed_become_base_units() {
        assert_eq!(base_units("1.5", 6).unwrap(), 1_500_000);
        assert_eq!(base_units("2", 6).unwrap(), 2_000_000);
        assert_eq!(base_units(".25", 2).unwrap(), 25);
        assert_eq!(base_units("7", 0).unwrap(), 7);
        for bad in [
            "",
            ".",
            "0",
            "1.2345678",
            "-1",
            "1e3",
            "a",
            "18446744073709551616",
        ] {
            assert!(base_units(bad, 6).is_err(), "{bad}");
        }
        assert!(base_units("1", 30).is_err());
    }
}
