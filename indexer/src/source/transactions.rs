//! Transactions as a node answers them (getTransaction, getBlock with `encoding: json`),
//! parsed into what decode takes: every account key with whether the transaction may write
//! it, its error and its logs.
use std::collections::HashSet;

use serde::Deserialize;
use serde_json::{json, Value};
use solana_rpc_client_api::request::RpcRequest;

use super::{address, RpcPool, SourceError};
use crate::decode::RawTx;

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
