//! Spending limits and the organizer-wide outflow cap.
use bitticket_tests::*;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::vault::{none, treasury};

pub fn sol_limit(
    id: u8,
    amount: u64,
    period: Period,
    members: Vec<Address>,
    destinations: Vec<Address>,
) -> ProposalAction {
    ProposalAction::AddSpendingLimit {
        limit: SpendingLimitConfig {
            id,
            mint: Address::default(),
            amount,
            period,
            members,
            destinations,
        },
    }
}

pub fn cap(amount: u64, period: Period) -> ProposalAction {
    ProposalAction::SetOutflowCap {
        mint: Address::default(),
        amount,
        period,
    }
}

#[test]
fn a_spending_limit_allows_spending_within_its_period_only() {
    let (mut h, t) = treasury();
    t.fund_vault(&mut h, 5);
    let org = t.org();
    let v = [&t.bob, &t.carol];
    let payee = Address::new_unique();
    assert_err(
        &h.pass(
            &org,
            sol_limit(1, SOL, Period::Day, vec![t.bob.pubkey()], vec![payee]),
            &v,
            none(),
        )
        .1,
        BitTicketError::NoOutflowCap,
    );
    h.pass(&org, cap(2 * SOL, Period::Day), &v, none())
        .1
        .unwrap();
    assert_err(
        &h.pass(
            &org,
            sol_limit(1, 3 * SOL, Period::Day, vec![t.bob.pubkey()], vec![payee]),
            &v,
            none(),
        )
        .1,
        BitTicketError::LimitAboveCap,
    );
    assert_err(
        &h.pass(
            &org,
            sol_limit(1, SOL, Period::Day, vec![], vec![]),
            &v,
            none(),
        )
        .1,
        BitTicketError::InvalidSpendingLimit,
    );
    h.pass(
        &org,
        sol_limit(1, SOL, Period::Day, vec![t.bob.pubkey()], vec![payee]),
        &v,
        none(),
    )
    .1
    .unwrap();
    assert_err(
        &h.pass(
            &org,
            sol_limit(1, SOL, Period::Day, vec![t.bob.pubkey()], vec![]),
            &v,
            none(),
        )
        .1,
        BitTicketError::SpendingLimitExists,
    );

    let spend = |h: &mut Harness, who: &Keypair, amount: u64, to: Address| {
        h.send(
            &[ix_spend(&org, &who.pubkey(), 1, amount, Outflow::sol(to))],
            &[who],
        )
    };
    // over the limit in one go
    assert_err(
        &spend(&mut h, &t.bob, SOL + 1, payee),
        BitTicketError::SpendingLimitExceeded,
    );
    // not a member of the limit / not an allowed destination / nothing
    assert_err(
        &spend(&mut h, &t.carol, 1, payee),
        BitTicketError::NotLimitMember,
    );
    assert_err(
        &spend(&mut h, &t.bob, 1, Address::new_unique()),
        BitTicketError::DestinationNotAllowed,
    );
    assert_err(
        &spend(&mut h, &t.bob, 0, payee),
        BitTicketError::InvalidAmount,
    );
    // in pieces within one period
    spend(&mut h, &t.bob, SOL * 6 / 10, payee).unwrap();
    assert_err(
        &spend(&mut h, &t.bob, SOL * 5 / 10, payee),
        BitTicketError::SpendingLimitExceeded,
    );
    spend(&mut h, &t.bob, SOL * 4 / 10, payee).unwrap();
    assert_err(
        &spend(&mut h, &t.bob, 1, payee),
        BitTicketError::SpendingLimitExceeded,
    );
    assert_eq!(h.lamports(&payee), SOL);
    // the next day, by the chain clock
    let limit_start = h.account::<Organizer>(&org).unwrap().spending_limits[0].window_start;
    h.set_time(limit_start + 86_399);
    assert_err(
        &spend(&mut h, &t.bob, 1, payee),
        BitTicketError::SpendingLimitExceeded,
    );
    h.set_time(limit_start + 86_400);
    spend(&mut h, &t.bob, SOL, payee).unwrap();
    assert_eq!(h.lamports(&payee), 2 * SOL);
    let o: Organizer = h.account(&org).unwrap();
    assert_eq!(
        (o.spending_limits[0].remaining, o.outflow_caps[0].used),
        (0, SOL)
    );
}

