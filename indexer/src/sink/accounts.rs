//! Account tables: the latest state of each account, slot-guarded (`bitticket_db`'s
//! upserts). The members, spending limits and outflow caps of an organizer are replaced
//! with it. Each decoded account becomes its table's row here; the SQL is the schema's.
use std::collections::HashMap;

use bitticket::state;
use bitticket_db::rows as db;
use solana_address::Address;
use sqlx::{Postgres, Transaction};

use super::{lamports, pgtext, AccountUpdate, SinkError};
use crate::decode::{json, ProgramAccount};

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

fn keys(v: &[Address]) -> serde_json::Value {
    serde_json::json!(v.iter().map(s).collect::<Vec<_>>())
}

/// The newest read of each account, by kind.
#[derive(Default)]
struct Newest<'a> {
    organizers: Vec<(&'a AccountUpdate, &'a state::Organizer)>,
    events: Vec<(&'a AccountUpdate, &'a state::Event)>,
    tiers: Vec<(&'a AccountUpdate, &'a state::Tier)>,
    shards: Vec<(&'a AccountUpdate, &'a state::Shard)>,
    tickets: Vec<(&'a AccountUpdate, &'a state::Ticket)>,
    listings: Vec<(&'a AccountUpdate, &'a state::Listing)>,
    buyers: Vec<(&'a AccountUpdate, &'a state::BuyerRecord)>,
    proposals: Vec<(&'a AccountUpdate, &'a state::Proposal)>,
    vaults: Vec<(&'a AccountUpdate, Address)>,
}

impl<'a> Newest<'a> {
    fn of(updates: &'a [AccountUpdate]) -> Self {
        let mut newest: HashMap<Address, &AccountUpdate> = HashMap::new();
        for u in updates {
            let e = newest.entry(u.address).or_insert(u);
            if u.slot >= e.slot {
                *e = u;
            }
        }
        let mut n = Newest::default();
        for u in newest.into_values() {
            match &u.kind {
                AccountKind::Vault { organizer } => n.vaults.push((u, *organizer)),
                AccountKind::Program(a) => match a {
                    ProgramAccount::Organizer(o) => n.organizers.push((u, o.as_ref())),
                    ProgramAccount::Event(e) => n.events.push((u, e.as_ref())),
                    ProgramAccount::Tier(t) => n.tiers.push((u, t.as_ref())),
                    ProgramAccount::Shard(x) => n.shards.push((u, x.as_ref())),
                    ProgramAccount::Ticket(t) => n.tickets.push((u, t.as_ref())),
                    ProgramAccount::Listing(l) => n.listings.push((u, l.as_ref())),
                    ProgramAccount::BuyerRecord(b) => n.buyers.push((u, b.as_ref())),
                    ProgramAccount::Proposal(p) => n.proposals.push((u, p.as_ref())),
                },
            }
        }
        n
    }
}

