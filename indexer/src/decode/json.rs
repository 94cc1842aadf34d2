//! Decoded events and proposal actions as JSON, for the raw event log and `action`
//! columns. Addresses in base58, amounts as numbers (u64 above 2^53 as strings).
use bitticket::state::{
    Period, Phase, ProposalAction, ProposalStatus, SpendingLimitConfig, TierPurchases, Vote,
};
use bitticket_client::names::{self, Named};
use serde_json::{json, Value};

use super::ProgramEvent;

fn u64v(v: u64) -> Value {
    if v < (1 << 53) {
        json!(v)
    } else {
        json!(v.to_string())
    }
}

pub fn period(p: Period) -> &'static str {
    p.name()
}

pub fn vote(v: Vote) -> &'static str {
    v.name()
}

/// The status name and the time it was reached.
pub fn status(s: ProposalStatus) -> (&'static str, Option<i64>) {
    names::proposal_status(s)
}

fn limit(l: &SpendingLimitConfig) -> Value {
    json!({
        "id": l.id, "mint": l.mint.to_string(), "amount": u64v(l.amount), "period": period(l.period),
        "members": l.members.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
        "destinations": l.destinations.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
    })
}

pub fn action(a: &ProposalAction) -> Value {
    use ProposalAction as A;
    match a {
        A::WithdrawSol {
            destination,
            amount,
        } => json!({"kind": "withdraw_sol",
            "destination": destination.to_string(), "amount": u64v(*amount)}),
        A::WithdrawToken {
            mint,
            destination,
            amount,
        } => json!({"kind": "withdraw_token",
            "mint": mint.to_string(), "destination": destination.to_string(), "amount": u64v(*amount)}),
        A::AddMember { member } => json!({"kind": "add_member",
            "member": member.key.to_string(), "permissions": member.permissions}),
        A::RemoveMember { key } => json!({"kind": "remove_member", "member": key.to_string()}),
        A::SetPermissions { key, permissions } => json!({"kind": "set_permissions",
            "member": key.to_string(), "permissions": permissions}),
        A::UnfreezeSpendingLimit { id } => {
            json!({"kind": "unfreeze_spending_limit", "id": id})
        }
        A::SetThreshold { threshold } => json!({"kind": "set_threshold", "threshold": threshold}),
        A::SetTimeLock { seconds } => json!({"kind": "set_time_lock", "seconds": seconds}),
        A::AddSpendingLimit { limit: l } => {
            json!({"kind": "add_spending_limit", "limit": limit(l)})
        }
        A::RemoveSpendingLimit { id } => json!({"kind": "remove_spending_limit", "id": id}),
        A::SetOutflowCap {
            mint,
            amount,
            period: p,
        } => json!({"kind": "set_outflow_cap",
            "mint": mint.to_string(), "amount": u64v(*amount), "period": period(*p)}),
        A::UpdateEvent { event, config: c } => {
            json!({"kind": "update_event", "event": event.to_string(),
            "config": {"name": c.name, "uri": c.uri, "price_lamports": u64v(c.price_lamports),
            "supply": c.supply, "sale_start": c.sale_start, "sale_end": c.sale_end,
            "resale_unlock": c.resale_unlock, "max_per_wallet": c.max_per_wallet,
            "check_in_start": c.check_in_start, "check_in_end": c.check_in_end}})
        }
        A::CancelEvent { event } => json!({"kind": "cancel_event", "event": event.to_string()}),
    }
}

