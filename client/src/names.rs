//! One spelling for every name the off-chain crates show or read: roles, spending periods,
//! votes, proposal states and ticket states. The CLI's arguments and output, the API's
//! JSON and the mirror's columns all go through this table, so a name never differs
//! between them (the CLI once wrote `one-time` and `event-manager` where the mirror and
//! the API wrote `one_time` and `event_manager`; the old spellings are still read).
use bitticket::state::{permission, Period, ProposalStatus, TicketState, Vote};

/// A name that is not one of `expected`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} {given:?}: expected {expected}")]
pub struct UnknownName {
    pub kind: &'static str,
    pub given: String,
    pub expected: String,
}

/// A program enum with one name per value: `name` writes it, `parse` reads it (and the
/// aliases of older spellings).
pub trait Named: Sized + Copy + PartialEq + 'static {
    /// What the values are, for errors ("period", "vote", ...).
    const KIND: &'static str;
    /// Each value with its name; the first entry of a value is the one written.
    const NAMES: &'static [(Self, &'static str)];
    /// Older spellings still read.
    const ALIASES: &'static [(Self, &'static str)] = &[];

    fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(v, _)| *v == self)
            .map_or("unknown", |(_, n)| n)
    }

    fn parse(s: &str) -> Result<Self, UnknownName> {
        let s = s.trim();
        Self::NAMES
            .iter()
            .chain(Self::ALIASES)
            .find(|(_, n)| *n == s)
            .map(|(v, _)| *v)
            .ok_or_else(|| UnknownName {
                kind: Self::KIND,
                given: s.to_string(),
                expected: expected(Self::NAMES.iter().map(|(_, n)| *n)),
            })
    }
}

fn expected<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    match names.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

impl Named for Period {
    const KIND: &'static str = "period";
    const NAMES: &'static [(Self, &'static str)] = &[
        (Period::OneTime, "one_time"),
        (Period::Day, "day"),
        (Period::Week, "week"),
        (Period::Month, "month"),
    ];
    const ALIASES: &'static [(Self, &'static str)] = &[(Period::OneTime, "one-time")];
}

impl Named for Vote {
    const KIND: &'static str = "vote";
    const NAMES: &'static [(Self, &'static str)] = &[
        (Vote::Approve, "approve"),
        (Vote::Reject, "reject"),
        (Vote::Cancel, "cancel"),
    ];
}

impl Named for TicketState {
    const KIND: &'static str = "ticket state";
    const NAMES: &'static [(Self, &'static str)] = &[
        (TicketState::Valid, "valid"),
        (TicketState::CheckedIn, "checked_in"),
        (TicketState::Refunded, "refunded"),
    ];
}

/// A proposal's state by name, and when it was reached (none while active).
pub fn proposal_status(s: ProposalStatus) -> (&'static str, Option<i64>) {
    match s {
        ProposalStatus::Active => ("active", None),
        ProposalStatus::Approved { at } => ("approved", Some(at)),
        ProposalStatus::Rejected { at } => ("rejected", Some(at)),
        ProposalStatus::Cancelled { at } => ("cancelled", Some(at)),
        ProposalStatus::Executed { at } => ("executed", Some(at)),
    }
}

/// A proposal's status as people should read it: an active or approved proposal made
/// before the organizer's last configuration change (`index <= stale_index`) is `stale`:
/// it can no longer be voted on or executed, only closed.
pub fn proposal_status_now(
    s: ProposalStatus,
    index: u64,
    stale_index: u64,
) -> (&'static str, Option<i64>) {
    match s {
        ProposalStatus::Active | ProposalStatus::Approved { .. } if index <= stale_index => {
            ("stale", proposal_status(s).1)
        }
        _ => proposal_status(s),
    }
}

/// The role bits by name, in bit order.
pub const ROLES: &[(&str, u8)] = &[
    ("admin", permission::ADMIN),
    ("event_manager", permission::EVENT_MANAGER),
    ("finance", permission::FINANCE),
    ("gatekeeper", permission::GATEKEEPER),
    ("propose", permission::PROPOSE),
    ("vote", permission::VOTE),
    ("execute", permission::EXECUTE),
];

/// Names that stand for several roles, or older spellings, read by `parse_roles`.
const ROLE_ALIASES: &[(&str, u8)] = &[
    ("event-manager", permission::EVENT_MANAGER),
    ("multisig", permission::MULTISIG),
    ("all", permission::ALL),
];

/// The names of the roles in `bits`, in bit order.
pub fn role_names(bits: u8) -> Vec<&'static str> {
    ROLES
        .iter()
        .filter(|(_, b)| bits & b != 0)
        .map(|(n, _)| *n)
        .collect()
}

/// `admin,event_manager,...` (also `multisig` and `all`) to the program's permission bits;
/// at least one role.
pub fn parse_roles(s: &str) -> Result<u8, UnknownName> {
    let mut bits = 0u8;
    for r in s.split(',').map(str::trim).filter(|r| !r.is_empty()) {
        bits |= ROLES
            .iter()
            .chain(ROLE_ALIASES)
            .find(|(n, _)| *n == r)
            .map(|(_, b)| *b)
            .ok_or_else(|| UnknownName {
                kind: "role",
                given: r.to_string(),
                expected: expected(ROLES.iter().map(|(n, _)| *n).chain(["multisig", "all"])),
            })?;
    }
    if bits == 0 {
        return Err(UnknownName {
            kind: "roles",
            given: s.to_string(),
            expected: "at least one role".into(),
        });
    }
    Ok(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Named + std::fmt::Debug>() {
        for (v, n) in T::NAMES {
            assert_eq!(v.name(), *n);
            assert_eq!(T::parse(n).unwrap(), *v);
        }
        let e = T::parse("nonsense").unwrap_err();
        assert_eq!(e.kind, T::KIND);
        assert!(e.to_string().contains("expected"), "{e}");
    }

    #[test]
    fn every_name_reads_back_as_its_value() {
        round_trip::<Period>();
        round_trip::<Vote>();
        round_trip::<TicketState>();
        assert_eq!(Period::parse("one-time").unwrap(), Period::OneTime);
        assert_eq!(Period::OneTime.name(), "one_time");
    }

    #[test]
    fn roles_read_and_write_one_spelling() {
        let bits = parse_roles("admin, event-manager,gatekeeper").unwrap();
        assert_eq!(role_names(bits), ["admin", "event_manager", "gatekeeper"]);
        assert_eq!(parse_roles(&role_names(bits).join(",")).unwrap(), bits);
        assert_eq!(parse_roles("all").unwrap(), permission::ALL);
        assert_eq!(parse_roles("multisig").unwrap(), permission::MULTISIG);
        assert!(parse_roles("root").is_err() && parse_roles("").is_err());
        assert_eq!(ROLES.iter().fold(0, |all, (_, b)| all | b), permission::ALL);
    }

    #[test]
    fn proposal_states_carry_their_time() {
        assert_eq!(proposal_status(ProposalStatus::Active), ("active", None));
        assert_eq!(
            proposal_status(ProposalStatus::Executed { at: 7 }),
            ("executed", Some(7))
        );
    }
}
