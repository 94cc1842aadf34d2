//! A newcomer's first steps without the Solana CLI: `keygen` (a keypair file the Solana CLI
//! reads too), `airdrop` (a local validator's or devnet's faucet) and `balance`.
use std::path::{Path, PathBuf};
use std::time::Duration;

use bitticket_client::rpc::Signature;
use clap::Args;
use serde::Serialize;
use solana_address::Address;
use solana_instruction_error::InstructionError;
use solana_keypair::Keypair;
use solana_rpc_client_api::client_error::{ErrorKind, TransactionError};
use solana_rpc_client_api::request::RpcError;
use solana_signer::Signer;

use crate::args::{address, sol as sol_arg};
use crate::ctx::Ctx;
use crate::error::CliError;
use crate::output::{b58, sol, Landed, Render, Sent};

/// How long an airdrop may take to confirm before the CLI gives up waiting.
const AIRDROP_WAIT: Duration = Duration::from_secs(60);

#[derive(Args, Debug)]
pub struct Keygen {
    /// Where to write the keypair (default: the keypair the CLI uses, as --keypair or the
    /// Solana CLI's config names it, else ~/.config/solana/id.json).
    #[arg(long, short = 'o')]
    pub outfile: Option<PathBuf>,
    /// Replace a keypair file that exists (its key is lost unless saved elsewhere).
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct Airdrop {
    /// SOL to ask the faucet for.
    #[arg(value_parser = sol_arg("amount"))]
    pub amount: u64,
    /// The wallet to fund (default: yours).
    #[arg(value_parser = address("address"))]
    pub address: Option<Address>,
}

#[derive(Args, Debug)]
pub struct Balance {
    /// The wallet (default: yours).
    #[arg(value_parser = address("address"))]
    pub address: Option<Address>,
}

#[derive(Debug, Serialize)]
pub struct KeyWritten {
    #[serde(serialize_with = "b58")]
    pub pubkey: Address,
    pub outfile: String,
}

impl Render for KeyWritten {
    fn human(&self) -> Vec<String> {
        vec![
            format!("pubkey {}", self.pubkey),
            format!(
                "keypair written to {} (it holds your private key: keep it safe, share only the pubkey)",
                self.outfile
            ),
        ]
    }
}

#[derive(Debug, Serialize)]
pub struct Airdropped {
    #[serde(serialize_with = "b58")]
    pub address: Address,
    pub lamports: u64,
    pub balance_lamports: u64,
    pub cluster: String,
}

impl Render for Airdropped {
    fn human(&self) -> Vec<String> {
        vec![format!(
            "{} SOL airdropped to {} on {}: it holds {} SOL",
            sol(self.lamports),
            self.address,
            self.cluster,
            sol(self.balance_lamports)
        )]
    }
}

#[derive(Debug, Serialize)]
pub struct Balanced {
    #[serde(serialize_with = "b58")]
    pub address: Address,
    pub lamports: u64,
    pub sol: String,
    pub cluster: String,
}

impl Render for Balanced {
    fn human(&self) -> Vec<String> {
        vec![format!(
            "{}: {} SOL on {}",
            self.address, self.sol, self.cluster
        )]
    }
}

/// Writes a new keypair as the Solana CLI does (a JSON array of its 64 bytes, readable by
/// its owner only); refuses to replace a file unless `force`.
pub fn keygen(ctx: &Ctx, args: Keygen) -> Result<KeyWritten, CliError> {
    let path = args
        .outfile
        .unwrap_or_else(|| ctx.settings.keypair_path.clone());
    let shown = path.display().to_string();
    if path.exists() && !args.force {
        let held = solana_keypair::read_keypair_file(&path)
            .map(|k| format!(" (the keypair of {})", k.pubkey()))
            .unwrap_or_default();
        return Err(CliError::Invalid(format!(
            "{shown} exists{held}: refusing to overwrite it; pass --force to replace it, or --outfile for another file"
        )));
    }
    let keypair = Keypair::new();
    write_new_keypair(&keypair, &path, args.force).map_err(|e| CliError::Keypair {
        path: shown.clone(),
        reason: e.to_string(),
    })?;
    Ok(KeyWritten {
        pubkey: keypair.pubkey(),
        outfile: shown,
    })
}

/// Writes `keypair` to `path` as the Solana CLI does (a JSON array of its 64 bytes), in a
/// file created here with mode 0600: never through an existing file or a symlink (an
/// exclusive create), so that neither an old file's permissions nor a link decide who can
/// read the key. `replace`: written beside it first, then renamed over it.
fn write_new_keypair(keypair: &Keypair, path: &Path, replace: bool) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let json = serde_json::to_string(&keypair.to_bytes().to_vec())?;
    let target: PathBuf = if replace {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        dir.join(format!(".{name}.{}.new", std::process::id()))
    } else {
        path.to_path_buf()
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&target)?;
    let written = file
        .write_all(json.as_bytes())
        .and_then(|()| file.sync_all());
    if replace {
        match written {
            Ok(()) => std::fs::rename(&target, path),
            Err(e) => {
                let _ = std::fs::remove_file(&target);
                Err(e)
            }
        }
    } else {
        written
    }
}

