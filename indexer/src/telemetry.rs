//! Logs (`tracing`, filtered by `RUST_LOG`) and Prometheus metrics.
use tracing_subscriber::EnvFilter;

pub fn init_logs() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Serves `/metrics` on `addr` (keep it on loopback or a private network).
pub fn init_metrics(addr: &str) -> anyhow::Result<()> {
    if addr.is_empty() {
        return Ok(());
    }
    let addr: std::net::SocketAddr = addr.parse()?;
    metrics_exporter_prometheus::PrometheusBuilder::new()
        .with_http_listener(addr)
        .install()?;
    Ok(())
}
