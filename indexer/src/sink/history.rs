//! History tables: each transaction once, each program event once, per kind; errors;
//! monitoring alerts.
use solana_address::Address;
use sqlx::{Postgres, Transaction};

use super::{lamports, pgtext, IngestError, SinkError};
use crate::decode::{json, DecodedTx, ProgramEvent, Tenant};

/// Every table whose rows belong to a slot (finalized together, undone together).
pub const TABLES: [&str; 11] = [
    "event_log",
    "purchases",
    "transfers",
    "check_ins",
    "refunds",
    "sweeps",
    "member_changes",
    "votes",
    "executions",
    "spending_limit_uses",
    "transactions",
];

type Tx<'a, 'b> = &'a mut Transaction<'b, Postgres>;

fn s(a: &Address) -> String {
    a.to_string()
}

/// Columns of one history table: the common ones, then the kind's own as text (cast in SQL).
struct Rows {
    signature: Vec<String>,
    index: Vec<i32>,
    slot: Vec<i64>,
    organizer: Vec<String>,
    cols: Vec<Vec<Option<String>>>,
}

impl Rows {
    fn new(n: usize) -> Self {
        Self {
            signature: vec![],
            index: vec![],
            slot: vec![],
            organizer: vec![],
            cols: vec![vec![]; n],
        }
    }

    fn push(&mut self, tx: &DecodedTx, index: u32, organizer: &str, values: Vec<Option<String>>) {
        self.signature.push(tx.signature.clone());
        self.index.push(index as i32);
        self.slot.push(lamports(tx.slot));
        self.organizer.push(organizer.to_string());
        for (c, v) in self.cols.iter_mut().zip(values) {
            c.push(v);
        }
    }

    /// `INSERT INTO table (signature, event_index, slot, organizer, names...)` from arrays;
    /// `casts` are the SQL types of `names`.
    async fn insert(
        &self,
        tx: Tx<'_, '_>,
        table: &str,
        names: &[&str],
        casts: &[&str],
    ) -> Result<u64, SinkError> {
        if self.signature.is_empty() {
            return Ok(0);
        }
        let params: Vec<String> = (0..names.len())
            .map(|i| format!("${}::text[]", i + 5))
            .collect();
        let select: Vec<String> = names
            .iter()
            .zip(casts)
            .map(|(n, c)| format!("{n}::{c}"))
            .collect();
        let sql = format!(
            "INSERT INTO {table} (signature, event_index, slot, organizer, {names})
             SELECT signature, event_index, slot, organizer, {select}
             FROM UNNEST($1::text[], $2::int[], $3::bigint[], $4::text[], {params})
               AS u(signature, event_index, slot, organizer, {names})
             ON CONFLICT (signature, event_index) DO NOTHING",
            names = names.join(", "),
            select = select.join(", "),
            params = params.join(", "),
        );
        let mut q = sqlx::query(&sql)
            .bind(&self.signature)
            .bind(&self.index)
            .bind(&self.slot)
            .bind(&self.organizer);
        for c in &self.cols {
            q = q.bind(c);
        }
        Ok(q.execute(&mut **tx).await?.rows_affected())
    }
}

