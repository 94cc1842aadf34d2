//! Account tables: the latest state of each account, slot-guarded. The members, spending
//! limits and outflow caps of an organizer are replaced with it.
use std::collections::HashMap;

use bitticket::state::{self, TicketState};
use solana_address::Address;
use sqlx::{Postgres, Transaction};

use super::{lamports, pgtext, AccountUpdate, SinkError};
use crate::decode::{json, ProgramAccount};

pub const TABLES: [&str; 10] = [
    "members",
    "spending_limits",
    "outflow_caps",
    "vaults",
    "tickets",
    "buyer_records",
    "shards",
    "proposals",
    "events",
    "organizers",
];

#[derive(Debug, Clone)]
pub enum AccountKind {
    Program(ProgramAccount),
    /// The organizer's SOL vault, a system account.
    Vault {
        organizer: Address,
    },
}

type Tx<'a, 'b> = &'a mut Transaction<'b, Postgres>;

/// Organizers, then events, then the rest: shards, tickets and buyer records find their
/// tenant through the event's row.
pub fn write_order(kind: &AccountKind) -> u8 {
    match kind {
        AccountKind::Program(ProgramAccount::Organizer(_)) => 0,
        AccountKind::Program(ProgramAccount::Event(_)) => 1,
        _ => 2,
    }
}

fn s(a: &Address) -> String {
    a.to_string()
}

/// Writes the newest read of each account; returns how many rows changed.
pub async fn write(
    tx: Tx<'_, '_>,
    updates: &[AccountUpdate],
    force: bool,
) -> Result<u64, SinkError> {
    let mut newest: HashMap<Address, &AccountUpdate> = HashMap::new();
    for u in updates {
        let e = newest.entry(u.address).or_insert(u);
        if u.slot >= e.slot {
            *e = u;
        }
    }
    let mut organizers = Vec::new();
    let mut events = Vec::new();
    let mut shards = Vec::new();
    let mut tickets = Vec::new();
    let mut buyers = Vec::new();
    let mut proposals = Vec::new();
    let mut vaults = Vec::new();
    for u in newest.values() {
        match &u.kind {
            AccountKind::Vault { organizer } => vaults.push((*u, *organizer)),
            AccountKind::Program(a) => match a {
                ProgramAccount::Organizer(o) => organizers.push((*u, o.as_ref())),
                ProgramAccount::Event(e) => events.push((*u, e.as_ref())),
                ProgramAccount::Shard(x) => shards.push((*u, x.as_ref())),
                ProgramAccount::Ticket(t) => tickets.push((*u, t.as_ref())),
                ProgramAccount::BuyerRecord(b) => buyers.push((*u, b.as_ref())),
                ProgramAccount::Proposal(p) => proposals.push((*u, p.as_ref())),
            },
        }
    }
    let mut n = 0;
    n += write_organizers(tx, &organizers, force).await?;
    n += write_events(tx, &events, force).await?;
    // shards, tickets and buyer records name their event; the tenant comes from it
    let mut wanted: Vec<String> = shards.iter().map(|(_, x)| s(&x.event)).collect();
    wanted.extend(tickets.iter().map(|(_, x)| s(&x.event)));
    wanted.extend(buyers.iter().map(|(_, x)| s(&x.event)));
    let tenants = tenants_of(tx, wanted).await?;
    n += write_shards(tx, &shards, &tenants, force).await?;
    n += write_tickets(tx, &tickets, &tenants, force).await?;
    n += write_buyers(tx, &buyers, &tenants, force).await?;
    n += write_proposals(tx, &proposals, force).await?;
    n += write_vaults(tx, &vaults, force).await?;
    Ok(n)
}

/// The organizer of each of `events` (event account addresses) in the mirror.
pub async fn tenants_of(
    tx: Tx<'_, '_>,
    mut events: Vec<String>,
) -> Result<HashMap<String, String>, SinkError> {
    events.sort();
    events.dedup();
    Ok(sqlx::query_as::<_, (String, String)>(
        "SELECT pubkey, organizer FROM events WHERE pubkey = ANY($1)",
    )
    .bind(&events)
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .collect())
}

