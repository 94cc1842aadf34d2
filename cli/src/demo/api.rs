//! The demo's calls to the API, as a well-behaved client makes them: signed in per wallet,
//! a 503 retried, the mirror polled until it shows what the chain did, lists paged.
use std::time::Duration;

use anyhow::{bail, Result};
use serde_json::Value;
use solana_keypair::Keypair;

use super::Demo;
use crate::api::{get, post, sign_in};
use crate::error::CliError;

impl Demo {
    pub(super) async fn token(&self, k: &Keypair) -> Result<String> {
        Ok(sign_in(&self.ctx(k), &self.http, &self.opts.api_url).await?)
    }

    /// A GET as a well-behaved client makes it: a 503 (a dependency away for a moment,
    /// `Retry-After: 1`) is retried for up to 30 s.
    pub(super) async fn api(&self, token: &str, path: &str) -> Result<Value> {
        for _ in 0..30 {
            match get(&self.http, &self.opts.api_url, path, token).await {
                Err(CliError::Api(m)) if m.starts_with("503") => {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                other => return Ok(other?),
            }
        }
        Ok(get(&self.http, &self.opts.api_url, path, token).await?)
    }

    /// Polls `path` until `done` holds (the indexer mirrors within a few slots).
    pub(super) async fn api_until(
        &self,
        token: &str,
        path: &str,
        done: impl Fn(&Value) -> bool,
    ) -> Result<Value> {
        for _ in 0..240 {
            let v = self.api(token, path).await?;
            if done(&v) {
                return Ok(v);
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        bail!("the API did not show the expected state of {path} within 60 s")
    }

    /// Every page of a paginated list.
    pub(super) async fn all(&self, token: &str, path: &str) -> Result<Vec<Value>> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let sep = if path.contains('?') { '&' } else { '?' };
            let url = match &cursor {
                Some(c) => format!("{path}{sep}limit=100&cursor={c}"),
                None => format!("{path}{sep}limit=100"),
            };
            let page = self.api(token, &url).await?;
            items.extend(page["items"].as_array().cloned().unwrap_or_default());
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => return Ok(items),
            }
        }
    }

    /// Posts a scanned QR code to the organizer's gate: the API's decision.
    pub(super) async fn verify(&self, token: &str, path: &str, payload: &str) -> Result<Value> {
        Ok(post(
            &self.http,
            &self.opts.api_url,
            path,
            Some(token),
            serde_json::json!({"payload": payload}),
        )
        .await?)
    }

    /// Posts `body` to `path` with `token`.
    pub(super) async fn api_post(&self, token: &str, path: &str, body: Value) -> Result<Value> {
        Ok(post(&self.http, &self.opts.api_url, path, Some(token), body).await?)
    }

    /// Posts the QR until the API refuses it (the mirror has caught up with the check-in).
    pub(super) async fn api_until_post(
        &self,
        token: &str,
        path: &str,
        payload: &str,
    ) -> Result<Value> {
        for _ in 0..240 {
            let v = self.verify(token, path, payload).await?;
            if v["admit"] == false {
                return Ok(v);
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        bail!("the API still admits a checked-in ticket after 60 s")
    }
}