fn t(v: impl ToString) -> Option<String> {
    Some(v.to_string())
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
    let new_txs = sqlx::query(
        "INSERT INTO transactions (signature, slot, block_time, signer, success, err,
           logs_truncated, accounts)
         SELECT signature, slot, block_time, signer, success, err, logs_truncated,
           string_to_array(accounts, ',')
         FROM UNNEST($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::bool[], $6::text[],
           $7::bool[], $8::text[]) WITH ORDINALITY
           AS u(signature, slot, block_time, signer, success, err, logs_truncated, accounts, ord)
         ORDER BY ord
         ON CONFLICT (signature) DO NOTHING",
    )
    .bind(txs.iter().map(|x| x.signature.clone()).collect::<Vec<_>>())
    .bind(txs.iter().map(|x| lamports(x.slot)).collect::<Vec<_>>())
    .bind(txs.iter().map(|x| x.block_time).collect::<Vec<_>>())
    .bind(txs.iter().map(|x| s(&x.signer)).collect::<Vec<_>>())
    .bind(txs.iter().map(|x| x.success).collect::<Vec<_>>())
    .bind(
        txs.iter()
            .map(|x| x.err.as_deref().map(|e| pgtext::text(e).into_owned()))
            .collect::<Vec<_>>(),
    )
    .bind(txs.iter().map(|x| x.logs_truncated).collect::<Vec<_>>())
    // base58 has no commas: one joined string per transaction is the cheapest array
    .bind(
        txs.iter()
            .map(|x| x.accounts.iter().map(s).collect::<Vec<_>>().join(","))
            .collect::<Vec<_>>(),
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

    let mut log = Rows::new(2);
    let mut purchases = Rows::new(7);
    let mut transfers = Rows::new(5);
    let mut check_ins = Rows::new(5);
    let mut refunds = Rows::new(5);
    let mut sweeps = Rows::new(4);
    let mut member_changes = Rows::new(4);
    let mut votes = Rows::new(4);
    let mut executions = Rows::new(4);
    let mut limit_uses = Rows::new(6);
    // (proposal, slot) of every close: the row stays as history, marked closed
    let mut closed: (Vec<String>, Vec<i64>) = (vec![], vec![]);
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
            let organizer = match e.tenant() {
                Tenant::Organizer(o) => s(&o),
                Tenant::Event(ev) => match tenants.get(&s(&ev)) {
                    Some(o) => o.clone(),
                    None => {
                        problems.push(IngestError {
                            signature: Some(x.signature.clone()),
                            account: Some(ev),
                            slot: x.slot,
                            kind: "unknown_event_account".into(),
                            detail: format!("{} names an event not in the mirror", e.name()),
                        });
                        continue;
                    }
                },
            };
            log.push(
                x,
                *i,
                &organizer,
                vec![t(e.name()), t(pgtext::json(json::event(e)))],
            );
            use ProgramEvent as E;
            match e {
                E::TicketPurchased(p) => purchases.push(
                    x,
                    *i,
                    &organizer,
                    vec![
                        t(p.event),
                        t(p.shard),
                        t(p.ticket),
                        t(p.mint),
                        t(p.buyer),
                        t(p.serial),
                        t(p.price_lamports),
                    ],
                ),
                E::TicketTransferred(p) => transfers.push(
                    x,
                    *i,
                    &organizer,
                    vec![t(p.event), t(p.ticket), t(p.mint), t(p.from), t(p.to)],
                ),
                E::TicketCheckedIn(p) => check_ins.push(
                    x,
                    *i,
                    &organizer,
                    vec![
                        t(p.event),
                        t(p.ticket),
                        t(p.holder),
                        t(p.gatekeeper),
                        t(p.at),
                    ],
                ),
                E::TicketRefunded(p) => refunds.push(
                    x,
                    *i,
                    &organizer,
                    vec![
                        t(p.event),
                        t(p.ticket),
                        t(p.shard),
                        t(p.holder),
                        t(p.amount),
                    ],
                ),
                E::ShardSwept(p) => sweeps.push(
                    x,
                    *i,
                    &organizer,
                    vec![t(p.event), t(p.shard), t(p.vault), t(p.amount)],
                ),
                E::MemberAdded(p) => member_changes.push(
                    x,
                    *i,
                    &organizer,
                    vec![t(p.member), t("added"), t(p.permissions), t(p.by)],
                ),
                E::MemberRemoved(p) => member_changes.push(
                    x,
                    *i,
                    &organizer,
                    vec![t(p.member), t("removed"), None, t(p.by)],
                ),
                E::ProposalVoted(p) => votes.push(
                    x,
                    *i,
                    &organizer,
                    vec![
                        t(p.proposal),
                        t(p.member),
                        t(json::vote(p.vote)),
                        t(json::status(p.status).0),
                    ],
                ),
                E::ProposalExecuted(p) => executions.push(
                    x,
                    *i,
                    &organizer,
                    vec![
                        t(p.proposal),
                        t(p.index),
                        t(p.executor),
                        t(pgtext::json(json::action(&p.action))),
                    ],
                ),
                E::SpendingLimitUsed(p) => limit_uses.push(
                    x,
                    *i,
                    &organizer,
                    vec![
                        t(p.limit_id),
                        t(p.member),
                        t(p.mint),
                        t(p.destination),
                        t(p.amount),
                        t(p.remaining),
                    ],
                ),
                E::ProposalClosed(p) => {
                    closed.0.push(s(&p.proposal));
                    closed.1.push(lamports(x.slot));
                }
                // mirrored through their accounts; kept in the event log
                E::SpendingLimitFreezeChanged(_)
                | E::OrganizerCreated(_)
                | E::EventConfigured(_)
                | E::ShardOpened(_)
                | E::EventPauseChanged(_)
                | E::EventCancelled(_)
                | E::ProposalCreated(_) => {}
            }
        }
    }
    let events = log
        .insert(tx, "event_log", &["kind", "data"], &["text", "jsonb"])
        .await?;
    if !closed.0.is_empty() {
        sqlx::query(
            "UPDATE proposals p SET closed_slot = u.slot
             FROM UNNEST($1::text[], $2::bigint[]) AS u(pubkey, slot)
             WHERE p.pubkey = u.pubkey AND p.closed_slot IS NULL",
        )
        .bind(&closed.0)
        .bind(&closed.1)
        .execute(&mut **tx)
        .await?;
    }
    let text = "text";
    let big = "bigint";
    let num = "numeric";
    purchases
        .insert(
            tx,
            "purchases",
            &[
                "event", "shard", "ticket", "mint", "buyer", "serial", "price",
            ],
            &[text, text, text, text, text, big, num],
        )
        .await?;
    transfers
        .insert(
            tx,
            "transfers",
            &["event", "ticket", "mint", "from_wallet", "to_wallet"],
            &[text; 5],
        )
        .await?;
    check_ins
        .insert(
            tx,
            "check_ins",
            &["event", "ticket", "holder", "gatekeeper", "at"],
            &[text, text, text, text, big],
        )
        .await?;
    refunds
        .insert(
            tx,
            "refunds",
            &["event", "ticket", "shard", "holder", "amount"],
            &[text, text, text, text, num],
        )
        .await?;
    sweeps
        .insert(
            tx,
            "sweeps",
            &["event", "shard", "vault", "amount"],
            &[text, text, text, num],
        )
        .await?;
    member_changes
        .insert(
            tx,
            "member_changes",
            &["member", "change", "permissions", "by_wallet"],
            &[text, text, "int", text],
        )
        .await?;
    votes
        .insert(
            tx,
            "votes",
            &["proposal", "member", "vote", "status"],
            &[text; 4],
        )
        .await?;
    executions
        .insert(
            tx,
            "executions",
            &["proposal", "index", "executor", "action"],
            &[text, num, text, "jsonb"],
        )
        .await?;
    limit_uses
        .insert(
            tx,
            "spending_limit_uses",
            &[
                "limit_id",
                "member",
                "mint",
                "destination",
                "amount",
                "remaining",
            ],
            &["int", text, text, text, num, num],
        )
        .await?;
    Ok((new_txs, events, problems))
}

