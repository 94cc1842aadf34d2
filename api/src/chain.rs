//! What the API asks the chain itself (over JSON-RPC, at `confirmed`): a ticket's state
//! and holder and the holder's token balance at the gate, where the mirror may lag by a
//! slot or two; a recent blockhash for the transactions it builds.
use anchor_lang::AccountDeserialize;
use bitticket::state::{Ticket, TicketState};
use bitticket_client::{ata, ticket_pda, PROGRAM_ID, TOKEN};
use solana_address::Address;
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;

use crate::error::ApiError;

pub struct Chain {
    rpc: RpcClient,
}

/// What the chain says of a ticket at the gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OnChain {
    /// Valid, held by the wallet, whose token account holds the one token.
    Holds,
    NoTicket,
    CheckedIn,
    Refunded,
    /// The ticket names another holder, or the wallet's token account does not hold it.
    NotHeld,
}

fn rpc_error(e: impl std::fmt::Display) -> ApiError {
    tracing::warn!(error = %e, "RPC call failed");
    ApiError::Unavailable
}

impl Chain {
    pub fn new(url: &str) -> Self {
        Chain {
            rpc: RpcClient::new_with_timeout_and_commitment(
                url.to_string(),
                std::time::Duration::from_secs(5),
                CommitmentConfig::confirmed(),
            ),
        }
    }

    /// The confirmed slot the node is at.
    pub async fn slot(&self) -> Result<u64, ApiError> {
        self.rpc.get_slot().await.map_err(rpc_error)
    }

    pub async fn latest_blockhash(&self) -> Result<solana_hash::Hash, ApiError> {
        self.rpc.get_latest_blockhash().await.map_err(rpc_error)
    }

    /// Verifies on chain that `holder` holds the ticket of `mint`: the program's ticket
    /// account names it and is valid, and its token account for the mint holds 1.
    pub async fn verify_holder(
        &self,
        mint: &Address,
        holder: &Address,
    ) -> Result<OnChain, ApiError> {
        // the ticket and the holder's token account, read together (one round trip, one slot)
        let token_account = ata(holder, mint);
        let mut accounts = self
            .rpc
            .get_multiple_accounts_with_commitment(
                &[ticket_pda(mint), token_account],
                CommitmentConfig::confirmed(),
            )
            .await
            .map_err(rpc_error)?
            .value
            .into_iter();
        let (ticket, token) = (accounts.next().flatten(), accounts.next().flatten());
        let Some(ticket) = ticket.filter(|a| a.owner == PROGRAM_ID) else {
            return Ok(OnChain::NoTicket);
        };
        let Ok(ticket) = Ticket::try_deserialize(&mut ticket.data.as_slice()) else {
            return Ok(OnChain::NoTicket);
        };
        match ticket.state {
            TicketState::CheckedIn => return Ok(OnChain::CheckedIn),
            TicketState::Refunded => return Ok(OnChain::Refunded),
            TicketState::Valid => {}
        }
        if ticket.holder != *holder || ticket.mint != *mint {
            return Ok(OnChain::NotHeld);
        }
        // an SPL token account: mint (32), owner (32), amount (u64 LE)
        let holds = token.is_some_and(|a| {
            a.owner == TOKEN
                && a.data.len() >= 72
                && a.data[0..32] == mint.to_bytes()
                && a.data[32..64] == holder.to_bytes()
                && a.data[64..72] == 1u64.to_le_bytes()
        });
        Ok(if holds {
            OnChain::Holds
        } else {
            OnChain::NotHeld
        })
    }
}
