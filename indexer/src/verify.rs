//! `verify`: the mirror against the chain. The chain's accounts are read now
//! (getProgramAccounts, and the vault of every organizer), written by the sink's own code
//! into temporary tables that shadow the mirror's, and compared row by row, slot columns
//! aside; the transaction is rolled back. The columns the sink converts (u64 amounts to
//! numeric, text made storable) are also compared with the chain's values as decoded,
//! formatted without the sink's code, so that a conversion of the sink's cannot hide. With `events`, every program transaction is
//! fetched and decoded again and the event log compared too. Meaningful on a quiet
//! program (or it reports what changed in between).
use std::collections::{BTreeMap, HashMap};

use solana_address::Address;

use crate::decode::{decode_transaction, json, ProgramAccount};
use crate::pipeline::IndexError;
use crate::sink::{AccountKind, AccountUpdate, Sink, SinkError};
use crate::source::{self, RpcPool};

/// One difference: table, key, what the chain says, what the mirror says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub table: String,
    pub key: String,
    pub chain: Option<String>,
    pub mirror: Option<String>,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}:\n  chain:  {}\n  mirror: {}",
            self.table,
            self.key,
            self.chain.as_deref().unwrap_or("(none)"),
            self.mirror.as_deref().unwrap_or("(none)")
        )
    }
}

/// The tables compared: every account table of the schema's registry.
fn compared() -> impl Iterator<Item = &'static bitticket_db::Table> {
    bitticket_db::tables::of(bitticket_db::Kind::Account)
}

pub async fn accounts(
    rpc: &RpcPool,
    sink: &Sink,
    program: &Address,
    commitment: &str,
) -> Result<Vec<Difference>, IndexError> {
    let (slot, read) = source::all_program_accounts(rpc, program, commitment).await?;
    let (updates, errors) =
        crate::pipeline::with_vaults(rpc, program, commitment, &mut HashMap::new(), slot, read)
            .await?;
    let mut diffs: Vec<Difference> = errors
        .into_iter()
        .map(|e| Difference {
            table: "(undecodable)".into(),
            key: e.account.map(|a| a.to_string()).unwrap_or_default(),
            chain: Some(e.detail),
            mirror: None,
        })
        .collect();
    // a connection of its own: its statement cache never saw the real tables, and the
    // pool's connections never see the temporary ones
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect_with(&sink.pool.connect_options())
        .await
        .map_err(crate::sink::SinkError::from)?;
    let mut tx = conn.begin().await.map_err(crate::sink::SinkError::from)?;
    for t in compared() {
        let table = t.name;
        sqlx::query(&format!("CREATE TEMP TABLE {table} (LIKE public.{table} INCLUDING DEFAULTS INCLUDING GENERATED) ON COMMIT DROP"))
            .execute(&mut *tx)
            .await
            .map_err(crate::sink::SinkError::from)?;
        sqlx::query(&format!(
            "ALTER TABLE pg_temp.{table} ADD PRIMARY KEY ({})",
            t.key_list()
        ))
        .execute(&mut *tx)
        .await
        .map_err(crate::sink::SinkError::from)?;
    }
    crate::sink::write_accounts(&mut tx, &updates).await?;
    for t in compared() {
        let (table, key) = (t.name, t.key_text());
        // a closed proposal, listing, buyer record or shard and a burned ticket stay in
        // the mirror as history; the chain has no account
        let live = if matches!(
            table,
            "proposals" | "listings" | "tickets" | "buyer_records" | "shards"
        ) {
            "WHERE t.closed_slot IS NULL"
        } else {
            ""
        };
        let rows: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(&format!(
            "SELECT coalesce(c.k, m.k), c.j::text, m.j::text
             FROM (SELECT {key} AS k, to_jsonb(t) - 'slot' AS j FROM pg_temp.{table} t) c
             FULL JOIN (SELECT {key} AS k, to_jsonb(t) - 'slot' AS j FROM public.{table} t
               {live}) m
               ON c.k = m.k
             WHERE c.j IS DISTINCT FROM m.j ORDER BY 1"
        ))
        .fetch_all(&mut *tx)
        .await
        .map_err(crate::sink::SinkError::from)?;
        diffs.extend(rows.into_iter().map(|(key, chain, mirror)| Difference {
            table: table.into(),
            key,
            chain,
            mirror,
        }));
    }
    diffs.extend(converted_columns(&mut tx, &updates).await?);
    tx.rollback().await.map_err(crate::sink::SinkError::from)?;
    Ok(diffs)
}

/// A tier's phase prices, in order, comma-joined.
const TIER_PRICES: &str = "(SELECT string_agg(p->>'price', ',' ORDER BY n) \
    FROM jsonb_array_elements(phases) WITH ORDINALITY AS x(p, n))";