fn slot(u: &AccountUpdate) -> i64 {
    lamports(u.slot)
}

async fn write_organizers(
    tx: Tx<'_, '_>,
    rows: &[(&AccountUpdate, &state::Organizer)],
    force: bool,
) -> Result<u64, SinkError> {
    if rows.is_empty() {
        return Ok(0);
    }
    let updated: Vec<(String,)> = sqlx::query_as(
        "INSERT INTO organizers (pubkey, creator, organizer_id, next_event_id, threshold, time_lock,
           transaction_index, stale_transaction_index, vault, lamports, slot)
         SELECT pubkey, creator, organizer_id::numeric, next_event_id::numeric, threshold, time_lock,
           transaction_index::numeric, stale_transaction_index::numeric, vault, lamports, slot
         FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::bigint[],
           $7::text[], $8::text[], $9::text[], $10::bigint[], $11::bigint[])
           AS u(pubkey, creator, organizer_id, next_event_id, threshold, time_lock,
             transaction_index, stale_transaction_index, vault, lamports, slot)
         ON CONFLICT (pubkey) DO UPDATE SET creator = excluded.creator,
           organizer_id = excluded.organizer_id, next_event_id = excluded.next_event_id,
           threshold = excluded.threshold, time_lock = excluded.time_lock,
           transaction_index = excluded.transaction_index,
           stale_transaction_index = excluded.stale_transaction_index, vault = excluded.vault,
           lamports = excluded.lamports, slot = excluded.slot
         WHERE $12 OR organizers.slot <= excluded.slot
         RETURNING pubkey",
    )
    .bind(rows.iter().map(|(u, _)| s(&u.address)).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, o)| s(&o.creator)).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, o)| o.organizer_id.to_string()).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, o)| o.next_event_id.to_string()).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, o)| i32::from(o.threshold)).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, o)| i64::from(o.time_lock)).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, o)| o.transaction_index.to_string()).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, o)| o.stale_transaction_index.to_string()).collect::<Vec<_>>())
    .bind(rows.iter().map(|(u, _)| s(&bitticket_client::vault_pda(&u.address))).collect::<Vec<_>>())
    .bind(rows.iter().map(|(u, _)| lamports(u.lamports)).collect::<Vec<_>>())
    .bind(rows.iter().map(|(u, _)| slot(u)).collect::<Vec<_>>())
    .bind(force)
    .fetch_all(&mut **tx)
    .await?;
    let updated: Vec<String> = updated.into_iter().map(|(k,)| k).collect();
    if updated.is_empty() {
        return Ok(0);
    }
    for table in ["members", "spending_limits", "outflow_caps"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE organizer = ANY($1)"))
            .bind(&updated)
            .execute(&mut **tx)
            .await?;
    }
    let fresh: Vec<_> = rows
        .iter()
        .filter(|(u, _)| updated.contains(&s(&u.address)))
        .collect();
    let (mut org, mut key, mut perm, mut sl) = (vec![], vec![], vec![], vec![]);
    for (u, o) in &fresh {
        for m in &o.members {
            org.push(s(&u.address));
            key.push(s(&m.key));
            perm.push(i32::from(m.permissions));
            sl.push(slot(u));
        }
    }
    sqlx::query(
        "INSERT INTO members (organizer, member, permissions, slot)
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::int[], $4::bigint[])",
    )
    .bind(&org)
    .bind(&key)
    .bind(&perm)
    .bind(&sl)
    .execute(&mut **tx)
    .await?;
    let mut l = LimitCols::default();
    let mut c = CapCols::default();
    for (u, o) in &fresh {
        for x in &o.spending_limits {
            l.organizer.push(s(&u.address));
            l.id.push(i32::from(x.config.id));
            l.mint.push(s(&x.config.mint));
            l.amount.push(x.config.amount.to_string());
            l.period.push(json::period(x.config.period).to_string());
            l.remaining.push(x.remaining.to_string());
            l.window.push(x.window_start);
            l.frozen.push(x.frozen);
            l.members.push(serde_json::json!(x
                .config
                .members
                .iter()
                .map(s)
                .collect::<Vec<_>>()));
            l.destinations.push(serde_json::json!(x
                .config
                .destinations
                .iter()
                .map(s)
                .collect::<Vec<_>>()));
            l.slot.push(slot(u));
        }
        for x in &o.outflow_caps {
            c.organizer.push(s(&u.address));
            c.mint.push(s(&x.mint));
            c.amount.push(x.amount.to_string());
            c.period.push(json::period(x.period).to_string());
            c.used.push(x.used.to_string());
            c.window.push(x.window_start);
            c.carry_room.push(x.carry_room.to_string());
            c.carry_until.push(x.carry_until);
            c.slot.push(slot(u));
        }
    }
    // text[][] cannot be ragged: the key lists travel as JSON arrays
    sqlx::query(
        "INSERT INTO spending_limits (organizer, limit_id, mint, amount, period, remaining,
           window_start, members, destinations, slot, frozen)
         SELECT organizer, limit_id, mint, amount::numeric, period, remaining::numeric, window_start,
           ARRAY(SELECT jsonb_array_elements_text(members)),
           ARRAY(SELECT jsonb_array_elements_text(destinations)), slot, frozen
         FROM UNNEST($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[],
           $7::bigint[], $8::jsonb[], $9::jsonb[], $10::bigint[], $11::bool[])
           AS u(organizer, limit_id, mint, amount, period, remaining, window_start, members,
             destinations, slot, frozen)",
    )
    .bind(&l.organizer)
    .bind(&l.id)
    .bind(&l.mint)
    .bind(&l.amount)
    .bind(&l.period)
    .bind(&l.remaining)
    .bind(&l.window)
    .bind(&l.members)
    .bind(&l.destinations)
    .bind(&l.slot)
    .bind(&l.frozen)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO outflow_caps (organizer, mint, amount, period, used, window_start, slot,
           carry_room, carry_until)
         SELECT organizer, mint, amount::numeric, period, used::numeric, window_start, slot,
           carry_room::numeric, carry_until
         FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[],
           $7::bigint[], $8::text[], $9::bigint[])
           AS u(organizer, mint, amount, period, used, window_start, slot, carry_room,
             carry_until)",
    )
    .bind(&c.organizer)
    .bind(&c.mint)
    .bind(&c.amount)
    .bind(&c.period)
    .bind(&c.used)
    .bind(&c.window)
    .bind(&c.slot)
    .bind(&c.carry_room)
    .bind(&c.carry_until)
    .execute(&mut **tx)
    .await?;
    Ok(updated.len() as u64)
}

