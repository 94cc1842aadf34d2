//! The real application on a loopback port, connected as the API's own database role, a
//! client for it, and the standard world: two tenants and a holder with tickets in both.
use std::net::SocketAddr;

use bitticket_api::auth::tokens::service_token;
use bitticket_api::Application;
use sqlx::PgPool;

use super::config::{service_secret, settings_with, SERVICE};
use super::database::{as_api_role, fresh_db};
use super::tenant::{seed_tenant, Tenant};
use super::wallet::Wallet;

/// The running application.
pub struct Api {
    pub addr: SocketAddr,
    pub http: reqwest::Client,
    pub admin: PgPool,
    pub api_url: String,
}

impl Api {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut r = self.http.get(self.url(path));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send().await.expect("request")
    }

    pub async fn post(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    /// Signs in as a wallet does: nonce, sign the message, trade it for tokens.
    pub async fn sign_in(&self, w: &Wallet) -> (String, String) {
        let n: serde_json::Value = self
            .post(
                "/v1/auth/nonce",
                serde_json::json!({ "address": w.address() }),
            )
            .await
            .json()
            .await
            .expect("nonce");
        let message = n["message"].as_str().expect("message").to_string();
        let r = self
            .post(
                "/v1/auth/sign-in",
                serde_json::json!({ "message": message, "signature": w.sign(&message) }),
            )
            .await;
        assert_eq!(r.status(), 200, "sign-in");
        let t: serde_json::Value = r.json().await.expect("tokens");
        (
            t["access_token"].as_str().expect("access").to_string(),
            t["refresh_token"].as_str().expect("refresh").to_string(),
        )
    }

    /// A token of the settings' one service, valid for five minutes.
    pub fn service_token(&self) -> String {
        service_token(
            SERVICE,
            &service_secret(),
            "bitticket",
            std::time::Duration::from_secs(300),
        )
        .expect("service token")
    }
}

/// The API started on `db` as its own role, services allowed `organizers`.
pub async fn spawn_with(service_organizers: &[&str], db: (PgPool, String)) -> Api {
    spawn_configured(service_organizers, db, &[]).await
}

/// `spawn_with`, with settings overridden by `extra`.
pub async fn spawn_configured(
    service_organizers: &[&str],
    db: (PgPool, String),
    extra: &[(&str, String)],
) -> Api {
    let (admin, url) = db;
    let api_url = as_api_role(&url);
    let app = Application::build(settings_with(&api_url, service_organizers, extra))
        .await
        .expect("build");
    let addr = app.address();
    tokio::spawn(app.run_until_stopped());
    Api {
        addr,
        http: reqwest::Client::new(),
        admin,
        api_url,
    }
}

/// Two tenants (A and B) and a holder with tickets in both; the service may read A.
pub struct World {
    pub api: Api,
    pub a: Tenant,
    pub b: Tenant,
    pub holder: Wallet,
}

pub async fn world() -> World {
    let db = fresh_db().await;
    let holder = Wallet::random();
    let a = seed_tenant(&db.0, &holder, 2).await;
    let b = seed_tenant(&db.0, &holder, 1).await;
    let api = spawn_with(&[a.organizer.as_str()], db).await;
    World { api, a, b, holder }
}
