//! One module per resource, each with its clap subcommands and what they do.
pub mod event;
pub mod gate;
pub mod organizer;
pub mod ticket;
pub mod vault;

use bitticket::state::permission;
use serde_json::json;

use crate::ctx::Sent;
use crate::error::CliError;
use crate::output::Report;

/// SOL as typed (`1.5`) to lamports.
pub fn lamports(what: &str, s: &str) -> Result<u64, CliError> {
    solana_native_token::sol_str_to_lamports(s)
        .ok_or_else(|| CliError::Invalid(format!("{what} {s:?} is not an amount of SOL")))
}

/// `admin,event-manager,...` to the program's permission bits.
pub fn roles(s: &str) -> Result<u8, CliError> {
    let mut bits = 0u8;
    for r in s.split(',').map(str::trim).filter(|r| !r.is_empty()) {
        bits |= match r {
            "admin" => permission::ADMIN,
            "event-manager" => permission::EVENT_MANAGER,
            "finance" => permission::FINANCE,
            "gatekeeper" => permission::GATEKEEPER,
            "propose" => permission::PROPOSE,
            "vote" => permission::VOTE,
            "execute" => permission::EXECUTE,
            "multisig" => permission::MULTISIG,
            "all" => permission::ALL,
            other => {
                return Err(CliError::Invalid(format!(
                    "role {other:?}: expected admin, event-manager, finance, gatekeeper, propose, vote, execute, multisig or all"
                )))
            }
        };
    }
    if bits == 0 {
        return Err(CliError::Invalid("--roles: name at least one role".into()));
    }
    Ok(bits)
}

/// The names of the roles in `bits`.
pub fn role_names(bits: u8) -> Vec<&'static str> {
    [
        (permission::ADMIN, "admin"),
        (permission::EVENT_MANAGER, "event-manager"),
        (permission::FINANCE, "finance"),
        (permission::GATEKEEPER, "gatekeeper"),
        (permission::PROPOSE, "propose"),
        (permission::VOTE, "vote"),
        (permission::EXECUTE, "execute"),
    ]
    .into_iter()
    .filter(|(b, _)| bits & b != 0)
    .map(|(_, n)| n)
    .collect()
}

/// A report of a transaction that landed: what it did, its signature and explorer link.
pub fn sent_report(what: String, json: serde_json::Value, sent: &Sent) -> Report {
    let mut json = json;
    json["signature"] = json!(sent.signature);
    json["explorer"] = json!(sent.explorer);
    Report::new(json)
        .line(what)
        .line(format!("signature {}", sent.signature))
        .line(sent.explorer.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_amounts_parse() {
        let bits = roles("admin, gatekeeper").unwrap();
        assert_eq!(role_names(bits), ["admin", "gatekeeper"]);
        assert_eq!(roles("all").unwrap(), permission::ALL);
        assert!(roles("root").is_err() && roles("").is_err());
        assert_eq!(lamports("price", "0.25").unwrap(), 250_000_000);
        assert!(lamports("price", "a lot").is_err());
    }
}