#[derive(Default)]
struct LimitCols {
    organizer: Vec<String>,
    id: Vec<i32>,
    mint: Vec<String>,
    amount: Vec<String>,
    period: Vec<String>,
    remaining: Vec<String>,
    window: Vec<i64>,
    members: Vec<serde_json::Value>,
    destinations: Vec<serde_json::Value>,
    slot: Vec<i64>,
    frozen: Vec<bool>,
}

#[derive(Default)]
struct CapCols {
    organizer: Vec<String>,
    mint: Vec<String>,
    amount: Vec<String>,
    period: Vec<String>,
    used: Vec<String>,
    window: Vec<i64>,
    slot: Vec<i64>,
    carry_room: Vec<String>,
    carry_until: Vec<i64>,
}

async fn write_events(
    tx: Tx<'_, '_>,
    rows: &[(&AccountUpdate, &state::Event)],
    force: bool,
) -> Result<u64, SinkError> {
    if rows.is_empty() {
        return Ok(0);
    }
    let r = sqlx::query(
        "INSERT INTO events (pubkey, organizer, event_id, name, uri, price_lamports, supply,
           sale_start, sale_end, resale_unlock, max_per_wallet, check_in_start, check_in_end,
           shard_count, shards_opened, paused, cancelled, cancelled_at, lamports, slot, approved)
         SELECT pubkey, organizer, event_id::numeric, name, uri, price_lamports::numeric, supply,
           sale_start, sale_end, resale_unlock, max_per_wallet, check_in_start, check_in_end,
           shard_count, shards_opened, paused, cancelled, cancelled_at, lamports, slot, approved
         FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
           $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::int[], $12::bigint[],
           $13::bigint[], $14::int[], $15::int[], $16::bool[], $17::bool[], $18::bigint[],
           $19::bigint[], $20::bigint[], $22::bool[])
           AS u(pubkey, organizer, event_id, name, uri, price_lamports, supply, sale_start,
             sale_end, resale_unlock, max_per_wallet, check_in_start, check_in_end, shard_count,
             shards_opened, paused, cancelled, cancelled_at, lamports, slot, approved)
         ON CONFLICT (pubkey) DO UPDATE SET organizer = excluded.organizer,
           event_id = excluded.event_id, name = excluded.name, uri = excluded.uri,
           price_lamports = excluded.price_lamports, supply = excluded.supply,
           sale_start = excluded.sale_start, sale_end = excluded.sale_end,
           resale_unlock = excluded.resale_unlock, max_per_wallet = excluded.max_per_wallet,
           check_in_start = excluded.check_in_start, check_in_end = excluded.check_in_end,
           shard_count = excluded.shard_count, shards_opened = excluded.shards_opened,
           paused = excluded.paused, cancelled = excluded.cancelled,
           cancelled_at = excluded.cancelled_at, lamports = excluded.lamports, slot = excluded.slot,
           approved = excluded.approved
         WHERE $21 OR events.slot <= excluded.slot",
    )
    .bind(rows.iter().map(|(u, _)| s(&u.address)).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(_, e)| s(&e.organizer))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, e)| e.event_id.to_string())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, e)| pgtext::text(&e.config.name).into_owned())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, e)| pgtext::text(&e.config.uri).into_owned())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, e)| e.config.price_lamports.to_string())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, e)| i64::from(e.config.supply))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, e)| e.config.sale_start)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, e)| e.config.sale_end)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, e)| e.config.resale_unlock)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, e)| i32::from(e.config.max_per_wallet))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, e)| e.config.check_in_start)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, e)| e.config.check_in_end)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, e)| i32::from(e.shard_count))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, e)| i32::from(e.shards_opened))
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|(_, e)| e.paused).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, e)| e.cancelled).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, e)| e.cancelled_at).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(u, _)| lamports(u.lamports))
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|(u, _)| slot(u)).collect::<Vec<_>>())
    .bind(force)
    .bind(rows.iter().map(|(_, e)| e.approved).collect::<Vec<_>>())
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected())
}

