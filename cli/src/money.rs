//! What a price counts in at the command line: SOL, or a tier's SPL mint as the chain holds
//! it (its token program and decimals). Amounts are typed and shown in whole units of that
//! currency (`0.1` SOL, `25` of a 6-decimal mint) and sent as its smallest unit.
use bitticket::constants::{SOL_CURRENCY, SOL_DECIMALS};
use bitticket_client::amount::{parse_units, whole_units};
use bitticket_client::TokenCurrency;
use solana_address::Address;

use crate::ctx::Ctx;
use crate::error::CliError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money {
    /// The SPL side; `None` for SOL.
    pub token: Option<TokenCurrency>,
    pub decimals: u8,
    /// What people call it, when the code that made the mint knows (the demo's `dUSD`);
    /// otherwise amounts are shown with the mint's address.
    pub symbol: Option<String>,
}

impl Money {
    pub fn sol() -> Self {
        Money {
            token: None,
            decimals: SOL_DECIMALS,
            symbol: None,
        }
    }

    /// The currency `currency` (a tier's or a shard's field): SOL for `SOL_CURRENCY`, else
    /// the mint read from the chain.
    pub async fn of(ctx: &Ctx, currency: &Address) -> Result<Self, CliError> {
        if *currency == SOL_CURRENCY {
            return Ok(Self::sol());
        }
        let accounts = ctx.raw_accounts(std::slice::from_ref(currency)).await?;
        let mint = accounts.into_iter().flatten().next();
        let (token, decimals) = mint
            .and_then(|a| bitticket_client::accounts::currency(currency, &a.owner, &a.data))
            .ok_or_else(|| {
                CliError::Invalid(format!(
                    "{currency} is not a mint of SPL Token or Token-2022"
                ))
            })?;
        Ok(Money {
            token: Some(token),
            decimals,
            symbol: None,
        })
    }

    /// `SOL`, or the mint's address.
    pub fn unit(&self) -> String {
        match &self.token {
            None => "SOL".into(),
            Some(t) => t.mint.to_string(),
        }
    }

    /// `s` (whole units, at most `decimals` places) in the smallest unit.
    pub fn parse(&self, what: &str, s: &str) -> Result<u64, CliError> {
        parse_units(s, self.decimals).ok_or_else(|| {
            CliError::Invalid(format!(
                "{what} {s:?} is not an amount of {} (at most {} decimal places)",
                self.unit(),
                self.decimals
            ))
        })
    }

    /// `units` in whole units with the currency: `0.1 SOL`, `25 <mint>` (`25 dUSD` with a
    /// symbol).
    pub fn show(&self, units: u64) -> String {
        let unit = self.symbol.clone().unwrap_or_else(|| self.unit());
        format!("{} {unit}", whole_units(units, self.decimals))
    }
}

/// An amount a command is given: typed by a person in whole units (parsed once the
/// currency is known), or already in the smallest unit (from code).
#[derive(Debug, Clone, Copy)]
pub enum Amount<'a> {
    Typed(&'a str),
    Units(u64),
}

impl Amount<'_> {
    /// In `money`'s smallest unit; `what` names the option a typed amount came from.
    pub fn units(&self, money: &Money, what: &str) -> Result<u64, CliError> {
        match self {
            Amount::Typed(s) => money.parse(what, s),
            Amount::Units(u) => Ok(*u),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sol_and_a_named_mint_show_with_their_units() {
        assert_eq!(Money::sol().show(1_500_000_000), "1.5 SOL");
        assert_eq!(
            Money::sol()
                .parse("--max-price", "0.0000000001")
                .unwrap_err()
                .to_string(),
            "--max-price \"0.0000000001\" is not an amount of SOL (at most 9 decimal places)"
        );
        let usd = Money {
            token: Some(TokenCurrency {
                mint: Address::new_from_array([1; 32]),
                program: bitticket_client::TOKEN,
            }),
            decimals: 6,
            symbol: Some("dUSD".into()),
        };
        assert_eq!(usd.show(25_000_000), "25 dUSD");
        assert_eq!(usd.parse("--price", "2.5").unwrap(), 2_500_000);
    }
}