/// Each converted column of the mirror (`public.`, past the temporary tables) against the
/// chain's value by `to_string()`: (table, SQL of the columns as text, the chain's values).
async fn converted_columns(
    tx: &mut sqlx::PgConnection,
    updates: &[AccountUpdate],
) -> Result<Vec<Difference>, IndexError> {
    type Want = (
        &'static str,
        &'static [&'static str],
        Vec<(String, Vec<String>)>,
    );
    let (mut events, mut shards, mut tickets, mut tiers, mut listings) =
        (vec![], vec![], vec![], vec![], vec![]);
    for u in updates {
        let AccountKind::Program(a) = &u.kind else {
            continue;
        };
        let key = u.address.to_string();
        match a {
            ProgramAccount::Event(e) => events.push((
                key,
                vec![
                    e.config.price_lamports.to_string(),
                    e.event_id.to_string(),
                    e.config.name.clone(),
                    e.config.uri.clone(),
                    e.tiers_changed_at_proposal.to_string(),
                    e.resale.cap_bps.to_string(),
                    e.resale.royalty_bps.to_string(),
                ],
            )),
            ProgramAccount::Shard(x) => shards.push((
                key,
                [x.revenue, x.refunded, x.swept, x.reserve]
                    .iter()
                    .map(u64::to_string)
                    .collect(),
            )),
            ProgramAccount::Ticket(t) => tickets.push((key, vec![t.price_paid.to_string()])),
            ProgramAccount::Listing(l) => listings.push((key, vec![l.price.to_string()])),
            ProgramAccount::Tier(t) => tiers.push((
                key,
                vec![
                    t.config.name.clone(),
                    t.config
                        .phases
                        .iter()
                        .map(|p| p.price.to_string())
                        .collect::<Vec<_>>()
                        .join(","),
                ],
            )),
            _ => {}
        }
    }
    let wanted: [Want; 5] = [
        (
            "events",
            &[
                "price_lamports",
                "event_id",
                "name",
                "uri",
                "tiers_changed_at_proposal",
                "resale_cap_bps",
                "royalty_bps",
            ],
            events,
        ),
        (
            "shards",
            &["revenue", "refunded", "swept", "reserve"],
            shards,
        ),
        ("tickets", &["price_paid"], tickets),
        ("tiers", &["name", TIER_PRICES], tiers),
        ("listings", &["price"], listings),
    ];
    let mut diffs = Vec::new();
    for (table, columns, rows) in wanted {
        if rows.is_empty() {
            continue;
        }
        let keys: Vec<&String> = rows.iter().map(|(k, _)| k).collect();
        let select: Vec<String> = columns.iter().map(|c| format!("{c}::text")).collect();
        let found: Vec<(String, Vec<String>)> = sqlx::query_as(&format!(
            "SELECT pubkey, ARRAY[{}] FROM public.{table} WHERE pubkey = ANY($1)",
            select.join(", ")
        ))
        .bind(&keys)
        .fetch_all(&mut *tx)
        .await
        .map_err(SinkError::from)?;
        let found: HashMap<String, Vec<String>> = found.into_iter().collect();
        for (key, chain) in rows {
            // a row missing altogether is reported by the comparison above
            let Some(mirror) = found.get(&key) else {
                continue;
            };
            for ((column, c), m) in columns.iter().zip(&chain).zip(mirror) {
                if c != m {
                    diffs.push(Difference {
                        table: format!("{table}.{column}"),
                        key: key.clone(),
                        chain: Some(c.clone()),
                        mirror: Some(m.clone()),
                    });
                }
            }
        }
    }
    Ok(diffs)
}

/// The event log against every program transaction, decoded again from the chain.
pub async fn events(
    rpc: &RpcPool,
    sink: &Sink,
    program: &Address,
    commitment: &str,
    concurrency: usize,
) -> Result<Vec<Difference>, IndexError> {
    use futures::{StreamExt, TryStreamExt};
    let sigs = source::signatures_since(rpc, program, None, 0, commitment).await?;
    let txs: Vec<_> = futures::stream::iter(sigs.iter().map(|s| async move {
        source::fetch_transaction(rpc, &s.signature, commitment)
            .await
            .map(|raw| decode_transaction(raw, program))
    }))
    .buffered(concurrency.max(1))
    .try_collect()
    .await?;
    let mut chain: BTreeMap<String, String> = BTreeMap::new();
    for t in &txs {
        for (i, e) in &t.events {
            chain.insert(
                format!("{}:{i}", t.signature),
                format!("{} {}", e.name(), json::event(e)),
            );
        }
    }
    let rows: Vec<(String, i32, String, serde_json::Value)> =
        sqlx::query_as("SELECT signature, event_index, kind, data FROM event_log")
            .fetch_all(&sink.pool)
            .await
            .map_err(crate::sink::SinkError::from)?;
    let mirror: HashMap<String, String> = rows
        .into_iter()
        .map(|(s, i, k, d)| (format!("{s}:{i}"), format!("{k} {d}")))
        .collect();
    let mut diffs = Vec::new();
    for (k, c) in &chain {
        let m = mirror.get(k);
        // compare as JSON values (key order in jsonb differs from ours)
        let same = m.is_some_and(|m| same_event(c, m));
        if !same {
            diffs.push(Difference {
                table: "event_log".into(),
                key: k.clone(),
                chain: Some(c.clone()),
                mirror: m.cloned(),
            });
        }
    }
    for (k, m) in &mirror {
        if !chain.contains_key(k) {
            diffs.push(Difference {
                table: "event_log".into(),
                key: k.clone(),
                chain: None,
                mirror: Some(m.clone()),
            });
        }
    }
    let mirrored_txs: i64 = sqlx::query_scalar("SELECT count(*) FROM transactions")
        .fetch_one(&sink.pool)
        .await
        .map_err(crate::sink::SinkError::from)?;
    let invoked = txs.iter().filter(|t| t.invoked).count();
    if mirrored_txs != invoked as i64 {
        diffs.push(Difference {
            table: "transactions".into(),
            key: "count".into(),
            chain: Some(invoked.to_string()),
            mirror: Some(mirrored_txs.to_string()),
        });
    }
    Ok(diffs)
}

fn same_event(a: &str, b: &str) -> bool {
    let split = |s: &str| {
        s.split_once(' ').map(|(k, j)| {
            (
                k.to_string(),
                serde_json::from_str::<serde_json::Value>(j).ok(),
            )
        })
    };
    split(a) == split(b)
}
