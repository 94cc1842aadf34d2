//! Reading accounts: typed and owner-checked one at a time, many in chunks of 100 (the
//! node's limit for `getMultipleAccounts`), the program's by discriminator and filters,
//! balances, and the clock through its sysvar type.
use anchor_lang::{AccountDeserialize, Discriminator, Owner};
use solana_address::Address;
use solana_rpc_client_api::request::RpcRequest;

use super::{RpcSendError, RpcSender};
use crate::accounts::{clock, Clock};
use crate::filters::Memcmp;
use crate::wire::{program_accounts_params, Account, KeyedAccount};
use crate::PROGRAM_ID;

/// Accounts one `getMultipleAccounts` may ask for.
pub const MULTIPLE_ACCOUNTS_LIMIT: usize = 100;

fn decode<T: AccountDeserialize + Owner>(key: &Address, acc: &Account) -> Result<T, RpcSendError> {
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

impl RpcSender {
    /// The account at `key`, if any, as the node has it at the sender's commitment.
    pub async fn raw_account(&self, key: &Address) -> Result<Option<Account>, RpcSendError> {
        Ok(self
            .client
            .get_account_with_commitment(key, self.commitment())
            .await?
            .value
            .map(|a| Account {
                owner: a.owner,
                lamports: a.lamports,
                data: a.data,
            }))
    }

    /// The account at `key` as a `T`, if there is one; refused unless `T`'s program owns
    /// it (data of the right shape under another owner is anyone's forgery).
    pub async fn find_account<T: AccountDeserialize + Owner>(
        &self,
        key: &Address,
    ) -> Result<Option<T>, RpcSendError> {
        self.raw_account(key)
            .await?
            .map(|acc| decode(key, &acc))
            .transpose()
    }

    /// The account at `key` as a `T` (`find_account`); `NotFound` when there is none.
    pub async fn account<T: AccountDeserialize + Owner>(
        &self,
        key: &Address,
    ) -> Result<T, RpcSendError> {
        self.find_account(key)
            .await?
            .ok_or(RpcSendError::NotFound(*key))
    }

    /// The accounts at `keys`, in their order (`None` where there is none), in chunks of
    /// 100, one `getMultipleAccounts` each.
    pub async fn raw_accounts(
        &self,
        keys: &[Address],
    ) -> Result<Vec<Option<Account>>, RpcSendError> {
        let mut out = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(MULTIPLE_ACCOUNTS_LIMIT) {
            let found = self
                .client
                .get_multiple_accounts_with_commitment(chunk, self.commitment())
                .await?
                .value;
            out.extend(found.into_iter().map(|a| {
                a.map(|a| Account {
                    owner: a.owner,
                    lamports: a.lamports,
                    data: a.data,
                })
            }));
        }
        Ok(out)
    }

    /// The accounts at `keys` as `T`s, in their order: `None` where there is none, where
    /// `T`'s program does not own it, or where it is not a `T`.
    pub async fn accounts<T: AccountDeserialize + Owner>(
        &self,
        keys: &[Address],
    ) -> Result<Vec<Option<T>>, RpcSendError> {
        let found = self.raw_accounts(keys).await?;
        Ok(found
            .iter()
            .zip(keys)
            .map(|(a, key)| a.as_ref().and_then(|a| decode(key, a).ok()))
            .collect())
    }

    /// Every account of the program of type `T` (by its discriminator) passing every
    /// filter of `filters`.
    pub async fn program_accounts<T: AccountDeserialize + Discriminator>(
        &self,
        filters: &[Memcmp],
    ) -> Result<Vec<(Address, T)>, RpcSendError> {
        let mut all = vec![Memcmp::discriminator::<T>()];
        all.extend_from_slice(filters);
        let commitment = self.commitment().commitment.to_string();
        let page: Vec<KeyedAccount> = self
            .client
            .send(
                RpcRequest::GetProgramAccounts,
                program_accounts_params(&PROGRAM_ID, &all, &commitment, false),
            )
            .await?;
        let mut out = Vec::with_capacity(page.len());
        for k in page {
            let (address, account) = k
                .decode()
                .ok_or_else(|| RpcSendError::BadAnswer(format!("{}: bad base64", k.pubkey)))?;
            let value = T::try_deserialize(&mut account.data.as_slice())
                .map_err(|_| RpcSendError::Decode(address, "undecodable".into()))?;
            out.push((address, value));
        }
        Ok(out)
    }

    /// The lamports at `key` (0 for none).
    pub async fn balance(&self, key: &Address) -> Result<u64, RpcSendError> {
        Ok(self
            .client
            .get_balance_with_commitment(key, self.commitment())
            .await?
            .value)
    }

    /// The token amount in the token account `key` (of SPL Token or Token-2022); `None`
    /// when there is no such account.
    pub async fn token_balance(&self, key: &Address) -> Result<Option<u64>, RpcSendError> {
        let Some(account) = self.raw_account(key).await? else {
            return Ok(None);
        };
        crate::accounts::token_account(&account.owner, &account.data)
            .map(|t| Some(t.amount))
            .ok_or_else(|| RpcSendError::Decode(*key, "not a token account".into()))
    }

    /// The chain's clock, read through the sysvar's own type.
    pub async fn clock(&self) -> Result<Clock, RpcSendError> {
        let id = crate::CLOCK;
        let acc = self
            .raw_account(&id)
            .await?
            .ok_or(RpcSendError::NotFound(id))?;
        clock(&acc.owner, &acc.data)
            .ok_or_else(|| RpcSendError::Decode(id, "not the clock sysvar".into()))
    }

    /// The chain's clock (unix seconds).
    pub async fn now(&self) -> Result<i64, RpcSendError> {
        Ok(self.clock().await?.unix_timestamp)
    }
}
