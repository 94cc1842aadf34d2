//! One module per resource, each with its clap subcommands and what they do.
pub mod event;
pub mod gate;
pub mod organizer;
pub mod ticket;
pub mod vault;

use serde_json::json;

use crate::ctx::Sent;
use crate::error::CliError;
use crate::output::Report;

/// SOL as typed (`1.5`) to lamports.
pub fn lamports(what: &str, s: &str) -> Result<u64, CliError> {
    solana_native_token::sol_str_to_lamports(s)
        .ok_or_else(|| CliError::Invalid(format!("{what} {s:?} is not an amount of SOL")))
}

/// `admin,event_manager,...` (also `multisig`, `all`) to the program's permission bits.
pub fn roles(s: &str) -> Result<u8, CliError> {
    bitticket_client::names::parse_roles(s).map_err(|e| CliError::Invalid(e.to_string()))
}

pub use bitticket_client::names::role_names;

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
        assert_eq!(roles("all").unwrap(), bitticket::state::permission::ALL);
        assert!(roles("root").is_err() && roles("").is_err());
        assert_eq!(lamports("price", "0.25").unwrap(), 250_000_000);
        assert!(lamports("price", "a lot").is_err());
    }
}
