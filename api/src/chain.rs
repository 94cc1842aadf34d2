//! What the API asks the chain itself (over JSON-RPC, at `confirmed`): at the gate, where
//! the mirror may lag by a slot or two (or by much more if the indexer stalls), the
//! ticket, the holder's token balance, the event, the clock and the gatekeeper's
//! membership; a recent blockhash and the clock for the transactions it builds.
use bitticket_client::gate::{self, Refusal};
use bitticket_client::pool::{Policy, RpcPool, Service};

use crate::error::ApiError;

/// The node(s) the API asks, through the client library's failover pool: a breaker per
/// node, and the next one when it fails (a request waits a second at most before the gate
/// fails closed).
pub struct Chain {
    pool: RpcPool,
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

    /// The chain's clock (unix seconds) at `confirmed`: the sale window is the chain's to
    /// judge, not this server's.
    pub async fn now(&self) -> Result<i64, ApiError> {
        self.now_and_currency(None).await.map(|(now, _)| now)
    }

    /// The clock, and with `mint` (a token tier's currency) the token program that owns it,
    /// in one `getMultipleAccounts`: the mirror keeps the mint, the chain its program.
    pub async fn now_and_currency(
        &self,
        mint: Option<&solana_address::Address>,
    ) -> Result<(i64, Option<bitticket_client::TokenCurrency>), ApiError> {
        let mut keys = vec![bitticket_client::CLOCK];
        keys.extend(mint.copied());
        let (_, accounts) = self
            .pool
            .multiple_accounts(&keys, "confirmed", 0)
            .await
            .map_err(rpc_error)?;
        let now = accounts
            .first()
            .and_then(|a| a.as_ref())
            .and_then(|a| bitticket_client::accounts::clock(&a.owner, &a.data))
            .map(|c| c.unix_timestamp)
            .ok_or_else(|| rpc_error("the node returned no clock"))?;
        let currency = match mint {
            None => None,
            Some(mint) => Some(
                accounts
                    .get(1)
                    .and_then(|a| a.as_ref())
                    .and_then(|a| bitticket_client::accounts::currency(mint, &a.owner, &a.data))
                    .map(|(c, _)| c)
                    .ok_or_else(|| rpc_error("a currency mint no token program owns"))?,
            ),
        };
        Ok((now, currency))
    }

    /// The token program that owns `mint` (classic Token or Token-2022), for a resale in a
    /// token tier's currency.
    pub async fn token_currency(
        &self,
        mint: &solana_address::Address,
    ) -> Result<bitticket_client::TokenCurrency, ApiError> {
        let (_, accounts) = self
            .pool
            .multiple_accounts(std::slice::from_ref(mint), "confirmed", 0)
            .await
            .map_err(rpc_error)?;
        accounts
            .first()
            .and_then(|a| a.as_ref())
            .and_then(|a| bitticket_client::accounts::currency(mint, &a.owner, &a.data))
            .map(|(c, _)| c)
            .ok_or_else(|| rpc_error("a currency mint no token program owns"))
    }

    pub async fn latest_blockhash(&self) -> Result<solana_hash::Hash, ApiError> {
        self.pool
            .latest_blockhash("confirmed")
            .await
            .map_err(rpc_error)?
            .parse()
            .map_err(|_| rpc_error("a blockhash that does not parse"))
    }

    /// The chain's decision on `claim` (the client library's `gate::admit`), from
    /// everything it reads in one `getMultipleAccounts` (one round trip, one slot): the
    /// ticket (valid, of the event, held by the holder), the holder's token account
    /// (holding the one token), the event (of the organizer, not cancelled, its check-in
    /// window open by the chain's clock), and, for a gatekeeper's wallet, the organizer
    /// (the wallet holds the gatekeeper bit now, whatever the mirror says).
    pub async fn admission(&self, claim: &gate::Claim) -> Result<Result<(), Refusal>, ApiError> {
        let (_, accounts) = self
            .pool
            .multiple_accounts(&gate::keys(claim), "confirmed", 0)
            .await
            .map_err(rpc_error)?;
        let seen = gate::Seen::decode(
            accounts
                .iter()
                .map(|a| a.as_ref().map(|a| (&a.owner, a.data.as_slice()))),
        )
        .ok_or_else(|| rpc_error("the node returned no clock"))?;
        Ok(gate::admit(claim, &seen))
    }
}
