//! Which budgets a request spends. Before authentication, every request but health spends
//! its client address's budget (300 a minute by default), with the sign-in steps' own
//! stricter ones (sign-in, refresh and sign-out apart): refused traffic is limited too.
//! An anonymous read of the public catalogue spends a caller's budget (100 a minute) kept
//! per client address. After authentication: per caller (100 a minute), per tenant (an aggregate over all its
//! callers), and a strict one for sensitive endpoints; a caller refused a route spends its
//! own budget as well. A refusal is `429` with `Retry-After`, and is counted (not audited:
//! a flood would become a write load).
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
    /// Per client address, strict: the sign-in steps (nonce, sign-in).
    SignIn,
    /// Per client address: refreshing a token.
    Refresh,
    /// Per client address: signing out.
    SignOut,
    /// The caller's and the tenant's budgets.
    Read,
    /// `Read`, plus a strict per-caller budget (transactions, QR codes, gate checks).
    Sensitive,
}

/// Before authentication: the client address's budget, and the class's own per-address
/// one for the sign-in steps. An `anonymous` caller (the catalogue without a token) also
/// spends the per-caller budget, kept for its client address.
pub async fn enforce_client(
    app: &AppState,
    class: Class,
    client: &str,
    anonymous: bool,
) -> Result<(), ApiError> {
    let s = &app.settings;
    let mut items: Vec<(String, Quota)> = Vec::with_capacity(2);
    match class {
        Class::Open => return Ok(()),
        Class::SignIn => items.push((format!("ip:{client}:sign_in"), s.rate_limits.sign_in)),
        Class::Refresh => items.push((format!("ip:{client}:refresh"), s.rate_limits.refresh)),
        Class::SignOut => items.push((format!("ip:{client}:sign_out"), s.rate_limits.sign_out)),
        Class::Read | Class::Sensitive if anonymous => {
            if class == Class::Sensitive {
                // the Actions link's purchase: the strict budget, per client address
                items.push((
                    format!("sensitive:anonymous:{client}"),
                    s.rate_limits.sensitive,
                ));
            }
            items.push((format!("anonymous:{client}"), s.rate_limits.user));
        }
        Class::Read | Class::Sensitive => {}
    }
    items.push((format!("ip:{client}"), s.rate_limits.client));
    check(app, class, &items).await
}

/// After authentication: the caller's budgets (and the tenant's, once the caller is
/// allowed it).
pub async fn enforce(app: &AppState, class: Class, caller: &Caller) -> Result<(), ApiError> {
    let s = &app.settings;
    let mut items: Vec<(String, Quota)> = Vec::with_capacity(3);
    if matches!(class, Class::Read | Class::Sensitive) {
        let actor = caller.identity.actor();
        if class == Class::Sensitive {
            items.push((format!("sensitive:{actor}"), s.rate_limits.sensitive));
        }
        items.push((format!("user:{actor}"), s.rate_limits.user));
        if let Some(t) = caller.tenant {
            items.push((format!("tenant:{t}"), s.rate_limits.tenant));
        }
    }
    check(app, class, &items).await
}

/// A signed-in caller refused a route spends its own budget: past it, the answer is 429.
pub async fn enforce_refused(app: &AppState, actor: &str) -> Result<(), ApiError> {
    let items = [(format!("user:{actor}"), app.settings.rate_limits.user)];
    check(app, Class::Read, &items).await
}

async fn check(app: &AppState, class: Class, items: &[(String, Quota)]) -> Result<(), ApiError> {
    if items.is_empty() {
        return Ok(());
    }
    match app.limiter.check(items).await {
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
