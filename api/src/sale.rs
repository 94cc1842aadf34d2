//! Where an event's sale stands, from the mirror's figures and a clock: the catalogue's
//! `status`, and the 409 a purchase gets before any transaction is built. The order is the
//! program's own (`instructions/purchase.rs`, `validate`): a purchase now would meet the
//! first of these that holds, so the status says why it would be refused.
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::error::ApiError;

/// An event's sale, as a buyer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SaleStatus {
    /// A purchase now would be accepted (as far as the mirror knows).
    OnSale,
    Cancelled,
    /// Its sale terms wait for the organizer's multisig to approve them.
    NotApproved,
    Paused,
    NotStarted,
    Ended,
    /// Every ticket of the supply is sold.
    SoldOut,
    /// A tier's: its last phase closed and its next one has not opened.
    BetweenPhases,
}

/// What the status is decided from: the event's terms and its tickets sold.
#[derive(Debug, Clone, Copy)]
pub struct Terms {
    pub cancelled: bool,
    pub approved: bool,
    pub paused: bool,
    pub sale_start: i64,
    pub sale_end: i64,
    pub supply: i64,
    pub sold: i64,
    /// What the opened shards can still issue, when known: none left is sold out to a
    /// buyer now, whatever unopened shards hold (the purchase finds no shard with room).
    pub open_room: Option<i64>,
}

impl Terms {
    /// The sale's status at `now` (unix seconds).
    pub fn status(&self, now: i64) -> SaleStatus {
        if self.cancelled {
            SaleStatus::Cancelled
        } else if !self.approved {
            SaleStatus::NotApproved
        } else if self.paused {
            SaleStatus::Paused
        } else if now < self.sale_start {
            SaleStatus::NotStarted
        } else if now >= self.sale_end {
            SaleStatus::Ended
        } else if self.sold >= self.supply || self.open_room == Some(0) {
            SaleStatus::SoldOut
        } else {
            SaleStatus::OnSale
        }
    }

    /// Tickets still to sell (never below zero).
    pub fn remaining(&self) -> i64 {
        (self.supply - self.sold).max(0)
    }

    /// Why a purchase at `now` (the chain's clock) is refused: `None` while on sale.
    pub fn refusal(&self, now: i64) -> Option<ApiError> {
        let (code, message) = match self.status(now) {
            SaleStatus::OnSale => return None,
            SaleStatus::Cancelled => ("event_cancelled", "the event is cancelled".to_string()),
            SaleStatus::NotApproved => (
                "event_not_approved",
                "the event's sale terms are not approved yet".to_string(),
            ),
            SaleStatus::Paused => ("sale_paused", "the sale is paused".to_string()),
            SaleStatus::NotStarted => (
                "sale_not_started",
                format!(
                    "the sale starts at {} ({} s from now by the chain's clock)",
                    rfc3339(self.sale_start),
                    self.sale_start - now
                ),
            ),
            SaleStatus::Ended => (
                "sale_ended",
                format!("the sale ended at {}", rfc3339(self.sale_end)),
            ),
            SaleStatus::SoldOut => (
                "sold_out",
                format!("the event is sold out ({} of {})", self.sold, self.supply),
            ),
            // an event has no phases; a tier's refusal says this itself
            SaleStatus::BetweenPhases => {
                ("between_phases", "no sale phase is open now".to_string())
            }
        };
        Some(ApiError::Conflict { code, message })
    }
}

fn rfc3339(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| unix.to_string())
}

/// Availability as the catalogue shows it.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct Availability {
    pub status: SaleStatus,
    pub sold: i64,
    pub remaining: i64,
}

impl Availability {
    pub fn of(terms: &Terms, now: i64) -> Self {
        Availability {
            status: terms.status(now),
            sold: terms.sold,
            remaining: terms.remaining(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on_sale() -> Terms {
        Terms {
            cancelled: false,
            approved: true,
            paused: false,
            sale_start: 100,
            sale_end: 200,
            supply: 10,
            sold: 3,
            open_room: None,
        }
    }

    #[test]
    fn full_opened_shards_are_sold_out_now() {
        let t = on_sale();
        assert_eq!(
            Terms {
                open_room: Some(0),
                ..t
            }
            .status(150),
            SaleStatus::SoldOut
        );
        assert_eq!(
            Terms {
                open_room: Some(1),
                ..t
            }
            .status(150),
            SaleStatus::OnSale
        );
        // still 7 to sell overall, once more shards open
        assert_eq!(
            Terms {
                open_room: Some(0),
                ..t
            }
            .remaining(),
            7
        );
    }

    #[test]
    fn the_status_follows_the_programs_order() {
        let t = on_sale();
        assert_eq!(t.status(150), SaleStatus::OnSale);
        assert_eq!(t.status(99), SaleStatus::NotStarted);
        assert_eq!(t.status(100), SaleStatus::OnSale);
        assert_eq!(t.status(200), SaleStatus::Ended);
        let sold_out = Terms { sold: 10, ..t };
        assert_eq!(sold_out.status(150), SaleStatus::SoldOut);
        assert_eq!(sold_out.remaining(), 0);
        // the program checks the window before the supply
        assert_eq!(sold_out.status(250), SaleStatus::Ended);
        let paused = Terms {
            paused: true,
            ..sold_out
        };
        assert_eq!(paused.status(150), SaleStatus::Paused);
        let unapproved = Terms {
            approved: false,
            ..paused
        };
        assert_eq!(unapproved.status(150), SaleStatus::NotApproved);
        let cancelled = Terms {
            cancelled: true,
            ..unapproved
        };
        assert_eq!(cancelled.status(150), SaleStatus::Cancelled);
    }

    #[test]
    fn a_refusal_names_its_code_and_times() {
        let t = on_sale();
        assert!(t.refusal(150).is_none());
        let code = |e: Option<ApiError>| e.map(|e| (e.code(), e.to_string()));
        let (c, m) = code(t.refusal(40)).unwrap();
        assert_eq!(c, "sale_not_started");
        assert!(
            m.contains("1970-01-01T00:01:40Z") && m.contains("60 s"),
            "{m}"
        );
        assert_eq!(code(t.refusal(300)).unwrap().0, "sale_ended");
        let (c, m) = code(Terms { sold: 12, ..t }.refusal(150)).unwrap();
        assert_eq!(
            (c, m.as_str()),
            ("sold_out", "the event is sold out (12 of 10)")
        );
        assert_eq!(Terms { sold: 12, ..t }.remaining(), 0);
    }
}
