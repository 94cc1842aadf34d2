//! The currency a tier sells in, as the mirror holds it: SOL (the program's
//! `SOL_CURRENCY`, the all-zero address) or one SPL mint with its decimals. Amounts stay
//! integers in the currency's smallest unit (lamports, or the mint's base units); a
//! wallet's button reads them in whole units with the currency's symbol.
use serde::Serialize;

use bitticket_client::amount::whole_units;

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
            decimals: bitticket::constants::SOL_DECIMALS,
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

#[cfg(test)]
mod tests {
    use super::*;

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
