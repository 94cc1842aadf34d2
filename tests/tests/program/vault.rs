use anchor_lang::error::ErrorCode as Anchor;
use bitticket_tests::*;
use solana_address::Address;
use solana_signer::Signer;

use crate::spending::{cap, sol_limit};

pub fn treasury() -> (Harness, Treasury) {
    let mut h = Harness::new().unwrap();
    let t = Treasury::new(&mut h, config(10, SOL, 5), 2);
    (h, t)
}

pub fn none() -> Outflow {
    Outflow::default()
}

#[test]
fn setup_through_proposals_gives_a_two_of_three_vault() {
    let (h, t) = treasury();
    let o: Organizer = h.account(&t.org()).unwrap();
    assert_eq!(
        (o.threshold, o.time_lock, o.voter_count()),
        (2, Treasury::TIME_LOCK, 3)
    );
    assert_eq!((o.transaction_index, o.stale_transaction_index), (4, 4));
    o.invariant().unwrap();
}

// ---- sweep ----------------------------------------------------------------------------

#[test]
fn proceeds_are_swept_into_the_vault_only_once_the_event_is_over() {
    let (mut h, t) = treasury();
    let (org, ev) = (t.org(), t.sale.event);
    let c = config(10, SOL, 5);
    h.set_time(c.sale_start);
    t.sale.buy(&mut h, 0);
    t.sale.buy(&mut h, 0);
    let cranker = h.wallet(SOL);
    h.set_time(c.check_in_end - 1);
    assert_err(
        &h.send(&[ix_sweep_shard(&org, &ev, 0)], &[&cranker]),
        BitTicketError::EventNotOver,
    );
    h.set_time(c.check_in_end);
    h.send(&[ix_sweep_shard(&org, &ev, 0)], &[&cranker])
        .unwrap();
    assert_eq!(h.vault_funds(&org), 2 * SOL);
    let sh: Shard = h.account(&shard_pda(&ev, 0)).unwrap();
    assert_eq!(
        (sh.revenue, sh.refunded, sh.swept, sh.held()),
        (2 * SOL, 0, 2 * SOL, 0)
    );
    assert_eq!(
        h.lamports(&shard_pda(&ev, 0)),
        h.svm.minimum_balance_for_rent_exemption(Shard::SIZE)
    );
    assert_err(
        &h.send(&[ix_sweep_shard(&org, &ev, 0)], &[&cranker]),
        BitTicketError::NothingToSweep,
    );
    assert_err(
        &h.send(&[ix_sweep_shard(&org, &ev, 1)], &[&cranker]),
        BitTicketError::NothingToSweep,
    );
    // an event that is over can no longer be cancelled, so its refunds can't be owed later
    let cancel = ProposalAction::CancelEvent { event: ev };
    let r = h.pass(&org, cancel, &[t.alice(), &t.bob], none()).1;
    assert_err(&r, BitTicketError::EventAlreadyHeld);
}

#[test]
fn a_cancelled_events_proceeds_stay_for_refunds() {
    let (mut h, t) = treasury();
    let c = config(10, SOL, 5);
    h.set_time(c.sale_start);
    let b = t.sale.buy(&mut h, 0);
    let cancel = ProposalAction::CancelEvent {
        event: t.sale.event,
    };
    h.pass(&t.org(), cancel, &[t.alice(), &t.bob], none())
        .1
        .unwrap();
    h.set_time(c.check_in_end);
    assert_err(
        &h.send(&[ix_sweep_shard(&t.org(), &t.sale.event, 0)], &[&t.bob]),
        BitTicketError::RefundPeriodOpen,
    );
    h.send(
        &[ix_claim_refund(
            &b.buyer.pubkey(),
            &t.sale.event,
            0,
            &b.mint.pubkey(),
        )],
        &[&b.buyer],
    )
    .unwrap();
    assert_eq!(h.vault_funds(&t.org()), 0);
}

/// Finding 8b: a sweep of less than the rent-exempt minimum into a vault that holds
/// nothing else succeeds: the vault is funded with its reserve when the organizer is made.
#[test]
fn a_sweep_below_the_rent_exempt_minimum_lands_in_a_fresh_vault() {
    let mut h = Harness::new().unwrap();
    let c = config(10, 1_000, 5);
    let s = Sale::new(&mut h, c.clone(), 1);
    let vault = vault_pda(&s.organizer);
    assert_eq!(h.lamports(&vault), h.vault_reserve());
    h.set_time(c.sale_start);
    s.buy(&mut h, 0);
    h.set_time(c.check_in_end);
    let cranker = h.wallet(SOL);
    h.send(&[ix_sweep_shard(&s.organizer, &s.event, 0)], &[&cranker])
        .unwrap();
    assert_eq!(h.vault_funds(&s.organizer), 1_000);
    // and it is never withdrawn below its reserve
    let all = ProposalAction::WithdrawSol {
        destination: cranker.pubkey(),
        amount: 1_001,
    };
    assert_err(
        &h.pass(
            &s.organizer,
            all,
            &[&s.admin],
            Outflow::sol(cranker.pubkey()),
        )
        .1,
        BitTicketError::InsufficientVaultFunds,
    );
}

