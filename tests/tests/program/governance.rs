//! What one key can do alone and what needs the multisig (findings 2, 3, 4 and 6 of the
//! outside review): once an organizer's threshold is above one, no single key can move,
//! lock or redirect money.
use bitticket::constants::{MAX_TIME_LOCK, REFUND_PERIOD};
use bitticket::state::EventConfig;
use bitticket_tests::*;
use solana_address::Address;
use solana_signer::Signer;

use crate::spending::{cap, sol_limit};
use crate::vault::{none, treasury};

fn spend(h: &mut Harness, t: &Treasury, who: &solana_keypair::Keypair, amount: u64) -> TxResult {
    h.send(
        &[ix_spend(
            &t.org(),
            &who.pubkey(),
            1,
            amount,
            Outflow::sol(Address::new_unique()),
        )],
        &[who],
    )
}

/// Finding 3: one admin alone cannot create admins or event managers once the organizer
/// is a multisig, nor remove them; gatekeepers (who move no money) stay an admin's call.
#[test]
fn one_admin_cannot_grant_or_revoke_roles_that_reach_money_in_a_multisig() {
    let (mut h, t) = treasury();
    let (org, alice) = (t.org(), t.alice());
    let newcomer = Address::new_unique();
    for role in [
        permission::ADMIN,
        permission::EVENT_MANAGER,
        permission::GATEKEEPER | permission::EVENT_MANAGER,
        permission::VOTE,
    ] {
        assert_err(
            &h.send(
                &[ix_add_member(&org, &alice.pubkey(), &newcomer, role)],
                &[alice],
            ),
            BitTicketError::MultisigRoleNeedsProposal,
        );
    }
    h.send(
        &[ix_add_member(
            &org,
            &alice.pubkey(),
            &newcomer,
            permission::GATEKEEPER | permission::FINANCE,
        )],
        &[alice],
    )
    .unwrap();
    h.send(
        &[ix_remove_member(&org, &alice.pubkey(), &newcomer)],
        &[alice],
    )
    .unwrap();
    // an event manager granted by the multisig is removed only by the multisig
    let manager = Member {
        key: newcomer,
        permissions: permission::EVENT_MANAGER,
    };
    h.pass(
        &org,
        ProposalAction::AddMember { member: manager },
        &[alice, &t.bob],
        none(),
    )
    .1
    .unwrap();
    assert_err(
        &h.send(
            &[ix_remove_member(&org, &alice.pubkey(), &newcomer)],
            &[alice],
        ),
        BitTicketError::MultisigRoleNeedsProposal,
    );
    h.pass(
        &org,
        ProposalAction::RemoveMember { key: newcomer },
        &[alice, &t.bob],
        none(),
    )
    .1
    .unwrap();
    assert!(h
        .account::<Organizer>(&org)
        .unwrap()
        .permissions_of(&newcomer)
        .is_none());
}

#[test]
fn a_single_key_organizer_grants_admins_and_managers_alone() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(10, SOL, 5), 1);
    let other = Address::new_unique();
    h.send(
        &[ix_add_member(
            &s.organizer,
            &s.admin.pubkey(),
            &other,
            permission::ADMIN | permission::EVENT_MANAGER,
        )],
        &[&s.admin],
    )
    .unwrap();
    h.send(
        &[ix_remove_member(&s.organizer, &s.admin.pubkey(), &other)],
        &[&s.admin],
    )
    .unwrap();
}

