//! An organizer's members and their roles.
use axum::extract::State;
use axum::{Extension, Json};
use serde::Serialize;

use super::tenant;
use crate::db;
use crate::domain::AccountAddress;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Path;
use crate::rbac::{role_names, Caller};
use crate::startup::AppState;

#[derive(Serialize, utoipa::ToSchema)]
pub struct MemberView {
    pub member: String,
    pub permissions: i32,
    pub roles: Vec<&'static str>,
    pub slot: i64,
}

/// A member as the mirror holds it.
#[derive(sqlx::FromRow)]
struct MemberRow {
    member: String,
    permissions: i32,
    slot: i64,
}

/// The organizer's members, by address: at most MAX_MEMBERS rows, so no pagination.
const MEMBERS: &str =
    "SELECT member, permissions, slot FROM members WHERE organizer = $1 ORDER BY member";

impl From<MemberRow> for MemberView {
    fn from(m: MemberRow) -> Self {
        MemberView {
            member: m.member,
            permissions: m.permissions,
            roles: role_names(m.permissions as u8),
            slot: m.slot,
        }
    }
}

/// The organizer's members and their roles (any member).
#[utoipa::path(get, path = "/v1/organizers/{organizer}/members", tag = "organizers", params(("organizer" = String, Path, description = "the organizer (tenant) address")), security(("bearer" = [])), responses((status = 200, body = Vec<MemberView>), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "organizers.members", skip_all, fields(%organizer))]
pub async fn members(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(organizer): Path<AccountAddress>,
) -> Result<Json<Vec<MemberView>>, ApiError> {
    let org = tenant(&caller)?;
    let mut tx = db::begin(&app.pool, caller.scope()).await?;
    let rows: Vec<MemberRow> = sqlx::query_as(MEMBERS)
        .bind(&org)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(rows.into_iter().map(MemberView::from).collect()))
}
