//! One cluster and one signer: sends instructions, reads and decodes accounts.
use std::sync::OnceLock;

use anchor_lang::{AccountDeserialize, Discriminator};
use bitticket_client::PROGRAM_ID;
use serde::Deserialize;
use serde_json::json;
use solana_address::Address;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::request::RpcRequest;
use solana_signer::Signer;

use crate::error::CliError;
use crate::settings::Settings;

pub struct Ctx {
    pub settings: Settings,
    pub rpc: RpcClient,
    keypair: OnceLock<Keypair>,
}

/// A transaction that landed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Sent {
    pub signature: String,
    pub explorer: String,
}

#[derive(Deserialize)]
struct Keyed {
    pubkey: String,
    account: KeyedAccount,
}
#[derive(Deserialize)]
struct KeyedAccount {
    data: (String, String),
}

pub fn parse_address(what: &str, s: &str) -> Result<Address, CliError> {
    s.parse()
        .map_err(|_| CliError::Invalid(format!("{what} {s:?} is not a base58 address")))
}

impl Ctx {
    pub fn new(settings: Settings) -> Self {
        let rpc = RpcClient::new_with_commitment(settings.url.clone(), settings.commitment);
        Self {
            settings,
            rpc,
            keypair: OnceLock::new(),
        }
    }

    /// With a signer already in hand (the demo's wallets, tests).
    pub fn with_keypair(settings: Settings, keypair: Keypair) -> Self {
        let ctx = Self::new(settings);
        let _ = ctx.keypair.set(keypair);
        ctx
    }

    /// The signer, read from its file the first time a command needs one.
    pub fn signer(&self) -> Result<&Keypair, CliError> {
        if let Some(k) = self.keypair.get() {
            return Ok(k);
        }
        let path = &self.settings.keypair_path;
        let k = solana_keypair::read_keypair_file(path).map_err(|e| CliError::Keypair {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Ok(self.keypair.get_or_init(|| k))
    }

    pub fn me(&self) -> Result<Address, CliError> {
        Ok(self.signer()?.pubkey())
    }

    /// Signs `ixs` with the signer (who pays) and `others`, sends, waits for the
    /// commitment. A refusal comes back as the program's error by name.
    pub async fn send(&self, ixs: &[Instruction], others: &[&Keypair]) -> Result<Sent, CliError> {
        let payer = self.signer()?;
        let mut signers: Vec<&Keypair> = vec![payer];
        signers.extend(
            others
                .iter()
                .copied()
                .filter(|k| k.pubkey() != payer.pubkey()),
        );
        let blockhash = self.rpc.get_latest_blockhash().await?;
        let tx = solana_transaction::Transaction::new_signed_with_payer(
            ixs,
            Some(&payer.pubkey()),
            &signers,
            blockhash,
        );
        let sig = self
            .rpc
            .send_and_confirm_transaction(&tx)
            .await?
            .to_string();
        Ok(Sent {
            explorer: self.settings.explorer(&sig),
            signature: sig,
        })
    }

    /// The account at `address` decoded as `T` (owner and discriminator checked).
    pub async fn account<T: AccountDeserialize + anchor_lang::Owner>(
        &self,
        kind: &'static str,
        address: &Address,
    ) -> Result<T, CliError> {
        let not_found = || CliError::NotFound {
            kind,
            address: address.to_string(),
        };
        let acc = self
            .rpc
            .get_account_with_commitment(address, self.settings.commitment)
            .await?
            .value
            .ok_or_else(not_found)?;
        if acc.owner != T::owner() {
            return Err(not_found());
        }
        T::try_deserialize(&mut acc.data.as_slice())
            .map_err(|_| CliError::Invalid(format!("{address} is not a BitTicket {kind}")))
    }

    /// Several accounts of one kind in one round trip; `None` where there is none.
    pub async fn accounts<T: AccountDeserialize + anchor_lang::Owner>(
        &self,
        addresses: &[Address],
    ) -> Result<Vec<Option<T>>, CliError> {
        let mut out = Vec::with_capacity(addresses.len());
        for chunk in addresses.chunks(100) {
            let accs = self
                .rpc
                .get_multiple_accounts_with_commitment(chunk, self.settings.commitment)
                .await?
                .value;
            out.extend(accs.into_iter().map(|a| {
                a.filter(|a| a.owner == T::owner())
                    .and_then(|a| T::try_deserialize(&mut a.data.as_slice()).ok())
            }));
        }
        Ok(out)
    }

    /// Every program account of type `T` whose bytes at `offset` are `bytes`.
    pub async fn find<T: AccountDeserialize + Discriminator>(
        &self,
        offset: usize,
        bytes: &[u8],
    ) -> Result<Vec<(Address, T)>, CliError> {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD;
        let page: Vec<Keyed> = self
            .rpc
            .send(
                RpcRequest::GetProgramAccounts,
                json!([PROGRAM_ID.to_string(), {
                    "encoding": "base64",
                    "commitment": self.settings.commitment.commitment.to_string(),
                    "filters": [
                        {"memcmp": {"offset": 0, "bytes": b64.encode(T::DISCRIMINATOR), "encoding": "base64"}},
                        {"memcmp": {"offset": offset, "bytes": b64.encode(bytes), "encoding": "base64"}},
                    ],
                }]),
            )
            .await?;
        let mut out = Vec::with_capacity(page.len());
        for k in page {
            let data = b64
                .decode(&k.account.data.0)
                .map_err(|_| CliError::Rpc(format!("{}: bad base64", k.pubkey)))?;
            let value = T::try_deserialize(&mut data.as_slice())
                .map_err(|_| CliError::Rpc(format!("{}: undecodable", k.pubkey)))?;
            out.push((parse_address("account", &k.pubkey)?, value));
        }
        Ok(out)
    }

    /// The cluster's clock (unix seconds).
    pub async fn now(&self) -> Result<i64, CliError> {
        let data = self
            .rpc
            .get_account_with_commitment(
                &solana_sdk_ids::sysvar::clock::ID,
                self.settings.commitment,
            )
            .await?
            .value
            .ok_or_else(|| CliError::Rpc("no clock sysvar".into()))?
            .data;
        data.get(32..40)
            .and_then(|b| b.try_into().ok())
            .map(i64::from_le_bytes)
            .ok_or_else(|| CliError::Rpc("short clock sysvar".into()))
    }
}
