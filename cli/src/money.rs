//! What a price counts in at the command line: SOL, or a tier's SPL mint as the chain holds
//! it (its token program and decimals). Amounts are typed and shown in whole units of that
//! currency (`0.1` SOL, `25` of a 6-decimal mint) and sent as its smallest unit.
use bitticket::constants::SOL_CURRENCY;
use bitticket_client::{TokenCurrency, TOKEN, TOKEN_2022};
use solana_address::Address;

use crate::ctx::Ctx;
use crate::error::CliError;

/// Where a mint keeps its decimals (SPL Token's layout, which Token-2022 extends).
const MINT_DECIMALS: usize = 44;

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
            decimals: 9,
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
        match mint {
            Some(a) if a.owner == TOKEN || a.owner == TOKEN_2022 => {
                let decimals = *a
                    .data
                    .get(MINT_DECIMALS)
                    .ok_or_else(|| CliError::Invalid(format!("{currency} is not a token mint")))?;
                Ok(Money {
                    token: Some(TokenCurrency {
                        mint: *currency,
                        program: a.owner,
                    }),
                    decimals,
                    symbol: None,
                })
            }
            _ => Err(CliError::Invalid(format!(
                "{currency} is not a mint of SPL Token or Token-2022"
            ))),
        }
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

/// `s` as a decimal amount with at most `decimals` places, in the smallest unit.
pub fn parse_units(s: &str, decimals: u8) -> Option<u64> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && frac.is_empty()) || !digits(whole) || !digits(frac) {
        return None;
    }
    if frac.len() > usize::from(decimals) {
        return None;
    }
    let scale = 10u64.checked_pow(u32::from(decimals))?;
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let frac_units: u64 = if frac.is_empty() {
        0
    } else {
        let pad = 10u64.checked_pow(u32::from(decimals) - frac.len() as u32)?;
        frac.parse::<u64>().ok()?.checked_mul(pad)?
    };
    whole.checked_mul(scale)?.checked_add(frac_units)
}

/// `units` with `decimals`, without trailing zeros (`25000000` of 6: `25`).
pub fn whole_units(units: u64, decimals: u8) -> String {
    let Some(scale) = 10u128.checked_pow(u32::from(decimals)) else {
        return units.to_string();
    };
    let (whole, frac) = (u128::from(units) / scale, u128::from(units) % scale);
    if frac == 0 {
        return whole.to_string();
    }
    let digits = format!("{frac:0width$}", width = usize::from(decimals));
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_in_the_currencys_decimals() {
        assert_eq!(parse_units("25", 6), Some(25_000_000));
        assert_eq!(parse_units("2.5", 6), Some(2_500_000));
        assert_eq!(parse_units(".5", 9), Some(500_000_000));
        assert_eq!(parse_units("0.000001", 6), Some(1));
        assert_eq!(
            parse_units("0.0000001", 6),
            None,
            "more places than the mint has"
        );
        assert_eq!(parse_units("1e3", 6), None);
        assert_eq!(parse_units("-1", 6), None);
        assert_eq!(parse_units("", 6), None);
        assert_eq!(parse_units(".", 6), None);
        assert_eq!(parse_units("18446744073710", 6), None, "past u64");
        assert_eq!(parse_units("7", 0), Some(7));
        assert_eq!(parse_units("7.1", 0), None);
    }

    #[test]
    fn amounts_show_in_whole_units() {
        assert_eq!(whole_units(25_000_000, 6), "25");
        assert_eq!(whole_units(100_000_000, 9), "0.1");
        assert_eq!(whole_units(1, 6), "0.000001");
        assert_eq!(Money::sol().show(1_500_000_000), "1.5 SOL");
        for units in [0, 1, 999, 25_000_000, u64::MAX] {
            assert_eq!(parse_units(&whole_units(units, 6), 6), Some(units));
        }
    }
}
