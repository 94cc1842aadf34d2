//! Where the CLI finds its cluster and its keypair, the way the Solana CLI does: flags
//! first, then the Solana CLI's config file (`~/.config/solana/cli/config.yml`, or
//! `--config`), then `~/.config/solana/id.json` and the local validator.
use std::path::{Path, PathBuf};

use serde::Deserialize;
use solana_commitment_config::CommitmentConfig;

use crate::error::CliError;

/// The fields of the Solana CLI's `config.yml` the CLI uses (the file has more).
#[derive(Debug, Default, Deserialize)]
struct SolanaConfig {
    #[serde(default)]
    json_rpc_url: Option<String>,
    #[serde(default)]
    keypair_path: Option<String>,
    #[serde(default)]
    commitment: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub url: String,
    pub keypair_path: PathBuf,
    pub commitment: CommitmentConfig,
}

fn home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The Solana CLI's config file: `path`, else its default place (absent is fine).
fn solana_config(path: Option<&Path>) -> Result<SolanaConfig, CliError> {
    let (path, explicit) = match path {
        Some(p) => (p.to_path_buf(), true),
        None => (home().join(".config/solana/cli/config.yml"), false),
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_yaml::from_str(&text).map_err(|e| CliError::Config {
            path: path.display().to_string(),
            reason: e.to_string(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
            Ok(SolanaConfig::default())
        }
        Err(e) => Err(CliError::Config {
            path: path.display().to_string(),
            reason: e.to_string(),
        }),
    }
}

/// `localhost`, `devnet`, `testnet`, `mainnet-beta` (and their first letters) to URLs, as
/// the Solana CLI's `--url` takes them; anything else must be an http(s) URL.
pub fn normalize_url(url: &str) -> Result<String, CliError> {
    let known = match url {
        "l" | "localhost" => Some("http://127.0.0.1:8899"),
        "d" | "devnet" => Some("https://api.devnet.solana.com"),
        "t" | "testnet" => Some("https://api.testnet.solana.com"),
        "m" | "mainnet-beta" => Some("https://api.mainnet-beta.solana.com"),
        _ => None,
    };
    if let Some(u) = known {
        return Ok(u.to_string());
    }
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(url.trim_end_matches('/').to_string())
    } else {
        Err(CliError::Invalid(format!(
            "--url {url}: expected a URL or one of localhost, devnet, testnet, mainnet-beta"
        )))
    }
}

pub fn parse_commitment(s: &str) -> Result<CommitmentConfig, CliError> {
    match s {
        "processed" => Ok(CommitmentConfig::processed()),
        "confirmed" => Ok(CommitmentConfig::confirmed()),
        "finalized" => Ok(CommitmentConfig::finalized()),
        other => Err(CliError::Invalid(format!(
            "commitment {other}: expected processed, confirmed or finalized"
        ))),
    }
}

impl Settings {
    pub fn resolve(
        config_file: Option<&Path>,
        url: Option<&str>,
        keypair: Option<&Path>,
        commitment: Option<&str>,
    ) -> Result<Self, CliError> {
        let file = solana_config(config_file)?;
        let url = normalize_url(url.or(file.json_rpc_url.as_deref()).unwrap_or("localhost"))?;
        let keypair_path = keypair
            .map(Path::to_path_buf)
            .or(file.keypair_path.map(PathBuf::from))
            .unwrap_or_else(|| home().join(".config/solana/id.json"));
        let commitment = parse_commitment(
            commitment
                .or(file.commitment.as_deref())
                .unwrap_or("confirmed"),
        )?;
        Ok(Self {
            url,
            keypair_path,
            commitment,
        })
    }

    /// The cluster as a person names it: its moniker (`localhost`, `devnet`, ...), else its
    /// URL (scheme, host and port: a provider's key in the path never shows).
    pub fn cluster(&self) -> String {
        match self.url.as_str() {
            "http://127.0.0.1:8899" | "http://localhost:8899" => "localhost".into(),
            "https://api.devnet.solana.com" => "devnet".into(),
            "https://api.testnet.solana.com" => "testnet".into(),
            "https://api.mainnet-beta.solana.com" => "mainnet-beta".into(),
            other => bitticket_client::redact_url(other),
        }
    }

    /// Whether the cluster is Solana's mainnet, where no faucet gives SOL away.
    pub fn is_mainnet(&self) -> bool {
        self.url == "https://api.mainnet-beta.solana.com"
    }

    /// How a wallet gets SOL on this cluster, said as a command where there is a faucet.
    pub fn funding_hint(&self) -> String {
        if self.is_mainnet() {
            return "send it SOL from another wallet or an exchange".into();
        }
        match self.cluster().as_str() {
            "localhost" => "fund it with `bitticket airdrop 1`".into(),
            cluster => format!("fund it with `bitticket airdrop 1 --url {cluster}`"),
        }
    }

    /// An explorer link for `signature` on this cluster.
    pub fn explorer(&self, signature: &str) -> String {
        let base = format!("https://explorer.solana.com/tx/{signature}");
        match self.url.as_str() {
            "https://api.mainnet-beta.solana.com" => base,
            "https://api.devnet.solana.com" => format!("{base}?cluster=devnet"),
            "https://api.testnet.solana.com" => format!("{base}?cluster=testnet"),
            custom => format!(
                "{base}?cluster=custom&customUrl={}",
                custom.replace(':', "%3A").replace('/', "%2F")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monikers_and_urls() {
        assert_eq!(
            normalize_url("devnet").unwrap(),
            "https://api.devnet.solana.com"
        );
        assert_eq!(normalize_url("l").unwrap(), "http://127.0.0.1:8899");
        assert_eq!(
            normalize_url("http://10.0.0.1:8899/").unwrap(),
            "http://10.0.0.1:8899"
        );
        assert!(normalize_url("devnett").is_err());
    }

    #[test]
    fn clusters_are_named_and_funded_as_a_person_would() {
        let at = |url: &str| Settings {
            url: normalize_url(url).unwrap(),
            keypair_path: PathBuf::from("/k.json"),
            commitment: CommitmentConfig::confirmed(),
        };
        assert_eq!(at("localhost").cluster(), "localhost");
        assert_eq!(
            at("localhost").funding_hint(),
            "fund it with `bitticket airdrop 1`"
        );
        assert_eq!(
            at("devnet").funding_hint(),
            "fund it with `bitticket airdrop 1 --url devnet`"
        );
        assert!(!at("mainnet-beta").funding_hint().contains("airdrop"));
        let keyed = at("https://rpc.example/v2/SECRET");
        assert_eq!(keyed.cluster(), "https://rpc.example/…");
    }

    #[test]
    fn flags_win_over_the_solana_config_file() {
        let dir = std::env::temp_dir().join(format!("bitticket-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("config.yml");
        std::fs::write(
            &file,
            "---\njson_rpc_url: https://api.devnet.solana.com\nwebsocket_url: ''\nkeypair_path: /k/id.json\naddress_labels:\n  '11111111111111111111111111111111': System Program\ncommitment: finalized\n",
        )
        .unwrap();
        let s = Settings::resolve(Some(&file), None, None, None).unwrap();
        assert_eq!(s.url, "https://api.devnet.solana.com");
        assert_eq!(s.keypair_path, PathBuf::from("/k/id.json"));
        assert_eq!(s.commitment, CommitmentConfig::finalized());
        let s = Settings::resolve(
            Some(&file),
            Some("localhost"),
            Some(Path::new("/other.json")),
            Some("processed"),
        )
        .unwrap();
        assert_eq!(s.url, "http://127.0.0.1:8899");
        assert_eq!(s.keypair_path, PathBuf::from("/other.json"));
        assert_eq!(s.commitment, CommitmentConfig::processed());
        assert!(s
            .explorer("abc")
            .ends_with("customUrl=http%3A%2F%2F127.0.0.1%3A8899"));
        // a named config file that does not exist is an error; the default place is not
        assert!(Settings::resolve(Some(&dir.join("none.yml")), None, None, None).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
