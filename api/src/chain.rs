//! What the API asks the chain itself (over JSON-RPC, at `confirmed`): at the gate, where
//! the mirror may lag by a slot or two (or by much more if the indexer stalls), the
//! ticket, the holder's token balance, the event, the clock and the gatekeeper's
//! membership; a recent blockhash for the transactions it builds.
use anchor_lang::AccountDeserialize;
use bitticket::state::{permission, Event, Organizer, Ticket, TicketState};
use bitticket_client::accounts;
use bitticket_client::pool::{Policy, RpcPool, Service};
use bitticket_client::{ata, ticket_pda, CLOCK, PROGRAM_ID, SYSVAR};
use solana_address::Address;

use crate::error::ApiError;

/// The node(s) the API asks, through the client library's failover pool: a breaker per
/// node, and the next one when it fails (a request waits a second at most before the gate
/// fails closed).
pub struct Chain {
    pool: RpcPool,
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
    /// The ticket is not of the event the mirror says, or the event not the organizer's.
    WrongEvent,
    EventCancelled,
    /// The chain's clock is outside the event's check-in window.
    OutsideCheckIn,
    /// The scanning wallet does not hold the gatekeeper bit on chain (now).
    NotAGatekeeper,
}

fn rpc_error(e: impl std::fmt::Display) -> ApiError {
    tracing::warn!(error = %e, "RPC call failed");
    ApiError::Unavailable
}

impl Chain {
    pub fn new(urls: &[String]) -> Self {
        let policy = Policy {
            failure_threshold: 3,
            open_for: std::time::Duration::from_secs(5),
            max_attempts: 4,
            base_backoff: std::time::Duration::from_millis(20),
            max_backoff: std::time::Duration::from_millis(250),
        };
        Chain {
            pool: RpcPool::new(urls, std::time::Duration::from_secs(5), policy)
                .for_service(Service::Api),
        }
    }

    /// The confirmed slot the node is at.
    pub async fn slot(&self) -> Result<u64, ApiError> {
        self.pool.slot("confirmed").await.map_err(rpc_error)
    }

    pub async fn latest_blockhash(&self) -> Result<solana_hash::Hash, ApiError> {
        self.pool
            .latest_blockhash("confirmed")
            .await
            .map_err(rpc_error)?
            .parse()
            .map_err(|_| rpc_error("a blockhash that does not parse"))
    }

    /// Everything the gate needs from the chain, read in one `getMultipleAccounts` (one
    /// round trip, one slot): the ticket (valid, of `event`, held by `holder`), the holder's
    /// token account (holding the one token), the event (of `organizer`, not cancelled,
    /// its check-in window open by the chain's clock), and, for a gatekeeper's wallet, the
    /// organizer (the wallet holds the gatekeeper bit now, whatever the mirror says).
    pub async fn verify_admission(
        &self,
        organizer: &Address,
        event: &Address,
        mint: &Address,
        holder: &Address,
        gatekeeper: Option<&Address>,
    ) -> Result<OnChain, ApiError> {
        let token_account = ata(holder, mint);
        let (_, accounts) = self
            .pool
            .multiple_accounts(
                &[ticket_pda(mint), token_account, *event, *organizer, CLOCK],
                "confirmed",
                0,
            )
            .await
            .map_err(rpc_error)?;
        let mut accounts = accounts.into_iter();
        let mut next = || accounts.next().flatten();
        let (ticket, token, event_acc, org_acc, clock) = (next(), next(), next(), next(), next());
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
        if ticket.event != *event {
            return Ok(OnChain::WrongEvent);
        }
        if ticket.holder != *holder || ticket.mint != *mint {
            return Ok(OnChain::NotHeld);
        }
        let Some(ev) = event_acc
            .filter(|a| a.owner == PROGRAM_ID)
            .and_then(|a| Event::try_deserialize(&mut a.data.as_slice()).ok())
            .filter(|e| e.organizer == *organizer)
        else {
            return Ok(OnChain::WrongEvent);
        };
        if ev.cancelled {
            return Ok(OnChain::EventCancelled);
        }
        // the Clock sysvar: unix_timestamp is its fifth field (bytes 32..40)
        let now = clock
            .filter(|a| a.owner == SYSVAR && a.data.len() >= 40)
            .and_then(|a| a.data[32..40].try_into().ok())
            .map(i64::from_le_bytes)
            .ok_or_else(|| rpc_error("the node returned no clock"))?;
        if now < ev.config.check_in_start || now >= ev.config.check_in_end {
            return Ok(OnChain::OutsideCheckIn);
        }
        if let Some(g) = gatekeeper {
            let is_gatekeeper = org_acc
                .filter(|a| a.owner == PROGRAM_ID)
                .and_then(|a| Organizer::try_deserialize(&mut a.data.as_slice()).ok())
                .is_some_and(|o| {
                    o.members
                        .iter()
                        .any(|m| m.key == *g && m.permissions & permission::GATEKEEPER != 0)
                });
            if !is_gatekeeper {
                return Ok(OnChain::NotAGatekeeper);
            }
        }
        // the holder's token account, read with the token program's own type
        let holds = token
            .and_then(|a| accounts::token_account(&a.owner, &a.data))
            .is_some_and(|t| t.mint == *mint && t.owner == *holder && t.amount == 1);
        Ok(if holds {
            OnChain::Holds
        } else {
            OnChain::NotHeld
        })
    }
}
