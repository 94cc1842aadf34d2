//! Wake-ups for the live tail: a `logsSubscribe` (mentions of the program) on the first
//! websocket that answers. A notification only says "poll now": what is ingested always
//! comes from getSignaturesForAddress from the checkpoint on, so a dropped socket, a
//! missed or doubled notification cannot make a gap or a double. While no socket is up,
//! the tail polls on its timer.
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use solana_address::Address;
use solana_commitment_config::CommitmentConfig;
use solana_pubsub_client::nonblocking::pubsub_client::PubsubClient;
use solana_rpc_client_api::config::{RpcTransactionLogsConfig, RpcTransactionLogsFilter};
use tokio::sync::Notify;

/// Runs until the task is dropped: subscribes, forwards notifications, reconnects with
/// backoff, moving down the list of endpoints.
pub async fn run(urls: Vec<String>, program: Address, wake: Arc<Notify>) {
    if urls.is_empty() {
        return;
    }
    let mut failures: u32 = 0;
    for full in urls.iter().cycle() {
        // what logs show: no key from the URL
        let url = bitticket_client::redact_url(full);
        match PubsubClient::new(full.as_str()).await {
            Ok(client) => {
                let sub = client
                    .logs_subscribe(
                        RpcTransactionLogsFilter::Mentions(vec![program.to_string()]),
                        RpcTransactionLogsConfig {
                            commitment: Some(CommitmentConfig::confirmed()),
                        },
                    )
                    .await;
                match sub {
                    Ok((mut stream, _unsubscribe)) => {
                        tracing::info!(%url, "websocket subscribed");
                        metrics::gauge!("indexer_websocket_up").set(1.0);
                        failures = 0;
                        while stream.next().await.is_some() {
                            wake.notify_one();
                        }
                        tracing::warn!(%url, "websocket closed; polling until it is back");
                    }
                    Err(e) => {
                        let error = bitticket_client::redact_in(&e.to_string(), full);
                        tracing::warn!(%url, %error, "logsSubscribe failed")
                    }
                }
            }
            Err(e) => {
                let error = bitticket_client::redact_in(&e.to_string(), full);
                tracing::warn!(%url, %error, "websocket connect failed")
            }
        }
        metrics::gauge!("indexer_websocket_up").set(0.0);
        failures = failures.saturating_add(1);
        let ms = 100u64.saturating_mul(1 << failures.min(6)).min(5_000);
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
}
