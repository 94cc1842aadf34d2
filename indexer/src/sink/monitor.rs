//! Monitoring rules, run in each batch's transaction over the purchases of its slots;
//! what they find goes to `alerts` (one row per rule, subject and slot), which the API
//! serves to the organizer's managers.
use sqlx::{Postgres, Transaction};

use super::{lamports, SinkError};
use crate::decode::DecodedTx;

type Tx<'a, 'b> = &'a mut Transaction<'b, Postgres>;

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
