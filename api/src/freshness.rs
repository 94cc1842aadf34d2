//! How the API's dependencies are doing, and how far the mirror lags the node, read at
//! most once a second however many requests ask: readiness answers from it (so a flood of
//! `/health/ready` costs one probe a second), and the staff routes refuse to answer from a
//! mirror that lags past `BITTICKET_API_STAFF_MAX_LAG_SLOTS` (roles come from the mirror:
//! a member removed on chain must not keep staff access while the indexer stalls).
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::PgPool;

use crate::chain::Chain;
use crate::limiter::Limiter;

/// One reading of the dependencies.
#[derive(Debug, Clone)]
pub struct Probe {
    pub postgres: bool,
    /// `None` when no Redis is configured.
    pub redis: Option<bool>,
    /// The node's confirmed slot, when it answered.
    pub tip: Option<u64>,
    /// The slot the mirror is complete through.
    pub synced: Option<i64>,
}

impl Probe {
    /// Slots the mirror is behind the node; `None` when either is unknown.
    pub fn lag(&self) -> Option<i64> {
        match (self.tip, self.synced) {
            (Some(t), Some(s)) => Some(t as i64 - s),
            _ => None,
        }
    }
}

pub struct Freshness {
    every: Duration,
    last: tokio::sync::Mutex<Option<(Instant, Arc<Probe>)>>,
    /// The last lag a probe could compute, and when: one probe that misses the node or
    /// the database (a slow answer on a loaded machine) does not make the lag unknown.
    known: std::sync::Mutex<Option<(Instant, i64)>>,
}

/// How long a computed lag stands in for probes that could not compute one.
const KNOWN_LAG_LIFETIME: Duration = Duration::from_secs(15);

impl Freshness {
    pub fn new(every: Duration) -> Self {
        Freshness {
            every,
            last: tokio::sync::Mutex::new(None),
            known: std::sync::Mutex::new(None),
        }
    }

    /// The mirror's lag for the staff routes: the latest probe's, or, when it could not
    /// say, the last one computed within `KNOWN_LAG_LIFETIME`; `None` when neither.
    pub async fn lag(&self, pool: &PgPool, limiter: &Limiter, chain: &Chain) -> Option<i64> {
        let p = self.probe(pool, limiter, chain).await;
        let Ok(mut known) = self.known.lock() else {
            return p.lag();
        };
        match p.lag() {
            Some(l) => {
                *known = Some((Instant::now(), l));
                Some(l)
            }
            None => known
                .filter(|(at, _)| at.elapsed() < KNOWN_LAG_LIFETIME)
                .map(|(_, l)| l),
        }
    }

    /// The latest reading, taken now if the last is older than `every`. Concurrent callers
    /// wait for the one probe in flight instead of starting their own.
    pub async fn probe(&self, pool: &PgPool, limiter: &Limiter, chain: &Chain) -> Arc<Probe> {
        let mut last = self.last.lock().await;
        if let Some((at, p)) = last.as_ref() {
            if at.elapsed() < self.every {
                return p.clone();
            }
        }
        // the three dependencies at once; the mirror's one query also says Postgres answers
        let (synced, redis, tip) = tokio::join!(
            sqlx::query_scalar::<_, Option<i64>>("SELECT max(synced_slot) FROM checkpoints")
                .fetch_one(pool),
            limiter.redis_up(),
            tokio::time::timeout(Duration::from_secs(2), chain.slot()),
        );
        let p = Arc::new(Probe {
            postgres: synced.is_ok(),
            synced: synced.ok().flatten(),
            redis,
            tip: tip.ok().and_then(Result::ok),
        });
        *last = Some((Instant::now(), p.clone()));
        p
    }
}
