//! The organizer's vault: its multisig terms, its balance and its spending limits.
use axum::extract::State;
use axum::{Extension, Json};
use serde::Serialize;

use super::tenant;
use crate::db;
use crate::domain::AccountAddress;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Path;
use crate::rbac::Caller;
use crate::startup::AppState;

#[derive(Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SpendingLimitView {
    pub limit_id: i32,
    pub mint: String,
    pub amount: String,
    pub period: String,
    pub remaining: String,
    pub members: Vec<String>,
    pub destinations: Vec<String>,
    /// Frozen by an admin or finance member: it moves nothing until a proposal thaws it.
    pub frozen: bool,
}

/// The organizer's spending limits, by id.
const SPENDING_LIMITS: &str =
    "SELECT limit_id, mint, amount::text AS amount, period, remaining::text AS remaining,
            members, destinations, frozen
     FROM spending_limits WHERE organizer = $1 ORDER BY limit_id";

#[derive(Serialize, utoipa::ToSchema)]
pub struct VaultView {
    pub organizer: String,
    pub vault: Option<String>,
    pub lamports: Option<i64>,
    pub threshold: Option<i32>,
    pub time_lock_secs: Option<i64>,
    pub spending_limits: Vec<SpendingLimitView>,
}

/// The organizer's multisig terms.
#[derive(sqlx::FromRow)]
struct VaultTerms {
    vault: String,
    threshold: i32,
    time_lock: i64,
}

const VAULT_TERMS: &str = "SELECT vault, threshold, time_lock FROM organizers WHERE pubkey = $1";

/// The vault's balance, once the mirror has read it.
const VAULT_LAMPORTS: &str = "SELECT lamports FROM vaults WHERE organizer = $1 LIMIT 1";

/// The organizer's vault: its balance and multisig terms (admin, finance, multisig).
#[utoipa::path(get, path = "/v1/organizers/{organizer}/vault", tag = "organizers", params(("organizer" = String, Path, description = "the organizer (tenant) address")), security(("bearer" = [])), responses((status = 200, body = VaultView), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "organizers.vault", skip_all, fields(%organizer))]
pub async fn vault(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(organizer): Path<AccountAddress>,
) -> Result<Json<VaultView>, ApiError> {
    let org = tenant(&caller)?;
    let mut tx = db::begin(&app.pool, caller.scope()).await?;
    let terms: Option<VaultTerms> = sqlx::query_as(VAULT_TERMS)
        .bind(&org)
        .fetch_optional(&mut *tx)
        .await?;
    let lamports: Option<i64> = sqlx::query_scalar(VAULT_LAMPORTS)
        .bind(&org)
        .fetch_optional(&mut *tx)
        .await?;
    let spending_limits: Vec<SpendingLimitView> = sqlx::query_as(SPENDING_LIMITS)
        .bind(&org)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(VaultView {
        organizer: org,
        vault: terms.as_ref().map(|t| t.vault.clone()),
        lamports,
        threshold: terms.as_ref().map(|t| t.threshold),
        time_lock_secs: terms.as_ref().map(|t| t.time_lock),
        spending_limits,
    }))
}
