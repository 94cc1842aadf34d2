//! Proposals: M-of-N approval, rejection, cancellation, time-lock, staleness, and the
//! configuration changes they make.
use anchor_lang::error::ErrorCode as Anchor;
use bitticket_tests::*;
use solana_address::Address;
use solana_signer::Signer;

use crate::vault::{none, treasury};

#[test]
fn a_withdrawal_needs_two_approvals_and_the_time_lock_and_executes_once() {
    let (mut h, t) = treasury();
    t.fund_vault(&mut h, 3);
    let org = t.org();
    let dest = Address::new_unique();
    let i = h.next_proposal(&org);
    let action = ProposalAction::WithdrawSol {
        destination: dest,
        amount: 2 * SOL,
    };
    h.send(
        &[ix_create_proposal(&org, &t.bob.pubkey(), i, action.clone())],
        &[&t.bob],
    )
    .unwrap();
    let p: Proposal = h.account(&proposal_pda(&org, i)).unwrap();
    assert_eq!(
        (p.index, p.proposer, p.action, p.status),
        (i, t.bob.pubkey(), action, ProposalStatus::Active)
    );

    h.send(
        &[ix_vote(&org, i, &t.bob.pubkey(), Vote::Approve)],
        &[&t.bob],
    )
    .unwrap();
    // one approval is not the threshold
    assert_err(
        &h.send(
            &[ix_execute(&org, i, &t.bob.pubkey(), Outflow::sol(dest))],
            &[&t.bob],
        ),
        BitTicketError::ProposalNotApproved,
    );
    assert_err(
        &h.send(
            &[ix_vote(&org, i, &t.bob.pubkey(), Vote::Approve)],
            &[&t.bob],
        ),
        BitTicketError::AlreadyVoted,
    );
    h.send(
        &[ix_vote(&org, i, &t.carol.pubkey(), Vote::Approve)],
        &[&t.carol],
    )
    .unwrap();
    let approved_at = h.now();
    assert_eq!(
        h.account::<Proposal>(&proposal_pda(&org, i))
            .unwrap()
            .status,
        ProposalStatus::Approved { at: approved_at }
    );

    // the time-lock runs from the approval
    h.set_time(approved_at + i64::from(Treasury::TIME_LOCK) - 1);
    assert_err(
        &h.send(
            &[ix_execute(&org, i, &t.bob.pubkey(), Outflow::sol(dest))],
            &[&t.bob],
        ),
        BitTicketError::TimeLockNotElapsed,
    );
    h.set_time(approved_at + i64::from(Treasury::TIME_LOCK));
    let stranger = h.wallet(SOL);
    assert_err(
        &h.send(
            &[ix_execute(&org, i, &stranger.pubkey(), Outflow::sol(dest))],
            &[&stranger],
        ),
        BitTicketError::NotAMember,
    );
    let gk = &t.sale.gatekeeper;
    assert_err(
        &h.send(
            &[ix_execute(&org, i, &gk.pubkey(), Outflow::sol(dest))],
            &[gk],
        ),
        BitTicketError::MissingPermission,
    );
    let elsewhere = Address::new_unique();
    assert_err(
        &h.send(
            &[ix_execute(
                &org,
                i,
                &t.bob.pubkey(),
                Outflow::sol(elsewhere),
            )],
            &[&t.bob],
        ),
        BitTicketError::DestinationMismatch,
    );
    assert_err(
        &h.send(&[ix_execute(&org, i, &t.bob.pubkey(), none())], &[&t.bob]),
        BitTicketError::WrongExecuteInstruction,
    );

    h.send(
        &[ix_execute(&org, i, &t.carol.pubkey(), Outflow::sol(dest))],
        &[&t.carol],
    )
    .unwrap();
    assert_eq!(h.lamports(&dest), 2 * SOL);
    assert_eq!(h.vault_funds(&org), SOL);
    assert!(matches!(
        h.account::<Proposal>(&proposal_pda(&org, i))
            .unwrap()
            .status,
        ProposalStatus::Executed { .. }
    ));
    h.set_time(h.now() + 1);
    assert_err(
        &h.send(
            &[ix_execute(&org, i, &t.bob.pubkey(), Outflow::sol(dest))],
            &[&t.bob],
        ),
        BitTicketError::ProposalNotApproved,
    );
    assert_eq!(h.lamports(&dest), 2 * SOL);
}