#[test]
fn limits_share_the_organizers_outflow_cap() {
    let (mut h, t) = treasury();
    t.fund_vault(&mut h, 5);
    let org = t.org();
    let v = [&t.bob, &t.carol];
    h.pass(&org, cap(SOL * 3 / 2, Period::Week), &v, none())
        .1
        .unwrap();
    h.pass(
        &org,
        sol_limit(1, SOL, Period::Day, vec![t.bob.pubkey()], vec![]),
        &v,
        none(),
    )
    .1
    .unwrap();
    h.pass(
        &org,
        sol_limit(2, SOL, Period::Day, vec![t.carol.pubkey()], vec![]),
        &v,
        none(),
    )
    .1
    .unwrap();
    let payee = Address::new_unique();
    h.send(
        &[ix_spend(&org, &t.bob.pubkey(), 1, SOL, Outflow::sol(payee))],
        &[&t.bob],
    )
    .unwrap();
    let r = h.send(
        &[ix_spend(
            &org,
            &t.carol.pubkey(),
            2,
            SOL * 6 / 10,
            Outflow::sol(payee),
        )],
        &[&t.carol],
    );
    assert_err(&r, BitTicketError::OutflowCapExceeded);
    h.send(
        &[ix_spend(
            &org,
            &t.carol.pubkey(),
            2,
            SOL / 2,
            Outflow::sol(payee),
        )],
        &[&t.carol],
    )
    .unwrap();
    // the next day the limits reset, but the weekly cap does not
    h.set_time(h.now() + 86_400);
    let r = h.send(
        &[ix_spend(&org, &t.bob.pubkey(), 1, 1, Outflow::sol(payee))],
        &[&t.bob],
    );
    assert_err(&r, BitTicketError::OutflowCapExceeded);
    // a cap in use cannot be removed, nor lowered under a limit
    assert_err(
        &h.pass(&org, cap(0, Period::Week), &v, none()).1,
        BitTicketError::CapInUse,
    );
    assert_err(
        &h.pass(&org, cap(SOL / 2, Period::Week), &v, none()).1,
        BitTicketError::LimitAboveCap,
    );
    // removing the limits, then the cap
    h.pass(
        &org,
        ProposalAction::RemoveSpendingLimit { id: 1 },
        &v,
        none(),
    )
    .1
    .unwrap();
    h.pass(
        &org,
        ProposalAction::RemoveSpendingLimit { id: 2 },
        &v,
        none(),
    )
    .1
    .unwrap();
    assert_err(
        &h.pass(
            &org,
            ProposalAction::RemoveSpendingLimit { id: 2 },
            &v,
            none(),
        )
        .1,
        BitTicketError::SpendingLimitNotFound,
    );
    assert_err(
        &h.send(
            &[ix_spend(&org, &t.bob.pubkey(), 1, 1, Outflow::sol(payee))],
            &[&t.bob],
        ),
        BitTicketError::SpendingLimitNotFound,
    );
    h.pass(&org, cap(0, Period::Week), &v, none()).1.unwrap();
    assert!(h
        .account::<Organizer>(&org)
        .unwrap()
        .outflow_caps
        .is_empty());
}

#[test]
fn a_one_time_limit_never_resets_and_a_removed_member_cannot_spend() {
    let (mut h, t) = treasury();
    t.fund_vault(&mut h, 5);
    let org = t.org();
    let v = [&t.bob, &t.carol];
    h.pass(&org, cap(10 * SOL, Period::Month), &v, none())
        .1
        .unwrap();
    h.pass(
        &org,
        sol_limit(
            1,
            SOL,
            Period::OneTime,
            vec![t.bob.pubkey(), t.carol.pubkey()],
            vec![],
        ),
        &v,
        none(),
    )
    .1
    .unwrap();
    let payee = Address::new_unique();
    h.send(
        &[ix_spend(
            &org,
            &t.bob.pubkey(),
            1,
            SOL / 2,
            Outflow::sol(payee),
        )],
        &[&t.bob],
    )
    .unwrap();
    h.set_time(h.now() + 365 * 86_400);
    h.send(
        &[ix_spend(
            &org,
            &t.carol.pubkey(),
            1,
            SOL / 2,
            Outflow::sol(payee),
        )],
        &[&t.carol],
    )
    .unwrap();
    assert_err(
        &h.send(
            &[ix_spend(&org, &t.bob.pubkey(), 1, 1, Outflow::sol(payee))],
            &[&t.bob],
        ),
        BitTicketError::SpendingLimitExceeded,
    );
    // the multisig removes carol from the organizer: that ends her spending right too
    h.pass(
        &org,
        ProposalAction::RemoveMember {
            key: t.carol.pubkey(),
        },
        &[t.alice(), &t.bob],
        none(),
    )
    .1
    .unwrap();
    assert_err(
        &h.send(
            &[ix_spend(&org, &t.carol.pubkey(), 1, 1, Outflow::sol(payee))],
            &[&t.carol],
        ),
        BitTicketError::NotLimitMember,
    );
    let o: Organizer = h.account(&org).unwrap();
    assert_eq!(
        o.spending_limit(1).unwrap().config.members,
        vec![t.bob.pubkey()]
    );
}
