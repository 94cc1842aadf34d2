//! Logs: `tracing` to stderr, filtered by `RUST_LOG` (default `info`). Secrets never reach
//! a log line: they are `Secret` values and requests are logged without their bodies.
use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}