#[test]
fn only_proposers_propose_and_only_voters_vote() {
    let (mut h, t) = treasury();
    let org = t.org();
    let i = h.next_proposal(&org);
    let action = ProposalAction::SetTimeLock { seconds: 1 };
    let gk = &t.sale.gatekeeper;
    assert_err(
        &h.send(
            &[ix_create_proposal(&org, &gk.pubkey(), i, action.clone())],
            &[gk],
        ),
        BitTicketError::MissingPermission,
    );
    let stranger = h.wallet(SOL);
    assert_err(
        &h.send(
            &[ix_create_proposal(
                &org,
                &stranger.pubkey(),
                i,
                action.clone(),
            )],
            &[&stranger],
        ),
        BitTicketError::NotAMember,
    );
    // the proposal index must be the next one (no skipping, no overwriting)
    let r = h.send(
        &[ix_create_proposal(
            &org,
            &t.bob.pubkey(),
            i + 1,
            action.clone(),
        )],
        &[&t.bob],
    );
    assert_err(&r, BitTicketError::ProposalIndexMismatch);
    let r = h.send(
        &[ix_create_proposal(
            &org,
            &t.bob.pubkey(),
            i - 1,
            action.clone(),
        )],
        &[&t.bob],
    );
    assert!(assert_failed(&r).contains("Custom(0)"), "already in use");
    h.send(
        &[ix_create_proposal(&org, &t.bob.pubkey(), i, action)],
        &[&t.bob],
    )
    .unwrap();
    assert_err(
        &h.send(&[ix_vote(&org, i, &gk.pubkey(), Vote::Approve)], &[gk]),
        BitTicketError::MissingPermission,
    );
    let mut ix = ix_vote(&org, i, &t.carol.pubkey(), Vote::Approve);
    ix.accounts[2].is_signer = false;
    assert_anchor(&h.send(&[ix], &[&stranger]), Anchor::AccountNotSigner);
    let bad = ProposalAction::WithdrawSol {
        destination: Address::new_unique(),
        amount: 0,
    };
    let r = h.send(
        &[ix_create_proposal(&org, &t.bob.pubkey(), i + 1, bad)],
        &[&t.bob],
    );
    assert_err(&r, BitTicketError::InvalidAmount);
}

#[test]
fn rejections_past_the_cutoff_close_a_proposal() {
    let (mut h, t) = treasury();
    let org = t.org();
    let i = h.next_proposal(&org);
    h.send(
        &[ix_create_proposal(
            &org,
            &t.bob.pubkey(),
            i,
            ProposalAction::SetTimeLock { seconds: 0 },
        )],
        &[&t.bob],
    )
    .unwrap();
    h.send(
        &[ix_vote(&org, i, &t.bob.pubkey(), Vote::Reject)],
        &[&t.bob],
    )
    .unwrap();
    assert_err(
        &h.send(
            &[ix_vote(&org, i, &t.bob.pubkey(), Vote::Approve)],
            &[&t.bob],
        ),
        BitTicketError::AlreadyVoted,
    );
    assert_eq!(
        h.account::<Proposal>(&proposal_pda(&org, i))
            .unwrap()
            .status,
        ProposalStatus::Active
    );
    // 3 voters, threshold 2: the second rejection makes approval unreachable
    h.send(
        &[ix_vote(&org, i, &t.carol.pubkey(), Vote::Reject)],
        &[&t.carol],
    )
    .unwrap();
    assert!(matches!(
        h.account::<Proposal>(&proposal_pda(&org, i))
            .unwrap()
            .status,
        ProposalStatus::Rejected { .. }
    ));
    let alice = t.alice();
    assert_err(
        &h.send(
            &[ix_vote(&org, i, &alice.pubkey(), Vote::Approve)],
            &[alice],
        ),
        BitTicketError::ProposalNotActive,
    );
}

