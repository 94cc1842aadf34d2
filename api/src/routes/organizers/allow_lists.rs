//! A tier phase's allow-list, uploaded by the organizer's event managers: the API builds
//! the Merkle root the chain gets (`bitticket::allow_list`, as the program verifies it),
//! keeps the wallets in tree order, and serves each listed wallet its proof
//! (`GET /v1/events/{event}/allow-lists/{tier}/{phase}/proof`; the purchase route fills it
//! in when the buyer sends none).
use axum::extract::State;
use axum::{Extension, Json};
use bitticket::allow_list;
use serde::{Deserialize, Serialize};

use super::{require_own_event, tenant};
use crate::db;
use crate::domain::AccountAddress;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json as Body, Path};
use crate::rbac::Caller;
use crate::startup::AppState;

/// The most wallets one list may name (a proof of 17 nodes; the program takes 20).
pub const MAX_WALLETS: usize = 100_000;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AllowListUpload {
    /// The wallets allowed to buy in the phase, each once.
    pub wallets: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AllowListSaved {
    /// The Merkle root (hex): what the tier's phase must hold on chain.
    pub root: String,
    pub wallets: usize,
    /// Whether the mirror's tier phase holds this root now (false: set it with the tier,
    /// e.g. `bitticket event tier ... --phase ...,FILE`); null when the mirror has no such
    /// tier phase yet.
    pub on_chain: Option<bool>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The leaves of `wallets` for one phase of one tier, in order.
fn leaves(
    event: &AccountAddress,
    tier: u8,
    phase: u8,
    wallets: &[AccountAddress],
) -> Vec<[u8; 32]> {
    wallets
        .iter()
        .map(|w| allow_list::leaf(&event.0, tier, phase, &w.0))
        .collect()
}

fn indexes(tier: u8, phase: u8) -> Result<(), ApiError> {
    if usize::from(tier) >= usize::from(bitticket::constants::MAX_TIERS) {
        return Err(ApiError::BadRequest(format!(
            "path `tier`: {tier} is not a tier index (0 to 7)"
        )));
    }
    if usize::from(phase) >= usize::from(bitticket::constants::MAX_PHASES) {
        return Err(ApiError::BadRequest(format!(
            "path `phase`: {phase} is not a phase index (0 to 3)"
        )));
    }
    Ok(())
}

/// Saves a tier phase's allow-list and answers its Merkle root.
///
/// For the organizer's admins and event managers. Replaces the list the phase had here; the
/// root goes on chain with the tier (`create_tier`/`update_tier`), before the event's sale.
#[utoipa::path(put, path = "/v1/organizers/{organizer}/events/{event}/allow-lists/{tier}/{phase}", tag = "organizers", params(("organizer" = String, Path, description = "the organizer (tenant) address"), ("event" = String, Path), ("tier" = u8, Path), ("phase" = u8, Path)), request_body = AllowListUpload, security(("bearer" = [])), responses((status = 200, body = AllowListSaved), (status = 404, description = "no such event of this organizer", body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "organizers.allow_list", skip_all, fields(%organizer, %event, tier, phase))]
pub async fn put_allow_list(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((organizer, event, tier, phase)): Path<(AccountAddress, AccountAddress, u8, u8)>,
    Body(req): Body<AllowListUpload>,
) -> Result<Json<AllowListSaved>, ApiError> {
    indexes(tier, phase)?;
    let org = tenant(&caller)?;
    if req.wallets.is_empty() || req.wallets.len() > MAX_WALLETS {
        return Err(ApiError::BadRequest(format!(
            "field `wallets`: 1 to {MAX_WALLETS} wallets"
        )));
    }
    let mut wallets: Vec<AccountAddress> = Vec::with_capacity(req.wallets.len());
    let mut seen = std::collections::HashSet::new();
    for (i, w) in req.wallets.iter().enumerate() {
        let a: AccountAddress = w.parse().map_err(|_| {
            ApiError::BadRequest(format!("field `wallets[{i}]`: not a base58 address"))
        })?;
        if !seen.insert(a.0) {
            return Err(ApiError::BadRequest(format!(
                "field `wallets[{i}]`: {w} is listed twice"
            )));
        }
        wallets.push(a);
    }
    let root = allow_list::root(&leaves(&event, tier, phase, &wallets))
        .ok_or_else(|| ApiError::internal("empty allow-list"))?;
    let root = hex(&root);
    let mut tx = db::begin(&app.pool, caller.scope()).await?;
    require_own_event(&mut tx, &event, &org).await?;
    let texts: Vec<String> = wallets.iter().map(|w| w.to_string()).collect();
    sqlx::query(
        "INSERT INTO allow_lists (event, tier, phase, organizer, root, wallets, uploaded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (event, tier, phase) DO UPDATE SET root = excluded.root,
           wallets = excluded.wallets, uploaded_by = excluded.uploaded_by, uploaded_at = now()",
    )
    .bind(event.to_string())
    .bind(i32::from(tier))
    .bind(i32::from(phase))
    .bind(&org)
    .bind(&root)
    .bind(&texts)
    .bind(caller.identity.actor())
    .execute(&mut *tx)
    .await?;
    let held: Option<Option<String>> = sqlx::query_scalar(
        "SELECT phases -> $3 ->> 'allow_list' FROM tiers WHERE event = $1 AND index = $2",
    )
    .bind(event.to_string())
    .bind(i32::from(tier))
    .bind(i32::from(phase))
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    crate::audit::Entry::new(&caller.identity.actor(), "allow_list_saved", "ok")
        .tenant(Some(&org))
        .target(Some(&event.to_string()))
        .source(caller.source.as_deref())
        .detail(serde_json::json!({ "tier": tier, "phase": phase, "wallets": wallets.len(), "root": root }))
        .record(&app.pool)
        .await;
    Ok(Json(AllowListSaved {
        on_chain: held.map(|h| h.as_deref() == Some(root.as_str())),
        root,
        wallets: wallets.len(),
    }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AllowListProof {
    pub root: String,
    /// Sibling hashes (hex), leaf to root: `proof` of the purchase.
    pub proof: Vec<String>,
}

/// The caller's proof that its wallet is on a tier phase's allow-list.
///
/// Any signed-in wallet: 404 when it is not on the list (or no list was uploaded here).
#[utoipa::path(get, path = "/v1/events/{event}/allow-lists/{tier}/{phase}/proof", tag = "events", params(("event" = String, Path), ("tier" = u8, Path), ("phase" = u8, Path)), security(("bearer" = [])), responses((status = 200, body = AllowListProof), (status = 404, description = "this wallet is not on the list", body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "events.allow_list_proof", skip_all, fields(%event, tier, phase))]
pub async fn proof(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((event, tier, phase)): Path<(AccountAddress, u8, u8)>,
) -> Result<Json<AllowListProof>, ApiError> {
    indexes(tier, phase)?;
    let wallet = caller.wallet().ok_or(ApiError::Forbidden)?;
    let mut tx = db::begin(&app.pool, caller.scope()).await?;
    let found = stored_proof(&mut tx, &event, tier, phase, &wallet).await?;
    tx.commit().await?;
    let (root, proof) = found.ok_or(ApiError::NotFound)?;
    Ok(Json(AllowListProof {
        root,
        proof: proof.iter().map(|n| hex(n)).collect(),
    }))
}

/// `wallet`'s proof on the list stored for the phase, with its root; `None` when it is not
/// on it (row-level security shows a wallet only the lists it is on).
pub async fn stored_proof(
    conn: &mut sqlx::PgConnection,
    event: &AccountAddress,
    tier: u8,
    phase: u8,
    wallet: &AccountAddress,
) -> Result<Option<(String, Vec<[u8; 32]>)>, ApiError> {
    let row: Option<(String, Vec<String>)> = sqlx::query_as(
        "SELECT root, wallets FROM allow_lists
         WHERE event = $1 AND tier = $2 AND phase = $3 AND $4 = ANY (wallets)",
    )
    .bind(event.to_string())
    .bind(i32::from(tier))
    .bind(i32::from(phase))
    .bind(wallet.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((root, texts)) = row else {
        return Ok(None);
    };
    let wallets: Vec<AccountAddress> = texts
        .iter()
        .map(|w| w.parse().map_err(|_| ApiError::internal("stored wallet")))
        .collect::<Result<_, _>>()?;
    let Some(i) = wallets.iter().position(|w| w == wallet) else {
        return Ok(None);
    };
    let proof = allow_list::proof(&leaves(event, tier, phase, &wallets), i)
        .ok_or_else(|| ApiError::internal("allow-list proof"))?;
    Ok(Some((root, proof)))
}
