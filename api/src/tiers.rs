//! An event's ticket tiers as buyers see them: each with its phases (open, upcoming or
//! ended now), its price in the phase open now, what it sold and where its sale stands,
//! by the program's rules (`state/tier.rs`: a tier sells in the phase whose window holds
//! the chain's clock, through shards that issue its serials).
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, Postgres};

use crate::currency::Currency;
use crate::domain::Amount;
use crate::error::ApiError;
use crate::sale::{SaleStatus, Terms};

/// One phase as the mirror holds it (`tiers.phases`, indexer/src/decode/json.rs).
#[derive(Debug, Clone, Deserialize)]
pub struct StoredPhase {
    pub start: i64,
    pub end: i64,
    /// u64 in the tier's currency's smallest unit, as a decimal string.
    pub price: String,
    pub max_per_wallet: u16,
    /// The allow-list's Merkle root in hex; absent for a public phase.
    pub allow_list: Option<String>,
}

/// Where a phase stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PhaseStatus {
    Upcoming,
    Open,
    Ended,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PhaseView {
    pub index: u8,
    pub start: i64,
    pub end: i64,
    /// In the tier's currency's smallest unit (lamports for SOL).
    #[schema(value_type = u64)]
    pub price: u64,
    pub max_per_wallet: u16,
    /// Whether only the wallets of its allow-list may buy (with their Merkle proof).
    pub allow_listed: bool,
    /// The allow-list's root (hex), as the chain holds it.
    pub allow_list_root: Option<String>,
    pub status: PhaseStatus,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TierView {
    pub index: u8,
    pub name: String,
    pub supply: i64,
    pub max_per_wallet: i32,
    /// What its prices and sales are counted in: SOL or an SPL mint.
    pub currency: Currency,
    pub sold: i64,
    pub remaining: i64,
    /// As an event's status, with `between_phases` when its next phase has not opened.
    pub status: SaleStatus,
    /// The phase open now, if any.
    pub open_phase: Option<u8>,
    pub phases: Vec<PhaseView>,
    /// Its sales in its currency's smallest unit.
    pub sales: TierSales,
}

/// What a tier's shards took in (its tickets' prices and their resales' royalties), paid
/// back as refunds, and swept to the organizer's vault.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TierSales {
    /// `SOL` (lamports), or the SPL mint (its base units).
    pub currency: String,
    #[schema(value_type = u64)]
    pub revenue: Amount,
    #[schema(value_type = u64)]
    pub refunded: Amount,
    #[schema(value_type = u64)]
    pub swept: Amount,
}

/// One row of the `catalogue_tiers` view.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TierRow {
    pub event: String,
    pub index: i32,
    pub name: String,
    pub supply: i64,
    pub max_per_wallet: i32,
    pub phases: sqlx::types::Json<Vec<StoredPhase>>,
    pub first_shard: i32,
    pub shard_count: i32,
    pub sold: i64,
    pub shards_opened: i32,
    pub open_room: i64,
    pub revenue: Amount,
    pub refunded: Amount,
    pub swept: Amount,
    pub currency: String,
    pub currency_decimals: i32,
}

/// The columns of `TierRow`, over `catalogue_tiers`.
pub const TIER_COLUMNS: &str = "event, index, name, supply, max_per_wallet, phases, first_shard, \
     shard_count, sold, shards_opened, open_room, revenue::text AS revenue, \
     refunded::text AS refunded, swept::text AS swept, currency, currency_decimals";

impl StoredPhase {
    pub fn price(&self) -> Result<u64, ApiError> {
        self.price
            .parse()
            .map_err(|_| ApiError::internal("stored phase price"))
    }

    pub fn root(&self) -> Result<Option<[u8; 32]>, ApiError> {
        let Some(hex) = &self.allow_list else {
            return Ok(None);
        };
        parse_hex32(hex)
            .map(Some)
            .ok_or_else(|| ApiError::internal("stored allow-list root"))
    }

    fn status(&self, now: i64) -> PhaseStatus {
        if now < self.start {
            PhaseStatus::Upcoming
        } else if now < self.end {
            PhaseStatus::Open
        } else {
            PhaseStatus::Ended
        }
    }
}

