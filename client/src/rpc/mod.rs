//! Sending over JSON-RPC, for every caller that signs (the CLI, the demo, the services'
//! tests and benches): what the LiteSVM harness does in-process, against a node. Signing
//! and sending with confirmation, airdrops and waiting (`send`); typed account reads that
//! always check the owner, many accounts in chunks, program accounts by filter and the
//! clock through its sysvar type (`read`).
use solana_address::Address;
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;

mod read;
mod send;

pub use crate::filters::Memcmp;
pub use crate::wire::{Account, KeyedAccount};
pub use solana_signature::Signature;

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
    #[error("account {0} does not exist")]
    NotFound(Address),
    /// The node answered something that does not parse.
    #[error("the node's answer: {0}")]
    BadAnswer(String),
    #[error("no signer given")]
    NoSigner,
}

/// A node at a commitment (`confirmed` unless told).
pub struct RpcSender {
    pub client: RpcClient,
}

impl RpcSender {
    pub fn new(url: &str) -> Self {
        Self::with_commitment(url, CommitmentConfig::confirmed())
    }

    pub fn with_commitment(url: &str, commitment: CommitmentConfig) -> Self {
        Self {
            client: RpcClient::new_with_commitment(url.to_string(), commitment),
        }
    }

    pub fn commitment(&self) -> CommitmentConfig {
        self.client.commitment()
    }
}