/// Finding 2: the multisig's removal of a spending-limit member cannot be undone by one
/// admin re-adding them, and one admin cannot cut off a right the multisig granted.
#[test]
fn a_spending_right_exists_only_while_the_multisig_says_so() {
    let (mut h, t) = treasury();
    t.fund_vault(&mut h, 5);
    let (org, alice) = (t.org(), t.alice());
    let v = [&t.bob, &t.carol];
    let dave = h.wallet(SOL);
    h.send(
        &[ix_add_member(
            &org,
            &alice.pubkey(),
            &dave.pubkey(),
            permission::GATEKEEPER,
        )],
        &[alice],
    )
    .unwrap();
    h.pass(&org, cap(3 * SOL, Period::Month), &v, none())
        .1
        .unwrap();
    h.pass(
        &org,
        sol_limit(
            1,
            SOL,
            Period::Month,
            vec![dave.pubkey(), t.bob.pubkey()],
            vec![],
        ),
        &v,
        none(),
    )
    .1
    .unwrap();
    spend(&mut h, &t, &dave, SOL / 10).unwrap();

    // one admin removes dave (a gatekeeper): his spending right is the multisig's, it stays
    h.send(
        &[ix_remove_member(&org, &alice.pubkey(), &dave.pubkey())],
        &[alice],
    )
    .unwrap();
    spend(&mut h, &t, &dave, SOL / 10).unwrap();

    // the multisig removes bob; one admin re-adding him does not bring his right back
    let mut bob_roles = h
        .account::<Organizer>(&org)
        .unwrap()
        .permissions_of(&t.bob.pubkey())
        .unwrap();
    assert_ne!(bob_roles, 0);
    h.pass(
        &org,
        ProposalAction::RemoveMember {
            key: t.bob.pubkey(),
        },
        &[alice, &t.carol],
        none(),
    )
    .1
    .unwrap();
    bob_roles = permission::GATEKEEPER;
    h.send(
        &[ix_add_member(
            &org,
            &alice.pubkey(),
            &t.bob.pubkey(),
            bob_roles,
        )],
        &[alice],
    )
    .unwrap();
    assert_err(
        &spend(&mut h, &t, &t.bob, SOL / 10),
        BitTicketError::NotLimitMember,
    );
    spend(&mut h, &t, &dave, SOL / 10).unwrap();
}

/// Finding 4: tightening a cap after it was used up does not hand out a fresh window.
#[test]
fn replacing_an_outflow_cap_keeps_what_was_used_in_its_window() {
    let (mut h, t) = treasury();
    t.fund_vault(&mut h, 5);
    let org = t.org();
    let v = [&t.bob, &t.carol];
    h.pass(&org, cap(4 * SOL, Period::Month), &v, none())
        .1
        .unwrap();
    h.pass(
        &org,
        sol_limit(1, 2 * SOL, Period::Day, vec![t.bob.pubkey()], vec![]),
        &v,
        none(),
    )
    .1
    .unwrap();
    let start = h.now();
    spend(&mut h, &t, &t.bob, 2 * SOL).unwrap();
    h.set_time(start + 86_400);
    spend(&mut h, &t, &t.bob, 2 * SOL).unwrap();
    h.set_time(start + 2 * 86_400);
    assert_err(
        &spend(&mut h, &t, &t.bob, 1),
        BitTicketError::OutflowCapExceeded,
    );
    // tighten to 3.6: 4 were used this month, so nothing more until the next window
    h.pass(&org, cap(36 * SOL / 10, Period::Month), &v, none())
        .1
        .unwrap();
    let o: Organizer = h.account(&org).unwrap();
    let c = o.cap_for(&Address::default()).unwrap();
    assert_eq!((c.amount, c.used), (36 * SOL / 10, 36 * SOL / 10));
    h.set_time(h.now() + 86_400);
    assert_err(
        &spend(&mut h, &t, &t.bob, 1),
        BitTicketError::OutflowCapExceeded,
    );
    // loosening takes effect with the next window: the tighter of the two caps binds
    // until this one ends (second review, finding 4)
    h.pass(&org, cap(4 * SOL, Period::Month), &v, none())
        .1
        .unwrap();
    assert_err(
        &spend(&mut h, &t, &t.bob, 1),
        BitTicketError::OutflowCapExceeded,
    );
    // the next month opens a fresh window of the new amount
    h.set_time(start + 30 * 86_400);
    spend(&mut h, &t, &t.bob, SOL / 2).unwrap();
}