/// Asks the cluster's faucet for `amount` and waits for it to land.
pub async fn airdrop(ctx: &Ctx, args: Airdrop) -> Result<Landed<Airdropped>, CliError> {
    let cluster = ctx.settings.cluster();
    if ctx.settings.is_mainnet() {
        return Err(CliError::Invalid(
            "mainnet-beta has no faucet: send SOL to the wallet from another wallet or an exchange"
                .into(),
        ));
    }
    if args.amount == 0 {
        return Err(CliError::Invalid(
            "airdrop: the amount must be above 0".into(),
        ));
    }
    let to = match args.address {
        Some(a) => a,
        None => ctx.me()?,
    };
    let signature = ctx
        .chain
        .request_airdrop(&to, args.amount)
        .await
        .map_err(|e| refused_airdrop(e, &cluster))?;
    landed(ctx, &signature, args.amount, &cluster).await?;
    let balance_lamports = ctx.balance(&to).await?;
    let sent = Sent {
        explorer: ctx.settings.explorer(&signature.to_string()),
        signature: signature.to_string(),
    };
    let what = Airdropped {
        address: to,
        lamports: args.amount,
        balance_lamports,
        cluster,
    };
    Ok(Landed::new(what, sent))
}

/// Waits for the airdrop's transaction: landed, failed (the faucet could not pay), or not
/// seen within `AIRDROP_WAIT`.
async fn landed(
    ctx: &Ctx,
    signature: &Signature,
    lamports: u64,
    cluster: &str,
) -> Result<(), CliError> {
    let refused = |why: String| CliError::AirdropRefused {
        cluster: cluster.to_string(),
        why,
    };
    let deadline = tokio::time::Instant::now() + AIRDROP_WAIT;
    loop {
        let status = ctx
            .chain
            .client
            .get_signature_status_with_commitment(signature, ctx.settings.commitment)
            .await
            .map_err(CliError::from)?;
        match status {
            Some(Ok(())) => return Ok(()),
            // the system program's "insufficient lamports": the faucet's own funds
            Some(Err(TransactionError::InstructionError(_, InstructionError::Custom(1)))) => {
                return Err(refused(format!(
                    "the faucet holds less than {} SOL: ask for less",
                    sol(lamports)
                )))
            }
            Some(Err(e)) => {
                return Err(refused(format!(
                    "the faucet's transfer {signature} failed: {e}"
                )))
            }
            None if tokio::time::Instant::now() >= deadline => {
                return Err(refused(format!(
                    "its transaction {signature} was not confirmed within {} s: ask again later",
                    AIRDROP_WAIT.as_secs()
                )))
            }
            None => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// The faucet's refusal said as one (a node that cannot be reached stays that).
fn refused_airdrop(e: bitticket_client::rpc::RpcSendError, cluster: &str) -> CliError {
    use bitticket_client::rpc::RpcSendError;
    let why = match &e {
        RpcSendError::Client(c) => match c.kind() {
            ErrorKind::RpcError(RpcError::RpcResponseError { code, message, .. }) => {
                Some(format!("{message} (code {code})"))
            }
            ErrorKind::RpcError(RpcError::RpcRequestError(message)) => Some(message.clone()),
            // a public node's rate limit, after the client's own retries
            ErrorKind::Reqwest(r) if r.status().is_some_and(|s| s.as_u16() == 429) => {
                Some("too many requests (HTTP 429)".into())
            }
            _ => None,
        },
        _ => None,
    };
    match why {
        Some(why) => CliError::AirdropRefused {
            cluster: cluster.to_string(),
            why: format!(
                "{why}; a faucet limits each request and how often it gives: ask for less \
                 (`bitticket airdrop 1`), wait, or on devnet use https://faucet.solana.com"
            ),
        },
        None => e.into(),
    }
}

pub async fn balance(ctx: &Ctx, args: Balance) -> Result<Balanced, CliError> {
    let address = match args.address {
        Some(a) => a,
        None => ctx.me()?,
    };
    let lamports = ctx.balance(&address).await?;
    Ok(Balanced {
        address,
        lamports,
        sol: sol(lamports),
        cluster: ctx.settings.cluster(),
    })
}