/// 32 bytes from 64 hex digits.
pub fn parse_hex32(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

impl TierRow {
    /// The phase open at `now`, with its index; else the status that says why none is
    /// (the program's `TierConfig::phase_at`).
    pub fn phase_at(&self, now: i64) -> Result<(u8, &StoredPhase), SaleStatus> {
        let phases = &self.phases.0;
        if let Some(i) = phases.iter().position(|p| p.start <= now && now < p.end) {
            return Ok((u8::try_from(i).unwrap_or(u8::MAX), &phases[i]));
        }
        match phases.first() {
            Some(first) if now < first.start => Err(SaleStatus::NotStarted),
            _ if phases.iter().any(|p| now < p.start) => Err(SaleStatus::BetweenPhases),
            _ => Err(SaleStatus::Ended),
        }
    }

    /// Its status now, the event's terms first (in the program's order).
    pub fn status(&self, event: &Terms, now: i64) -> SaleStatus {
        if let s @ (SaleStatus::Cancelled | SaleStatus::NotApproved | SaleStatus::Paused) =
            event.status(now)
        {
            return s;
        }
        if let Err(s) = self.phase_at(now) {
            return s;
        }
        if self.sold >= self.supply || (self.shards_opened > 0 && self.open_room == 0) {
            SaleStatus::SoldOut
        } else {
            SaleStatus::OnSale
        }
    }

    pub fn view(&self, event: &Terms, now: i64) -> Result<TierView, ApiError> {
        let phases = self
            .phases
            .0
            .iter()
            .enumerate()
            .map(|(i, p)| {
                Ok(PhaseView {
                    index: u8::try_from(i).map_err(ApiError::internal)?,
                    start: p.start,
                    end: p.end,
                    price: p.price()?,
                    max_per_wallet: p.max_per_wallet,
                    allow_listed: p.allow_list.is_some(),
                    allow_list_root: p.allow_list.clone(),
                    status: p.status(now),
                })
            })
            .collect::<Result<_, ApiError>>()?;
        let currency = self.currency()?;
        Ok(TierView {
            index: u8::try_from(self.index).map_err(ApiError::internal)?,
            name: self.name.clone(),
            supply: self.supply,
            max_per_wallet: self.max_per_wallet,
            currency: currency.clone(),
            sold: self.sold,
            remaining: (self.supply - self.sold).max(0),
            status: self.status(event, now),
            open_phase: self.phase_at(now).ok().map(|(i, _)| i),
            phases,
            sales: TierSales {
                currency: currency.mint.clone().unwrap_or_else(|| "SOL".into()),
                revenue: self.revenue,
                refunded: self.refunded,
                swept: self.swept,
            },
        })
    }

    /// What it sells in.
    pub fn currency(&self) -> Result<Currency, ApiError> {
        Currency::stored(&self.currency, self.currency_decimals)
    }

    /// Whether its shard `index` still has a serial after `sold` sales (shard
    /// `first_shard + k` of `n` issues the tier's serials `k, k + n, ...` below its supply).
    pub fn has_room(&self, index: i32, sold: i64) -> bool {
        let k = i64::from(index - self.first_shard);
        k >= 0
            && sold
                .saturating_mul(i64::from(self.shard_count.max(1)))
                .saturating_add(k)
                < self.supply
    }
}

/// The tiers of `events`, by event, in index order.
pub async fn of_events(
    conn: &mut PgConnection,
    events: &[String],
) -> Result<HashMap<String, Vec<TierRow>>, ApiError> {
    let mut by_event: HashMap<String, Vec<TierRow>> = HashMap::new();
    if events.is_empty() {
        return Ok(by_event);
    }
    let rows: Vec<TierRow> = sqlx::query_as::<Postgres, TierRow>(&format!(
        "SELECT {TIER_COLUMNS} FROM catalogue_tiers WHERE event = ANY($1) ORDER BY event, index"
    ))
    .bind(events)
    .fetch_all(conn)
    .await?;
    for r in rows {
        by_event.entry(r.event.clone()).or_default().push(r);
    }
    Ok(by_event)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(phases: Vec<(i64, i64)>) -> TierRow {
        TierRow {
            event: "e".into(),
            index: 0,
            name: "VIP".into(),
            supply: 5,
            max_per_wallet: 2,
            phases: sqlx::types::Json(
                phases
                    .into_iter()
                    .map(|(start, end)| StoredPhase {
                        start,
                        end,
                        price: "7".into(),
                        max_per_wallet: 1,
                        allow_list: None,
                    })
                    .collect(),
            ),
            first_shard: 2,
            shard_count: 2,
            sold: 0,
            shards_opened: 1,
            open_room: 3,
            revenue: Amount(0),
            refunded: Amount(0),
            swept: Amount(0),
            currency: crate::currency::SOL.into(),
            currency_decimals: 9,
        }
    }

    fn terms() -> Terms {
        Terms {
            cancelled: false,
            approved: true,
            paused: false,
            sale_start: 0,
            sale_end: 100,
            supply: 10,
            sold: 0,
            open_room: None,
        }
    }

    #[test]
    fn a_tier_sells_in_its_open_phase_and_says_why_not_otherwise() {
        let t = row(vec![(10, 20), (30, 40)]);
        let e = terms();
        assert_eq!(t.status(&e, 9), SaleStatus::NotStarted);
        assert_eq!(t.status(&e, 10), SaleStatus::OnSale);
        assert_eq!(t.status(&e, 20), SaleStatus::BetweenPhases);
        assert_eq!(t.status(&e, 39), SaleStatus::OnSale);
        assert_eq!(t.status(&e, 40), SaleStatus::Ended);
        let paused = Terms { paused: true, ..e };
        assert_eq!(t.status(&paused, 15), SaleStatus::Paused);
        let full = TierRow {
            open_room: 0,
            ..row(vec![(10, 20)])
        };
        assert_eq!(full.status(&e, 15), SaleStatus::SoldOut);
        let v = t.view(&e, 35).unwrap();
        assert_eq!(v.open_phase, Some(1));
        assert_eq!(
            v.phases.iter().map(|p| p.status).collect::<Vec<_>>(),
            vec![PhaseStatus::Ended, PhaseStatus::Open]
        );
    }

    #[test]
    fn shard_room_follows_the_tiers_serials() {
        // supply 5 over shards 2 and 3: shard 2 issues k = 0, 2, 4; shard 3 issues 1, 3
        let t = row(vec![(10, 20)]);
        assert!(t.has_room(2, 2) && !t.has_room(2, 3));
        assert!(t.has_room(3, 1) && !t.has_room(3, 2));
        assert!(!t.has_room(1, 0));
    }

    #[test]
    fn hex_roots_parse_strictly() {
        assert_eq!(parse_hex32(&"ab".repeat(32)), Some([0xab; 32]));
        assert_eq!(parse_hex32("ab"), None);
        assert_eq!(parse_hex32(&"zz".repeat(32)), None);
    }
}
