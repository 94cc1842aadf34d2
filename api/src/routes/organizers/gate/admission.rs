//! Single use: the first admit of a ticket is recorded in Postgres (across API instances);
//! a later scan learns who admitted it first, and when.
use sha2::Digest;

use super::{AppState, Scanned};
use crate::db;
use crate::error::ApiError;
use crate::rbac::Caller;

/// The first admission of a ticket.
#[derive(sqlx::FromRow)]
pub(super) struct FirstAdmission {
    /// A gatekeeper's wallet or `service:<name>`.
    pub gate: String,
    /// Unix seconds.
    pub at: i64,
}

/// Records the admission, unless the ticket has one (then nothing is returned).
const ADMIT: &str =
    "INSERT INTO admissions (ticket, organizer, event, holder, gate, payload_sha256)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (ticket) DO NOTHING RETURNING ticket";

const FIRST_ADMISSION: &str =
    "SELECT gate, extract(epoch FROM at)::bigint AS at FROM admissions WHERE ticket = $1";

/// Admits the scanned ticket for this scan of `payload`, or returns the first admission
/// when there was one.
pub(super) async fn admit(
    app: &AppState,
    caller: &Caller,
    org: &str,
    scanned: &Scanned,
    payload: &str,
) -> Result<Option<FirstAdmission>, ApiError> {
    let digest: Vec<u8> = sha2::Sha256::digest(payload.as_bytes()).to_vec();
    let mut tx = db::begin(&app.pool, caller.scope()).await?;
    let admitted: Option<String> = sqlx::query_scalar(ADMIT)
        .bind(&scanned.ticket)
        .bind(org)
        .bind(&scanned.event)
        .bind(&scanned.holder)
        .bind(caller.identity.actor())
        .bind(&digest)
        .fetch_optional(&mut *tx)
        .await?;
    let first: Option<FirstAdmission> = match admitted {
        Some(_) => None,
        None => {
            sqlx::query_as(FIRST_ADMISSION)
                .bind(&scanned.ticket)
                .fetch_optional(&mut *tx)
                .await?
        }
    };
    tx.commit().await?;
    Ok(first)
}
