//! Sign-in with a wallet: ask for a nonce, sign the Sign-In With Solana message that
//! carries it, trade the signature for an access token and a refresh token.
use axum::extract::State;
use axum::http::header::ORIGIN;
use axum::http::{HeaderMap, StatusCode};
use axum::Extension;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::audit;
use crate::auth::siws::{self, SignInError, SignInMessage};
use crate::auth::{consume_nonce, issue_nonce, refresh as refresh_tokens};
use crate::domain::AccountAddress;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Json;
use crate::middleware::client_addr::ClientAddr;
use crate::startup::AppState;

pub const STATEMENT: &str = "Sign in to BitTicket";

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NonceRequest {
    pub address: AccountAddress,
    /// The domain the message names: the API's own (by default), or a web app's
    /// (`BITTICKET_API_SIGN_IN_ORIGINS`; by default the one whose origin a browser sends as
    /// `Origin`).
    pub domain: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct NonceResponse {
    pub nonce: String,
    /// The message to sign as is (a wallet's `signIn` may build the same from the fields).
    pub message: String,
    pub domain: String,
    pub uri: String,
    pub chain_id: String,
    pub issued_at: String,
    pub expiration_time: String,
}

/// Step 1 of sign-in: a single-use nonce and the message to sign.
///
/// The message names the API's own domain, or a web app's: the one asked for in `domain`,
/// else the one whose origin the browser sent (`Origin`).
#[utoipa::path(post, path = "/v1/auth/nonce", tag = "auth", request_body = NonceRequest, responses((status = 200, body = NonceResponse), (status = 400, description = "invalid input", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "auth.nonce", skip_all, fields(address = %req.address))]
pub async fn nonce(
    State(app): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<NonceRequest>,
) -> Result<Json<NonceResponse>, ApiError> {
    let s = &app.settings;
    let domain = match &req.domain {
        Some(asked) => s
            .sign_in
            .uri_for(asked)
            .map(|_| asked.as_str())
            .ok_or_else(|| {
                ApiError::BadRequest("field `domain`: not a sign-in domain of this API".into())
            })?,
        None => headers
            .get(ORIGIN)
            .and_then(|o| o.to_str().ok())
            .and_then(|o| s.sign_in.domain_of_origin(o))
            .unwrap_or(s.sign_in.domain.as_str()),
    };
    let uri = s
        .sign_in
        .uri_for(domain)
        .ok_or_else(|| ApiError::internal("a sign-in domain without its URI"))?;
    let nonce = issue_nonce(&app.pool, &req.address, s.sign_in.nonce_ttl).await?;
    let now = OffsetDateTime::from_unix_timestamp(OffsetDateTime::now_utc().unix_timestamp())
        .map_err(ApiError::internal)?;
    let ttl = time::Duration::try_from(s.sign_in.nonce_ttl).map_err(ApiError::internal)?;
    let m = SignInMessage {
        domain: domain.to_string(),
        address: req.address,
        statement: Some(STATEMENT.into()),
        uri: uri.to_string(),
        version: "1".into(),
        chain_id: s.sign_in.chain_id.clone(),
        nonce: nonce.clone(),
        issued_at: now,
        expiration_time: now + ttl,
        not_before: None,
    };
    let fmt = &time::format_description::well_known::Rfc3339;
    Ok(Json(NonceResponse {
        message: m.render(),
        nonce,
        domain: m.domain,
        uri: m.uri,
        chain_id: m.chain_id,
        issued_at: m.issued_at.format(fmt).map_err(ApiError::internal)?,
        expiration_time: m.expiration_time.format(fmt).map_err(ApiError::internal)?,
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    /// The signed message, as the wallet signed it.
    pub message: String,
    /// The Ed25519 signature, base58.
    pub signature: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: u64,
    pub refresh_token: String,
    pub wallet: AccountAddress,
}

async fn tokens_for(
    app: &AppState,
    wallet: AccountAddress,
    refresh_token: String,
) -> Result<TokenResponse, ApiError> {
    let access_token = app
        .tokens
        .issue_access(&wallet)
        .map_err(ApiError::internal)?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: app.tokens.access_ttl().as_secs(),
        refresh_token,
        wallet,
    })
}

/// Step 2 of sign-in: the signed message for an access token and a refresh token.
///
/// A refusal (401) says what is wrong: the domain, the URI, the chain, the message's times,
/// the signature, or the nonce (unknown or used, expired, another wallet's).
#[utoipa::path(post, path = "/v1/auth/sign-in", tag = "auth", request_body = SignInRequest, responses((status = 200, body = TokenResponse), (status = 401, description = "refused, with the cause", body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "auth.sign_in", skip_all)]
pub async fn sign_in(
    State(app): State<AppState>,
    Extension(from): Extension<ClientAddr>,
    Json(req): Json<SignInRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let source = from.to_string();
    let refuse = |why: SignInError, actor: String| {
        let app = app.clone();
        let source = source.clone();
        async move {
            metrics::counter!("api_auth_failures_total", "reason" => "sign_in").increment(1);
            audit::Entry::new(&actor, "sign_in", why.reason())
                .source(Some(&source))
                .record(&app.pool)
                .await;
            ApiError::SignInRefused(why.to_string())
        }
    };
    if req.message.len() > 4096 {
        return Err(ApiError::BadRequest(
            "field `message`: longer than 4096 bytes".into(),
        ));
    }
    if req.signature.len() > 128 {
        return Err(ApiError::BadRequest(
            "field `signature`: longer than 128 characters".into(),
        ));
    }
    let signature = bs58::decode(&req.signature)
        .into_vec()
        .map_err(|_| ApiError::BadRequest("field `signature`: not base58".into()))?;
    let s = &app.settings;
    let expected = siws::Expected {
        domains: s.sign_in.domains(),
        chain_id: &s.sign_in.chain_id,
        max_age: s.sign_in.max_age,
        now: OffsetDateTime::now_utc(),
    };
    let m = match siws::verify(&req.message, &signature, &expected) {
        Ok(m) => m,
        Err(e) => return Err(refuse(e, "anonymous".into()).await),
    };
    if let Err(e) = consume_nonce(&app.pool, &m.address, &m.nonce).await? {
        return Err(refuse(e, m.address.to_string()).await);
    }
    let refresh = refresh_tokens::issue(&app.pool, &m.address, s.tokens.refresh_ttl).await?;
    let out = tokens_for(&app, m.address, refresh).await?;
    audit::Entry::new(&m.address.to_string(), "sign_in", "ok")
        .source(Some(&source))
        .record(&app.pool)
        .await;
    Ok(Json(out))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// Trades a refresh token for new tokens (the old one is spent).
#[utoipa::path(post, path = "/v1/auth/refresh", tag = "auth", request_body = RefreshRequest, responses((status = 200, body = TokenResponse), (status = 401, description = "unknown, spent or revoked", body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "auth.refresh", skip_all)]
pub async fn refresh(
    State(app): State<AppState>,
    Extension(from): Extension<ClientAddr>,
    Json(req): Json<RefreshRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let source = from.to_string();
    let rotated = refresh_tokens::rotate(
        &app.pool,
        &req.refresh_token,
        app.settings.tokens.refresh_ttl,
        app.settings.tokens.refresh_family_ttl,
    )
    .await;
    let (actor, outcome) = match &rotated {
        Ok((w, _)) => (w.to_string(), "ok"),
        Err(_) => ("anonymous".to_string(), "refused"),
    };
    audit::Entry::new(&actor, "refresh", outcome)
        .source(Some(&source))
        .record(&app.pool)
        .await;
    let (wallet, next) = rotated?;
    Ok(Json(tokens_for(&app, wallet, next).await?))
}

/// Signs out: the refresh family is revoked and the wallet's access tokens end.
#[utoipa::path(post, path = "/v1/auth/sign-out", tag = "auth", request_body = RefreshRequest, responses((status = 204, description = "the family is revoked"), (status = 400, description = "invalid input", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "auth.sign_out", skip_all)]
pub async fn sign_out(
    State(app): State<AppState>,
    Extension(from): Extension<ClientAddr>,
    Json(req): Json<RefreshRequest>,
) -> Result<StatusCode, ApiError> {
    let revoked = refresh_tokens::revoke(&app.pool, &req.refresh_token).await?;
    // the wallet's access tokens end with it (the family's refresh tokens are revoked)
    if let Some(wallet) = &revoked {
        app.not_before.set(&app.pool, wallet).await?;
    }
    let outcome = if revoked.is_some() {
        "ok"
    } else {
        "unknown_token"
    };
    let actor = revoked.map_or_else(|| "anonymous".to_string(), |w| w.to_string());
    audit::Entry::new(&actor, "sign_out", outcome)
        .source(Some(&from.to_string()))
        .record(&app.pool)
        .await;
    Ok(StatusCode::NO_CONTENT)
}
