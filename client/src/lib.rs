//! The BitTicket client library: addresses (PDAs with their canonical bumps, the ticket
//! mint a purchase should use), instruction builders, account filters, the gate's
//! decision and one name table; with `rpc`, everything that talks to a node (the sender
//! for whoever signs, the failover pool for the services, the JSON-RPC shapes). The
//! program tests, the demo and the bench use it through LiteSVM; the indexer, the API and
//! the CLI use it over RPC.
use solana_address::Address;

pub mod accounts;
pub mod amount;
pub mod filters;
pub mod gate;
pub mod instructions;
pub mod names;
pub mod pass;
pub mod pda;
#[cfg(feature = "rpc")]
pub mod pool;
#[cfg(feature = "rpc")]
pub mod rpc;
#[cfg(feature = "rpc")]
pub mod wire;

pub use filters::offsets;
pub use instructions::*;
pub use pda::*;

pub use bitticket::instructions::TicketBumps;
pub use bitticket::ID as PROGRAM_ID;

pub const SYSTEM: Address = solana_sdk_ids::system_program::ID;
pub const CLOCK: Address = solana_sdk_ids::sysvar::clock::ID;
/// The owner of every sysvar account.
pub const SYSVAR: Address = solana_sdk_ids::sysvar::ID;
pub const TOKEN: Address = anchor_spl::token::ID;
pub const TOKEN_2022: Address = anchor_spl::token_2022::ID;
/// The token program of every ticket's mint: Token-2022, for the metadata wallets show.
pub const TICKET_TOKEN: Address = TOKEN_2022;
pub const ATA_PROGRAM: Address = anchor_spl::associated_token::ID;

/// An endpoint's URL as logs, metrics labels and error messages may show it: scheme, host
/// and port only. Providers put API keys in the path, the query or the user part
/// (`https://key@host/`, `https://host/v2/<key>`, `?api-key=`), so everything after the
/// authority becomes `/…`, and any user part goes.
pub fn redact_url(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (Some(s), r),
        None => (None, url),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let tail = if rest[end..].trim_start_matches('/').is_empty() {
        ""
    } else {
        "/…"
    };
    match scheme {
        Some(s) => format!("{s}://{host}{tail}"),
        None => format!("{host}{tail}"),
    }
}

/// `text` (an error message, say) with every occurrence of `url` redacted.
pub fn redact_in(text: &str, url: &str) -> String {
    if url.is_empty() {
        return text.to_string();
    }
    text.replace(url, &redact_url(url))
}

#[cfg(test)]
mod redact_tests {
    #[test]
    fn keys_in_urls_never_show() {
        use super::{redact_in, redact_url};
        assert_eq!(redact_url("http://127.0.0.1:8899"), "http://127.0.0.1:8899");
        assert_eq!(
            redact_url("http://127.0.0.1:8899/"),
            "http://127.0.0.1:8899"
        );
        assert_eq!(
            redact_url("https://mainnet.helius-rpc.com/?api-key=SECRET"),
            "https://mainnet.helius-rpc.com/…"
        );
        assert_eq!(
            redact_url("https://solana-mainnet.g.alchemy.com/v2/SECRET"),
            "https://solana-mainnet.g.alchemy.com/…"
        );
        assert_eq!(
            redact_url("wss://user:SECRET@rpc.example:443/ws"),
            "wss://rpc.example:443/…"
        );
        assert_eq!(
            redact_url("postgres://indexer:SECRET@db:5432/bitticket"),
            "postgres://db:5432/…"
        );
        let e = "error sending request for url (https://h.example/SECRET)";
        assert!(!redact_in(e, "https://h.example/SECRET").contains("SECRET"));
    }
}
