//! History tables: each transaction once, each program event once, per kind (the rows of
//! `bitticket_db::rows::history`), and the errors found on the way.
use std::collections::HashMap;

use bitticket_db::rows as db;
use solana_address::Address;
use sqlx::{Postgres, Transaction};

use super::{lamports, pgtext, IngestError, SinkError};
use crate::decode::{json, DecodedTx, ProgramEvent, Tenant};

type Tx<'a, 'b> = &'a mut Transaction<'b, Postgres>;

fn s(a: &Address) -> String {
    a.to_string()
}

/// Where an event was logged, and whose it is: the columns every history row starts with.
struct At<'a> {
    tx: &'a DecodedTx,
    index: u32,
    organizer: String,
}

impl At<'_> {
    fn signature(&self) -> String {
        self.tx.signature.clone()
    }
    fn index(&self) -> i32 {
        self.index as i32
    }
    fn slot(&self) -> i64 {
        lamports(self.tx.slot)
    }
}

/// One column set per history table, filled event by event.
#[derive(Default)]
struct Rows {
    log: db::EventLog,
    purchases: db::Purchases,
    transfers: db::Transfers,
    resales: db::Resales,
    check_ins: db::CheckIns,
    refunds: db::Refunds,
    sweeps: db::Sweeps,
    member_changes: db::MemberChanges,
    votes: db::Votes,
    executions: db::Executions,
    limit_uses: db::SpendingLimitUses,
    /// (proposal, slot) of every close: the row stays as history, marked closed
    closed: (Vec<String>, Vec<i64>),
    /// (listing, slot) of every listing closed (delisted, void or sold)
    delisted: (Vec<String>, Vec<i64>),
    /// (ticket, slot) of every ticket burned
    burned: (Vec<String>, Vec<i64>),
    /// (buyer record, slot) of every buyer record closed
    records_closed: (Vec<String>, Vec<i64>),
    /// (shard, slot) of every shard closed
    shards_closed: (Vec<String>, Vec<i64>),
}

/// Writes the transactions, their events and their kinds' rows. Returns (transactions
/// new, events new, problems to record).
pub async fn write(
    tx: Tx<'_, '_>,
    txs: &[DecodedTx],
) -> Result<(u64, u64, Vec<IngestError>), SinkError> {
    let mut problems = Vec::new();
    if txs.is_empty() {
        return Ok((0, 0, problems));
    }
    let new_txs = write_transactions(tx, txs).await?;
    // tenants of events that name only their event account
    let wanted: Vec<String> = txs
        .iter()
        .flat_map(|x| &x.events)
        .filter_map(|(_, e)| match e.tenant() {
            Tenant::Event(ev) => Some(s(&ev)),
            Tenant::Organizer(_) => None,
        })
        .collect();
    let tenants = super::accounts::tenants_of(tx, wanted).await?;
    let mut rows = Rows::default();
    for x in txs {
        for p in &x.problems {
            problems.push(IngestError {
                signature: Some(x.signature.clone()),
                account: None,
                slot: x.slot,
                kind: p.kind.to_string(),
                detail: p.detail.clone(),
            });
        }
        for (i, e) in &x.events {
            match owner(x, e, &tenants) {
                Ok(organizer) => rows.push(
                    &At {
                        tx: x,
                        index: *i,
                        organizer,
                    },
                    e,
                ),
                Err(problem) => problems.push(problem),
            }
        }
    }
    let events = rows.insert(tx).await?;
    Ok((new_txs, events, problems))
}

