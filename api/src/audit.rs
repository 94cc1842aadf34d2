//! The audit log: append-only (the API's role may insert, never update or delete). Who,
//! what, when, from where; never a secret (no token, no signature, no message text).
use serde_json::Value;
use sqlx::PgPool;

#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub tenant: Option<&'a str>,
    pub target: Option<&'a str>,
    pub outcome: &'a str,
    pub source: Option<&'a str>,
    pub detail: Value,
}

impl<'a> Entry<'a> {
    /// `actor` did `action` with `outcome`; the rest is added as known.
    pub fn new(actor: &'a str, action: &'a str, outcome: &'a str) -> Self {
        Entry {
            actor,
            action,
            tenant: None,
            target: None,
            outcome,
            source: None,
            detail: Value::Null,
        }
    }

    pub fn tenant(self, tenant: Option<&'a str>) -> Self {
        Entry { tenant, ..self }
    }

    pub fn target(self, target: Option<&'a str>) -> Self {
        Entry { target, ..self }
    }

    /// The client address the request came from.
    pub fn source(self, source: Option<&'a str>) -> Self {
        Entry { source, ..self }
    }

    pub fn detail(self, detail: Value) -> Self {
        Entry { detail, ..self }
    }

    /// Records the entry. A failed write is logged, not raised: the request's answer does
    /// not depend on it (the server log still holds the event).
    pub async fn record(self, pool: &PgPool) {
        let done = sqlx::query(
            "INSERT INTO audit_log (actor, action, tenant, target, outcome, source, detail)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(self.actor)
        .bind(self.action)
        .bind(self.tenant)
        .bind(self.target)
        .bind(self.outcome)
        .bind(self.source)
        .bind(&self.detail)
        .execute(pool)
        .await;
        if let Err(err) = done {
            tracing::error!(error = %err, action = self.action, actor = self.actor, "audit write failed");
        }
    }
}

/// Refusals (401 and 403 before any handler) are audited once per client address, reason
/// and route pattern in each window; the repeats in between are counted, and the next row
/// of the same key carries their number (`detail.repeated`). A flood of refused requests
/// writes a row a minute per key, not a row per request, and the keys held are bounded.
pub struct Refusals {
    window: std::time::Duration,
    max_keys: usize,
    seen: std::sync::Mutex<std::collections::HashMap<RefusalKey, (std::time::Instant, u64)>>,
}

type RefusalKey = (String, &'static str, &'static str);

impl Refusals {
    pub fn new(window: std::time::Duration, max_keys: usize) -> Self {
        Refusals {
            window,
            max_keys,
            seen: Default::default(),
        }
    }

    /// `Some(repeats)` when a row is due for this refusal (with how many of the same were
    /// not written since the last one), `None` when it is only counted.
    pub fn due(&self, source: &str, why: &'static str, route: &'static str) -> Option<u64> {
        let now = std::time::Instant::now();
        let Ok(mut seen) = self.seen.lock() else {
            return Some(0);
        };
        let key = (source.to_string(), why, route);
        if let Some((since, repeats)) = seen.get_mut(&key) {
            if now.duration_since(*since) < self.window {
                *repeats += 1;
                metrics::counter!("api_audit_refusals_folded_total").increment(1);
                return None;
            }
            let n = *repeats;
            *since = now;
            *repeats = 0;
            return Some(n);
        }
        if seen.len() >= self.max_keys {
            let window = self.window;
            seen.retain(|_, (since, _)| now.duration_since(*since) < window);
            if seen.len() >= self.max_keys {
                // more distinct refusers in one window than keys held: count, do not write
                metrics::counter!("api_audit_refusals_folded_total").increment(1);
                return None;
            }
        }
        seen.insert(key, (now, 0));
        Some(0)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    #[test]
    fn repeated_refusals_are_folded_into_one_row_a_window() {
        let r = super::Refusals::new(Duration::from_millis(200), 2);
        assert_eq!(r.due("1.1.1.1", "no_token", "/v1/me"), Some(0));
        for _ in 0..5 {
            assert_eq!(r.due("1.1.1.1", "no_token", "/v1/me"), None);
        }
        // another key is its own
        assert_eq!(r.due("1.1.1.1", "bad_token", "/v1/me"), Some(0));
        // the table is full: a third key is only counted
        assert_eq!(r.due("2.2.2.2", "no_token", "/v1/me"), None);
        std::thread::sleep(Duration::from_millis(250));
        // the next window's row carries the five folded repeats
        assert_eq!(r.due("1.1.1.1", "no_token", "/v1/me"), Some(5));
        // expired keys make room
        assert_eq!(r.due("2.2.2.2", "no_token", "/v1/me"), Some(0));
    }
}