/// Keeps the rows whose event is known; the others are reported (never expected: an
/// event account is created before any shard, ticket or record of it).
fn tenanted<'a, T>(
    rows: &'a [(&'a AccountUpdate, &'a T)],
    event: impl Fn(&T) -> Address,
    tenants: &HashMap<String, String>,
) -> Vec<(&'a AccountUpdate, &'a T, String)> {
    rows.iter()
        .filter_map(|(u, x)| match tenants.get(&s(&event(x))) {
            Some(o) => Some((*u, *x, o.clone())),
            None => {
                tracing::error!(account = %u.address, "account of an event not in the mirror; skipped");
                None
            }
        })
        .collect()
}

async fn write_shards(
    tx: Tx<'_, '_>,
    rows: &[(&AccountUpdate, &state::Shard)],
    tenants: &HashMap<String, String>,
    force: bool,
) -> Result<u64, SinkError> {
    let rows = tenanted(rows, |x| x.event, tenants);
    if rows.is_empty() {
        return Ok(0);
    }
    let r = sqlx::query(
        "INSERT INTO shards (pubkey, organizer, event, index, sold, revenue, refunded, swept,
           reserve, lamports, slot)
         SELECT pubkey, organizer, event, index, sold, revenue::numeric, refunded::numeric,
           swept::numeric, reserve::numeric, lamports, slot
         FROM UNNEST($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[],
           $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::bigint[])
           AS u(pubkey, organizer, event, index, sold, revenue, refunded, swept, reserve,
             lamports, slot)
         ON CONFLICT (pubkey) DO UPDATE SET organizer = excluded.organizer, event = excluded.event,
           index = excluded.index, sold = excluded.sold, revenue = excluded.revenue,
           refunded = excluded.refunded, swept = excluded.swept, reserve = excluded.reserve,
           lamports = excluded.lamports, slot = excluded.slot
         WHERE $12 OR shards.slot <= excluded.slot",
    )
    .bind(
        rows.iter()
            .map(|(u, _, _)| s(&u.address))
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|(_, _, o)| o.clone()).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, x, _)| s(&x.event)).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(_, x, _)| i32::from(x.index))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, x, _)| i64::from(x.sold))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, x, _)| x.revenue.to_string())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, x, _)| x.refunded.to_string())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, x, _)| x.swept.to_string())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, x, _)| x.reserve.to_string())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(u, _, _)| lamports(u.lamports))
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|(u, _, _)| slot(u)).collect::<Vec<_>>())
    .bind(force)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected())
}

