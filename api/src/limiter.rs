//! Rate limits by GCRA (the generic cell rate algorithm): each key holds one number, the
//! theoretical arrival time of its next request. A request checks all its keys (the
//! caller, the tenant, the endpoint class) in one atomic Redis script, so several API
//! instances share one budget and a refused request spends nothing.
//!
//! When Redis does not answer (within `REDIS_TIMEOUT`), each instance falls back to the
//! same algorithm in its own memory, with the same quotas: limits still hold per instance
//! (at worst N instances allow N times the budget) and the API stays up. Redis is retried
//! after `RETRY_AFTER_FAILURE`. Both paths are counted in `api_rate_limit_backend_total`.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use redis::aio::MultiplexedConnection;

/// A budget: `per_minute` requests a minute, all of which may come at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub per_minute: u32,
}

impl Quota {
    /// Emission interval and burst tolerance, in microseconds. The interval is at least
    /// 1 µs: in milliseconds, a quota above 60,000 a minute rounded it to 0, the script
    /// then set a key with no expiry, which Redis refuses, and every check fell back to
    /// memory.
    fn gcra(self) -> (i64, i64) {
        let period = 60_000_000i64;
        let t = (period / self.per_minute.max(1) as i64).max(1);
        (t, period - t)
    }
}

const SCRIPT: &str = r#"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local wait = 0
local tats = {}
for i, key in ipairs(KEYS) do
  local tau = tonumber(ARGV[2 * i])
  local tat = tonumber(redis.call('GET', key) or now)
  if tat < now then tat = now end
  tats[i] = tat
  local over = tat - tau - now
  if over > wait then wait = over end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  local nxt = tats[i] + tonumber(ARGV[2 * i - 1])
  redis.call('SET', key, nxt, 'PX', math.max(math.ceil((nxt - now) / 1000), 1))
end
return 0
"#;

pub const REDIS_TIMEOUT: Duration = Duration::from_millis(250);
pub const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(1);

struct Redis {
    client: redis::Client,
    conn: tokio::sync::Mutex<Option<MultiplexedConnection>>,
    down_until: Mutex<Option<Instant>>,
    script: redis::Script,
}

pub struct Limiter {
    prefix: String,
    redis: Option<Redis>,
    /// key -> theoretical arrival time, in ms since `epoch`
    local: Mutex<HashMap<String, i64>>,
    epoch: Instant,
}

#[derive(Debug, thiserror::Error)]
#[error("redis: {0}")]
pub struct BackendError(String);

impl Limiter {
    pub fn new(redis_url: Option<&str>, prefix: &str) -> Result<Self, BackendError> {
        let redis = match redis_url {
            Some(url) => Some(Redis {
                client: redis::Client::open(url).map_err(|e| BackendError(e.to_string()))?,
                conn: tokio::sync::Mutex::new(None),
                down_until: Mutex::new(None),
                script: redis::Script::new(SCRIPT),
            }),
            None => None,
        };
        Ok(Limiter {
            prefix: prefix.to_string(),
            redis,
            local: Mutex::new(HashMap::new()),
            epoch: Instant::now(),
        })
    }

    /// Checks and (when all allow) spends one request on every key. `Err(wait)` says how
    /// long until the request would be allowed.
    pub async fn check(&self, items: &[(String, Quota)]) -> Result<(), Duration> {
        if items.is_empty() {
            return Ok(());
        }
        let wait_us = match self.check_redis(items).await {
            Some(w) => {
                metrics::counter!("api_rate_limit_backend_total", "backend" => "redis")
                    .increment(1);
                w
            }
            None => {
                metrics::counter!("api_rate_limit_backend_total", "backend" => "local")
                    .increment(1);
                self.check_local(items)
            }
        };
        if wait_us > 0 {
            Err(Duration::from_micros(wait_us as u64))
        } else {
            Ok(())
        }
    }

    /// Whether Redis answers now (for readiness); `None` when none is configured.
    pub async fn redis_up(&self) -> Option<bool> {
        let r = self.redis.as_ref()?;
        let mut conn = match self.connection(r).await {
            Some(c) => c,
            None => return Some(false),
        };
        let pong = tokio::time::timeout(
            REDIS_TIMEOUT,
            redis::cmd("PING").query_async::<String>(&mut conn),
        )
        .await;
        Some(matches!(pong, Ok(Ok(_))))
    }