/// Finding 6: a time-lock above about three months (Squads v4's bound) is refused, so an
/// approved lock can never block the proposal that would undo it.
#[test]
fn the_time_lock_is_bounded() {
    let (mut h, t) = treasury();
    let org = t.org();
    let i = h.next_proposal(&org);
    for seconds in [MAX_TIME_LOCK + 1, u32::MAX] {
        assert_err(
            &h.send(
                &[ix_create_proposal(
                    &org,
                    &t.bob.pubkey(),
                    i,
                    ProposalAction::SetTimeLock { seconds },
                )],
                &[&t.bob],
            ),
            BitTicketError::InvalidTimeLock,
        );
    }
    h.pass(
        &org,
        ProposalAction::SetTimeLock {
            seconds: MAX_TIME_LOCK,
        },
        &[t.alice(), &t.bob],
        none(),
    )
    .1
    .unwrap();
    // the longest lock still lets the next proposal undo it
    h.pass(
        &org,
        ProposalAction::SetTimeLock { seconds: 60 },
        &[t.alice(), &t.bob],
        none(),
    )
    .1
    .unwrap();
    assert_eq!(h.account::<Organizer>(&org).unwrap().time_lock, 60);
}

#[test]
fn a_proposal_index_other_than_the_next_is_refused() {
    let (mut h, t) = treasury();
    let org = t.org();
    let next = h.next_proposal(&org);
    for index in [next + 1, next + 7, u64::MAX] {
        let r = h.send(
            &[ix_create_proposal(
                &org,
                &t.bob.pubkey(),
                index,
                ProposalAction::SetThreshold { threshold: 1 },
            )],
            &[&t.bob],
        );
        assert_err(&r, BitTicketError::ProposalIndexMismatch);
    }
    assert_eq!(h.next_proposal(&org), next);
}

/// Finding 3: in a multisig, one event manager may cancel only before the sale starts and
/// change only what is not a window; the rest goes through proposals.
#[test]
fn late_cancellation_and_window_changes_need_the_multisig() {
    let mut h = Harness::new().unwrap();
    // a sale far enough ahead for proposals and their time-locks to land before it
    let c = EventConfig {
        sale_start: T0 + 20_000,
        sale_end: T0 + 25_000,
        resale_unlock: T0 + 25_000,
        ..config(10, SOL, 5)
    };
    let t = Treasury::new(&mut h, c.clone(), 2);
    let (org, ev, alice) = (t.org(), t.sale.event, t.alice());
    let moved = EventConfig {
        sale_end: c.sale_end + 1,
        ..c.clone()
    };
    assert_err(
        &h.send(
            &[ix_update_event(&org, &ev, &alice.pubkey(), moved.clone())],
            &[alice],
        ),
        BitTicketError::MultisigRequired,
    );
    // second review, finding 5: the price, the supply and the per-wallet limit are terms
    // too (a manager setting the price to 0 and buying the supply through other wallets)
    for changed in [
        EventConfig {
            price_lamports: 0,
            ..c.clone()
        },
        EventConfig {
            supply: c.supply + 1,
            ..c.clone()
        },
        EventConfig {
            max_per_wallet: c.max_per_wallet + 1,
            ..c.clone()
        },
    ] {
        assert_err(
            &h.send(
                &[ix_update_event(&org, &ev, &alice.pubkey(), changed)],
                &[alice],
            ),
            BitTicketError::MultisigRequired,
        );
    }
    // the name and the URI alone, before the sale: one manager may
    let renamed = EventConfig {
        name: "Solana Winter Fest".into(),
        uri: "https://bitticket.example/e/2.json".into(),
        ..c.clone()
    };
    h.send(
        &[ix_update_event(&org, &ev, &alice.pubkey(), renamed)],
        &[alice],
    )
    .unwrap();
    // windows by proposal
    let update = ProposalAction::UpdateEvent {
        event: ev,
        config: moved.clone(),
    };
    h.pass(&org, update, &[alice, &t.bob], none()).1.unwrap();
    assert_eq!(h.account::<Event>(&ev).unwrap().config, moved);

    h.set_time(c.sale_start);
    t.sale.buy(&mut h, 0);
    assert_err(
        &h.send(&[ix_cancel_event(&org, &ev, &alice.pubkey())], &[alice]),
        BitTicketError::MultisigRequired,
    );
    // a proposal naming another event cannot be executed on this one
    let other = Sale::new(&mut h, config(10, SOL, 5), 1);
    let cancel_other = ProposalAction::CancelEvent { event: other.event };
    let i = h.propose_and_approve(&org, cancel_other, &[alice, &t.bob]);
    h.set_time(h.now() + i64::from(Treasury::TIME_LOCK));
    assert_err(
        &h.send(
            &[ix_execute_on(&org, i, &alice.pubkey(), Some(ev), none())],
            &[alice],
        ),
        BitTicketError::EventMismatch,
    );
    assert_err(
        &h.send(
            &[ix_execute_on(&org, i, &alice.pubkey(), None, none())],
            &[alice],
        ),
        BitTicketError::WrongExecuteInstruction,
    );
    let cancel = ProposalAction::CancelEvent { event: ev };
    h.pass(&org, cancel, &[alice, &t.bob], none()).1.unwrap();
    let e: Event = h.account(&ev).unwrap();
    assert!(e.cancelled);
    assert_eq!(e.refund_deadline(), e.config.check_in_end + REFUND_PERIOD);
}

