//! Captures real transactions once: runs the scripted sale on the validator at
//! BITTICKET_TEST_RPC, then saves the node's getTransaction answer for every program
//! transaction since, with what the script did, to `indexer/tests/fixtures/` (the replay
//! test decodes them without a node). Run from the workspace root:
//!   cargo run -p bitticket-testkit --bin capture -- [BUYERS]
use anyhow::Context;
use bitticket_client::rpc::RpcSender;
use bitticket_testkit::chain::{rpc_url, scripted_sale};
use serde_json::{json, Value};
use solana_rpc_client_api::request::RpcRequest;

const OUT: &str = "indexer/tests/fixtures/scripted_sale.json";

async fn call(rpc: &RpcSender, request: RpcRequest, params: Value) -> anyhow::Result<Value> {
    Ok(rpc.client.send::<Value>(request, params).await?)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let buyers: usize = std::env::args()
        .nth(1)
        .map(|b| b.parse())
        .transpose()
        .context("BUYERS must be a number")?
        .unwrap_or(4);
    let rpc = RpcSender::new(&rpc_url());
    let program = bitticket::ID.to_string();
    let before = call(
        &rpc,
        RpcRequest::GetSignaturesForAddress,
        json!([program, {"limit": 1, "commitment": "confirmed"}]),
    )
    .await?;
    let marker = before[0]["signature"].as_str().map(str::to_string);
    let expected = scripted_sale(&rpc, buyers).await;
    // every program signature after the marker, newest first, then oldest first
    let mut sigs: Vec<String> = Vec::new();
    let mut before_sig: Option<String> = None;
    loop {
        let mut opts = json!({"limit": 1000, "commitment": "confirmed"});
        if let Some(m) = &marker {
            opts["until"] = json!(m);
        }
        if let Some(b) = &before_sig {
            opts["before"] = json!(b);
        }
        let page = call(
            &rpc,
            RpcRequest::GetSignaturesForAddress,
            json!([program, opts]),
        )
        .await?;
        let page = page.as_array().context("signatures")?;
        if page.is_empty() {
            break;
        }
        for s in page {
            sigs.push(s["signature"].as_str().context("signature")?.to_string());
        }
        before_sig = sigs.last().cloned();
    }
    sigs.reverse();
    let mut transactions = Vec::with_capacity(sigs.len());
    for sig in &sigs {
        let answer = call(
            &rpc,
            RpcRequest::GetTransaction,
            json!([sig, {"encoding": "json", "commitment": "confirmed",
                         "maxSupportedTransactionVersion": 0}]),
        )
        .await?;
        transactions.push(json!({"signature": sig, "answer": answer}));
    }
    let fixture = json!({
        "captured_from": "solana-test-validator (agave 4.2.2), scripts/services.sh",
        "buyers": buyers,
        "expected": expected,
        "transactions": transactions,
    });
    std::fs::write(OUT, serde_json::to_string_pretty(&fixture)? + "\n")
        .with_context(|| format!("writing {OUT}"))?;
    println!("{} transactions captured to {OUT}", sigs.len());
    Ok(())
}
