//! The API as the CLI and the demo call it: Sign-In With Solana for an access token, and
//! JSON requests whose error body becomes the error.
use serde_json::{json, Value};
use solana_signer::Signer;

use crate::ctx::Ctx;
use crate::error::CliError;

/// Signs in to the API with the context's keypair (Sign-In With Solana): the access token.
pub async fn sign_in(ctx: &Ctx, http: &reqwest::Client, api: &str) -> Result<String, CliError> {
    let me = ctx.signer()?;
    let nonce: Value = post(
        http,
        api,
        "/v1/auth/nonce",
        None,
        json!({"address": me.pubkey().to_string()}),
    )
    .await?;
    let message = nonce["message"]
        .as_str()
        .ok_or_else(|| CliError::Api("the nonce answer has no message".into()))?;
    let signature = me.sign_message(message.as_bytes()).to_string();
    let tokens: Value = post(
        http,
        api,
        "/v1/auth/sign-in",
        None,
        json!({"message": message, "signature": signature}),
    )
    .await?;
    tokens["access_token"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| CliError::Api("the sign-in answer has no access token".into()))
}

/// A JSON request to the API; its error body (`{"error": {"code", "message"}}`) becomes
/// the error.
pub async fn post(
    http: &reqwest::Client,
    api: &str,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> Result<Value, CliError> {
    request(http, reqwest::Method::POST, api, path, token, Some(body)).await
}

pub async fn get(
    http: &reqwest::Client,
    api: &str,
    path: &str,
    token: &str,
) -> Result<Value, CliError> {
    request(http, reqwest::Method::GET, api, path, Some(token), None).await
}

/// A request of `method` to `path` with `token` (none for public routes) and a JSON
/// `body`; the answer's JSON, or its error body's message as the error.
pub async fn request(
    http: &reqwest::Client,
    method: reqwest::Method,
    api: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Result<Value, CliError> {
    let mut req = http.request(method, format!("{}{path}", api.trim_end_matches('/')));
    if let Some(b) = body {
        req = req.json(&b);
    }
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    answer(req.send().await).await
}

async fn answer(res: Result<reqwest::Response, reqwest::Error>) -> Result<Value, CliError> {
    let res = res.map_err(|e| CliError::Api(e.to_string()))?;
    let status = res.status();
    let body: Value = res
        .json()
        .await
        .map_err(|e| CliError::Api(format!("{status}: {e}")))?;
    if status.is_success() {
        Ok(body)
    } else {
        Err(CliError::Api(format!(
            "{status}: {}",
            body["error"]["message"].as_str().unwrap_or("no message")
        )))
    }
}