/// Each transaction once, and the slots they landed in.
async fn write_transactions(tx: Tx<'_, '_>, txs: &[DecodedTx]) -> Result<u64, SinkError> {
    let rows: db::Transactions = txs
        .iter()
        .map(|x| db::Transaction {
            signature: x.signature.clone(),
            slot: lamports(x.slot),
            block_time: x.block_time,
            signer: s(&x.signer),
            success: x.success,
            err: x.err.as_deref().map(|e| pgtext::text(e).into_owned()),
            logs_truncated: x.logs_truncated,
            // base58 has no commas: one joined string per transaction is the cheapest array
            accounts: x.accounts.iter().map(s).collect::<Vec<_>>().join(","),
        })
        .collect();
    use bitticket_db::Columns as _;
    let new_txs = sqlx::query_with(
        "INSERT INTO transactions (signature, slot, block_time, signer, success, err,
           logs_truncated, accounts)
         SELECT signature, slot, block_time, signer, success, err, logs_truncated,
           string_to_array(accounts, ',')
         FROM UNNEST($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::bool[], $6::text[],
           $7::bool[], $8::text[]) WITH ORDINALITY
           AS u(signature, slot, block_time, signer, success, err, logs_truncated, accounts, ord)
         ORDER BY ord
         ON CONFLICT (signature) DO NOTHING",
        rows.arguments()?,
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    let mut slots: Vec<(i64, Option<i64>)> = txs
        .iter()
        .map(|x| (lamports(x.slot), x.block_time))
        .collect();
    slots.sort();
    slots.dedup_by_key(|(s, _)| *s);
    sqlx::query(
        "INSERT INTO slots (slot, status, block_time)
         SELECT slot, 'confirmed', block_time FROM UNNEST($1::bigint[], $2::bigint[]) AS u(slot, block_time)
         ON CONFLICT (slot) DO NOTHING",
    )
    .bind(slots.iter().map(|x| x.0).collect::<Vec<_>>())
    .bind(slots.iter().map(|x| x.1).collect::<Vec<_>>())
    .execute(&mut **tx)
    .await?;
    Ok(new_txs)
}

/// The organizer an event belongs to: named by the event, or found through its event
/// account's row; an event account not in the mirror is a problem to record.
fn owner(
    x: &DecodedTx,
    e: &ProgramEvent,
    tenants: &HashMap<String, String>,
) -> Result<String, IngestError> {
    match e.tenant() {
        Tenant::Organizer(o) => Ok(s(&o)),
        Tenant::Event(ev) => tenants.get(&s(&ev)).cloned().ok_or_else(|| IngestError {
            signature: Some(x.signature.clone()),
            account: Some(ev),
            slot: x.slot,
            kind: "unknown_event_account".into(),
            detail: format!("{} names an event not in the mirror", e.name()),
        }),
    }
}