#[test]
fn a_manager_alone_cancels_before_the_sale_starts() {
    let (mut h, t) = treasury();
    h.send(
        &[ix_cancel_event(
            &t.org(),
            &t.sale.event,
            &t.alice().pubkey(),
        )],
        &[t.alice()],
    )
    .unwrap();
    assert!(h.account::<Event>(&t.sale.event).unwrap().cancelled);
}

/// Finding 3: a cancellation at the last second of check-in leaves nothing stuck: refunds
/// are owed for the refund period, then what is left (checked-in tickets, unclaimed
/// refunds) goes to the vault through the normal sweep.
#[test]
fn nothing_is_stuck_after_a_last_second_cancellation() {
    let (mut h, t) = treasury();
    let (org, ev) = (t.org(), t.sale.event);
    let c = config(10, SOL, 5);
    h.set_time(c.sale_start);
    let tickets: Vec<_> = (0..3).map(|_| t.sale.buy(&mut h, 0)).collect();
    h.set_time(c.check_in_start);
    let entered = &tickets[0];
    h.send(
        &check_in_ixs(
            &h,
            &t.sale.gatekeeper.pubkey(),
            &entered.buyer,
            &org,
            &ev,
            &entered.mint.pubkey(),
        ),
        &[&t.sale.gatekeeper],
    )
    .unwrap();
    // the proposal executes at the last second of check-in
    let cancel = ProposalAction::CancelEvent { event: ev };
    let i = h.propose_and_approve(&org, cancel, &[t.alice(), &t.bob]);
    h.set_time(c.check_in_end - 1);
    h.send(
        &[ix_execute_on(&org, i, &t.bob.pubkey(), Some(ev), none())],
        &[&t.bob],
    )
    .unwrap();
    let refund = |h: &mut Harness, b: &Bought| {
        h.send(
            &[ix_claim_refund(&b.buyer.pubkey(), &ev, 0, &b.mint.pubkey())],
            &[&b.buyer],
        )
    };
    refund(&mut h, &tickets[1]).unwrap();
    let deadline = h.account::<Event>(&ev).unwrap().refund_deadline();
    h.set_time(deadline - 1);
    assert_err(
        &h.send(&[ix_sweep_shard(&org, &ev, 0)], &[&t.bob]),
        BitTicketError::RefundPeriodOpen,
    );
    h.set_time(deadline);
    assert_err(
        &refund(&mut h, &tickets[2]),
        BitTicketError::RefundPeriodOver,
    );
    let before = h.vault_funds(&org);
    h.send(&[ix_sweep_shard(&org, &ev, 0)], &[&t.bob]).unwrap();
    // the checked-in ticket and the unclaimed refund
    assert_eq!(h.vault_funds(&org) - before, 2 * SOL);
    let sh: Shard = h.account(&shard_pda(&ev, 0)).unwrap();
    assert_eq!((sh.held(), h.lamports(&shard_pda(&ev, 0))), (0, sh.reserve));
}