/// Writes the newest read of each account; returns how many rows changed.
pub async fn write(
    tx: Tx<'_, '_>,
    updates: &[AccountUpdate],
    force: bool,
) -> Result<u64, SinkError> {
    let n = Newest::of(updates);
    let mut written = write_organizers(tx, &n.organizers, force).await?;
    let events: db::Events = n.events.iter().map(|(u, e)| event_row(u, e)).collect();
    written += bitticket_db::upsert(&events, tx, force).await?;
    // tiers, shards, tickets and buyer records name their event; the tenant comes from it
    let mut wanted: Vec<String> = n.shards.iter().map(|(_, x)| s(&x.event)).collect();
    wanted.extend(n.tiers.iter().map(|(_, x)| s(&x.event)));
    wanted.extend(n.tickets.iter().map(|(_, x)| s(&x.event)));
    wanted.extend(n.buyers.iter().map(|(_, x)| s(&x.event)));
    wanted.extend(n.listings.iter().map(|(_, x)| s(&x.event)));
    let tenants = tenants_of(tx, wanted).await?;
    let tiers: db::Tiers = tenanted(&n.tiers, |x| x.event, &tenants)
        .map(|(u, x, o)| tier_row(u, x, o))
        .collect();
    written += bitticket_db::upsert(&tiers, tx, force).await?;
    let shards: db::Shards = tenanted(&n.shards, |x| x.event, &tenants)
        .map(|(u, x, o)| shard_row(u, x, o))
        .collect();
    written += bitticket_db::upsert(&shards, tx, force).await?;
    let tickets: db::Tickets = tenanted(&n.tickets, |x| x.event, &tenants)
        .map(|(u, x, o)| ticket_row(u, x, o))
        .collect();
    written += bitticket_db::upsert(&tickets, tx, force).await?;
    let listings: db::Listings = tenanted(&n.listings, |x| x.event, &tenants)
        .map(|(u, x, organizer)| db::Listing {
            pubkey: s(&u.address),
            organizer,
            event: s(&x.event),
            ticket: s(&x.ticket),
            mint: s(&x.mint),
            seller: s(&x.seller),
            price: x.price.to_string(),
            listed_at: x.listed_at,
            lamports: lamports(u.lamports),
            slot: lamports(u.slot),
            // an account read is a listing that stands: a closed one has no account
            closed_slot: None,
        })
        .collect();
    written += bitticket_db::upsert(&listings, tx, force).await?;
    let buyers: db::BuyerRecords = tenanted(&n.buyers, |x| x.event, &tenants)
        .map(|(u, x, organizer)| db::BuyerRecord {
            pubkey: s(&u.address),
            organizer,
            event: s(&x.event),
            buyer: s(&x.buyer),
            purchased: i32::from(x.purchased),
            lamports: lamports(u.lamports),
            slot: lamports(u.slot),
            tiers: json::tier_purchases(&x.tiers),
            // an account read is a record that stands: a closed one has no account
            closed_slot: None,
        })
        .collect();
    written += bitticket_db::upsert(&buyers, tx, force).await?;
    let proposals: db::Proposals = n
        .proposals
        .iter()
        .map(|(u, p)| proposal_row(u, p))
        .collect();
    written += bitticket_db::upsert(&proposals, tx, force).await?;
    let vaults: db::Vaults = n
        .vaults
        .iter()
        .map(|(u, organizer)| db::Vault {
            address: s(&u.address),
            organizer: s(organizer),
            lamports: lamports(u.lamports),
            slot: lamports(u.slot),
        })
        .collect();
    written += bitticket_db::upsert(&vaults, tx, force).await?;
    Ok(written)
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

/// Organizers, and with each one written its members, spending limits and outflow caps
/// (replaced whole: deleted, then inserted as read).
async fn write_organizers(
    tx: Tx<'_, '_>,
    rows: &[(&AccountUpdate, &state::Organizer)],
    force: bool,
) -> Result<u64, SinkError> {
    let organizers: db::Organizers = rows
        .iter()
        .map(|(u, o)| db::Organizer {
            pubkey: s(&u.address),
            creator: s(&o.creator),
            organizer_id: o.organizer_id.to_string(),
            next_event_id: o.next_event_id.to_string(),
            threshold: i32::from(o.threshold),
            time_lock: i64::from(o.time_lock),
            transaction_index: o.transaction_index.to_string(),
            stale_transaction_index: o.stale_transaction_index.to_string(),
            vault: s(&bitticket_client::vault_pda(&u.address)),
            name: pgtext::text(&o.name).into_owned(),
            lamports: lamports(u.lamports),
            slot: lamports(u.slot),
        })
        .collect();
    let updated = bitticket_db::upsert_keys(&organizers, tx, force).await?;
    if updated.is_empty() {
        return Ok(0);
    }
    for table in ["members", "spending_limits", "outflow_caps"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE organizer = ANY($1)"))
            .bind(&updated)
            .execute(&mut **tx)
            .await?;
    }
    let mut members = db::Members::default();
    let mut limits = db::SpendingLimits::default();
    let mut caps = db::OutflowCaps::default();
    for (u, o) in rows
        .iter()
        .filter(|(u, _)| updated.contains(&s(&u.address)))
    {
        let (organizer, slot) = (s(&u.address), lamports(u.slot));
        for m in &o.members {
            members.push(db::Member {
                organizer: organizer.clone(),
                member: s(&m.key),
                permissions: i32::from(m.permissions),
                slot,
            });
        }
        for x in &o.spending_limits {
            limits.push(db::SpendingLimit {
                organizer: organizer.clone(),
                limit_id: i32::from(x.config.id),
                mint: s(&x.config.mint),
                amount: x.config.amount.to_string(),
                period: json::period(x.config.period).to_string(),
                remaining: x.remaining.to_string(),
                window_start: x.window_start,
                members: keys(&x.config.members),
                destinations: keys(&x.config.destinations),
                slot,
                frozen: x.frozen,
            });
        }
        for x in &o.outflow_caps {
            caps.push(db::OutflowCap {
                organizer: organizer.clone(),
                mint: s(&x.mint),
                amount: x.amount.to_string(),
                period: json::period(x.period).to_string(),
                used: x.used.to_string(),
                window_start: x.window_start,
                slot,
                carry_room: x.carry_room.to_string(),
                carry_until: x.carry_until,
            });
        }
    }
    bitticket_db::insert(&members, tx).await?;
    bitticket_db::insert(&limits, tx).await?;
    bitticket_db::insert(&caps, tx).await?;
    Ok(updated.len() as u64)
}

fn event_row(u: &AccountUpdate, e: &state::Event) -> db::Event {
    let c = &e.config;
    db::Event {
        pubkey: s(&u.address),
        organizer: s(&e.organizer),
        event_id: e.event_id.to_string(),
        name: pgtext::text(&c.name).into_owned(),
        uri: pgtext::text(&c.uri).into_owned(),
        price_lamports: c.price_lamports.to_string(),
        supply: i64::from(c.supply),
        sale_start: c.sale_start,
        sale_end: c.sale_end,
        resale_unlock: c.resale_unlock,
        max_per_wallet: i32::from(c.max_per_wallet),
        check_in_start: c.check_in_start,
        check_in_end: c.check_in_end,
        shard_count: i32::from(e.shard_count),
        shards_opened: i32::from(e.shards_opened),
        paused: e.paused,
        cancelled: e.cancelled,
        cancelled_at: e.cancelled_at,
        lamports: lamports(u.lamports),
        slot: lamports(u.slot),
        approved: e.approved,
        tier_count: i32::from(e.tier_count),
        shards_reserved: i32::from(e.shards_reserved),
        tier_serial_start: i64::from(e.tier_serial_start),
        tier_serial_end: i64::from(e.tier_serial_end),
        tiers_changed_at_proposal: e.tiers_changed_at_proposal.to_string(),
        resale_cap_bps: i64::from(e.resale.cap_bps),
        royalty_bps: i32::from(e.resale.royalty_bps),
        transfers_locked: e.resale.transfers_locked,
    }
}

fn tier_row(u: &AccountUpdate, x: &state::Tier, organizer: String) -> db::Tier {
    let c = &x.config;
    db::Tier {
        pubkey: s(&u.address),
        organizer,
        event: s(&x.event),
        index: i32::from(x.index),
        name: pgtext::text(&c.name).into_owned(),
        supply: i64::from(c.supply),
        max_per_wallet: i32::from(c.max_per_wallet),
        serial_base: i64::from(x.serial_base),
        serial_span: i64::from(x.serial_span),
        first_shard: i32::from(x.first_shard),
        shard_count: i32::from(x.shard_count),
        shards_opened: i32::from(x.shards_opened),
        phases: json::phases(&c.phases),
        lamports: lamports(u.lamports),
        slot: lamports(u.slot),
        currency: s(&x.currency),
        currency_decimals: i32::from(x.currency_decimals),
    }
}

/// The rows whose event is known, with its organizer; the others are reported (never
/// expected: an event account is created before any shard, ticket or record of it).
fn tenanted<'a, T>(
    rows: &'a [(&'a AccountUpdate, &'a T)],
    event: impl Fn(&T) -> Address + 'a,
    tenants: &'a HashMap<String, String>,
) -> impl Iterator<Item = (&'a AccountUpdate, &'a T, String)> + 'a {
    rows.iter()
        .filter_map(move |(u, x)| match tenants.get(&s(&event(x))) {
            Some(o) => Some((*u, *x, o.clone())),
            None => {
                tracing::error!(account = %u.address, "account of an event not in the mirror; skipped");
                None
            }
        })
}

