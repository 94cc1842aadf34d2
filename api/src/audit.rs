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

/// Records `e`. A failed write is logged, not raised: the request's answer does not
/// depend on it (the server log still holds the event).
pub async fn record(pool: &PgPool, e: Entry<'_>) {
    let done = sqlx::query(
        "INSERT INTO audit_log (actor, action, tenant, target, outcome, source, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(e.actor)
    .bind(e.action)
    .bind(e.tenant)
    .bind(e.target)
    .bind(e.outcome)
    .bind(e.source)
    .bind(&e.detail)
    .execute(pool)
    .await;
    if let Err(err) = done {
        tracing::error!(error = %err, action = e.action, actor = e.actor, "audit write failed");
    }
}
