//! Source: what the node says, over JSON-RPC (through the failover pool, which the client
//! library holds for every service) and PubSub. Answers are parsed into small serde
//! structs of our own: only the fields we use.
mod transactions;
pub mod wake;

pub use transactions::{fetch_block, fetch_transaction, transaction_from_json};

pub use bitticket_client::pool as rpc;

use serde::Deserialize;
use serde_json::{json, Value};
use solana_address::Address;
use solana_rpc_client_api::request::RpcRequest;

pub use rpc::{Breaker, Policy, RpcFailure, RpcPool};

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignatureInfo {
    pub signature: String,
    pub slot: u64,
    pub err: Option<Value>,
}

/// Signatures of transactions that mention `program`, newer than `until` (all when
/// `None`), oldest first. Pages of 1,000 newest-first (`before`) are walked back to
/// `until`. `min_slot` refuses a node that has not reached our checkpoint yet.
pub async fn signatures_since(
    pool: &RpcPool,
    program: &Address,
    until: Option<&str>,
    min_slot: u64,
    commitment: &str,
) -> Result<Vec<SignatureInfo>, RpcFailure> {
    let mut all: Vec<SignatureInfo> = Vec::new();
    let mut before: Option<String> = None;
    loop {
        let page: Vec<SignatureInfo> = pool
            .call(
                RpcRequest::GetSignaturesForAddress,
                json!([program.to_string(), {
                    "limit": 1000,
                    "before": before,
                    "until": until,
                    "commitment": commitment,
                    "minContextSlot": min_slot,
                }]),
            )
            .await?;
        let full = page.len() == 1000;
        before = page.last().map(|s| s.signature.clone());
        all.extend(page);
        if !full {
            break;
        }
    }
    all.reverse();
    Ok(all)
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error(transparent)]
    Rpc(#[from] RpcFailure),
    #[error("transaction {0} not found at the requested commitment")]
    Missing(String),
    #[error("bad address {0} in a node's answer")]
    BadAddress(String),
    #[error("account {0}: its owner or data do not parse")]
    BadData(String),
}

fn address(s: &str) -> Result<Address, SourceError> {
    s.parse()
        .map_err(|_| SourceError::BadAddress(s.to_string()))
}

use bitticket_client::filters::Memcmp;
/// An account as read: owner, lamports and data.
pub use rpc::Account as AccountData;
use rpc::{KeyedAccount, WithContext};

fn account(ui: rpc::UiAccount, key: &str) -> Result<AccountData, SourceError> {
    ui.decode()
        .ok_or_else(|| SourceError::BadData(key.to_string()))
}

/// Each keyed account of a getProgramAccounts answer, decoded; one that does not parse
/// is the node's fault and fails the read.
fn keyed(page: Vec<KeyedAccount>) -> Result<Vec<(Address, AccountData)>, SourceError> {
    page.into_iter()
        .map(|k| {
            let address = address(&k.pubkey)?;
            Ok((address, account(k.account, &k.pubkey)?))
        })
        .collect()
}

/// Every account of the program of a kind we know (one getProgramAccounts per
/// discriminator), with the slot they were read at (the oldest of the reads).
pub async fn program_accounts(
    pool: &RpcPool,
    program: &Address,
    discriminators: &'static [&'static [u8]],
    commitment: &str,
) -> Result<(u64, Vec<(Address, AccountData)>), SourceError> {
    let mut slot = u64::MAX;
    let mut out = Vec::new();
    for disc in discriminators {
        let (read_at, page) = pool
            .program_accounts(program, &[Memcmp::new(0, disc)], commitment)
            .await?;
        slot = slot.min(read_at);
        out.extend(keyed(page)?);
    }
    Ok((if slot == u64::MAX { 0 } else { slot }, out))
}

/// Every account of the program whatever its kind, for `verify` (unknown layouts too).
pub async fn all_program_accounts(
    pool: &RpcPool,
    program: &Address,
    commitment: &str,
) -> Result<(u64, Vec<(Address, AccountData)>), SourceError> {
    let (slot, page) = pool.program_accounts(program, &[], commitment).await?;
    Ok((slot, keyed(page)?))
}

/// The accounts `keys` (`None`: no such account), read together at one slot (chunks
/// of 100, the node's limit; the slot returned is the oldest of the chunks).
pub async fn accounts(
    pool: &RpcPool,
    keys: &[Address],
    commitment: &str,
    min_slot: u64,
) -> Result<(u64, Vec<Option<AccountData>>), SourceError> {
    use futures::{StreamExt, TryStreamExt};
    // chunks in flight together, answers kept in order
    let pages: Vec<_> = keys
        .chunks(100)
        .map(|chunk| accounts_page(pool, chunk.to_vec(), commitment, min_slot))
        .collect();
    let pages: Vec<(u64, Vec<Option<AccountData>>)> = futures::stream::iter(pages)
        .buffered(8)
        .try_collect()
        .await?;
    let slot = pages.iter().map(|(s, _)| *s).min().unwrap_or(min_slot);
    Ok((slot, pages.into_iter().flat_map(|(_, v)| v).collect()))
}

async fn accounts_page(
    pool: &RpcPool,
    chunk: Vec<Address>,
    commitment: &str,
    min_slot: u64,
) -> Result<(u64, Vec<Option<AccountData>>), SourceError> {
    let (slot, found) = pool
        .multiple_ui_accounts(&chunk, commitment, min_slot)
        .await?;
    let mut out = Vec::with_capacity(chunk.len());
    for (ui, key) in found.into_iter().zip(&chunk) {
        out.push(ui.map(|ui| account(ui, &key.to_string())).transpose()?);
    }
    Ok((slot, out))
}

pub async fn slot(pool: &RpcPool, commitment: &str) -> Result<u64, RpcFailure> {
    pool.call(RpcRequest::GetSlot, json!([{ "commitment": commitment }]))
        .await
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignatureStatus {
    pub slot: u64,
    pub confirmation_status: Option<String>,
}

/// Where each signature stands now (`None`: the node does not know it, so a fork dropped it).
pub async fn signature_statuses(
    pool: &RpcPool,
    signatures: &[String],
) -> Result<Vec<Option<SignatureStatus>>, RpcFailure> {
    let mut out = Vec::with_capacity(signatures.len());
    for chunk in signatures.chunks(256) {
        let page: WithContext<Vec<Option<SignatureStatus>>> = pool
            .call(
                RpcRequest::GetSignatureStatuses,
                json!([chunk, { "searchTransactionHistory": true }]),
            )
            .await?;
        if page.value.len() != chunk.len() {
            return Err(RpcFailure::Fatal {
                method: "getSignatureStatuses".into(),
                detail: format!(
                    "{} statuses for {} signatures",
                    page.value.len(),
                    chunk.len()
                ),
            });
        }
        out.extend(page.value);
    }
    Ok(out)
}
