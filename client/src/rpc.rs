//! Sending over JSON-RPC: what the LiteSVM harness does in-process, against a node.
use anchor_lang::AccountDeserialize;
use solana_address::Address;
use solana_commitment_config::CommitmentConfig;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_signer::Signer;
use solana_transaction::Transaction;

pub type ClientError = solana_rpc_client::api::client_error::Error;

#[derive(Debug, thiserror::Error)]
pub enum RpcSendError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error("account {0}: {1}")]
    Decode(Address, String),
    #[error("account {address} is owned by {owner}, not {expected}")]
    WrongOwner {
        address: Address,
        owner: Address,
        expected: Address,
    },
    #[error("no signer given")]
    NoSigner,
}

/// A node at `confirmed`.
pub struct RpcSender {
    pub client: RpcClient,
}

impl RpcSender {
    pub fn new(url: &str) -> Self {
        Self {
            client: RpcClient::new_with_commitment(url.to_string(), CommitmentConfig::confirmed()),
        }
    }

    /// `ixs` signed by `signers` (the first pays) over the latest blockhash.
    pub async fn sign(
        &self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<Transaction, RpcSendError> {
        let payer = signers.first().ok_or(RpcSendError::NoSigner)?;
        let blockhash = self.client.get_latest_blockhash().await?;
        Ok(Transaction::new_signed_with_payer(
            ixs,
            Some(&payer.pubkey()),
            signers,
            blockhash,
        ))
    }

    /// Signs, sends, and waits until confirmed.
    pub async fn send(
        &self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<String, RpcSendError> {
        let tx = self.sign(ixs, signers).await?;
        Ok(self
            .client
            .send_and_confirm_transaction(&tx)
            .await?
            .to_string())
    }

    /// Signs and sends without waiting (for load).
    pub async fn send_only(
        &self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<String, RpcSendError> {
        let tx = self.sign(ixs, signers).await?;
        Ok(self.client.send_transaction(&tx).await?.to_string())
    }

    /// Airdrops `lamports` (a local validator's faucet) and waits for it.
    pub async fn airdrop(&self, to: &Address, lamports: u64) -> Result<(), RpcSendError> {
        let sig = self.client.request_airdrop(to, lamports).await?;
        loop {
            if self.client.confirm_transaction(&sig).await? {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    /// The account at `key` as a `T`, refused unless `T`'s program owns it (data of the
    /// right shape under another owner is anyone's forgery).
    pub async fn account<T: AccountDeserialize + anchor_lang::Owner>(
        &self,
        key: &Address,
    ) -> Result<T, RpcSendError> {
        let acc = self.client.get_account(key).await?;
        if acc.owner != T::owner() {
            return Err(RpcSendError::WrongOwner {
                address: *key,
                owner: acc.owner,
                expected: T::owner(),
            });
        }
        T::try_deserialize(&mut acc.data.as_slice())
            .map_err(|e| RpcSendError::Decode(*key, e.to_string()))
    }

    /// The chain's clock (unix seconds).
    pub async fn now(&self) -> Result<i64, RpcSendError> {
        let data = self
            .client
            .get_account(&solana_sdk_ids::sysvar::clock::ID)
            .await?
            .data;
        // Clock: slot u64, epoch_start_timestamp i64, epoch u64, leader_schedule_epoch u64, unix_timestamp i64
        let ts = data
            .get(32..40)
            .and_then(|b| b.try_into().ok())
            .map(i64::from_le_bytes)
            .ok_or_else(|| {
                RpcSendError::Decode(solana_sdk_ids::sysvar::clock::ID, "short clock".into())
            })?;
        Ok(ts)
    }
}
