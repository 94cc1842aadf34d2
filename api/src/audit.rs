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