pub fn ticket_state(t: TicketState) -> &'static str {
    bitticket_client::names::Named::name(t)
}

async fn write_tickets(
    tx: Tx<'_, '_>,
    rows: &[(&AccountUpdate, &state::Ticket)],
    tenants: &HashMap<String, String>,
    force: bool,
) -> Result<u64, SinkError> {
    let rows = tenanted(rows, |x| x.event, tenants);
    if rows.is_empty() {
        return Ok(0);
    }
    let r = sqlx::query(
        "INSERT INTO tickets (pubkey, organizer, event, mint, holder, serial, shard_index,
           price_paid, state, checked_in_at, lamports, slot)
         SELECT pubkey, organizer, event, mint, holder, serial, shard_index, price_paid::numeric,
           state, checked_in_at, lamports, slot
         FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
           $6::bigint[], $7::int[], $8::text[], $9::text[], $10::bigint[], $11::bigint[],
           $12::bigint[])
           AS u(pubkey, organizer, event, mint, holder, serial, shard_index, price_paid, state,
             checked_in_at, lamports, slot)
         ON CONFLICT (pubkey) DO UPDATE SET organizer = excluded.organizer, event = excluded.event,
           mint = excluded.mint, holder = excluded.holder, serial = excluded.serial,
           shard_index = excluded.shard_index, price_paid = excluded.price_paid,
           state = excluded.state, checked_in_at = excluded.checked_in_at,
           lamports = excluded.lamports, slot = excluded.slot
         WHERE $13 OR tickets.slot <= excluded.slot",
    )
    .bind(
        rows.iter()
            .map(|(u, _, _)| s(&u.address))
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|(_, _, o)| o.clone()).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, x, _)| s(&x.event)).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, x, _)| s(&x.mint)).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(_, x, _)| s(&x.holder))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, x, _)| i64::from(x.serial))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, x, _)| i32::from(x.shard_index))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, x, _)| x.price_paid.to_string())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, x, _)| ticket_state(x.state).to_string())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, x, _)| x.checked_in_at)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(u, _, _)| lamports(u.lamports))
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|(u, _, _)| slot(u)).collect::<Vec<_>>())
    .bind(force)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected())
}

