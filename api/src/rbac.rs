//! Who may call what. Roles come from the chain (the member permission bits the indexer
//! mirrors), plus `holder` (any signed-in wallet, for what it holds) and `service`.
//! Each route declares its `Access` in `routes::TABLE`; `middleware::authorize` enforces it.
use bitticket::state::permission;
use serde::Serialize;

use crate::auth::tokens::Identity;
use crate::domain::AccountAddress;

/// What a route requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// No token (health, the documents, and the sign-in steps that produce one).
    Public,
    /// No token needed (the public catalogue): an anonymous caller spends a caller's
    /// budget kept per client address; a token, when sent, must be valid, and then the
    /// caller's own budgets apply.
    Anyone,
    /// Any valid token, a wallet's or a service's.
    Signed,
    /// A signed-in wallet (not a service): its own tickets and sign-in state.
    Holder,
    /// A member of the organizer named in the path holding any of these role bits, or a
    /// service allowed that organizer.
    Staff(u8),
}

/// Role bits by name, as the README and error messages speak of them (the one table of
/// the client library, shared with the CLI and the mirror).
pub use bitticket_client::names::ROLES;

pub const ANY_MEMBER: u8 = permission::ALL;
pub const EVENT_STAFF: u8 = permission::ADMIN | permission::EVENT_MANAGER | permission::GATEKEEPER;
pub const MONEY: u8 = permission::ADMIN | permission::FINANCE | permission::MULTISIG;
pub const MANAGERS: u8 = permission::ADMIN | permission::EVENT_MANAGER;
/// The gate: the chain's `check_in` requires the gatekeeper bit, and so does the API (one
/// rule, the program's: an admin or event manager without it would get an admit the chain
/// then refuses).
pub const GATE: u8 = permission::GATEKEEPER;

/// The names of the role bits in `bits`.
pub use bitticket_client::names::role_names;

/// The caller as the handlers see it, once authorised: who, and the tenant the route
/// acts for (set only on staff routes, after the role check).
#[derive(Debug, Clone)]
pub struct Caller {
    pub identity: Identity,
    pub tenant: Option<AccountAddress>,
    pub source: Option<String>,
}

impl Caller {
    pub fn wallet(&self) -> Option<AccountAddress> {
        match &self.identity {
            Identity::Wallet(w) => Some(*w),
            Identity::Service { .. } => None,
        }
    }

    /// The row-level-security scope of this caller.
    pub fn scope(&self) -> crate::db::Scope {
        crate::db::Scope {
            wallet: self.wallet(),
            tenant: self.tenant,
        }
    }
}