    async fn connection(&self, r: &Redis) -> Option<MultiplexedConnection> {
        if let Ok(down) = r.down_until.lock() {
            if down.is_some_and(|t| Instant::now() < t) {
                return None;
            }
        }
        let mut guard = r.conn.lock().await;
        if let Some(c) = guard.as_ref() {
            return Some(c.clone());
        }
        match tokio::time::timeout(REDIS_TIMEOUT, r.client.get_multiplexed_async_connection()).await
        {
            Ok(Ok(c)) => {
                *guard = Some(c.clone());
                Some(c)
            }
            Ok(Err(e)) => {
                self.failed(r, &e.to_string());
                None
            }
            Err(_) => {
                self.failed(r, "connect timed out");
                None
            }
        }
    }

    fn failed(&self, r: &Redis, why: &str) {
        tracing::warn!(
            error = why,
            "rate limits: redis unavailable, limiting in memory"
        );
        if let Ok(mut down) = r.down_until.lock() {
            *down = Some(Instant::now() + RETRY_AFTER_FAILURE);
        }
    }

    /// `Some(wait_us)` from Redis, `None` when it did not answer.
    async fn check_redis(&self, items: &[(String, Quota)]) -> Option<i64> {
        let r = self.redis.as_ref()?;
        let mut conn = self.connection(r).await?;
        let mut inv = r.script.prepare_invoke();
        for (key, quota) in items {
            let (t, tau) = quota.gcra();
            inv.key(format!("{}:rl:{key}", self.prefix)).arg(t).arg(tau);
        }
        match tokio::time::timeout(REDIS_TIMEOUT, inv.invoke_async::<i64>(&mut conn)).await {
            Ok(Ok(wait)) => Some(wait),
            Ok(Err(e)) => {
                *r.conn.lock().await = None;
                self.failed(r, &e.to_string());
                None
            }
            Err(_) => {
                *r.conn.lock().await = None;
                self.failed(r, "timed out");
                None
            }
        }
    }

    /// The same algorithm in this process's memory.
    fn check_local(&self, items: &[(String, Quota)]) -> i64 {
        let now = self.epoch.elapsed().as_micros() as i64;
        let Ok(mut map) = self.local.lock() else {
            return 0;
        };
        if map.len() > 100_000 {
            map.retain(|_, tat| *tat > now);
        }
        let mut wait = 0;
        let mut tats = Vec::with_capacity(items.len());
        for (key, quota) in items {
            let (_, tau) = quota.gcra();
            let tat = map.get(key).copied().unwrap_or(now).max(now);
            wait = wait.max(tat - tau - now);
            tats.push(tat);
        }
        if wait > 0 {
            return wait;
        }
        for ((key, quota), tat) in items.iter().zip(tats) {
            map.insert(key.clone(), tat + quota.gcra().0);
        }
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quota_above_one_a_millisecond_keeps_its_interval() {
        // microseconds: a million a minute is one every 60 µs, not 0 (it was 0 in ms)
        assert_eq!(
            Quota {
                per_minute: 1_000_000
            }
            .gcra(),
            (60, 59_999_940)
        );
        assert_eq!(Quota { per_minute: 60 }.gcra(), (1_000_000, 59_000_000));
        assert_eq!(
            Quota {
                per_minute: u32::MAX
            }
            .gcra()
            .0,
            1
        );
    }

    #[tokio::test]
    async fn in_memory_the_quota_is_exact_and_a_refusal_spends_nothing() {
        let l = Limiter::new(None, "t").expect("limiter");
        let user = Quota { per_minute: 5 };
        let tenant = Quota { per_minute: 7 };
        for _ in 0..5 {
            assert!(l
                .check(&[("u1".into(), user), ("a".into(), tenant)])
                .await
                .is_ok());
        }
        let wait = l
            .check(&[("u1".into(), user), ("a".into(), tenant)])
            .await
            .unwrap_err();
        assert!(
            wait <= Duration::from_secs(12) && wait > Duration::from_secs(11),
            "{wait:?}"
        );
        // u1's refusal spent nothing of the tenant: u2 gets its remaining 2
        for _ in 0..2 {
            assert!(l
                .check(&[("u2".into(), user), ("a".into(), tenant)])
                .await
                .is_ok());
        }
        assert!(l
            .check(&[("u2".into(), user), ("a".into(), tenant)])
            .await
            .is_err());
    }
}
