//! A proposal's action in words, as `vault propose`, `vault execute` and `vault show` say it.
use bitticket::state::ProposalAction;
use bitticket_client::names::role_names;

use crate::output::{sol as show_sol, time};

/// A proposal's action in words (every action: a new one must be described here).
pub fn describe(a: &ProposalAction) -> String {
    match a {
        ProposalAction::WithdrawSol {
            destination,
            amount,
        } => format!("withdraw {} SOL to {destination}", show_sol(*amount)),
        ProposalAction::WithdrawToken {
            mint,
            destination,
            amount,
        } => format!(
            "withdraw {amount} base units of the token {mint} to the token account {destination}"
        ),
        ProposalAction::AddMember { member } => format!(
            "add {} as {}",
            member.key,
            role_names(member.permissions).join(", ")
        ),
        ProposalAction::RemoveMember { key } => format!("remove {key}"),
        ProposalAction::SetPermissions { key, permissions } => {
            format!(
                "set the roles of {key} to {}",
                role_names(*permissions).join(",")
            )
        }
        ProposalAction::UnfreezeSpendingLimit { id } => format!("unfreeze spending limit {id}"),
        ProposalAction::SetThreshold { threshold } => format!("threshold {threshold}"),
        ProposalAction::SetTimeLock { seconds } => format!("time-lock {seconds} s"),
        ProposalAction::AddSpendingLimit { limit } => format!(
            "spending limit {}: {} per {:?} for {} member(s)",
            limit.id,
            show_sol(limit.amount),
            limit.period,
            limit.members.len()
        ),
        ProposalAction::RemoveSpendingLimit { id } => format!("remove spending limit {id}"),
        ProposalAction::SetOutflowCap { amount, period, .. } => {
            format!("outflow cap {} SOL per {period:?}", show_sol(*amount))
        }
        ProposalAction::UpdateEvent { event, config: c } => format!(
            "update event {event} and approve its terms: {:?}, {} SOL, {} tickets, at most {} \
             per wallet, sale {} to {}, resale from {}, check-in {} to {}",
            c.name,
            show_sol(c.price_lamports),
            c.supply,
            c.max_per_wallet,
            time(c.sale_start),
            time(c.sale_end),
            time(c.resale_unlock),
            time(c.check_in_start),
            time(c.check_in_end)
        ),
        ProposalAction::CancelEvent { event } => {
            format!("cancel event {event} (its holders can then claim refunds)")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bitticket::state::EventConfig;
    use solana_address::Address;

    #[test]
    fn event_and_token_actions_are_said_in_words() {
        let (event, mint, to) = (
            Address::new_unique(),
            Address::new_unique(),
            Address::new_unique(),
        );
        assert_eq!(
            describe(&ProposalAction::CancelEvent { event }),
            format!("cancel event {event} (its holders can then claim refunds)")
        );
        let config = EventConfig {
            price_lamports: 100_000_000,
            supply: 5,
            sale_start: 0,
            sale_end: 60,
            resale_unlock: 60,
            max_per_wallet: 2,
            check_in_start: 0,
            check_in_end: 86_460,
            name: "Gig".into(),
            uri: String::new(),
        };
        let update = describe(&ProposalAction::UpdateEvent { event, config });
        assert!(
            update.starts_with(&format!(
                "update event {event} and approve its terms: \"Gig\", 0.1 SOL, 5 tickets, at most 2 per wallet, sale 1970-01-01T00:00:00Z to 1970-01-01T00:01:00Z"
            )),
            "{update}"
        );
        assert!(update.ends_with("check-in 1970-01-01T00:00:00Z to 1970-01-02T00:01:00Z"));
        let withdraw = describe(&ProposalAction::WithdrawToken {
            mint,
            destination: to,
            amount: 1_500_000,
        });
        assert_eq!(
            withdraw,
            format!("withdraw 1500000 base units of the token {mint} to the token account {to}")
        );
    }
}