/// A tier's phases as the mirror and the API show them: the price as a decimal string
/// (u64), the allow-list root in hex, or null for a public phase.
pub fn phases(phases: &[Phase]) -> Value {
    Value::Array(
        phases
            .iter()
            .map(|p| {
                json!({"start": p.start, "end": p.end, "price": p.price.to_string(),
                    "max_per_wallet": p.max_per_wallet,
                    "allow_list": p.is_allow_listed().then(|| hex(&p.allow_list))})
            })
            .collect(),
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A buyer record's per-tier counts.
pub fn tier_purchases(tiers: &[TierPurchases]) -> Value {
    Value::Array(
        tiers
            .iter()
            .map(|t| json!({"bought": t.bought, "phase": t.phase, "in_phase": t.in_phase}))
            .collect(),
    )
}

pub fn event(e: &ProgramEvent) -> Value {
    use ProgramEvent as E;
    match e {
        E::OrganizerCreated(e) => json!({"organizer": e.organizer.to_string(),
            "creator": e.creator.to_string(), "organizer_id": u64v(e.organizer_id)}),
        E::MemberAdded(e) => {
            json!({"organizer": e.organizer.to_string(), "member": e.member.to_string(),
            "permissions": e.permissions, "by": e.by.to_string()})
        }
        E::MemberRemoved(e) => json!({"organizer": e.organizer.to_string(),
            "member": e.member.to_string(), "by": e.by.to_string()}),
        E::EventConfigured(e) => {
            json!({"organizer": e.organizer.to_string(), "event": e.event.to_string(),
            "event_id": u64v(e.event_id), "name": e.name, "uri": e.uri,
            "price_lamports": u64v(e.price_lamports), "supply": e.supply, "sale_start": e.sale_start,
            "sale_end": e.sale_end, "resale_unlock": e.resale_unlock, "max_per_wallet": e.max_per_wallet,
            "check_in_start": e.check_in_start, "check_in_end": e.check_in_end, "shard_count": e.shard_count,
            "approved": e.approved})
        }
        E::TierConfigured(e) => json!({"event": e.event.to_string(), "tier": e.tier.to_string(),
            "index": e.index, "serial_base": e.serial_base, "serial_span": e.serial_span,
            "first_shard": e.first_shard, "shard_count": e.shard_count,
            "name": e.config.name, "supply": e.config.supply,
            "max_per_wallet": e.config.max_per_wallet, "phases": phases(&e.config.phases)}),
        E::ShardOpened(e) => json!({"event": e.event.to_string(), "shard": e.shard.to_string(),
            "index": e.index, "tier": e.tier}),
        E::EventPauseChanged(e) => {
            json!({"event": e.event.to_string(), "paused": e.paused, "by": e.by.to_string()})
        }
        E::EventCancelled(e) => {
            json!({"event": e.event.to_string(), "by": e.by.to_string(), "at": e.at})
        }
        E::TicketPurchased(e) => json!({"event": e.event.to_string(), "shard": e.shard.to_string(),
            "ticket": e.ticket.to_string(), "mint": e.mint.to_string(), "buyer": e.buyer.to_string(),
            "serial": e.serial, "price_lamports": u64v(e.price_lamports), "shard_sold": e.shard_sold,
            "shard_revenue": u64v(e.shard_revenue), "tier": e.tier, "phase": e.phase}),
        E::TicketTransferred(e) => {
            json!({"event": e.event.to_string(), "ticket": e.ticket.to_string(),
            "mint": e.mint.to_string(), "from": e.from.to_string(), "to": e.to.to_string()})
        }
        E::ResaleTermsSet(e) => json!({"event": e.event.to_string(),
            "cap_bps": e.terms.cap_bps, "royalty_bps": e.terms.royalty_bps,
            "transfers_locked": e.terms.transfers_locked}),
        E::TicketListed(e) => json!({"event": e.event.to_string(), "ticket": e.ticket.to_string(),
            "listing": e.listing.to_string(), "mint": e.mint.to_string(),
            "seller": e.seller.to_string(), "price": u64v(e.price)}),
        E::TicketDelisted(e) => {
            json!({"event": e.event.to_string(), "ticket": e.ticket.to_string(),
            "listing": e.listing.to_string(), "seller": e.seller.to_string(), "void": e.void})
        }
        E::ListingSold(e) => json!({"event": e.event.to_string(), "ticket": e.ticket.to_string(),
            "listing": e.listing.to_string(), "mint": e.mint.to_string(),
            "seller": e.seller.to_string(), "buyer": e.buyer.to_string(),
            "shard": e.shard.to_string(), "price": u64v(e.price), "royalty": u64v(e.royalty)}),
        E::TicketCheckedIn(e) => {
            json!({"event": e.event.to_string(), "ticket": e.ticket.to_string(),
            "holder": e.holder.to_string(), "gatekeeper": e.gatekeeper.to_string(), "at": e.at})
        }
        E::TicketRefunded(e) => {
            json!({"event": e.event.to_string(), "ticket": e.ticket.to_string(),
            "shard": e.shard.to_string(), "holder": e.holder.to_string(), "amount": u64v(e.amount)})
        }
        E::ShardSwept(e) => {
            json!({"organizer": e.organizer.to_string(), "event": e.event.to_string(),
            "shard": e.shard.to_string(), "vault": e.vault.to_string(), "amount": u64v(e.amount)})
        }
        E::ProposalCreated(e) => json!({"organizer": e.organizer.to_string(),
            "proposal": e.proposal.to_string(), "index": u64v(e.index),
            "proposer": e.proposer.to_string(), "action": action(&e.action)}),
        E::ProposalVoted(e) => json!({"organizer": e.organizer.to_string(),
            "proposal": e.proposal.to_string(), "member": e.member.to_string(),
            "vote": vote(e.vote), "status": status(e.status).0}),
        E::ProposalExecuted(e) => json!({"organizer": e.organizer.to_string(),
            "proposal": e.proposal.to_string(), "index": u64v(e.index),
            "executor": e.executor.to_string(), "action": action(&e.action),
            "stale_transaction_index": u64v(e.stale_transaction_index)}),
        E::SpendingLimitUsed(e) => {
            json!({"organizer": e.organizer.to_string(), "limit_id": e.limit_id,
            "member": e.member.to_string(), "mint": e.mint.to_string(),
            "destination": e.destination.to_string(), "amount": u64v(e.amount),
            "remaining": u64v(e.remaining), "cap_used": u64v(e.cap_used)})
        }
        E::SpendingLimitFreezeChanged(e) => {
            json!({"organizer": e.organizer.to_string(), "limit_id": e.limit_id,
            "frozen": e.frozen, "by": e.by.to_string()})
        }
        E::ProposalClosed(e) => json!({"organizer": e.organizer.to_string(),
            "proposal": e.proposal.to_string(), "index": u64v(e.index),
            "status": status(e.status).0, "rent_to": e.rent_to.to_string(),
            "lamports": u64v(e.lamports)}),
        E::TicketBurned(e) => json!({"event": e.event.to_string(),
            "ticket": e.ticket.to_string(), "mint": e.mint.to_string(),
            "holder": e.holder.to_string(), "serial": e.serial, "rent": u64v(e.rent)}),
        E::ShardClosed(e) => json!({"organizer": e.organizer.to_string(),
            "event": e.event.to_string(), "shard": e.shard.to_string(), "index": e.index,
            "rent_to": e.rent_to.to_string(), "rent": u64v(e.rent),
            "tokens_to_vault": u64v(e.tokens_to_vault)}),
        E::BuyerRecordClosed(e) => json!({"event": e.event.to_string(),
            "buyer_record": e.buyer_record.to_string(), "buyer": e.buyer.to_string(),
            "rent": u64v(e.rent)}),
    }
}
