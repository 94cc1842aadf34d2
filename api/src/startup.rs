//! The application bound to its listeners: tests build it on port 0 against a fresh
//! database and call it over HTTP, as clients do.
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sqlx::PgPool;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use crate::auth::tokens::{TokenError, Tokens};
use crate::chain::Chain;
use crate::config::Settings;
use crate::error::ApiError;
use crate::limiter::{BackendError, Limiter};
use crate::middleware::{cors, metrics as request_metrics, security_headers::security_headers};
use crate::qr::QrKeys;
use crate::{db, routes};

/// What every handler may reach.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub tokens: Arc<Tokens>,
    pub settings: Arc<Settings>,
    pub limiter: Arc<Limiter>,
    pub qr: Arc<QrKeys>,
    pub chain: Arc<Chain>,
    /// Folds repeated refusals into one audit row a minute per client, reason and route.
    pub refusals: Arc<crate::audit::Refusals>,
    /// Wallets' not-before (sign-out), read through a cache of a few seconds.
    pub not_before: Arc<crate::auth::not_before::NotBefore>,
    /// The dependencies and the mirror's lag, probed at most once a second.
    pub freshness: Arc<crate::freshness::Freshness>,
    /// The OpenAPI document and its page, made once at start.
    pub docs: Arc<routes::docs::Docs>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error("access key: {0}")]
    Tokens(#[from] TokenError),
    #[error("metrics: {0}")]
    Metrics(String),
    #[error(transparent)]
    Tls(#[from] crate::tls::TlsError),
    #[error("QR keys: {0}")]
    Qr(String),
    #[error("rate limits: {0}")]
    Limiter(#[from] BackendError),
    #[error("CORS origin {0} is not a valid header value")]
    Cors(String),
}

pub struct Application {
    listener: TcpListener,
    tls: Option<rustls::ServerConfig>,
    metrics: Option<(TcpListener, PrometheusHandle)>,
    router: Router,
}

/// The process-wide Prometheus recorder (tests build several applications in one process).
fn prometheus() -> Result<PrometheusHandle, StartupError> {
    static HANDLE: Mutex<Option<PrometheusHandle>> = Mutex::new(None);
    let mut guard = HANDLE
        .lock()
        .map_err(|_| StartupError::Metrics("poisoned".into()))?;
    if let Some(h) = guard.as_ref() {
        return Ok(h.clone());
    }
    let h = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full("api_request_duration_seconds".into()),
            &[
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
            ],
        )
        .map_err(|e| StartupError::Metrics(e.to_string()))?
        .install_recorder()
        .map_err(|e| StartupError::Metrics(e.to_string()))?;
    *guard = Some(h.clone());
    Ok(h)
}

/// The router with every layer: security headers outermost, so that refusals, 404s and
/// panics carry them too.
pub fn router(state: AppState) -> Result<Router, StartupError> {
    let cors = cors::Allowed::from_settings(&state.settings.http.cors_origins)
        .map_err(StartupError::Cors)?;
    let max_body = state.settings.http.max_body_bytes;
    let state_chain_id = state.settings.sign_in.chain_id.clone();
    let mut app = routes::router(&state)
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::middleware::client_addr::client_addr,
        ))
        .with_state(state)
        .layer(DefaultBodyLimit::max(max_body));
    if let Some(allowed) = cors {
        app = app
            .layer(allowed.layer())
            .layer(axum::middleware::from_fn_with_state(
                allowed,
                cors::refuse_other_origins,
            ));
    }
    // the Actions paths' own CORS rules, outside the API's (which they answer before)
    let chain = crate::middleware::actions::blockchain_id(&state_chain_id);
    Ok(app
        .layer(axum::middleware::from_fn_with_state(
            chain,
            crate::middleware::actions::actions_cors,
        ))
        .layer(TraceLayer::new_for_http())
        .layer(axum::middleware::from_fn(request_metrics::record))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::internal("a handler panicked").into_response()
        }))
        .layer(axum::middleware::from_fn(security_headers)))
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let pool = db::connect(&settings.database.url, settings.database.pool).await?;
        Self::build_with_pool(settings, pool).await
    }

    pub async fn build_with_pool(settings: Settings, pool: PgPool) -> Result<Self, StartupError> {
        let listener = TcpListener::bind(settings.listen.addr)
            .await
            .map_err(|e| StartupError::Bind(settings.listen.addr, e))?;
        let metrics = match settings.listen.metrics {
            Some(addr) => Some((
                TcpListener::bind(addr)
                    .await
                    .map_err(|e| StartupError::Bind(addr, e))?,
                prometheus()?,
            )),
            None => None,
        };
        if settings.rate_limits.redis_url.is_none() {
            tracing::warn!("no BITTICKET_API_REDIS_URL: rate limits are per instance");
        }
        let limiter = Limiter::new(
            settings.rate_limits.redis_url.as_deref(),
            &settings.rate_limits.redis_prefix,
        )?;
        let qr = QrKeys::new(
            settings.qr.master_key.expose(),
            settings.qr.master_key_version,
            settings.qr.master_key_previous.as_ref().map(|k| k.expose()),
            settings.qr.rotate,
            settings.qr.grace,
            settings.qr.ttl,
        )
        .map_err(|e| StartupError::Qr(e.to_string()))?;
        let state = AppState {
            chain: Arc::new(Chain::new(&settings.rpc.urls)),
            qr: Arc::new(qr),
            limiter: Arc::new(limiter),
            refusals: Arc::new(crate::audit::Refusals::new(Duration::from_secs(60), 10_000)),
            not_before: Arc::new(crate::auth::not_before::NotBefore::new(
                Duration::from_secs(5),
            )),
            freshness: Arc::new(crate::freshness::Freshness::new(Duration::from_secs(1))),
            docs: Arc::new(routes::docs::Docs::new(&settings.sign_in.uri)),
            pool,
            tokens: Arc::new(Tokens::new(&settings)?),
            settings: Arc::new(settings),
        };
        let tls = match &state.settings.tls {
            Some(t) => Some(crate::tls::config(&t.cert, &t.key)?),
            None => None,
        };
        Ok(Application {
            tls,
            listener,
            metrics,
            router: router(state)?,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    pub fn metrics_address(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().and_then(|(l, _)| l.local_addr().ok())
    }

    /// Serves until Ctrl-C or SIGTERM.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        if let Some((listener, handle)) = self.metrics {
            let app = Router::new().route("/metrics", get(move || async move { handle.render() }));
            tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, app).await {
                    tracing::error!(error = %e, "metrics listener failed");
                }
            });
        }
        if let Some(config) = self.tls {
            return crate::tls::serve(self.listener, config, self.router, shutdown()).await;
        }
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown())
        .await
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