#[test]
fn an_approved_proposal_can_be_cancelled_by_the_threshold() {
    let (mut h, t) = treasury();
    let org = t.org();
    let i = h.next_proposal(&org);
    h.send(
        &[ix_create_proposal(
            &org,
            &t.bob.pubkey(),
            i,
            ProposalAction::SetTimeLock { seconds: 0 },
        )],
        &[&t.bob],
    )
    .unwrap();
    assert_err(
        &h.send(
            &[ix_vote(&org, i, &t.bob.pubkey(), Vote::Cancel)],
            &[&t.bob],
        ),
        BitTicketError::ProposalNotApproved,
    );
    for v in [&t.bob, &t.carol] {
        h.send(&[ix_vote(&org, i, &v.pubkey(), Vote::Approve)], &[v])
            .unwrap();
    }
    h.send(
        &[ix_vote(&org, i, &t.bob.pubkey(), Vote::Cancel)],
        &[&t.bob],
    )
    .unwrap();
    assert_err(
        &h.send(
            &[ix_vote(&org, i, &t.bob.pubkey(), Vote::Cancel)],
            &[&t.bob],
        ),
        BitTicketError::AlreadyVoted,
    );
    h.send(
        &[ix_vote(&org, i, &t.carol.pubkey(), Vote::Cancel)],
        &[&t.carol],
    )
    .unwrap();
    assert!(matches!(
        h.account::<Proposal>(&proposal_pda(&org, i))
            .unwrap()
            .status,
        ProposalStatus::Cancelled { .. }
    ));
    h.set_time(h.now() + i64::from(Treasury::TIME_LOCK));
    assert_err(
        &h.send(&[ix_execute(&org, i, &t.bob.pubkey(), none())], &[&t.bob]),
        BitTicketError::ProposalNotApproved,
    );
    assert_eq!(
        h.account::<Organizer>(&org).unwrap().time_lock,
        Treasury::TIME_LOCK
    );
}

#[test]
fn a_configuration_change_makes_older_proposals_stale() {
    let (mut h, t) = treasury();
    t.fund_vault(&mut h, 2);
    let org = t.org();
    let dest = Address::new_unique();
    // p1: approved withdrawal waiting for its time-lock; p2: pending withdrawal
    let p1 = h.propose_and_approve(
        &org,
        ProposalAction::WithdrawSol {
            destination: dest,
            amount: SOL,
        },
        &[&t.bob, &t.carol],
    );
    let p2 = p1 + 1;
    h.send(
        &[ix_create_proposal(
            &org,
            &t.bob.pubkey(),
            p2,
            ProposalAction::WithdrawSol {
                destination: dest,
                amount: SOL,
            },
        )],
        &[&t.bob],
    )
    .unwrap();
    // a config change passes (its own time-lock elapses, so p1's does too)
    let (cfg, r) = h.pass(
        &org,
        ProposalAction::SetTimeLock { seconds: 60 },
        &[t.alice(), &t.carol],
        none(),
    );
    r.unwrap();
    let o: Organizer = h.account(&org).unwrap();
    assert_eq!((o.stale_transaction_index, o.time_lock), (cfg, 60));
    assert_err(
        &h.send(
            &[ix_execute(&org, p1, &t.bob.pubkey(), Outflow::sol(dest))],
            &[&t.bob],
        ),
        BitTicketError::ProposalStale,
    );
    assert_err(
        &h.send(
            &[ix_vote(&org, p2, &t.carol.pubkey(), Vote::Approve)],
            &[&t.carol],
        ),
        BitTicketError::ProposalStale,
    );
    assert_eq!(h.lamports(&dest), 0);
    // a fresh proposal after the change works
    let (_, r) = h.pass(
        &org,
        ProposalAction::WithdrawSol {
            destination: dest,
            amount: SOL,
        },
        &[&t.bob, &t.carol],
        Outflow::sol(dest),
    );
    r.unwrap();
    assert_eq!(h.lamports(&dest), SOL);
}

