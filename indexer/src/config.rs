//! Configuration: flags, each with an environment variable, and an optional env file
//! (`--config FILE`, `KEY=value` lines by the rule of `bitticket_settings::env_file`) read
//! before the flags are parsed.
use std::time::Duration;

use bitticket_settings::EnvFileError;
use clap::Args;
use solana_address::Address;

#[derive(Args, Debug, Clone)]
pub struct Settings {
    /// JSON-RPC endpoints, comma-separated, best first; failover goes down the list.
    #[arg(
        long,
        env = "BITTICKET_RPC_URLS",
        hide_env_values = true,
        value_delimiter = ',',
        default_value = "http://127.0.0.1:8899"
    )]
    pub rpc_urls: Vec<String>,
    /// PubSub websocket endpoints, comma-separated (empty: poll only).
    #[arg(
        long,
        env = "BITTICKET_WS_URLS",
        hide_env_values = true,
        value_delimiter = ',',
        default_value = "ws://127.0.0.1:8900"
    )]
    pub ws_urls: Vec<String>,
    #[arg(
        long,
        env = "DATABASE_URL",
        hide_env_values = true,
        default_value = "postgres://bitticket@127.0.0.1:5432/bitticket"
    )]
    pub database_url: String,
    #[arg(long, env = "BITTICKET_PROGRAM_ID", default_value_t = bitticket::ID)]
    pub program_id: Address,
    /// Ingest commitment: confirmed (default) or finalized.
    #[arg(long, env = "BITTICKET_COMMITMENT", default_value = "confirmed", value_parser = ["confirmed", "finalized"])]
    pub commitment: String,
    /// Transactions per sink batch (one Postgres transaction with the checkpoint).
    #[arg(long, env = "BITTICKET_BATCH_SIZE", default_value_t = 500)]
    pub batch_size: usize,
    /// getTransaction calls in flight.
    #[arg(long, env = "BITTICKET_FETCH_CONCURRENCY", default_value_t = 16)]
    pub fetch_concurrency: usize,
    /// Per-request RPC timeout, milliseconds.
    #[arg(long, env = "BITTICKET_RPC_TIMEOUT_MS", default_value_t = 10_000)]
    pub rpc_timeout_ms: u64,
    /// Tail poll interval when no websocket notification arrives, milliseconds.
    #[arg(long, env = "BITTICKET_POLL_MS", default_value_t = 400)]
    pub poll_ms: u64,
    /// How often the balances of the accounts that hold money (every shard and vault) are
    /// read again, milliseconds: SOL sent to one by a plain transfer, which no program
    /// transaction records, reaches the mirror within this period.
    #[arg(long, env = "BITTICKET_BALANCE_MS", default_value_t = 5_000)]
    pub balance_ms: u64,
    /// Prometheus metrics listen address (loopback by default; empty: off).
    #[arg(long, env = "BITTICKET_METRICS_ADDR", default_value = "127.0.0.1:9464")]
    pub metrics_addr: String,
}

impl Settings {
    pub fn rpc_timeout(&self) -> Duration {
        Duration::from_millis(self.rpc_timeout_ms)
    }

    pub fn poll_interval(&self) -> Duration {
        Duration::from_millis(self.poll_ms)
    }

    pub fn balance_interval(&self) -> Duration {
        Duration::from_millis(self.balance_ms.max(100))
    }

    pub fn finalized_only(&self) -> bool {
        self.commitment == "finalized"
    }
}

/// Loads the env file of `--config FILE` (or `BITTICKET_CONFIG`) into the environment, read
/// by the one env-file rule of `bitticket_settings::env_file` (`KEY=value` lines, `#`
/// comments, matching quotes stripped), without overriding variables already set, so
/// flags > environment > file.
pub fn load_env_file(args: &[String]) -> anyhow::Result<()> {
    let Some(path) = config_path(args) else {
        return Ok(());
    };
    let pairs = bitticket_settings::read_env_file(&path).map_err(|e| match e {
        EnvFileError::Read { .. } => anyhow::anyhow!("config file {e}"),
        EnvFileError::Line { .. } => anyhow::anyhow!("config file {path}: {e}"),
    })?;
    for (key, value) in pairs {
        if key.contains('\0') || value.contains('\0') {
            anyhow::bail!("config file {path}: {key:?} holds a NUL byte");
        }
        if std::env::var_os(&key).is_none() {
            // single-threaded: called first thing in main, before any runtime starts
            std::env::set_var(key, value);
        }
    }
    Ok(())
}

/// The file `--config FILE` names, else `BITTICKET_CONFIG`.
fn config_path(args: &[String]) -> Option<String> {
    args.windows(2)
        .find(|w| w[0] == "--config")
        .map(|w| w[1].clone())
        .or_else(|| std::env::var("BITTICKET_CONFIG").ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_env_file_fills_only_what_the_environment_leaves() {
        let tag = format!("BITTICKET_TEST_CONFIG_{}", std::process::id());
        let (set, quoted, plain) = (
            format!("{tag}_SET"),
            format!("{tag}_QUOTED"),
            format!("{tag}_PLAIN"),
        );
        let path = std::env::temp_dir().join(format!("{tag}.env"));
        std::fs::write(
            &path,
            format!("# indexer\n{set}=file\n{quoted}=\"a b\"\n\n{plain} = 1\n{plain}=2\n"),
        )
        .expect("write");
        std::env::set_var(&set, "environment");
        let args = [
            "bitticket-indexer",
            "--config",
            &path.to_string_lossy(),
            "run",
        ]
        .map(String::from);
        load_env_file(&args).expect("load");
        assert_eq!(std::env::var(&set).as_deref(), Ok("environment"));
        assert_eq!(std::env::var(&quoted).as_deref(), Ok("a b"));
        assert_eq!(std::env::var(&plain).as_deref(), Ok("1"));
        std::fs::write(&path, "no equals sign\n").expect("write");
        let e = load_env_file(&args).expect_err("malformed");
        assert!(e.to_string().ends_with("line 1: expected KEY=value"), "{e}");
        let _ = std::fs::remove_file(&path);
        let missing = ["x", "--config", "/nonexistent/indexer.env"].map(String::from);
        assert!(load_env_file(&missing).is_err());
    }
}
