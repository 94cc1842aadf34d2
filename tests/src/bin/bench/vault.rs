//! The vault instructions' CU on a governed organizer.
use anyhow::{anyhow, Result};
use bitticket_tests::*;
use solana_address::Address;
use solana_signer::Signer;

use crate::cu;

/// CU of the vault instructions on a 2-of-3 organizer with a time-lock.
pub(crate) fn vault_figures() -> Result<()> {
    println!("vault instructions (2-of-3, time-locked):");
    let mut h = Harness::new()?;
    let t = Treasury::new(&mut h, config(20, SOL, 20), 1);
    let org = t.org();
    let ev = t.sale.event;
    h.set_time(T0 + 100);
    for _ in 0..4 {
        t.sale.buy(&mut h, 0);
    }
    h.set_time(T0 + 40_000);
    cu(
        &mut h,
        "sweep_shard",
        &[ix_sweep_shard(&org, &ev, 0)],
        &[&t.bob],
    )?;
    let dest = Address::new_unique();
    let i = h.next_proposal(&org);
    let action = ProposalAction::WithdrawSol {
        destination: dest,
        amount: SOL,
    };
    cu(
        &mut h,
        "create_proposal (withdraw)",
        &[ix_create_proposal(&org, &t.bob.pubkey(), i, action)],
        &[&t.bob],
    )?;
    cu(
        &mut h,
        "approve_proposal",
        &[ix_vote(&org, i, &t.bob.pubkey(), Vote::Approve)],
        &[&t.bob],
    )?;
    cu(
        &mut h,
        "approve_proposal (reaches M)",
        &[ix_vote(&org, i, &t.carol.pubkey(), Vote::Approve)],
        &[&t.carol],
    )?;
    h.set_time(h.now() + i64::from(Treasury::TIME_LOCK));
    cu(
        &mut h,
        "execute_withdrawal (SOL)",
        &[ix_execute(&org, i, &t.bob.pubkey(), Outflow::sol(dest))],
        &[&t.bob],
    )?;
    let j = h.next_proposal(&org);
    let action = ProposalAction::SetTimeLock { seconds: 60 };
    h.send(
        &[ix_create_proposal(&org, &t.bob.pubkey(), j, action)],
        &[&t.bob],
    )
    .map_err(|e| anyhow!("{:?}", e.err))?;
    cu(
        &mut h,
        "reject_proposal",
        &[ix_vote(&org, j, &t.bob.pubkey(), Vote::Reject)],
        &[&t.bob],
    )?;
    h.send(
        &[ix_vote(&org, j, &t.carol.pubkey(), Vote::Approve)],
        &[&t.carol],
    )
    .map_err(|e| anyhow!("{:?}", e.err))?;
    h.send(
        &[ix_vote(&org, j, &t.alice().pubkey(), Vote::Approve)],
        &[t.alice()],
    )
    .map_err(|e| anyhow!("{:?}", e.err))?;
    cu(
        &mut h,
        "cancel_proposal",
        &[ix_vote(&org, j, &t.carol.pubkey(), Vote::Cancel)],
        &[&t.carol],
    )?;
    let v = [&t.bob, &t.carol];
    let cap = ProposalAction::SetOutflowCap {
        mint: Address::default(),
        amount: 2 * SOL,
        period: Period::Day,
    };
    h.pass(&org, cap, &v, Outflow::default())
        .1
        .map_err(|e| anyhow!("{:?}", e.err))?;
    let limit = SpendingLimitConfig {
        id: 1,
        mint: Address::default(),
        amount: SOL,
        period: Period::Day,
        members: vec![t.bob.pubkey()],
        destinations: vec![],
    };
    let k = h.propose_and_approve(&org, ProposalAction::AddSpendingLimit { limit }, &v);
    h.set_time(h.now() + i64::from(Treasury::TIME_LOCK));
    cu(
        &mut h,
        "execute_proposal (add limit)",
        &[ix_execute(&org, k, &t.bob.pubkey(), Outflow::default())],
        &[&t.bob],
    )?;
    cu(
        &mut h,
        "spend (SOL)",
        &[ix_spend(
            &org,
            &t.bob.pubkey(),
            1,
            SOL / 10,
            Outflow::sol(dest),
        )],
        &[&t.bob],
    )?;
    cu(
        &mut h,
        "freeze_spending_limit",
        &[ix_freeze_spending_limit(&org, &t.alice().pubkey(), 1)],
        &[t.alice()],
    )?;
    cu(
        &mut h,
        "close_proposal (executed)",
        &[ix_close_proposal(&org, k, &t.bob.pubkey())],
        &[&t.bob],
    )?;
    Ok(())
}
