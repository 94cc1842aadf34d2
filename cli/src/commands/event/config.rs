//! An event's configuration as the options set it (`event create`, `event update`) and as
//! the output shows it.
use bitticket::state::EventConfig;
use clap::Args;
use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::args::{sol, when, When};
use crate::error::CliError;

/// What `event create` says of times and defaults under its options.
pub const CREATE_HELP: &str = "\
Times (TIME): `now`, `+90s` / `+2h30m` (from the cluster's clock), unix seconds, or RFC 3339
(`2027-05-01T20:00:00Z`).

Required: --name, --price, --supply, --sale-end. Defaults: the sale from now; resale from the
sale's end; check-in from the sale's start until a day after the sale's end (or after
--check-in-start, if later), so the doors stay open after sales close; 10 tickets per wallet;
1 shard.";

/// An event's options, all optional here (`event update`, `vault propose ... update-event`
/// change only those given; `event create` requires some of them).
#[derive(Args, Debug, Default)]
pub struct ConfigArgs {
    /// The event's name (1 to 64 bytes).
    #[arg(long)]
    pub name: Option<String>,
    /// Ticket price in SOL (`0.1`).
    #[arg(long, value_name = "SOL", value_parser = sol("--price"))]
    pub price: Option<u64>,
    /// Tickets on sale.
    #[arg(long, value_name = "N")]
    pub supply: Option<u32>,
    /// When the sale opens [create: now].
    #[arg(long, value_name = "TIME", value_parser = when("sale-start"))]
    pub sale_start: Option<When>,
    /// When the sale closes.
    #[arg(long, value_name = "TIME", value_parser = when("sale-end"))]
    pub sale_end: Option<When>,
    /// Tickets can be transferred from then on [create: the sale's end].
    #[arg(long, value_name = "TIME", value_parser = when("resale-unlock"))]
    pub resale_unlock: Option<When>,
    /// Tickets one wallet may buy [create: 10].
    #[arg(long, value_name = "N")]
    pub max_per_wallet: Option<u16>,
    /// When the doors open [create: the sale's start].
    #[arg(long, value_name = "TIME", value_parser = when("check-in-start"))]
    pub check_in_start: Option<When>,
    /// When the doors close [create: a day after the sale's end].
    #[arg(long, value_name = "TIME", value_parser = when("check-in-end"))]
    pub check_in_end: Option<When>,
    /// The base of its tickets' metadata URIs (at most 200 bytes): each ticket's mint
    /// names this followed by its serial, so point it at an API's `/v1/metadata/EVENT/`
    /// for wallets to show the tickets.
    #[arg(long)]
    pub uri: Option<String>,
}

/// How long check-in stays open after the sale's end unless `--check-in-end` says.
pub const CHECK_IN_AFTER_SALE: i64 = bitticket::constants::SECONDS_PER_DAY as i64;

impl ConfigArgs {
    /// `c` with the options given applied, times against the cluster's clock `now`.
    pub fn apply(&self, mut c: EventConfig, now: i64) -> Result<EventConfig, CliError> {
        let t = |what: &str, v: &Option<When>| v.as_ref().map(|w| w.at(what, now)).transpose();
        if let Some(p) = self.price {
            c.price_lamports = p;
        }
        if let Some(s) = self.supply {
            c.supply = s;
        }
        if let Some(v) = t("sale-start", &self.sale_start)? {
            c.sale_start = v;
        }
        if let Some(v) = t("sale-end", &self.sale_end)? {
            c.sale_end = v;
        }
        if let Some(v) = t("resale-unlock", &self.resale_unlock)? {
            c.resale_unlock = v;
        }
        if let Some(v) = self.max_per_wallet {
            c.max_per_wallet = v;
        }
        if let Some(v) = t("check-in-start", &self.check_in_start)? {
            c.check_in_start = v;
        }
        if let Some(v) = t("check-in-end", &self.check_in_end)? {
            c.check_in_end = v;
        }
        if let Some(v) = &self.name {
            c.name = v.clone();
        }
        if let Some(v) = &self.uri {
            c.uri = v.clone();
        }
        Ok(c)
    }

    /// A new event's configuration: required options, then the defaults (sale from now,
    /// check-in from the sale's start until a day after the later of the sale's end and the
    /// check-in's start, resale from the sale's end, 10 tickets per wallet).
    pub fn create(&self, now: i64) -> Result<EventConfig, CliError> {
        let need = |what: &str| CliError::Invalid(format!("event create needs --{what}"));
        let price = self.price.ok_or_else(|| need("price"))?;
        let supply = self.supply.ok_or_else(|| need("supply"))?;
        let name = self.name.clone().ok_or_else(|| need("name"))?;
        let sale_start = self
            .sale_start
            .as_ref()
            .unwrap_or(&When::Now)
            .at("sale-start", now)?;
        let sale_end = self
            .sale_end
            .as_ref()
            .ok_or_else(|| need("sale-end"))?
            .at("sale-end", now)?;
        let check_in_start = match &self.check_in_start {
            Some(w) => w.at("check-in-start", now)?,
            None => sale_start,
        };
        let check_in_end = match &self.check_in_end {
            Some(w) => w.at("check-in-end", now)?,
            None => sale_end
                .max(check_in_start)
                .checked_add(CHECK_IN_AFTER_SALE)
                .ok_or_else(|| CliError::Invalid("--sale-end: too far".into()))?,
        };
        let base = EventConfig {
            price_lamports: price,
            supply,
            sale_start,
            sale_end,
            resale_unlock: sale_end,
            max_per_wallet: 10,
            check_in_start,
            check_in_end,
            name,
            uri: String::new(),
        };
        self.apply(base, now)
    }
}

/// An event's configuration as JSON shows it (the program's own type, its fields by name).
#[derive(Debug, Clone)]
pub struct ConfigView(pub EventConfig);

impl Serialize for ConfigView {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = &self.0;
        let mut m = s.serialize_struct("EventConfig", 10)?;
        m.serialize_field("name", &c.name)?;
        m.serialize_field("uri", &c.uri)?;
        m.serialize_field("price_lamports", &c.price_lamports)?;
        m.serialize_field("supply", &c.supply)?;
        m.serialize_field("sale_start", &c.sale_start)?;
        m.serialize_field("sale_end", &c.sale_end)?;
        m.serialize_field("resale_unlock", &c.resale_unlock)?;
        m.serialize_field("max_per_wallet", &c.max_per_wallet)?;
        m.serialize_field("check_in_start", &c.check_in_start)?;
        m.serialize_field("check_in_end", &c.check_in_end)?;
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_apply_over_defaults_and_the_json_names_every_field() {
        let args = ConfigArgs {
            price: Some(5),
            supply: Some(2),
            name: Some("x".into()),
            sale_end: Some(When::In(60, "+1m".into())),
            ..ConfigArgs::default()
        };
        let c = args.create(100).unwrap();
        assert_eq!((c.sale_start, c.sale_end, c.resale_unlock), (100, 160, 160));
        // the doors stay open a day after sales close
        let day = CHECK_IN_AFTER_SALE;
        assert_eq!(
            (c.check_in_start, c.check_in_end, c.max_per_wallet),
            (100, 160 + day, 10)
        );
        let e = ConfigArgs::default().create(0).unwrap_err().to_string();
        assert_eq!(e, "event create needs --price");
        let json = serde_json::to_value(ConfigView(c)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "name": "x", "uri": "", "price_lamports": 5, "supply": 2, "sale_start": 100,
                "sale_end": 160, "resale_unlock": 160, "max_per_wallet": 10,
                "check_in_start": 100, "check_in_end": 160 + day,
            })
        );
    }
}
