//! Signing, sending with confirmation, airdrops, and waiting for a signature, a slot or a
//! time on the chain's clock.
use std::time::Duration;

use solana_address::Address;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_transaction::Transaction;

use super::{RpcSendError, RpcSender, Signature};

/// How often the waits poll the node.
const POLL: Duration = Duration::from_millis(100);
const CLOCK_POLL: Duration = Duration::from_millis(250);

impl RpcSender {
    /// `ixs` signed by `signers` (the first pays; a keypair given twice signs once) over
    /// the latest blockhash.
    pub async fn sign(
        &self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<Transaction, RpcSendError> {
        let payer = signers.first().ok_or(RpcSendError::NoSigner)?;
        let mut unique: Vec<&Keypair> = Vec::with_capacity(signers.len());
        for k in signers {
            if !unique.iter().any(|u| u.pubkey() == k.pubkey()) {
                unique.push(k);
            }
        }
        let blockhash = self.client.get_latest_blockhash().await?;
        Ok(Transaction::new_signed_with_payer(
            ixs,
            Some(&payer.pubkey()),
            &unique,
            blockhash,
        ))
    }

    /// Signs, sends, and waits for the sender's commitment; the signature.
    pub async fn send(
        &self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<String, RpcSendError> {
        let tx = self.sign(ixs, signers).await?;
        self.send_transaction(&tx).await
    }

    /// A transaction signed elsewhere (a built one its signers completed): sends it and
    /// waits for the sender's commitment.
    pub async fn send_transaction(&self, tx: &Transaction) -> Result<String, RpcSendError> {
        Ok(self
            .client
            .send_and_confirm_transaction(tx)
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

    /// Asks a local validator's faucet for `lamports` without waiting (`wait_for_signature`).
    pub async fn request_airdrop(
        &self,
        to: &Address,
        lamports: u64,
    ) -> Result<Signature, RpcSendError> {
        Ok(self.client.request_airdrop(to, lamports).await?)
    }

    /// Airdrops `lamports` (a local validator's faucet) and waits for it.
    pub async fn airdrop(&self, to: &Address, lamports: u64) -> Result<(), RpcSendError> {
        let sig = self.request_airdrop(to, lamports).await?;
        self.wait_for_signature(&sig).await
    }

    /// Waits until `signature` is confirmed at the sender's commitment.
    pub async fn wait_for_signature(&self, signature: &Signature) -> Result<(), RpcSendError> {
        while !self.client.confirm_transaction(signature).await? {
            tokio::time::sleep(POLL).await;
        }
        Ok(())
    }

    /// Waits until the node's slot (at the sender's commitment) reaches `slot`; that slot.
    pub async fn wait_for_slot(&self, slot: u64) -> Result<u64, RpcSendError> {
        loop {
            let now = self.client.get_slot().await?;
            if now >= slot {
                return Ok(now);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until the chain's clock reaches `unix_time` (it may lag the wall clock).
    pub async fn wait_until(&self, unix_time: i64) -> Result<(), RpcSendError> {
        while self.now().await? < unix_time {
            tokio::time::sleep(CLOCK_POLL).await;
        }
        Ok(())
    }
}