#[test]
fn sweep_goes_only_to_the_organizers_own_vault() {
    let (mut h, t) = treasury();
    let c = config(10, SOL, 5);
    h.set_time(c.sale_start);
    t.sale.buy(&mut h, 0);
    h.set_time(c.check_in_end);
    let thief = h.wallet(SOL);
    let mut ix = ix_sweep_shard(&t.org(), &t.sale.event, 0);
    ix.accounts[3].pubkey = thief.pubkey();
    assert_anchor(&h.send(&[ix], &[&thief]), Anchor::ConstraintSeeds);
    // another organizer (and its vault) with this event's shard
    let other = Sale::new(&mut h, config(10, SOL, 5), 1);
    let mut ix = ix_sweep_shard(&other.organizer, &t.sale.event, 0);
    ix.accounts[3].pubkey = vault_pda(&other.organizer);
    assert_anchor(&h.send(&[ix], &[&thief]), Anchor::ConstraintHasOne);
    assert_eq!(
        h.account::<Shard>(&shard_pda(&t.sale.event, 0))
            .unwrap()
            .swept,
        0
    );
}

// ---- the vault as a whole -----------------------------------------------------------

#[test]
fn spend_and_execute_use_only_the_organizers_vault() {
    let (mut h, t) = treasury();
    t.fund_vault(&mut h, 3);
    let org = t.org();
    let v = [&t.bob, &t.carol];
    h.pass(&org, cap(SOL, Period::Day), &v, none()).1.unwrap();
    h.pass(
        &org,
        sol_limit(1, SOL, Period::Day, vec![t.bob.pubkey()], vec![]),
        &v,
        none(),
    )
    .1
    .unwrap();
    let payee = Address::new_unique();
    // a substituted vault (bob's own wallet)
    let mut ix = ix_spend(&org, &t.bob.pubkey(), 1, 1, Outflow::sol(payee));
    ix.accounts[2].pubkey = t.bob.pubkey();
    assert_anchor(&h.send(&[ix], &[&t.bob]), Anchor::ConstraintSeeds);
    // the vault as its own destination (duplicate mutable accounts): refused, allowance kept
    let r = h.send(
        &[ix_spend(
            &org,
            &t.bob.pubkey(),
            1,
            1,
            Outflow::sol(vault_pda(&org)),
        )],
        &[&t.bob],
    );
    assert_err(&r, BitTicketError::DestinationIsVault);
    assert_eq!(
        h.account::<Organizer>(&org).unwrap().spending_limits[0].remaining,
        SOL
    );
    // the spender must sign
    let mut ix = ix_spend(&org, &t.bob.pubkey(), 1, 1, Outflow::sol(payee));
    ix.accounts[1].is_signer = false;
    assert_anchor(&h.send(&[ix], &[&t.carol]), Anchor::AccountNotSigner);
    // a proposal of another organizer run against this one (PDA sharing)
    let other = Treasury::new(&mut h, config(10, SOL, 5), 1);
    let oi = h.next_proposal(&other.org());
    h.send(
        &[ix_create_proposal(
            &other.org(),
            &other.bob.pubkey(),
            oi,
            ProposalAction::WithdrawSol {
                destination: payee,
                amount: 1,
            },
        )],
        &[&other.bob],
    )
    .unwrap();
    let mut ix = ix_execute(&org, 1, &t.bob.pubkey(), Outflow::sol(payee));
    ix.accounts[1].pubkey = proposal_pda(&other.org(), oi);
    assert_anchor(&h.send(&[ix], &[&t.bob]), Anchor::ConstraintSeeds);
    // a shard posing as a proposal (type cosplay)
    let mut ix = ix_execute(&org, 1, &t.bob.pubkey(), Outflow::sol(payee));
    ix.accounts[1].pubkey = shard_pda(&t.sale.event, 0);
    assert_anchor(
        &h.send(&[ix], &[&t.bob]),
        Anchor::AccountDiscriminatorMismatch,
    );
    assert_eq!(h.lamports(&payee), 0);
}

#[test]
fn vault_instructions_check_signers_and_account_types() {
    let (mut h, t) = treasury();
    t.fund_vault(&mut h, 1);
    let org = t.org();
    let relayer = h.wallet(SOL);
    // create_proposal without the proposer's signature
    let i = h.next_proposal(&org);
    let mut ix = ix_create_proposal(
        &org,
        &t.bob.pubkey(),
        i,
        ProposalAction::SetTimeLock { seconds: 0 },
    );
    ix.accounts[2].is_signer = false;
    assert_anchor(&h.send(&[ix], &[&relayer]), Anchor::AccountNotSigner);
    // execute without the executor's signature
    let dest = Address::new_unique();
    let (i, _) = h.pass(
        &org,
        ProposalAction::WithdrawSol {
            destination: dest,
            amount: 1,
        },
        &[&t.bob, &t.carol],
        Outflow::default(),
    );
    let mut ix = ix_execute(&org, i, &t.bob.pubkey(), Outflow::sol(dest));
    ix.accounts[2].is_signer = false;
    assert_anchor(&h.send(&[ix], &[&relayer]), Anchor::AccountNotSigner);
    // the event posing as a shard, and a forged organizer owned by another program
    let mut ix = ix_sweep_shard(&org, &t.sale.event, 1);
    ix.accounts[2].pubkey = t.sale.event;
    assert_anchor(
        &h.send(&[ix], &[&relayer]),
        Anchor::AccountDiscriminatorMismatch,
    );
    let forged = crate::clone_with_owner(&mut h, &org, Address::new_unique());
    let r = h.send(
        &[ix_vote(&forged, i, &t.bob.pubkey(), Vote::Approve)],
        &[&t.bob],
    );
    assert_anchor(&r, Anchor::AccountOwnedByWrongProgram);
    // an organizer vote on a proposal number that does not exist yet
    let r = h.send(
        &[ix_vote(&org, i + 10, &t.bob.pubkey(), Vote::Approve)],
        &[&t.bob],
    );
    assert_anchor(&r, Anchor::AccountNotInitialized);
    assert_eq!(h.lamports(&dest), 0);
}
