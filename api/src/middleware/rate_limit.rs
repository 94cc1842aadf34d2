//! Which budgets a request spends: per caller (100 a minute by default), per tenant (an
//! aggregate over all its callers), and stricter ones for sign-in (per client address,
//! before any token exists) and for sensitive endpoints. A refusal is `429` with
//! `Retry-After`, and is counted (not audited: a flood would become a write load).
use serde::Serialize;

use crate::error::ApiError;
use crate::limiter::Quota;
use crate::rbac::Caller;
use crate::startup::AppState;

/// A route's rate-limit class, declared beside its access in `routes::TABLE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Not limited (health).
    Open,
    /// Per client address, strict: the sign-in steps.
    SignIn,
    /// The caller's and the tenant's budgets.
    Read,
    /// `Read`, plus a strict per-caller budget (transactions, QR codes, gate checks).
    Sensitive,
}

pub async fn enforce(
    app: &AppState,
    class: Class,
    caller: Option<&Caller>,
    source: Option<&str>,
) -> Result<(), ApiError> {
    let s = &app.settings;
    let mut items: Vec<(String, Quota)> = Vec::with_capacity(3);
    match class {
        Class::Open => return Ok(()),
        Class::SignIn => items.push((
            format!("ip:{}:sign_in", source.unwrap_or("unknown")),
            s.rate_sign_in,
        )),
        Class::Read | Class::Sensitive => {
            if let Some(c) = caller {
                let actor = c.identity.actor();
                if class == Class::Sensitive {
                    items.push((format!("sensitive:{actor}"), s.rate_sensitive));
                }
                items.push((format!("user:{actor}"), s.rate_user));
                if let Some(t) = c.tenant {
                    items.push((format!("tenant:{t}"), s.rate_tenant));
                }
            }
        }
    }
    match app.limiter.check(&items).await {
        Ok(()) => Ok(()),
        Err(wait) => {
            metrics::counter!("api_rate_limited_total", "class" => format!("{class:?}"))
                .increment(1);
            Err(ApiError::RateLimited {
                retry_after_secs: wait.as_millis().div_ceil(1000) as u64,
            })
        }
    }
}
