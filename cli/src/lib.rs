//! The `bitticket` command line as a library: the CLI's commands, and the pieces the main
//! job's demo drives directly (one context per wallet, the same builders and reports).
pub mod api;
pub mod args;
pub mod commands;
pub mod ctx;
pub mod demo;
pub mod error;
pub mod money;
pub mod output;
pub mod settings;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

pub use ctx::Ctx;
pub use error::CliError;
pub use output::{print, Format, Output, Render};
pub use settings::Settings;

#[derive(Parser, Debug)]
#[command(
    name = "bitticket",
    version,
    about = "BitTicket on Solana: organizers, events, tickets, the gate and the vault"
)]
pub struct Cli {
    /// RPC URL or moniker: localhost, devnet, testnet, mainnet-beta (default: the Solana
    /// CLI's config, else localhost).
    #[arg(long, short = 'u', global = true)]
    pub url: Option<String>,
    /// Keypair file (default: the Solana CLI's config, else ~/.config/solana/id.json).
    #[arg(long, short = 'k', global = true)]
    pub keypair: Option<PathBuf>,
    /// processed, confirmed or finalized (default: the Solana CLI's config, else confirmed).
    #[arg(long, global = true)]
    pub commitment: Option<String>,
    /// The Solana CLI config file to read (default: ~/.config/solana/cli/config.yml).
    #[arg(long, short = 'C', global = true)]
    pub config: Option<PathBuf>,
    #[arg(long, global = true, value_enum, default_value = "human")]
    pub output: Format,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Organizers (tenants) and their members.
    #[command(subcommand)]
    Organizer(commands::organizer::Cmd),
    /// Events: create, change, pause, cancel, show.
    #[command(subcommand)]
    Event(commands::event::Cmd),
    /// Tickets: buy, transfer, show, list, refund.
    #[command(subcommand)]
    Ticket(commands::ticket::Cmd),
    /// The door: check in on chain, verify a QR code through the API.
    #[command(subcommand)]
    Gate(commands::gate::Cmd),
    /// The organizer's multisig vault.
    #[command(subcommand)]
    Vault(commands::vault::Cmd),
    /// Write a new keypair file (the Solana CLI reads it too) and print its pubkey.
    Keygen(commands::wallet::Keygen),
    /// Ask the cluster's faucet for SOL (a local validator, devnet or testnet).
    Airdrop(commands::wallet::Airdrop),
    /// A wallet's SOL.
    Balance(commands::wallet::Balance),
}

impl Cli {
    pub fn settings(&self) -> Result<Settings, CliError> {
        Settings::resolve(
            self.config.as_deref(),
            self.url.as_deref(),
            self.keypair.as_deref(),
            self.commitment.as_deref(),
        )
    }
}

/// Runs one command; its result, to `print`.
pub async fn run(ctx: &Ctx, command: Command) -> Result<Box<dyn Output>, CliError> {
    match command {
        Command::Organizer(c) => commands::organizer::run(ctx, c).await,
        Command::Event(c) => commands::event::run(ctx, c).await,
        Command::Ticket(c) => commands::ticket::run(ctx, c).await,
        Command::Gate(c) => commands::gate::run(ctx, c).await,
        Command::Vault(c) => commands::vault::run(ctx, c).await,
        Command::Keygen(a) => Ok(Box::new(commands::wallet::keygen(ctx, a)?)),
        Command::Airdrop(a) => Ok(Box::new(commands::wallet::airdrop(ctx, a).await?)),
        Command::Balance(a) => Ok(Box::new(commands::wallet::balance(ctx, a).await?)),
    }
}