fn shard_row(u: &AccountUpdate, x: &state::Shard, organizer: String) -> db::Shard {
    db::Shard {
        pubkey: s(&u.address),
        organizer,
        event: s(&x.event),
        index: i32::from(x.index),
        sold: i64::from(x.sold),
        revenue: x.revenue.to_string(),
        refunded: x.refunded.to_string(),
        swept: x.swept.to_string(),
        reserve: x.reserve.to_string(),
        lamports: lamports(u.lamports),
        slot: lamports(u.slot),
        tier: i32::from(x.tier),
        currency: s(&x.currency),
        opened_by: s(&x.opened_by),
        // an account read is a shard that stands: a closed one has no account
        closed_slot: None,
    }
}

fn ticket_row(u: &AccountUpdate, x: &state::Ticket, organizer: String) -> db::Ticket {
    db::Ticket {
        pubkey: s(&u.address),
        organizer,
        event: s(&x.event),
        mint: s(&x.mint),
        holder: s(&x.holder),
        serial: i64::from(x.serial),
        shard_index: i32::from(x.shard_index),
        price_paid: x.price_paid.to_string(),
        state: bitticket_client::names::Named::name(x.state).to_string(),
        checked_in_at: x.checked_in_at,
        lamports: lamports(u.lamports),
        slot: lamports(u.slot),
        tier: i32::from(x.tier),
        // an account read is a ticket that stands: a burned one has no account
        closed_slot: None,
    }
}

fn proposal_row(u: &AccountUpdate, p: &state::Proposal) -> db::Proposal {
    let (status, status_at) = json::status(p.status);
    db::Proposal {
        pubkey: s(&u.address),
        organizer: s(&p.organizer),
        index: p.index.to_string(),
        proposer: s(&p.proposer),
        action: pgtext::json(json::action(&p.action)),
        status: status.to_string(),
        status_at,
        approved: keys(&p.approved),
        rejected: keys(&p.rejected),
        cancelled: keys(&p.cancelled),
        lamports: lamports(u.lamports),
        slot: lamports(u.slot),
    }
}
