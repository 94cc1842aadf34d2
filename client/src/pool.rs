//! Several JSON-RPC endpoints behind one call: each has a health score and a circuit
//! breaker; a call goes to the healthiest endpoint whose breaker lets it through, and on a
//! timeout, a 429, a 5xx or an unhealthy node it backs off (full jitter) and fails over.
//! Every call the indexer makes is a read, and progress is the checkpoint in Postgres, so
//! a retried or failed-over call can neither lose nor double anything.
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::Rng;
use serde::de::DeserializeOwned;
use serde_json::Value;
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::client_error::{Error as ClientError, ErrorKind};
use solana_rpc_client_api::request::{RpcError, RpcRequest};

#[derive(Debug, thiserror::Error)]
pub enum RpcFailure {
    /// The request itself is wrong (bad params, an answer we cannot parse): no endpoint
    /// will do better.
    #[error("{method}: {detail}")]
    Fatal { method: String, detail: String },
    #[error("{method}: every endpoint failed after {attempts} attempts; last: {last}")]
    Exhausted {
        method: String,
        attempts: usize,
        last: String,
    },
}

#[derive(Debug, Clone)]
pub struct Policy {
    /// Consecutive failures that open an endpoint's breaker.
    pub failure_threshold: u32,
    /// How long an open breaker refuses calls before letting one through (half-open).
    pub open_for: Duration,
    pub max_attempts: usize,
    pub base_backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            failure_threshold: 3,
            open_for: Duration::from_secs(5),
            max_attempts: 12,
            base_backoff: Duration::from_millis(50),
            max_backoff: Duration::from_secs(2),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breaker {
    Closed,
    Open,
    HalfOpen,
}

#[derive(Debug)]
struct Health {
    /// Moving average of successes (1.0 healthy, 0.0 failing).
    score: f64,
    consecutive_failures: u32,
    open_until: Option<Instant>,
}

pub struct Endpoint {
    pub url: String,
    client: RpcClient,
    health: Mutex<Health>,
}

impl Endpoint {
    fn breaker(&self, now: Instant) -> Breaker {
        let h = self.health.lock().unwrap_or_else(|e| e.into_inner());
        match h.open_until {
            None => Breaker::Closed,
            Some(t) if now < t => Breaker::Open,
            Some(_) => Breaker::HalfOpen,
        }
    }

    fn score(&self) -> f64 {
        self.health.lock().unwrap_or_else(|e| e.into_inner()).score
    }

    fn record(&self, ok: bool, policy: &Policy) {
        let mut h = self.health.lock().unwrap_or_else(|e| e.into_inner());
        h.score = 0.8 * h.score + if ok { 0.2 } else { 0.0 };
        if ok {
            h.consecutive_failures = 0;
            h.open_until = None;
        } else {
            h.consecutive_failures += 1;
            let half_open_failed = h.open_until.is_some();
            if half_open_failed || h.consecutive_failures >= policy.failure_threshold {
                h.open_until = Some(Instant::now() + policy.open_for);
            }
        }
        let state = match h.open_until {
            None => 0.0,
            Some(_) => 1.0,
        };
        metrics::gauge!("indexer_rpc_breaker_open", "endpoint" => self.url.clone()).set(state);
        metrics::gauge!("indexer_rpc_health", "endpoint" => self.url.clone()).set(h.score);
    }
}

pub struct RpcPool {
    endpoints: Vec<Endpoint>,
    policy: Policy,
}

impl RpcPool {
    pub fn new(urls: &[String], timeout: Duration, policy: Policy) -> Self {
        let endpoints = urls
            .iter()
            .map(|url| Endpoint {
                url: url.clone(),
                client: RpcClient::new_with_timeout_and_commitment(
                    url.clone(),
                    timeout,
                    CommitmentConfig::confirmed(),
                ),
                health: Mutex::new(Health {
                    score: 1.0,
                    consecutive_failures: 0,
                    open_until: None,
                }),
            })
            .collect();
        Self { endpoints, policy }
    }

    pub fn breakers(&self) -> Vec<(String, Breaker)> {
        let now = Instant::now();
        self.endpoints
            .iter()
            .map(|e| (e.url.clone(), e.breaker(now)))
            .collect()
    }

    /// The endpoint to try: the healthiest one whose breaker is not open (list order
    /// breaks ties), else none.
    fn pick(&self) -> Option<&Endpoint> {
        let now = Instant::now();
        self.endpoints
            .iter()
            .filter(|e| e.breaker(now) != Breaker::Open)
            .fold(None, |best: Option<&Endpoint>, e| match best {
                Some(b) if b.score() >= e.score() => Some(b),
                _ => Some(e),
            })
    }

    /// One JSON-RPC call with failover.
    pub async fn call<T: DeserializeOwned>(
        &self,
        request: RpcRequest,
        params: Value,
    ) -> Result<T, RpcFailure> {
        let method = request.to_string();
        let mut last = String::from("no endpoint available");
        for attempt in 0..self.policy.max_attempts {
            if attempt > 0 {
                tokio::time::sleep(self.backoff(attempt)).await;
            }
            let Some(endpoint) = self.pick() else {
                continue;
            };
            match endpoint.client.send::<T>(request, params.clone()).await {
                Ok(value) => {
                    endpoint.record(true, &self.policy);
                    return Ok(value);
                }
                Err(e) => match classify(&e) {
                    Class::Fatal => {
                        return Err(RpcFailure::Fatal {
                            method,
                            detail: e.to_string(),
                        })
                    }
                    Class::Retry => {
                        metrics::counter!("indexer_rpc_errors", "endpoint" => endpoint.url.clone())
                            .increment(1);
                        tracing::warn!(endpoint = %endpoint.url, %method, error = %e, "rpc call failed");
                        endpoint.record(false, &self.policy);
                        last = format!("{}: {e}", endpoint.url);
                    }
                },
            }
        }
        Err(RpcFailure::Exhausted {
            method,
            attempts: self.policy.max_attempts,
            last,
        })
    }

    /// Full jitter: uniform in [0, min(max, base * 2^attempt)].
    fn backoff(&self, attempt: usize) -> Duration {
        let exp = self
            .policy
            .base_backoff
            .saturating_mul(1u32 << attempt.min(16))
            .min(self.policy.max_backoff);
        let ms = exp.as_millis().max(1) as u64;
        Duration::from_millis(rand::rng().random_range(0..=ms))
    }
}

enum Class {
    Fatal,
    Retry,
}

/// Invalid params and answers we cannot parse are our fault; everything else (transport,
/// timeouts, 429, 5xx, node behind or unhealthy) may go better elsewhere.
fn classify(e: &ClientError) -> Class {
    match e.kind() {
        ErrorKind::SerdeJson(_) => Class::Fatal,
        ErrorKind::RpcError(RpcError::RpcResponseError { code, .. }) if *code == -32602 => {
            Class::Fatal
        }
        ErrorKind::RpcError(RpcError::ParseError(_)) => Class::Fatal,
        _ => Class::Retry,
    }
}
