//! The currency a tier sells in, as the mirror holds it: SOL (the program's
//! `SOL_CURRENCY`, the all-zero address) or one SPL mint with its decimals. Amounts stay
//! integers in the currency's smallest unit (lamports, or the mint's base units); a
//! wallet's button reads them in whole units with the currency's symbol.
use serde::Serialize;

use crate::domain::AccountAddress;
use crate::error::ApiError;

/// The program's `SOL_CURRENCY` in base58, as the indexer stores it.
pub const SOL: &str = "11111111111111111111111111111111";

/// Mints whose symbol every wallet knows (USDC on mainnet and devnet); any other mint reads
/// as the start of its address, since its metadata is its issuer's claim.
const KNOWN: &[(&str, &str)] = &[
    ("EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v", "USDC"),
    ("4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU", "USDC"),
];

/// What a price is counted in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Currency {
    /// `SOL`, `USDC` for USDC's mint, else the mint's first four characters and `…`.
    pub symbol: String,
    /// The SPL mint; absent for SOL.
    pub mint: Option<String>,
    /// Its decimals: an amount of `n` units is `n / 10^decimals` (9 for SOL's lamports).
    pub decimals: u8,
}

impl Currency {
    pub fn sol() -> Self {
        Currency {
            symbol: "SOL".into(),
            mint: None,
            decimals: 9,
        }
    }

    /// From the mirror's columns (a currency and its decimals).
    pub fn stored(currency: &str, decimals: i32) -> Result<Self, ApiError> {
        if currency == SOL {
            return Ok(Self::sol());
        }
        let mint: AccountAddress = currency
            .parse()
            .map_err(|_| ApiError::internal("stored currency mint"))?;
        let decimals = u8::try_from(decimals).map_err(ApiError::internal)?;
        let mint = mint.to_string();
        let symbol = KNOWN
            .iter()
            .find(|(m, _)| *m == mint)
            .map(|(_, s)| (*s).to_string())
            .unwrap_or_else(|| format!("{}…", mint.get(..4).unwrap_or(&mint)));
        Ok(Currency {
            symbol,
            mint: Some(mint),
            decimals,
        })
    }

    /// The SPL mint, if it is not SOL.
    pub fn mint(&self) -> Result<Option<AccountAddress>, ApiError> {
        self.mint
            .as_deref()
            .map(|m| m.parse().map_err(|_| ApiError::internal("currency mint")))
            .transpose()
    }

    /// `units` read as a wallet shows them, with the symbol (`25000000` of a 6-decimal
    /// USDC: `25 USDC`).
    pub fn show(&self, units: u64) -> String {
        format!("{} {}", whole_units(units, self.decimals), self.symbol)
    }
}

/// `units` of a currency with `decimals`, without trailing zeros (`100000000` of 9: `0.1`).
pub fn whole_units(units: u64, decimals: u8) -> String {
    // 10^decimals fits a u128 up to 38 decimals; past that, the raw units
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
    fn amounts_read_as_a_wallet_shows_them() {
        assert_eq!(whole_units(0, 9), "0");
        assert_eq!(whole_units(1_000_000_000, 9), "1");
        assert_eq!(whole_units(100_000_000, 9), "0.1");
        assert_eq!(whole_units(1_500_000_001, 9), "1.500000001");
        assert_eq!(whole_units(25_000_000, 6), "25");
        assert_eq!(whole_units(2_500_001, 6), "2.500001");
        assert_eq!(whole_units(7, 0), "7");
        assert_eq!(whole_units(7, 20), "0.00000000000000000007");
        assert_eq!(whole_units(7, 200), "7");
    }

    #[test]
    fn stored_currencies_name_sol_usdc_and_any_other_mint() {
        assert_eq!(Currency::stored(SOL, 9).unwrap(), Currency::sol());
        let usdc = Currency::stored("EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v", 6).unwrap();
        assert_eq!(usdc.show(25_000_000), "25 USDC");
        let other = Currency::stored("So11111111111111111111111111111111111111112", 9).unwrap();
        assert_eq!(other.symbol, "So11…");
        assert!(Currency::stored("not a key", 6).is_err());
        assert!(Currency::stored("So11111111111111111111111111111111111111112", 300).is_err());
    }
}