pub async fn write_errors(tx: Tx<'_, '_>, errors: &[IngestError]) -> Result<(), SinkError> {
    if errors.is_empty() {
        return Ok(());
    }
    for e in errors {
        tracing::warn!(signature = ?e.signature, account = ?e.account, kind = %e.kind, detail = %e.detail, "ingest error recorded");
    }
    metrics::counter!("indexer_ingest_errors").increment(errors.len() as u64);
    sqlx::query(
        "INSERT INTO ingest_errors (signature, account, slot, kind, detail)
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[])
         ON CONFLICT DO NOTHING",
    )
    .bind(
        errors
            .iter()
            .map(|e| e.signature.clone())
            .collect::<Vec<_>>(),
    )
    .bind(
        errors
            .iter()
            .map(|e| e.account.as_ref().map(s))
            .collect::<Vec<_>>(),
    )
    .bind(errors.iter().map(|e| lamports(e.slot)).collect::<Vec<_>>())
    .bind(
        errors
            .iter()
            .map(|e| pgtext::text(&e.kind).into_owned())
            .collect::<Vec<_>>(),
    )
    .bind(
        errors
            .iter()
            .map(|e| pgtext::text(&e.detail).into_owned())
            .collect::<Vec<_>>(),
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Thresholds of the monitoring rules.
pub const SPONSORED_BUYERS: i64 = 5;
pub const FRESH_BURST: i64 = 5;

/// Rules over the purchases of the batch's slots:
/// * `sponsored_buyers`: one fee payer paid for purchases by at least `SPONSORED_BUYERS`
///   distinct buyers of one event (one funding wallet behind many buyers);
/// * `fresh_wallet_burst`: at least `FRESH_BURST` purchases of one event in one slot by
///   wallets with no earlier program transaction.
pub async fn alerts(tx: Tx<'_, '_>, txs: &[DecodedTx]) -> Result<(), SinkError> {
    let mut slots: Vec<i64> = txs
        .iter()
        .filter(|x| !x.events.is_empty())
        .map(|x| lamports(x.slot))
        .collect();
    if slots.is_empty() {
        return Ok(());
    }
    slots.sort();
    slots.dedup();
    sqlx::query(
        "WITH pairs AS (
           SELECT DISTINCT t.signer, p.event FROM purchases p
           JOIN transactions t ON t.signature = p.signature
           WHERE p.slot = ANY($1) AND t.signer <> p.buyer)
         INSERT INTO alerts (organizer, rule, subject, slot, detail)
         SELECT p.organizer, 'sponsored_buyers', t.signer || ':' || p.event, max(p.slot),
           jsonb_build_object('fee_payer', t.signer, 'event', p.event,
             'buyers', count(DISTINCT p.buyer))
         FROM pairs
         JOIN transactions t ON t.signer = pairs.signer
         JOIN purchases p ON p.signature = t.signature AND p.event = pairs.event
         WHERE t.signer <> p.buyer
         GROUP BY p.organizer, t.signer, p.event
         HAVING count(DISTINCT p.buyer) >= $2
         ON CONFLICT DO NOTHING",
    )
    .bind(&slots)
    .bind(SPONSORED_BUYERS)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO alerts (organizer, rule, subject, slot, detail)
         SELECT p.organizer, 'fresh_wallet_burst', p.event, p.slot,
           jsonb_build_object('event', p.event, 'purchases', count(*))
         FROM purchases p
         WHERE p.slot = ANY($1)
           AND NOT EXISTS (SELECT 1 FROM transactions o
                           WHERE o.signer = p.buyer AND o.slot < p.slot)
         GROUP BY p.organizer, p.event, p.slot
         HAVING count(*) >= $2
         ON CONFLICT DO NOTHING",
    )
    .bind(&slots)
    .bind(FRESH_BURST)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
