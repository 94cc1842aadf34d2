//! Every table of the schema in one registry: its name, its primary key and its kind. The
//! sink, `verify`, `rebuild`, the fork undo and the tests read their table lists from
//! here; `tests/registry.rs` checks the registry against the migrated database.

/// What a table holds, which decides who writes it and how it is undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The newest state of one program (or vault) account per row, slot-guarded; compared
    /// with the chain by `verify accounts`.
    Account,
    /// Rows that belong to a slot: finalized together, deleted together when a fork drops it.
    History,
    /// The indexer's own bookkeeping (checkpoints, slots, errors, alerts).
    Indexer,
    /// The API's own state (sign-in, sessions, audit, QR keys, admissions); never emptied
    /// by `rebuild`.
    Api,
}

/// One table: its name, its primary key's columns and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    pub name: &'static str,
    pub key: &'static [&'static str],
    pub kind: Kind,
}

impl Table {
    /// The key as one text value per row (`organizer || ':' || member`), for comparing rows.
    pub fn key_text(&self) -> String {
        self.key.join(" || ':' || ")
    }

    /// The key's columns as a list (`organizer, member`), for `ORDER BY` and `DISTINCT`.
    pub fn key_list(&self) -> String {
        self.key.join(", ")
    }
}

const fn t(name: &'static str, key: &'static [&'static str], kind: Kind) -> Table {
    Table { name, key, kind }
}

const PUBKEY: &[&str] = &["pubkey"];
const EVENT_ROW: &[&str] = &["signature", "event_index"];

/// Every table the migrations create. Account tables come children first (members before
/// organizers), so that deleting in this order never leaves a child behind.
pub const TABLES: &[Table] = &[
    // accounts
    t("members", &["organizer", "member"], Kind::Account),
    t("spending_limits", &["organizer", "limit_id"], Kind::Account),
    t("outflow_caps", &["organizer", "mint"], Kind::Account),
    t("vaults", &["address"], Kind::Account),
    t("listings", PUBKEY, Kind::Account),
    t("tickets", PUBKEY, Kind::Account),
    t("buyer_records", PUBKEY, Kind::Account),
    t("shards", PUBKEY, Kind::Account),
    t("tiers", PUBKEY, Kind::Account),
    t("proposals", PUBKEY, Kind::Account),
    t("events", PUBKEY, Kind::Account),
    t("organizers", PUBKEY, Kind::Account),
    // history: one row per program event (or transaction), keyed by where it was logged
    t("event_log", EVENT_ROW, Kind::History),
    t("purchases", EVENT_ROW, Kind::History),
    t("transfers", EVENT_ROW, Kind::History),
    t("resales", EVENT_ROW, Kind::History),
    t("check_ins", EVENT_ROW, Kind::History),
    t("refunds", EVENT_ROW, Kind::History),
    t("sweeps", EVENT_ROW, Kind::History),
    t("member_changes", EVENT_ROW, Kind::History),
    t("votes", EVENT_ROW, Kind::History),
    t("executions", EVENT_ROW, Kind::History),
    t("spending_limit_uses", EVENT_ROW, Kind::History),
    t("transactions", &["signature"], Kind::History),
    // the indexer's bookkeeping
    t("checkpoints", &["stream"], Kind::Indexer),
    t("slots", &["slot"], Kind::Indexer),
    t("ingest_errors", &["id"], Kind::Indexer),
    t("alerts", &["id"], Kind::Indexer),
    // the API's
    t("auth_nonces", &["nonce"], Kind::Api),
    t("refresh_tokens", &["hash"], Kind::Api),
    t("audit_log", &["id"], Kind::Api),
    t("qr_keys", &["kid"], Kind::Api),
    t("admissions", &["ticket"], Kind::Api),
    t("wallet_not_before", &["wallet"], Kind::Api),
    t("allow_lists", &["event", "tier", "phase"], Kind::Api),
    t("event_display", &["event"], Kind::Api),
];

/// The tables of one kind, in registry order.
pub fn of(kind: Kind) -> impl Iterator<Item = &'static Table> {
    TABLES.iter().filter(move |t| t.kind == kind)
}

/// The names of the tables of one kind, in registry order.
pub fn names(kind: Kind) -> Vec<&'static str> {
    of(kind).map(|t| t.name).collect()
}

/// The table called `name`.
pub fn get(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

/// Everything `rebuild` empties: the mirror and the indexer's bookkeeping, never the API's.
pub fn mirror() -> Vec<&'static str> {
    TABLES
        .iter()
        .filter(|t| t.kind != Kind::Api)
        .map(|t| t.name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_keys_render() {
        let mut names: Vec<_> = TABLES.iter().map(|t| t.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), TABLES.len());
        let members = get("members").unwrap();
        assert_eq!(members.key_text(), "organizer || ':' || member");
        assert_eq!(members.key_list(), "organizer, member");
        assert_eq!(names_of_kind_count(), (12, 12));
        assert!(!mirror().contains(&"audit_log") && mirror().contains(&"alerts"));
    }

    fn names_of_kind_count() -> (usize, usize) {
        (names(Kind::Account).len(), names(Kind::History).len())
    }
}
