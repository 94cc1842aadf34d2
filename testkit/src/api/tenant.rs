//! One organizer's mirrored world, written as the indexer writes it (as the tables'
//! owner, through `bitticket_db`'s column sets): its staff (one wallet per role), two
//! events (one on sale, one upcoming), two shards, six tickets, three check-ins, a
//! proposal, an alert, and its slot finalized.
use bitticket::state::permission;
use bitticket_db::rows::{
    CheckIn, CheckIns, Event, Events, Member, Members, Organizer, Organizers, Proposal, Proposals,
    Shard, Shards, Ticket, Tickets, Vault, Vaults,
};
use bitticket_db::{insert, Columns};
use solana_address::Address;
use sqlx::{PgConnection, PgPool};

use super::wallet::Wallet;

/// One organizer's mirrored world (see the module's doc).
pub struct Tenant {
    pub organizer: String,
    pub event: String,
    pub upcoming: String,
    pub staff: Vec<(&'static str, u8, Wallet)>,
    pub tickets: Vec<String>,
}

impl Tenant {
    pub fn member(&self, role: &str) -> &Wallet {
        &self
            .staff
            .iter()
            .find(|(r, _, _)| *r == role)
            .expect("role")
            .2
    }
}

/// The staff's roles, one member each, in the order of `Tenant::staff`.
pub const ROLES: &[(&str, u8)] = &[
    ("admin", permission::ADMIN),
    ("event_manager", permission::EVENT_MANAGER),
    ("finance", permission::FINANCE),
    ("gatekeeper", permission::GATEKEEPER),
    ("voter", permission::VOTE),
];

/// A new unique address, in base58.
pub fn key() -> String {
    Address::new_unique().to_string()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Writes a column set's rows, named by its table when that fails.
async fn write<C: Columns>(conn: &mut PgConnection, set: C) {
    insert(&set, conn).await.expect(C::SPEC.table);
}

/// Writes a tenant as the indexer would (as the tables' owner), with `holder` holding
/// `held` of its tickets.
pub async fn seed_tenant(db: &PgPool, holder: &Wallet, held: usize) -> Tenant {
    let mut conn = db.acquire().await.expect("a connection");
    let conn = &mut *conn;
    let organizer = key();
    let vault = key();
    let now = now();
    write(
        conn,
        Organizers::from_iter([Organizer {
            pubkey: organizer.clone(),
            creator: key(),
            organizer_id: "1".into(),
            next_event_id: "2".into(),
            threshold: 2,
            time_lock: 3600,
            transaction_index: "1".into(),
            stale_transaction_index: "0".into(),
            vault: vault.clone(),
            name: "Tenant \"A\" Events".into(),
            lamports: 1_000_000,
            slot: 10,
        }]),
    )
    .await;
    write(
        conn,
        Vaults::from_iter([Vault {
            address: vault,
            organizer: organizer.clone(),
            lamports: 5_000_000,
            slot: 10,
        }]),
    )
    .await;
    let staff: Vec<(&'static str, u8, Wallet)> = ROLES
        .iter()
        .map(|(role, bits)| (*role, *bits, Wallet::random()))
        .collect();
    write(
        conn,
        staff
            .iter()
            .map(|(_, bits, w)| Member {
                organizer: organizer.clone(),
                member: w.address(),
                permissions: i32::from(*bits),
                slot: 10,
            })
            .collect::<Members>(),
    )
    .await;
    let event = key();
    let upcoming = key();
    write(
        conn,
        [
            (&event, now - 3600, now + 3600),
            (&upcoming, now + 86_400, now + 2 * 86_400),
        ]
        .into_iter()
        .map(|(pubkey, start, end)| Event {
            pubkey: pubkey.clone(),
            organizer: organizer.clone(),
            event_id: "1".into(),
            name: "Show".into(),
            uri: "https://example.com/e".into(),
            price_lamports: "1000".into(),
            supply: 100,
            sale_start: start,
            sale_end: end,
            resale_unlock: end,
            max_per_wallet: 4,
            check_in_start: start,
            check_in_end: end + 3600,
            shard_count: 2,
            shards_opened: 2,
            paused: false,
            cancelled: false,
            cancelled_at: 0,
            lamports: 1,
            slot: 10,
            approved: true,
            tier_count: 0,
            shards_reserved: 2,
            tier_serial_start: 0,
            tier_serial_end: 0,
            tiers_changed_at_proposal: "0".into(),
            resale_cap_bps: 0,
            royalty_bps: 0,
            transfers_locked: false,
        })
        .collect::<Events>(),
    )
    .await;
    write(
        conn,
        (0..2)
            .map(|index| Shard {
                pubkey: key(),
                organizer: organizer.clone(),
                event: event.clone(),
                index,
                sold: 3,
                revenue: "3000".into(),
                refunded: "0".into(),
                swept: "1000".into(),
                reserve: "0".into(),
                lamports: 1,
                slot: 10,
                tier: 255,
                currency: bitticket::constants::SOL_CURRENCY.to_string(),
                opened_by: key(),
                closed_slot: None,
            })
            .collect::<Shards>(),
    )
    .await;
    let tickets: Vec<String> = (0..6).map(|_| key()).collect();
    write(
        conn,
        tickets
            .iter()
            .zip(0i64..)
            .map(|(t, serial)| Ticket {
                pubkey: t.clone(),
                organizer: organizer.clone(),
                event: event.clone(),
                mint: key(),
                holder: if (serial as usize) < held {
                    holder.address()
                } else {
                    key()
                },
                serial,
                shard_index: 0,
                price_paid: "1000".into(),
                state: "valid".into(),
                checked_in_at: 0,
                lamports: 1,
                slot: 10 + serial,
                tier: 255,
                closed_slot: None,
            })
            .collect::<Tickets>(),
    )
    .await;
    write(
        conn,
        tickets
            .iter()
            .take(3)
            .zip(0i64..)
            .map(|(t, i)| CheckIn {
                signature: bs58::encode(rand::random::<[u8; 32]>()).into_string(),
                event_index: 0,
                slot: 20 + i,
                organizer: organizer.clone(),
                event: event.clone(),
                ticket: t.clone(),
                holder: key(),
                gatekeeper: staff[3].2.address(),
                at: now,
            })
            .collect::<CheckIns>(),
    )
    .await;
    let voter = staff[4].2.address();
    write(
        conn,
        Proposals::from_iter([Proposal {
            pubkey: key(),
            organizer: organizer.clone(),
            index: "1".into(),
            proposer: voter.clone(),
            action: serde_json::json!({ "kind": "withdraw" }),
            status: "active".into(),
            status_at: None,
            approved: serde_json::json!([voter]),
            rejected: serde_json::json!([]),
            cancelled: serde_json::json!([]),
            lamports: 1,
            slot: 10,
        }]),
    )
    .await;
    // alerts and slots have no column set (the sink's monitor and the finality tracker
    // write them with statements of their own)
    sqlx::query(
        "INSERT INTO alerts (organizer, rule, subject, slot, detail)
         VALUES ($1, 'fee_payer_fan_out', $2, 10, '{}')",
    )
    .bind(&organizer)
    .bind(key())
    .execute(&mut *conn)
    .await
    .expect("alert");
    sqlx::query("INSERT INTO slots (slot, status) VALUES (10, 'finalized') ON CONFLICT DO NOTHING")
        .execute(&mut *conn)
        .await
        .expect("slot");
    Tenant {
        organizer,
        event,
        upcoming,
        staff,
        tickets,
    }
}
