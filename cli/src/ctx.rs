//! One cluster and one signer: the settings, the signer (read when first needed), and thin
//! calls into the client library's sender, with its errors said the CLI's way.
use std::sync::OnceLock;

use anchor_lang::{AccountDeserialize, Discriminator, Owner};
use bitticket_client::rpc::{Account, Memcmp, RpcSendError, RpcSender};
use solana_address::Address;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_transaction::Transaction;

use crate::error::{payer_short_of_sol, CliError};
use crate::output::{sol, Sent};
use crate::settings::Settings;

pub struct Ctx {
    pub settings: Settings,
    pub chain: RpcSender,
    keypair: OnceLock<Keypair>,
}

impl Ctx {
    pub fn new(settings: Settings) -> Self {
        let chain = RpcSender::with_commitment(&settings.url, settings.commitment);
        Self {
            settings,
            chain,
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

    fn sent(&self, signature: String) -> Sent {
        Sent {
            explorer: self.settings.explorer(&signature),
            signature,
        }
    }

    /// Signs `ixs` with the signer (who pays) and `others`, sends, waits for the
    /// commitment. A refusal comes back as the program's error by name; a payer without
    /// enough SOL, named as such.
    pub async fn send(&self, ixs: &[Instruction], others: &[&Keypair]) -> Result<Sent, CliError> {
        let payer = self.signer()?;
        let mut signers = vec![payer];
        signers.extend_from_slice(others);
        match self.chain.send(ixs, &signers).await {
            Ok(signature) => Ok(self.sent(signature)),
            Err(e) if payer_short_of_sol(&e) => Err(self.unfunded(&payer.pubkey()).await),
            Err(e) => Err(e.into()),
        }
    }

    /// A transaction its signers signed already (one the API built), sent and confirmed.
    pub async fn send_signed(&self, tx: &Transaction) -> Result<Sent, CliError> {
        match self.chain.send_transaction(tx).await {
            Ok(signature) => Ok(self.sent(signature)),
            Err(e) if payer_short_of_sol(&e) => match tx.message.account_keys.first() {
                Some(payer) => Err(self.unfunded(payer).await),
                None => Err(e.into()),
            },
            Err(e) => Err(e.into()),
        }
    }

    /// `wallet` (a fee payer) has too little SOL on this cluster: how much, and how to get
    /// more.
    async fn unfunded(&self, wallet: &Address) -> CliError {
        let (has, enough) = match self.chain.balance(wallet).await {
            Ok(0) => ("no SOL".to_string(), ""),
            Ok(lamports) => (
                format!("only {} SOL", sol(lamports)),
                ", not enough for this transaction",
            ),
            Err(_) => ("too little SOL".to_string(), " for this transaction"),
        };
        CliError::Unfunded {
            wallet: wallet.to_string(),
            has,
            cluster: self.settings.cluster(),
            enough,
            fund: self.settings.funding_hint(),
        }
    }

    /// The account at `address` decoded as `T` (owner and discriminator checked): not
    /// found when there is none or another program owns it, invalid when it is not a `T`.
    pub async fn account<T: AccountDeserialize + Owner>(
        &self,
        kind: &'static str,
        address: &Address,
    ) -> Result<T, CliError> {
        let not_found = || CliError::NotFound {
            kind,
            address: address.to_string(),
        };
        match self.chain.find_account(address).await {
            Ok(Some(t)) => Ok(t),
            Ok(None) | Err(RpcSendError::WrongOwner { .. }) => Err(not_found()),
            Err(RpcSendError::Decode(..)) => Err(CliError::Invalid(format!(
                "{address} is not a BitTicket {kind}"
            ))),
            Err(e) => Err(e.into()),
        }
    }

    /// Several accounts of one kind, in chunks of 100; `None` where there is none.
    pub async fn accounts<T: AccountDeserialize + Owner>(
        &self,
        addresses: &[Address],
    ) -> Result<Vec<Option<T>>, CliError> {
        Ok(self.chain.accounts(addresses).await?)
    }

    /// The accounts at `addresses` as they are, whoever owns them.
    pub async fn raw_accounts(
        &self,
        addresses: &[Address],
    ) -> Result<Vec<Option<Account>>, CliError> {
        Ok(self.chain.raw_accounts(addresses).await?)
    }

    /// Every program account of type `T` whose bytes pass `filter`.
    pub async fn find<T: AccountDeserialize + Discriminator>(
        &self,
        filter: Memcmp,
    ) -> Result<Vec<(Address, T)>, CliError> {
        Ok(self.chain.program_accounts(&[filter]).await?)
    }

    /// The amount in the token account `address`; `None` when there is none.
    pub async fn token_balance(&self, address: &Address) -> Result<Option<u64>, CliError> {
        Ok(self.chain.token_balance(address).await?)
    }

    pub async fn balance(&self, address: &Address) -> Result<u64, CliError> {
        Ok(self.chain.balance(address).await?)
    }

    /// The cluster's clock (unix seconds).
    pub async fn now(&self) -> Result<i64, CliError> {
        Ok(self.chain.now().await?)
    }
}
