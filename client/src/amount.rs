//! Amounts of a currency with `decimals` (9 for SOL's lamports, 6 for USDC), as people type
//! and read them: whole units with at most `decimals` places, integers in the smallest
//! unit on chain. One pair of functions for the API's labels and the CLI's options.

/// `s` as a decimal amount with at most `decimals` places, in the smallest unit; `None` for
/// anything else (signs, exponents, more places, past `u64`).
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
        let pad = 10u64.checked_pow(u32::from(decimals) - u32::try_from(frac.len()).ok()?)?;
        frac.parse::<u64>().ok()?.checked_mul(pad)?
    };
    whole.checked_mul(scale)?.checked_add(frac_units)
}

/// `units` with `decimals`, without trailing zeros (`25000000` of 6: `25`; `100000000` of
/// 9: `0.1`); past 38 decimals, the units as they are.
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
    fn amounts_read_as_a_wallet_shows_them() {
        assert_eq!(whole_units(0, 9), "0");
        assert_eq!(whole_units(1_000_000_000, 9), "1");
        assert_eq!(whole_units(100_000_000, 9), "0.1");
        assert_eq!(whole_units(1_500_000_001, 9), "1.500000001");
        assert_eq!(whole_units(25_000_000, 6), "25");
        assert_eq!(whole_units(1, 6), "0.000001");
        assert_eq!(whole_units(7, 20), "0.00000000000000000007");
        assert_eq!(whole_units(7, 200), "7");
        for units in [0, 1, 999, 25_000_000, u64::MAX] {
            assert_eq!(parse_units(&whole_units(units, 6), 6), Some(units));
        }
    }
}
