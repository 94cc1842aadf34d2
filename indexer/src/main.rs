//! `bitticket-indexer`: run | backfill | verify | rebuild | migrate.
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use bitticket_indexer::leader::Leadership;
use bitticket_indexer::source::{Policy, RpcPool};
use bitticket_indexer::{telemetry, verify, Indexer, Settings, Sink};
use clap::{Parser, Subcommand};
use sqlx::postgres::PgPoolOptions;
use tokio::sync::Notify;

#[derive(Parser)]
#[command(version, about = "Mirrors the BitTicket program into Postgres")]
struct Cli {
    /// An env file of KEY=VALUE lines (read before flags; the environment wins over it).
    #[arg(long, global = true)]
    config: Option<String>,
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Follow the chain: snapshot when the mirror is empty, then catch up and tail
    /// (one writer among several processes; the others stand by).
    Run,
    /// Catch up from the checkpoint to the chain's tip with a progress bar, then exit.
    Backfill,
    /// Compare the mirror with the chain and print every difference (exit 1 if any).
    Verify {
        /// Also re-fetch every program transaction and compare the event log.
        #[arg(long)]
        events: bool,
    },
    /// Empty the mirror, index again from the chain, then verify.
    Rebuild,
    /// Apply the migrations and exit.
    Migrate,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    bitticket_indexer::config::load_env_file(&args)?;
    let cli = Cli::parse();
    telemetry::init_logs();
    let s = cli.settings;
    let db = PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(10))
        .connect(&s.database_url)
        .await
        .context("connecting to Postgres")?;
    let sink = Sink::new(db.clone());
    if let Command::Migrate = cli.command {
        sink.migrate().await.context("running migrations")?;
        println!("migrations applied");
        return Ok(());
    }
    // the owner migrates here too; the indexer's own role only checks
    sink.migrate_or_check()
        .await
        .context("checking migrations")?;
    let rpc = Arc::new(RpcPool::new(
        &s.rpc_urls,
        s.rpc_timeout(),
        Policy::default(),
    ));
    match cli.command {
        Command::Migrate => Ok(()),
        Command::Run => {
            telemetry::init_metrics(&s.metrics_addr)?;
            let stop = Arc::new(Notify::new());
            let ctrl_c = stop.clone();
            tokio::spawn(async move {
                let _ = tokio::signal::ctrl_c().await;
                ctrl_c.notify_one();
            });
            let mut lead = Leadership::acquire(&db, Duration::from_millis(500)).await?;
            let mut indexer = Indexer::new(&s, rpc, sink).await?;
            tokio::select! {
                r = indexer.run(s.ws_urls.clone(), s.poll_interval(), stop) => r?,
                _ = lead.lost(Duration::from_secs(1)) => anyhow::bail!("lost the writer lock"),
            }
            Ok(())
        }
        Command::Backfill => {
            let _lead = Leadership::acquire(&db, Duration::from_millis(500)).await?;
            let mut indexer = Indexer::new(&s, rpc, sink.clone()).await?;
            backfill(&mut indexer).await
        }
        Command::Verify { events } => {
            let diffs = differences(&rpc, &sink, &s, events).await?;
            report(&diffs)
        }
        Command::Rebuild => {
            let _lead = Leadership::acquire(&db, Duration::from_millis(500)).await?;
            sink.truncate().await?;
            let mut indexer = Indexer::new(&s, rpc.clone(), sink.clone()).await?;
            backfill(&mut indexer).await?;
            let diffs = differences(&rpc, &sink, &s, true).await?;
            report(&diffs)
        }
    }
}

async fn backfill(indexer: &mut Indexer) -> anyhow::Result<()> {
    if indexer.sink.checkpoint().await?.is_none() {
        indexer.snapshot().await?;
    }
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} transactions {per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let p = indexer
        .catch_up(&|done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        })
        .await?;
    bar.finish_and_clear();
    let (finalized, undone) = indexer.finalize_all().await?;
    println!(
        "backfill: {} transactions, {} events, last slot {}; {} slots finalized, {} undone",
        p.transactions, p.events, p.last_slot, finalized, undone
    );
    Ok(())
}

async fn differences(
    rpc: &RpcPool,
    sink: &Sink,
    s: &Settings,
    events: bool,
) -> anyhow::Result<Vec<verify::Difference>> {
    let mut diffs = verify::accounts(rpc, sink, &s.program_id, &s.commitment).await?;
    if events {
        diffs.extend(
            verify::events(rpc, sink, &s.program_id, &s.commitment, s.fetch_concurrency).await?,
        );
    }
    Ok(diffs)
}

fn report(diffs: &[verify::Difference]) -> anyhow::Result<()> {
    for d in diffs {
        println!("{d}");
    }
    if diffs.is_empty() {
        println!("verify: the mirror equals the chain");
        Ok(())
    } else {
        anyhow::bail!("verify: {} differences", diffs.len())
    }
}
