//! Source: what the node says, over JSON-RPC (through the failover pool, which the client
//! library holds for every service) and PubSub. Answers are parsed into small serde
//! structs of our own: only the fields we use.
pub mod wake;

pub use bitticket_client::pool as rpc;

use std::collections::HashSet;

use serde::Deserialize;
use serde_json::{json, Value};
use solana_address::Address;
use solana_rpc_client_api::request::RpcRequest;

use crate::decode::RawTx;
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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TxResponse {
    slot: u64,
    block_time: Option<i64>,
    meta: Option<TxMeta>,
    transaction: TxJson,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TxMeta {
    err: Option<Value>,
    log_messages: Option<Vec<String>>,
    loaded_addresses: Option<Loaded>,
    #[serde(default)]
    pre_token_balances: Option<Vec<TokenBalance>>,
    #[serde(default)]
    post_token_balances: Option<Vec<TokenBalance>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenBalance {
    account_index: usize,
}

#[derive(Deserialize, Default)]
struct Loaded {
    writable: Vec<String>,
    readonly: Vec<String>,
}

#[derive(Deserialize)]
struct TxJson {
    signatures: Vec<String>,
    message: Message,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BlockResponse {
    block_time: Option<i64>,
    transactions: Vec<BlockTx>,
}

#[derive(Deserialize)]
struct BlockTx {
    meta: Option<TxMeta>,
    transaction: TxJson,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Message {
    account_keys: Vec<String>,
    header: Header,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Header {
    num_required_signatures: usize,
    num_readonly_signed_accounts: usize,
    num_readonly_unsigned_accounts: usize,
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

/// One transaction, with its accounts (and whether each is writable) and its logs.
pub async fn fetch_transaction(
    pool: &RpcPool,
    signature: &str,
    commitment: &str,
) -> Result<RawTx, SourceError> {
    let tx: Option<TxResponse> = pool
        .call(
            RpcRequest::GetTransaction,
            json!([signature, {
                "encoding": "json",
                "commitment": commitment,
                "maxSupportedTransactionVersion": 0,
            }]),
        )
        .await?;
    let tx = tx.ok_or_else(|| SourceError::Missing(signature.to_string()))?;
    raw_tx(
        signature.to_string(),
        tx.slot,
        tx.block_time,
        tx.meta,
        &tx.transaction,
    )
}

/// A getTransaction answer (`encoding: json`) as decode takes it: the parsing
/// `fetch_transaction` applies to what a node returns, for answers captured earlier (the
/// tests' fixtures) or received another way.
pub fn transaction_from_json(signature: &str, answer: Value) -> Result<RawTx, SourceError> {
    let tx: TxResponse = serde_json::from_value(answer)
        .map_err(|e| SourceError::BadData(format!("transaction {signature}: {e}")))?;
    raw_tx(
        signature.to_string(),
        tx.slot,
        tx.block_time,
        tx.meta,
        &tx.transaction,
    )
}

/// The transactions `wanted` of the block at `slot`, in the block's order: one getBlock
/// for all of them, where a slot holds many of the program's transactions (a transaction
/// of the block not in `wanted` is skipped; one of `wanted` not in the block is absent).
pub async fn fetch_block(
    pool: &RpcPool,
    slot: u64,
    wanted: &HashSet<&str>,
    commitment: &str,
) -> Result<Vec<RawTx>, SourceError> {
    let block: Option<BlockResponse> = pool
        .call(
            RpcRequest::GetBlock,
            json!([slot, {
                "encoding": "json",
                "transactionDetails": "full",
                "rewards": false,
                "commitment": commitment,
                "maxSupportedTransactionVersion": 0,
            }]),
        )
        .await?;
    let block = block.ok_or_else(|| SourceError::Missing(format!("block {slot}")))?;
    let mut out = Vec::with_capacity(wanted.len());
    for tx in block.transactions {
        let Some(signature) = tx.transaction.signatures.first() else {
            continue;
        };
        if wanted.contains(signature.as_str()) {
            out.push(raw_tx(
                signature.clone(),
                slot,
                block.block_time,
                tx.meta,
                &tx.transaction,
            )?);
        }
    }
    Ok(out)
}

/// A transaction of either answer into what decode takes: every account key with whether
/// the transaction may write it (static keys by the header's counts, then the ones loaded
/// from lookup tables), its error and its logs.
fn raw_tx(
    signature: String,
    slot: u64,
    block_time: Option<i64>,
    meta: Option<TxMeta>,
    transaction: &TxJson,
) -> Result<RawTx, SourceError> {
    let h = &transaction.message.header;
    let keys = &transaction.message.account_keys;
    let n = keys.len();
    let mut accounts = Vec::with_capacity(n);
    for (i, k) in keys.iter().enumerate() {
        let writable = if i < h.num_required_signatures {
            i < h
                .num_required_signatures
                .saturating_sub(h.num_readonly_signed_accounts)
        } else {
            i < n.saturating_sub(h.num_readonly_unsigned_accounts)
        };
        accounts.push((address(k)?, writable));
    }
    if let Some(loaded) = meta.as_ref().and_then(|m| m.loaded_addresses.as_ref()) {
        for k in &loaded.writable {
            accounts.push((address(k)?, true));
        }
        for k in &loaded.readonly {
            accounts.push((address(k)?, false));
        }
    }
    let mut token_accounts: Vec<usize> = meta
        .iter()
        .flat_map(|m| m.pre_token_balances.iter().chain(&m.post_token_balances))
        .flatten()
        .map(|b| b.account_index)
        .collect();
    token_accounts.sort_unstable();
    token_accounts.dedup();
    Ok(RawTx {
        signature,
        token_accounts,
        slot,
        block_time,
        accounts,
        signers: h.num_required_signatures,
        err: meta
            .as_ref()
            .and_then(|m| m.err.as_ref())
            .map(|e| e.to_string()),
        logs: meta.and_then(|m| m.log_messages),
    })
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
