//! What the user types, parsed by clap (`value_parser`) into the types the commands use:
//! addresses, amounts of SOL (to lamports), roles, periods, lists of addresses and times.
//! Each error names what was typed and what was expected.
use bitticket::state::Period;
use bitticket_client::names::{self, Named};
use solana_address::Address;

use crate::error::CliError;

/// `s` as an address, or an error naming `what` it should have been.
pub fn parse_address(what: &str, s: &str) -> Result<Address, CliError> {
    s.parse()
        .map_err(|_| CliError::Invalid(format!("{what} {s:?} is not a base58 address")))
}

/// A parser of addresses for the argument `what`.
pub fn address(
    what: &'static str,
) -> impl Fn(&str) -> Result<Address, CliError> + Clone + Send + Sync + 'static {
    move |s| parse_address(what, s)
}

/// Comma-separated addresses (none for an empty string).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Addresses(pub Vec<Address>);

/// A parser of comma-separated addresses for the argument `what`.
pub fn addresses(
    what: &'static str,
) -> impl Fn(&str) -> Result<Addresses, CliError> + Clone + Send + Sync + 'static {
    move |s| {
        s.split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(|a| parse_address(what, a))
            .collect::<Result<_, _>>()
            .map(Addresses)
    }
}

/// SOL as typed (`1.5`) to lamports.
pub fn lamports(what: &str, s: &str) -> Result<u64, CliError> {
    solana_native_token::sol_str_to_lamports(s)
        .ok_or_else(|| CliError::Invalid(format!("{what} {s:?} is not an amount of SOL")))
}

/// A parser of SOL amounts (to lamports) for the argument `what`.
pub fn sol(
    what: &'static str,
) -> impl Fn(&str) -> Result<u64, CliError> + Clone + Send + Sync + 'static {
    move |s| lamports(what, s)
}

/// `admin,event_manager,...` (also `multisig`, `all`) to the program's permission bits.
pub fn roles(s: &str) -> Result<u8, CliError> {
    names::parse_roles(s).map_err(|e| CliError::Invalid(e.to_string()))
}

/// A member as `KEY` (the multisig roles: propose, vote, execute) or `KEY:ROLES`
/// (`KEY:vote,gatekeeper`).
pub fn member(s: &str) -> Result<bitticket::state::Member, CliError> {
    let (key, bits) = match s.split_once(':') {
        Some((k, r)) => (k, roles(r)?),
        None => (s, bitticket::state::permission::MULTISIG),
    };
    Ok(bitticket::state::Member {
        key: parse_address("member", key)?,
        permissions: bits,
    })
}

/// A spending period by name (`one_time`, `day`, `week`, `month`).
pub fn period(s: &str) -> Result<Period, CliError> {
    Period::parse(s).map_err(|e| CliError::Invalid(e.to_string()))
}

/// A time as the event options take it: `now`, `+90s` / `+2h30m` (from the cluster's
/// clock), unix seconds, or RFC 3339.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    Now,
    /// Seconds after the cluster's clock, and how it was typed.
    In(i64, String),
    At(i64),
}

fn bad_time(what: &str, s: &str, why: impl std::fmt::Display) -> CliError {
    CliError::Invalid(format!("--{what} {s:?}: {why}"))
}

/// `s` as a `When`, or an error naming the option `--what`.
pub fn parse_when(what: &str, s: &str) -> Result<When, CliError> {
    if s == "now" {
        return Ok(When::Now);
    }
    if let Some(rel) = s.strip_prefix('+') {
        let d = humantime::parse_duration(rel).map_err(|e| bad_time(what, s, e))?;
        let secs = i64::try_from(d.as_secs()).map_err(|e| bad_time(what, s, e))?;
        return Ok(When::In(secs, s.to_string()));
    }
    if let Ok(t) = s.parse::<i64>() {
        return Ok(When::At(t));
    }
    let t = humantime::parse_rfc3339_weak(s).map_err(|_| {
        bad_time(
            what,
            s,
            "expected now, +DURATION (+2h), unix seconds or RFC 3339",
        )
    })?;
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| bad_time(what, s, e))?
        .as_secs();
    i64::try_from(secs)
        .map(When::At)
        .map_err(|e| bad_time(what, s, e))
}

/// A parser of times for the option `--what`.
pub fn when(
    what: &'static str,
) -> impl Fn(&str) -> Result<When, CliError> + Clone + Send + Sync + 'static {
    move |s| parse_when(what, s)
}

impl When {
    /// Unix seconds, against the cluster's clock `now`.
    pub fn at(&self, what: &str, now: i64) -> Result<i64, CliError> {
        match self {
            When::Now => Ok(now),
            When::In(secs, typed) => now
                .checked_add(*secs)
                .ok_or_else(|| bad_time(what, typed, "too far")),
            When::At(t) => Ok(*t),
        }
    }
}

/// A parser of durations (`90s`, `2m`, `1h 30m`) in seconds for the option `--what`.
pub fn duration(
    what: &'static str,
) -> impl Fn(&str) -> Result<u64, CliError> + Clone + Send + Sync + 'static {
    move |s| {
        humantime::parse_duration(s)
            .map(|d| d.as_secs())
            .map_err(|e| bad_time(what, s, e))
    }
}

/// A time typed as `s`, against the cluster's clock `now`.
pub fn parse_time(what: &str, s: &str, now: i64) -> Result<i64, CliError> {
    parse_when(what, s)?.at(what, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_amounts_addresses_and_times_parse() {
        let bits = roles("admin, gatekeeper").unwrap();
        assert_eq!(names::role_names(bits), ["admin", "gatekeeper"]);
        assert_eq!(roles("all").unwrap(), bitticket::state::permission::ALL);
        assert!(roles("root").is_err() && roles("").is_err());
        assert_eq!(lamports("price", "0.25").unwrap(), 250_000_000);
        assert!(lamports("price", "a lot").is_err());
        assert_eq!(period("one-time").unwrap(), Period::OneTime);
        let a = Address::new_unique();
        assert_eq!(address("member")(&a.to_string()).unwrap(), a);
        let e = address("member")("x").unwrap_err().to_string();
        assert_eq!(e, "member \"x\" is not a base58 address");
        let list = addresses("--members")(&format!("{a}, {a},")).unwrap();
        assert_eq!(list, Addresses(vec![a, a]));
        assert_eq!(addresses("--members")("").unwrap(), Addresses::default());
        assert_eq!(parse_time("sale-end", "now", 5).unwrap(), 5);
        assert_eq!(parse_time("sale-end", "+1m", 5).unwrap(), 65);
        assert_eq!(parse_time("sale-end", "7", 5).unwrap(), 7);
        assert_eq!(
            parse_time("sale-end", "1970-01-01T00:01:00Z", 5).unwrap(),
            60
        );
        let e = parse_time("sale-end", "soon", 5).unwrap_err().to_string();
        assert!(e.starts_with("--sale-end \"soon\": expected now"), "{e}");
    }
}
