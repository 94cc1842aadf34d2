//! Who the token speaks for, and (for a wallet) the organizers it is a member of.
use axum::extract::State;
use axum::Extension;
use serde::Serialize;

use crate::auth::tokens::Identity;
use crate::db;
use crate::error::{ApiError, ErrorBody};
use crate::rbac::{role_names, Caller};
use crate::startup::AppState;
use axum::Json;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Membership {
    pub organizer: String,
    pub roles: Vec<&'static str>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub kind: &'static str,
    pub wallet: Option<String>,
    pub service: Option<String>,
    pub memberships: Vec<Membership>,
}

/// A membership of the wallet's, as the mirror holds it.
#[derive(sqlx::FromRow)]
struct MembershipRow {
    organizer: String,
    permissions: i32,
}

/// The organizers the wallet `$1` is a member of, with its permissions in each.
const MEMBERSHIPS: &str =
    "SELECT organizer, permissions FROM members WHERE member = $1 ORDER BY organizer";

/// Who the token speaks for, and a wallet's memberships (organizers and roles).
#[utoipa::path(get, path = "/v1/me", tag = "me", security(("bearer" = [])), responses((status = 200, body = Me), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "me.whoami", skip_all)]
pub async fn whoami(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Me>, ApiError> {
    Ok(Json(match &caller.identity {
        Identity::Wallet(w) => {
            let mut tx = db::begin(&app.pool, caller.scope()).await?;
            let rows: Vec<MembershipRow> = sqlx::query_as(MEMBERSHIPS)
                .bind(w.to_string())
                .fetch_all(&mut *tx)
                .await?;
            tx.commit().await?;
            Me {
                kind: "wallet",
                wallet: Some(w.to_string()),
                service: None,
                memberships: rows
                    .into_iter()
                    .map(|m| Membership {
                        organizer: m.organizer,
                        roles: role_names(m.permissions as u8),
                    })
                    .collect(),
            }
        }
        Identity::Service { name, .. } => Me {
            kind: "service",
            wallet: None,
            service: Some(name.clone()),
            memberships: vec![],
        },
    }))
}
