//! The vault as `vault show` tells it: balance, governance, spending limits, proposals.
use bitticket::state::{Organizer, Proposal};
use bitticket_client::names::proposal_status_now;
use serde::Serialize;
use solana_address::Address;

use super::describe::describe;
use crate::output::{b58, b58_all, sol, time, Render};

#[derive(Debug, Serialize)]
pub struct LimitView {
    pub id: u8,
    pub amount_lamports: u64,
    pub remaining_lamports: u64,
    pub period: String,
    pub frozen: bool,
    #[serde(serialize_with = "b58_all")]
    pub members: Vec<Address>,
}

#[derive(Debug, Serialize)]
pub struct ProposalView {
    pub index: u64,
    pub action: String,
    pub status: &'static str,
    pub at: Option<i64>,
    pub approved: usize,
    pub rejected: usize,
    #[serde(serialize_with = "b58")]
    pub proposer: Address,
}

#[derive(Debug, Serialize)]
pub struct Shown {
    #[serde(serialize_with = "b58")]
    pub organizer: Address,
    #[serde(serialize_with = "b58")]
    pub vault: Address,
    pub vault_lamports: u64,
    pub threshold: u16,
    pub time_lock_seconds: u32,
    pub spending_limits: Vec<LimitView>,
    pub proposals: Vec<ProposalView>,
    #[serde(skip)]
    pub voters: usize,
}

impl Shown {
    /// `proposals` in index order.
    pub fn of(
        organizer: Address,
        o: &Organizer,
        vault: Address,
        vault_lamports: u64,
        proposals: &[Proposal],
    ) -> Self {
        Self {
            organizer,
            vault,
            vault_lamports,
            threshold: o.threshold,
            time_lock_seconds: o.time_lock,
            spending_limits: o
                .spending_limits
                .iter()
                .map(|l| LimitView {
                    id: l.config.id,
                    amount_lamports: l.config.amount,
                    remaining_lamports: l.remaining,
                    period: format!("{:?}", l.config.period),
                    frozen: l.frozen,
                    members: l.config.members.clone(),
                })
                .collect(),
            proposals: proposals
                .iter()
                .map(|p| {
                    let (status, at) =
                        proposal_status_now(p.status, p.index, o.stale_transaction_index);
                    ProposalView {
                        index: p.index,
                        action: describe(&p.action),
                        status,
                        at,
                        approved: p.approved.len(),
                        rejected: p.rejected.len(),
                        proposer: p.proposer,
                    }
                })
                .collect(),
            voters: o.voter_count(),
        }
    }
}

impl Render for Shown {
    fn human(&self) -> Vec<String> {
        let mut lines = vec![
            format!("vault {}: {} SOL", self.vault, sol(self.vault_lamports)),
            format!(
                "{}-of-{} voters, time-lock {} s",
                self.threshold, self.voters, self.time_lock_seconds
            ),
        ];
        lines.extend(self.spending_limits.iter().map(|l| {
            format!(
                "limit {}: {} of {} SOL left per {}",
                l.id,
                sol(l.remaining_lamports),
                sol(l.amount_lamports),
                l.period
            )
        }));
        lines.extend(self.proposals.iter().map(|p| {
            format!(
                "proposal {}: {} [{}{}] {} approval(s), {} rejection(s)",
                p.index,
                p.action,
                p.status,
                p.at.map(|t| format!(" {}", time(t))).unwrap_or_default(),
                p.approved,
                p.rejected
            )
        }));
        lines
    }
}