impl Rows {
    /// The event-log row of `e`, and its kind's own row.
    fn push(&mut self, at: &At, e: &ProgramEvent) {
        self.log.push(db::LoggedEvent {
            signature: at.signature(),
            event_index: at.index(),
            slot: at.slot(),
            organizer: at.organizer.clone(),
            kind: e.name().to_string(),
            data: pgtext::json(json::event(e)).to_string(),
        });
        macro_rules! row {
            ($set:ident, $row:ident { $($f:ident: $v:expr),* $(,)? }) => {
                self.$set.push(db::$row {
                    signature: at.signature(),
                    event_index: at.index(),
                    slot: at.slot(),
                    organizer: at.organizer.clone(),
                    $($f: $v),*
                })
            };
        }
        use ProgramEvent as E;
        match e {
            E::TicketPurchased(p) => row!(
                purchases,
                Purchase {
                    event: s(&p.event),
                    shard: s(&p.shard),
                    ticket: s(&p.ticket),
                    mint: s(&p.mint),
                    buyer: s(&p.buyer),
                    serial: i64::from(p.serial),
                    price: p.price_lamports.to_string(),
                    tier: i32::from(p.tier),
                    phase: i32::from(p.phase),
                }
            ),
            E::TicketTransferred(p) => row!(
                transfers,
                Transfer {
                    event: s(&p.event),
                    ticket: s(&p.ticket),
                    mint: s(&p.mint),
                    from_wallet: s(&p.from),
                    to_wallet: s(&p.to),
                }
            ),
            E::TicketListed(p) => row!(
                resales,
                Resale {
                    event: s(&p.event),
                    ticket: s(&p.ticket),
                    listing: s(&p.listing),
                    kind: "listed".into(),
                    seller: s(&p.seller),
                    buyer: None,
                    price: Some(p.price.to_string()),
                    royalty: None,
                }
            ),
            E::TicketDelisted(p) => {
                self.delisted.0.push(s(&p.listing));
                self.delisted.1.push(at.slot());
                row!(
                    resales,
                    Resale {
                        event: s(&p.event),
                        ticket: s(&p.ticket),
                        listing: s(&p.listing),
                        kind: if p.void { "void" } else { "delisted" }.into(),
                        seller: s(&p.seller),
                        buyer: None,
                        price: None,
                        royalty: None,
                    }
                )
            }
            E::ListingSold(p) => {
                self.delisted.0.push(s(&p.listing));
                self.delisted.1.push(at.slot());
                row!(
                    resales,
                    Resale {
                        event: s(&p.event),
                        ticket: s(&p.ticket),
                        listing: s(&p.listing),
                        kind: "sold".into(),
                        seller: s(&p.seller),
                        buyer: Some(s(&p.buyer)),
                        price: Some(p.price.to_string()),
                        royalty: Some(p.royalty.to_string()),
                    }
                )
            }
            E::TicketCheckedIn(p) => row!(
                check_ins,
                CheckIn {
                    event: s(&p.event),
                    ticket: s(&p.ticket),
                    holder: s(&p.holder),
                    gatekeeper: s(&p.gatekeeper),
                    at: p.at,
                }
            ),
            E::TicketRefunded(p) => row!(
                refunds,
                Refund {
                    event: s(&p.event),
                    ticket: s(&p.ticket),
                    shard: s(&p.shard),
                    holder: s(&p.holder),
                    amount: p.amount.to_string(),
                }
            ),
            E::ShardSwept(p) => row!(
                sweeps,
                Sweep {
                    event: s(&p.event),
                    shard: s(&p.shard),
                    vault: s(&p.vault),
                    amount: p.amount.to_string(),
                }
            ),
            E::MemberAdded(p) => row!(
                member_changes,
                MemberChange {
                    member: s(&p.member),
                    change: "added".into(),
                    permissions: Some(i32::from(p.permissions)),
                    by_wallet: s(&p.by),
                }
            ),
            E::MemberRemoved(p) => row!(
                member_changes,
                MemberChange {
                    member: s(&p.member),
                    change: "removed".into(),
                    permissions: None,
                    by_wallet: s(&p.by),
                }
            ),
            E::ProposalVoted(p) => row!(
                votes,
                Vote {
                    proposal: s(&p.proposal),
                    member: s(&p.member),
                    vote: json::vote(p.vote).to_string(),
                    status: json::status(p.status).0.to_string(),
                }
            ),
            E::ProposalExecuted(p) => row!(
                executions,
                Execution {
                    proposal: s(&p.proposal),
                    index: p.index.to_string(),
                    executor: s(&p.executor),
                    action: pgtext::json(json::action(&p.action)).to_string(),
                }
            ),
            E::SpendingLimitUsed(p) => row!(
                limit_uses,
                SpendingLimitUse {
                    limit_id: i32::from(p.limit_id),
                    member: s(&p.member),
                    mint: s(&p.mint),
                    destination: s(&p.destination),
                    amount: p.amount.to_string(),
                    remaining: p.remaining.to_string(),
                }
            ),
            E::ProposalClosed(p) => {
                self.closed.0.push(s(&p.proposal));
                self.closed.1.push(at.slot());
            }
            E::TicketBurned(p) => {
                self.burned.0.push(s(&p.ticket));
                self.burned.1.push(at.slot());
            }
            E::BuyerRecordClosed(p) => {
                self.records_closed.0.push(s(&p.buyer_record));
                self.records_closed.1.push(at.slot());
            }
            E::ShardClosed(p) => {
                self.shards_closed.0.push(s(&p.shard));
                self.shards_closed.1.push(at.slot());
            }
            // mirrored through their accounts; kept in the event log
            E::SpendingLimitFreezeChanged(_)
            | E::OrganizerCreated(_)
            | E::EventConfigured(_)
            | E::TierConfigured(_)
            | E::ResaleTermsSet(_)
            | E::ShardOpened(_)
            | E::EventPauseChanged(_)
            | E::EventCancelled(_)
            | E::ProposalCreated(_) => {}
        }
    }