#[test]
fn threshold_stays_between_one_and_the_voters() {
    let (mut h, t) = treasury();
    let org = t.org();
    let voters = [t.alice(), &t.bob];
    let i = h.next_proposal(&org);
    let r = h.send(
        &[ix_create_proposal(
            &org,
            &t.bob.pubkey(),
            i,
            ProposalAction::SetThreshold { threshold: 0 },
        )],
        &[&t.bob],
    );
    assert_err(&r, BitTicketError::InvalidThreshold);
    let (_, r) = h.pass(
        &org,
        ProposalAction::SetThreshold { threshold: 4 },
        &voters,
        none(),
    );
    assert_err(&r, BitTicketError::InvalidThreshold);
    // 3-of-3, then removing a voter would leave 2 voters under a threshold of 3
    h.pass(
        &org,
        ProposalAction::SetThreshold { threshold: 3 },
        &voters,
        none(),
    )
    .1
    .unwrap();
    let (_, r) = h.pass(
        &org,
        ProposalAction::RemoveMember {
            key: t.carol.pubkey(),
        },
        &[t.alice(), &t.bob, &t.carol],
        none(),
    );
    assert_err(&r, BitTicketError::InvalidThreshold);
    h.pass(
        &org,
        ProposalAction::SetThreshold { threshold: 2 },
        &[t.alice(), &t.bob, &t.carol],
        none(),
    )
    .1
    .unwrap();
    h.pass(
        &org,
        ProposalAction::RemoveMember {
            key: t.carol.pubkey(),
        },
        &voters,
        none(),
    )
    .1
    .unwrap();
    let o: Organizer = h.account(&org).unwrap();
    assert_eq!((o.threshold, o.voter_count()), (2, 2));
}

#[test]
fn members_change_only_within_the_bounds() {
    let (mut h, t) = treasury();
    let org = t.org();
    let v = [&t.bob, &t.carol];
    let bad = Member {
        key: Address::new_unique(),
        permissions: 0x80,
    };
    assert_err(
        &h.pass(&org, ProposalAction::AddMember { member: bad }, &v, none())
            .1,
        BitTicketError::InvalidPermissions,
    );
    let dup = Member {
        key: t.bob.pubkey(),
        permissions: permission::VOTE,
    };
    assert_err(
        &h.pass(&org, ProposalAction::AddMember { member: dup }, &v, none())
            .1,
        BitTicketError::MemberAlreadyExists,
    );
    assert_err(
        &h.pass(
            &org,
            ProposalAction::RemoveMember {
                key: Address::new_unique(),
            },
            &v,
            none(),
        )
        .1,
        BitTicketError::NotAMember,
    );
    // the creator is the only admin
    let r = h
        .pass(
            &org,
            ProposalAction::RemoveMember {
                key: t.alice().pubkey(),
            },
            &v,
            none(),
        )
        .1;
    assert_err(&r, BitTicketError::LastAdmin);
    // fill up to the bound
    for _ in 4..bitticket::constants::MAX_MEMBERS {
        let m = Member {
            key: Address::new_unique(),
            permissions: permission::GATEKEEPER,
        };
        h.pass(&org, ProposalAction::AddMember { member: m }, &v, none())
            .1
            .unwrap();
    }
    let m = Member {
        key: Address::new_unique(),
        permissions: permission::GATEKEEPER,
    };
    assert_err(
        &h.pass(&org, ProposalAction::AddMember { member: m }, &v, none())
            .1,
        BitTicketError::TooManyMembers,
    );
}