async fn write_buyers(
    tx: Tx<'_, '_>,
    rows: &[(&AccountUpdate, &state::BuyerRecord)],
    tenants: &HashMap<String, String>,
    force: bool,
) -> Result<u64, SinkError> {
    let rows = tenanted(rows, |x| x.event, tenants);
    if rows.is_empty() {
        return Ok(0);
    }
    let r = sqlx::query(
        "INSERT INTO buyer_records (pubkey, organizer, event, buyer, purchased, lamports, slot)
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::int[],
           $6::bigint[], $7::bigint[])
         ON CONFLICT (pubkey) DO UPDATE SET organizer = excluded.organizer, event = excluded.event,
           buyer = excluded.buyer, purchased = excluded.purchased, lamports = excluded.lamports,
           slot = excluded.slot
         WHERE $8 OR buyer_records.slot <= excluded.slot",
    )
    .bind(
        rows.iter()
            .map(|(u, _, _)| s(&u.address))
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|(_, _, o)| o.clone()).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, x, _)| s(&x.event)).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, x, _)| s(&x.buyer)).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(_, x, _)| i32::from(x.purchased))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(u, _, _)| lamports(u.lamports))
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|(u, _, _)| slot(u)).collect::<Vec<_>>())
    .bind(force)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected())
}

async fn write_proposals(
    tx: Tx<'_, '_>,
    rows: &[(&AccountUpdate, &state::Proposal)],
    force: bool,
) -> Result<u64, SinkError> {
    if rows.is_empty() {
        return Ok(0);
    }
    let keys = |v: &Vec<Address>| serde_json::json!(v.iter().map(s).collect::<Vec<_>>());
    let r = sqlx::query(
        "INSERT INTO proposals (pubkey, organizer, index, proposer, action, status, status_at,
           approved, rejected, cancelled, lamports, slot)
         SELECT pubkey, organizer, index::numeric, proposer, action, status, status_at,
           ARRAY(SELECT jsonb_array_elements_text(approved)),
           ARRAY(SELECT jsonb_array_elements_text(rejected)),
           ARRAY(SELECT jsonb_array_elements_text(cancelled)), lamports, slot
         FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[],
           $7::bigint[], $8::jsonb[], $9::jsonb[], $10::jsonb[], $11::bigint[], $12::bigint[])
           AS u(pubkey, organizer, index, proposer, action, status, status_at, approved, rejected,
             cancelled, lamports, slot)
         ON CONFLICT (pubkey) DO UPDATE SET organizer = excluded.organizer, index = excluded.index,
           proposer = excluded.proposer, action = excluded.action, status = excluded.status,
           status_at = excluded.status_at, approved = excluded.approved,
           rejected = excluded.rejected, cancelled = excluded.cancelled,
           lamports = excluded.lamports, slot = excluded.slot
         WHERE $13 OR proposals.slot <= excluded.slot",
    )
    .bind(rows.iter().map(|(u, _)| s(&u.address)).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(_, p)| s(&p.organizer))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, p)| p.index.to_string())
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|(_, p)| s(&p.proposer)).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(_, p)| pgtext::json(json::action(&p.action)))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, p)| json::status(p.status).0.to_string())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, p)| json::status(p.status).1)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, p)| keys(&p.approved))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, p)| keys(&p.rejected))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, p)| keys(&p.cancelled))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(u, _)| lamports(u.lamports))
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|(u, _)| slot(u)).collect::<Vec<_>>())
    .bind(force)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected())
}

async fn write_vaults(
    tx: Tx<'_, '_>,
    rows: &[(&AccountUpdate, Address)],
    force: bool,
) -> Result<u64, SinkError> {
    if rows.is_empty() {
        return Ok(0);
    }
    let r = sqlx::query(
        "INSERT INTO vaults (address, organizer, lamports, slot)
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[], $4::bigint[])
         ON CONFLICT (address) DO UPDATE SET organizer = excluded.organizer,
           lamports = excluded.lamports, slot = excluded.slot
         WHERE $5 OR vaults.slot <= excluded.slot",
    )
    .bind(rows.iter().map(|(u, _)| s(&u.address)).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, o)| s(o)).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(u, _)| lamports(u.lamports))
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|(u, _)| slot(u)).collect::<Vec<_>>())
    .bind(force)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected())
}