    /// Every table's new rows; returns how many events were new to the log.
    async fn insert(&self, tx: Tx<'_, '_>) -> Result<u64, SinkError> {
        use bitticket_db::insert_new;
        let events = insert_new(&self.log, tx).await?;
        if !self.closed.0.is_empty() {
            sqlx::query(
                "UPDATE proposals p SET closed_slot = u.slot
                 FROM UNNEST($1::text[], $2::bigint[]) AS u(pubkey, slot)
                 WHERE p.pubkey = u.pubkey AND p.closed_slot IS NULL",
            )
            .bind(&self.closed.0)
            .bind(&self.closed.1)
            .execute(&mut **tx)
            .await?;
        }
        if !self.delisted.0.is_empty() {
            // only the listing the close was of, read before the close's slot: a row read at
            // that slot or later is a newer listing at the same address (the ticket listed
            // again, in the same transaction even: a read shows the state after its slot),
            // which stays open
            sqlx::query(
                "UPDATE listings l SET closed_slot = u.slot
                 FROM UNNEST($1::text[], $2::bigint[]) AS u(pubkey, slot)
                 WHERE l.pubkey = u.pubkey AND l.closed_slot IS NULL AND l.slot < u.slot",
            )
            .bind(&self.delisted.0)
            .bind(&self.delisted.1)
            .execute(&mut **tx)
            .await?;
        }
        // as a listing's close: only the row read before the close's slot (a row read at it
        // or later is a newer account at the same address)
        for (table, (keys, slots)) in [
            ("tickets", &self.burned),
            ("buyer_records", &self.records_closed),
            ("shards", &self.shards_closed),
        ] {
            if keys.is_empty() {
                continue;
            }
            sqlx::query(&format!(
                "UPDATE {table} t SET closed_slot = u.slot
                 FROM UNNEST($1::text[], $2::bigint[]) AS u(pubkey, slot)
                 WHERE t.pubkey = u.pubkey AND t.closed_slot IS NULL AND t.slot < u.slot"
            ))
            .bind(keys)
            .bind(slots)
            .execute(&mut **tx)
            .await?;
        }
        insert_new(&self.purchases, tx).await?;
        insert_new(&self.resales, tx).await?;
        insert_new(&self.transfers, tx).await?;
        insert_new(&self.check_ins, tx).await?;
        insert_new(&self.refunds, tx).await?;
        insert_new(&self.sweeps, tx).await?;
        insert_new(&self.member_changes, tx).await?;
        insert_new(&self.votes, tx).await?;
        insert_new(&self.executions, tx).await?;
        insert_new(&self.limit_uses, tx).await?;
        Ok(events)
    }
}

pub async fn write_errors(tx: Tx<'_, '_>, errors: &[IngestError]) -> Result<(), SinkError> {
    if errors.is_empty() {
        return Ok(());
    }
    for e in errors {
        tracing::warn!(signature = ?e.signature, account = ?e.account, kind = %e.kind, detail = %e.detail, "ingest error recorded");
    }
    metrics::counter!("indexer_ingest_errors").increment(errors.len() as u64);
    let rows: db::IngestErrors = errors
        .iter()
        .map(|e| db::IngestErrorRow {
            signature: e.signature.clone(),
            account: e.account.as_ref().map(s),
            slot: lamports(e.slot),
            kind: pgtext::text(&e.kind).into_owned(),
            detail: pgtext::text(&e.detail).into_owned(),
        })
        .collect();
    use bitticket_db::Columns as _;
    sqlx::query_with(
        "INSERT INTO ingest_errors (signature, account, slot, kind, detail)
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[])
         ON CONFLICT DO NOTHING",
        rows.arguments()?,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
