//! The main job's demo sale (scripts/run.sh starts the validator, Postgres, Redis, the
//! indexer and the API, then runs this). Usage: bitticket-demo [RPC_URL] [API_URL]
use anyhow::Result;

#[tokio::main]
async fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let rpc_url = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:8899".into());
    let api_url = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    bitticket_cli::demo::run(bitticket_cli::demo::Options { rpc_url, api_url }).await
}
