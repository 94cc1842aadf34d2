//! The JSON-RPC shapes every caller reads and writes by hand (`getMultipleAccounts` and
//! `getProgramAccounts` answers with `"encoding": "base64"`, and the latter's request):
//! only the fields used, parsed once here for the failover pool, the sender, the CLI and
//! the indexer.
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};
use solana_address::Address;

use crate::filters::Memcmp;

/// An account as the node answered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub owner: Address,
    pub lamports: u64,
    pub data: Vec<u8>,
}

/// An account in a JSON-RPC answer (`"encoding": "base64"`): only the fields used.
#[derive(Debug, Deserialize)]
pub struct UiAccount {
    pub owner: String,
    pub lamports: u64,
    pub data: (String, String),
}

impl UiAccount {
    /// The account, or `None` when the node's owner or data do not parse.
    pub fn decode(&self) -> Option<Account> {
        Some(Account {
            owner: self.owner.parse().ok()?,
            lamports: self.lamports,
            data: base64::engine::general_purpose::STANDARD
                .decode(&self.data.0)
                .ok()?,
        })
    }
}

/// One entry of a `getProgramAccounts` answer: an address and its account.
#[derive(Debug, Deserialize)]
pub struct KeyedAccount {
    pub pubkey: String,
    pub account: UiAccount,
}

impl KeyedAccount {
    /// The address, or `None` when the node's does not parse.
    pub fn address(&self) -> Option<Address> {
        self.pubkey.parse().ok()
    }

    /// The address and the account, or `None` when either does not parse.
    pub fn decode(&self) -> Option<(Address, Account)> {
        Some((self.address()?, self.account.decode()?))
    }
}

#[derive(Debug, Deserialize)]
pub struct Context {
    pub slot: u64,
}

/// An answer with the slot it was read at.
#[derive(Debug, Deserialize)]
pub struct WithContext<T> {
    pub context: Context,
    pub value: T,
}

/// The params of `getProgramAccounts` for `program`'s accounts passing every filter of
/// `filters` (none: all of them), base64, at `commitment`; with the slot read at when
/// `with_context` (the answer is then a `WithContext<Vec<KeyedAccount>>`, else a
/// `Vec<KeyedAccount>`).
pub fn program_accounts_params(
    program: &Address,
    filters: &[Memcmp],
    commitment: &str,
    with_context: bool,
) -> Value {
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut config = json!({ "encoding": "base64", "commitment": commitment });
    if with_context {
        config["withContext"] = json!(true);
    }
    if !filters.is_empty() {
        config["filters"] = filters
            .iter()
            .map(|f| {
                json!({"memcmp": {
                    "offset": f.offset, "bytes": b64.encode(&f.bytes), "encoding": "base64",
                }})
            })
            .collect();
    }
    json!([program.to_string(), config])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keyed_account_parses_and_the_request_names_its_filters() {
        let owner = Address::new_unique();
        let answer = json!([{"pubkey": owner.to_string(), "account": {
            "owner": owner.to_string(), "lamports": 7, "data": ["AQI=", "base64"],
            "executable": false, "rentEpoch": 0, "space": 2,
        }}]);
        let keyed: Vec<KeyedAccount> = serde_json::from_value(answer).unwrap();
        let (address, account) = keyed[0].decode().unwrap();
        assert_eq!((address, account.owner), (owner, owner));
        assert_eq!((account.lamports, account.data), (7, vec![1, 2]));
        let params = program_accounts_params(&owner, &[Memcmp::new(9, &[1, 2])], "confirmed", true);
        assert_eq!(params[1]["withContext"], true);
        assert_eq!(params[1]["filters"][0]["memcmp"]["offset"], 9);
        assert_eq!(params[1]["filters"][0]["memcmp"]["bytes"], "AQI=");
        let all = program_accounts_params(&owner, &[], "finalized", false);
        assert_eq!(
            all,
            json!([owner.to_string(), {"encoding": "base64", "commitment": "finalized"}])
        );
    }
}
