//! Accounts: what is read becomes account rows (program accounts by kind, vaults by their
//! organizer); the snapshot of every account, and the balances read again.
use std::collections::HashMap;

use solana_address::Address;

use super::{IndexError, Indexer};
use crate::decode::ProgramAccount;
use crate::sink::{AccountKind, AccountUpdate, Batch, IngestError};
use crate::source::{self, AccountData, RpcPool};

/// Turns what was read into account rows: program accounts by kind, vaults by the
/// organizers in `vaults` (those read here are added). Unknown layouts become errors.
fn classify(
    program: &Address,
    vaults: &mut HashMap<Address, Address>,
    slot: u64,
    read: Vec<(Address, AccountData)>,
) -> (Vec<AccountUpdate>, Vec<IngestError>) {
    let mut updates = Vec::new();
    let mut errors = Vec::new();
    let mut others = Vec::new();
    for (address, acc) in read {
        if acc.owner != *program {
            others.push((address, acc));
            continue;
        }
        match ProgramAccount::decode(&acc.data) {
            Ok(a) => {
                if let ProgramAccount::Organizer(_) = &a {
                    vaults.insert(bitticket_client::vault_pda(&address), address);
                }
                updates.push(AccountUpdate {
                    address,
                    slot,
                    lamports: acc.lamports,
                    kind: AccountKind::Program(a),
                });
            }
            Err(e) => errors.push(IngestError {
                signature: None,
                account: Some(address),
                slot,
                kind: "bad_account".into(),
                detail: e.to_string(),
            }),
        }
    }
    for (address, acc) in others {
        if let Some(organizer) = vaults.get(&address) {
            updates.push(AccountUpdate {
                address,
                slot,
                lamports: acc.lamports,
                kind: AccountKind::Vault {
                    organizer: *organizer,
                },
            });
        }
    }
    (updates, errors)
}

/// Program accounts `read` at `slot`, classified, then the balance of every vault in
/// `vaults` (the organizers read here included), read at or after `slot`. Used by the
/// snapshot and by `verify`, so that both see the chain the same way.
pub async fn with_vaults(
    rpc: &RpcPool,
    program: &Address,
    commitment: &str,
    vaults: &mut HashMap<Address, Address>,
    slot: u64,
    read: Vec<(Address, AccountData)>,
) -> Result<(Vec<AccountUpdate>, Vec<IngestError>), IndexError> {
    let (mut updates, errors) = classify(program, vaults, slot, read);
    let keys: Vec<Address> = vaults.keys().copied().collect();
    if !keys.is_empty() {
        let (vslot, found) = source::accounts(rpc, &keys, commitment, slot).await?;
        let read: Vec<(Address, AccountData)> = keys
            .into_iter()
            .zip(found)
            .filter_map(|(k, a)| a.map(|a| (k, a)))
            .collect();
        updates.extend(classify(program, vaults, vslot, read).0);
    }
    Ok((updates, errors))
}

impl Indexer {
    /// Reads every account that holds money again (each organizer's vault and every
    /// shard) and writes those whose balance differs from the mirror's: SOL sent to one by
    /// a plain transfer, which no program transaction records, is mirrored too. Returns how
    /// many changed. Slot-guarded like every account write.
    pub async fn refresh_balances(&mut self) -> Result<usize, IndexError> {
        let held = self.sink.balances().await?;
        if held.is_empty() {
            return Ok(0);
        }
        let keys: Vec<Address> = held.iter().map(|(a, _)| *a).collect();
        let mirror: HashMap<Address, Option<i64>> = held.into_iter().collect();
        let (updates, errors) = self.read_accounts(keys, 0).await?;
        let changed: Vec<AccountUpdate> = updates
            .into_iter()
            .filter(|u| {
                mirror.get(&u.address).copied().flatten() != Some(crate::sink::balance(u.lamports))
            })
            .collect();
        let n = changed.len();
        if n > 0 || !errors.is_empty() {
            self.sink
                .write(&Batch {
                    accounts: changed,
                    errors,
                    ..Batch::default()
                })
                .await?;
            metrics::counter!("indexer_balances_refreshed").increment(n as u64);
        }
        Ok(n)
    }

    fn classify(
        &mut self,
        slot: u64,
        read: Vec<(Address, AccountData)>,
    ) -> (Vec<AccountUpdate>, Vec<IngestError>) {
        classify(&self.program, &mut self.vaults, slot, read)
    }

    /// Reads `keys` at or after `min_slot` and classifies them.
    pub(super) async fn read_accounts(
        &mut self,
        keys: Vec<Address>,
        min_slot: u64,
    ) -> Result<(Vec<AccountUpdate>, Vec<IngestError>), IndexError> {
        if keys.is_empty() {
            return Ok((vec![], vec![]));
        }
        let (slot, found) = source::accounts(&self.rpc, &keys, &self.commitment, min_slot).await?;
        let read: Vec<(Address, AccountData)> = keys
            .into_iter()
            .zip(found)
            .filter_map(|(k, a)| a.map(|a| (k, a)))
            .collect();
        Ok(self.classify(slot, read))
    }

    /// Every program account and vault, as the chain has them now.
    pub async fn snapshot(&mut self) -> Result<usize, IndexError> {
        let (slot, read) = source::program_accounts(
            &self.rpc,
            &self.program,
            ProgramAccount::DISCRIMINATORS,
            &self.commitment,
        )
        .await?;
        let (updates, errors) = with_vaults(
            &self.rpc,
            &self.program,
            &self.commitment,
            &mut self.vaults,
            slot,
            read,
        )
        .await?;
        let n = updates.len();
        self.sink
            .write(&Batch {
                accounts: updates,
                errors,
                ..Batch::default()
            })
            .await?;
        tracing::info!(accounts = n, slot, "snapshot written");
        Ok(n)
    }
}
