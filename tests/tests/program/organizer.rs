use anchor_lang::error::ErrorCode as Anchor;
use bitticket::constants::{MAX_MEMBERS, MAX_TIME_LOCK};
use bitticket_tests::*;
use solana_address::Address;
use solana_signer::Signer;

use crate::{clone_with_owner, rewrite};

#[test]
fn create_organizer_makes_the_creator_an_admin_with_every_role() {
    let mut h = Harness::new().unwrap();
    let alice = h.wallet(10 * SOL);
    h.send(&[ix_create_organizer(&alice.pubkey(), 1)], &[&alice])
        .unwrap();
    let org: Organizer = h.account(&organizer_pda(&alice.pubkey(), 1)).unwrap();
    assert_eq!(org.creator, alice.pubkey());
    assert_eq!(org.organizer_id, 1);
    assert_eq!(org.next_event_id, 0);
    assert_eq!(org.members.len(), 1);
    assert_eq!(org.members[0].key, alice.pubkey());
    assert_eq!(org.members[0].permissions, permission::ALL);
    org.invariant().unwrap();
}

/// The one-shot setup: name, members, threshold and time-lock in the creating transaction.
#[test]
fn create_organizer_sets_up_its_multisig_in_one_transaction() {
    let mut h = Harness::new().unwrap();
    let alice = h.wallet(10 * SOL);
    let (bob, carol) = (h.wallet(SOL).pubkey(), h.wallet(SOL).pubkey());
    let member = |key, permissions| Member { key, permissions };
    let setup = OrganizerSetup {
        name: "Lagoon Nights".into(),
        members: vec![
            member(bob, permission::MULTISIG),
            member(carol, permission::MULTISIG | permission::GATEKEEPER),
        ],
        threshold: 2,
        time_lock: 3_600,
    };
    let r = h
        .send(
            &[ix_create_organizer_with(&alice.pubkey(), 7, setup.clone())],
            &[&alice],
        )
        .unwrap();
    let org: Organizer = h.account(&organizer_pda(&alice.pubkey(), 7)).unwrap();
    assert_eq!(org.name, "Lagoon Nights");
    assert_eq!((org.threshold, org.time_lock), (2, 3_600));
    assert_eq!(
        org.members,
        vec![
            member(alice.pubkey(), permission::ALL),
            member(bob, permission::MULTISIG),
            member(carol, permission::MULTISIG | permission::GATEKEEPER),
        ]
    );
    assert!(org.needs_proposals());
    org.invariant().unwrap();
    println!(
        "create_organizer with 3 members: {} CU",
        r.compute_units_consumed
    );

    // the creator listed with fewer roles keeps only those
    let listed = OrganizerSetup {
        members: vec![
            member(alice.pubkey(), permission::ADMIN | permission::MULTISIG),
            member(bob, permission::MULTISIG),
        ],
        ..setup.clone()
    };
    h.send(
        &[ix_create_organizer_with(&alice.pubkey(), 8, listed)],
        &[&alice],
    )
    .unwrap();
    let org: Organizer = h.account(&organizer_pda(&alice.pubkey(), 8)).unwrap();
    assert_eq!(
        org.members[0],
        member(alice.pubkey(), permission::ADMIN | permission::MULTISIG)
    );
}

/// A setup the organizer could not be governed by, or with a bad name, is refused whole.
#[test]
fn create_organizer_refuses_an_ungovernable_setup_or_a_bad_name() {
    let mut h = Harness::new().unwrap();
    let alice = h.wallet(10 * SOL);
    let bob = h.wallet(SOL).pubkey();
    let member = |key, permissions| Member { key, permissions };
    let base = OrganizerSetup::single("Lagoon Nights");
    let cases: Vec<(OrganizerSetup, BitTicketError)> = vec![
        // more approvals than voters
        (
            OrganizerSetup {
                threshold: 3,
                members: vec![member(bob, permission::MULTISIG)],
                ..base.clone()
            },
            BitTicketError::InvalidThreshold,
        ),
        (
            OrganizerSetup {
                threshold: 0,
                ..base.clone()
            },
            BitTicketError::InvalidThreshold,
        ),
        // a key twice
        (
            OrganizerSetup {
                members: vec![
                    member(bob, permission::MULTISIG),
                    member(bob, permission::FINANCE),
                ],
                ..base.clone()
            },
            BitTicketError::MemberAlreadyExists,
        ),
        // unknown or no role bits
        (
            OrganizerSetup {
                members: vec![member(bob, 0)],
                ..base.clone()
            },
            BitTicketError::InvalidPermissions,
        ),
        (
            OrganizerSetup {
                members: vec![member(bob, 0x80)],
                ..base.clone()
            },
            BitTicketError::InvalidPermissions,
        ),
        // no admin left: the creator listed as a gatekeeper only
        (
            OrganizerSetup {
                members: vec![member(
                    alice.pubkey(),
                    permission::GATEKEEPER | permission::MULTISIG,
                )],
                ..base.clone()
            },
            BitTicketError::LastAdmin,
        ),
        // more members than the account holds
        (
            OrganizerSetup {
                members: (0..MAX_MEMBERS)
                    .map(|_| member(Address::new_unique(), permission::FINANCE))
                    .collect(),
                ..base.clone()
            },
            BitTicketError::TooManyMembers,
        ),
        (
            OrganizerSetup {
                time_lock: MAX_TIME_LOCK + 1,
                ..base.clone()
            },
            BitTicketError::InvalidTimeLock,
        ),
        (OrganizerSetup::single(""), BitTicketError::InvalidName),
        (
            OrganizerSetup::single("tab\there"),
            BitTicketError::InvalidName,
        ),
        (
            OrganizerSetup::single(&"x".repeat(65)),
            BitTicketError::InvalidName,
        ),
    ];
    for (i, (setup, err)) in cases.into_iter().enumerate() {
        let r = h.send(
            &[ix_create_organizer_with(
                &alice.pubkey(),
                100 + i as u64,
                setup,
            )],
            &[&alice],
        );
        assert_err(&r, err);
        assert!(!h.exists(&organizer_pda(&alice.pubkey(), 100 + i as u64)));
    }
}

#[test]
fn create_organizer_twice_is_refused_and_state_kept() {
    let mut h = Harness::new().unwrap();
    let alice = h.wallet(10 * SOL);
    let bob = h.wallet(SOL);
    let org = organizer_pda(&alice.pubkey(), 1);
    h.send(&[ix_create_organizer(&alice.pubkey(), 1)], &[&alice])
        .unwrap();
    h.send(
        &[ix_add_member(
            &org,
            &alice.pubkey(),
            &bob.pubkey(),
            permission::FINANCE,
        )],
        &[&alice],
    )
    .unwrap();
    let again = h.send(&[ix_create_organizer(&alice.pubkey(), 1)], &[&alice]);
    assert_failed(&again);
    let o: Organizer = h.account(&org).unwrap();
    assert_eq!(
        o.members.len(),
        2,
        "reinitialisation must not reset members"
    );
}

#[test]
fn create_organizer_without_the_creators_signature_is_refused() {
    let mut h = Harness::new().unwrap();
    let alice = h.wallet(10 * SOL);
    let mallory = h.wallet(10 * SOL);
    let mut ix = ix_create_organizer(&alice.pubkey(), 1);
    ix.accounts[2].is_signer = false;
    assert_anchor(&h.send(&[ix], &[&mallory]), Anchor::AccountNotSigner);
}

#[test]
fn admin_adds_and_removes_members() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(10, SOL, 2), 1);
    let bob = h.wallet(SOL);
    h.send(
        &[ix_add_member(
            &s.organizer,
            &s.admin.pubkey(),
            &bob.pubkey(),
            permission::EVENT_MANAGER | permission::FINANCE,
        )],
        &[&s.admin],
    )
    .unwrap();
    let o: Organizer = h.account(&s.organizer).unwrap();
    assert_eq!(
        o.permissions_of(&bob.pubkey()),
        Some(permission::EVENT_MANAGER | permission::FINANCE)
    );
    assert_eq!(o.members.len(), 3);
    h.send(
        &[ix_remove_member(
            &s.organizer,
            &s.admin.pubkey(),
            &bob.pubkey(),
        )],
        &[&s.admin],
    )
    .unwrap();
    let o: Organizer = h.account(&s.organizer).unwrap();
    assert_eq!(o.permissions_of(&bob.pubkey()), None);
    assert_eq!(o.members.len(), 2);
}

#[test]
fn add_member_rules() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(10, SOL, 2), 1);
    let (admin, org) = (s.admin.pubkey(), s.organizer);
    let bob = h.wallet(SOL).pubkey();
    let stranger = h.wallet(SOL);
    // not an admin (the gatekeeper) / not a member at all
    assert_err(
        &h.send(
            &[ix_add_member(&org, &s.gatekeeper.pubkey(), &bob, 1)],
            &[&s.gatekeeper],
        ),
        BitTicketError::MissingPermission,
    );
    assert_err(
        &h.send(
            &[ix_add_member(&org, &stranger.pubkey(), &bob, 1)],
            &[&stranger],
        ),
        BitTicketError::NotAMember,
    );
    // empty or unknown permission bits
    assert_err(
        &h.send(&[ix_add_member(&org, &admin, &bob, 0)], &[&s.admin]),
        BitTicketError::InvalidPermissions,
    );
    assert_err(
        &h.send(&[ix_add_member(&org, &admin, &bob, 0x80)], &[&s.admin]),
        BitTicketError::InvalidPermissions,
    );
    // already a member
    assert_err(
        &h.send(
            &[ix_add_member(&org, &admin, &s.gatekeeper.pubkey(), 1)],
            &[&s.admin],
        ),
        BitTicketError::MemberAlreadyExists,
    );
    // bound on members
    for _ in 2..bitticket::constants::MAX_MEMBERS {
        let k = solana_address::Address::new_unique();
        h.send(
            &[ix_add_member(&org, &admin, &k, permission::GATEKEEPER)],
            &[&s.admin],
        )
        .unwrap();
    }
    assert_err(
        &h.send(&[ix_add_member(&org, &admin, &bob, 1)], &[&s.admin]),
        BitTicketError::TooManyMembers,
    );
    // missing signer
    let mut ix = ix_add_member(&org, &admin, &bob, 1);
    ix.accounts[1].is_signer = false;
    assert_anchor(&h.send(&[ix], &[&stranger]), Anchor::AccountNotSigner);
}

#[test]
fn remove_member_rules() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(10, SOL, 2), 1);
    let (admin, org) = (s.admin.pubkey(), s.organizer);
    // the creator holds the vault's multi-signature roles: only a proposal removes them
    let r = h.send(&[ix_remove_member(&org, &admin, &admin)], &[&s.admin]);
    assert_err(&r, BitTicketError::MultisigRoleNeedsProposal);
    let r = h.send(
        &[ix_remove_member(
            &org,
            &admin,
            &solana_address::Address::new_unique(),
        )],
        &[&s.admin],
    );
    assert_err(&r, BitTicketError::NotAMember);
    let r = h.send(
        &[ix_remove_member(&org, &s.gatekeeper.pubkey(), &admin)],
        &[&s.gatekeeper],
    );
    assert_err(&r, BitTicketError::MissingPermission);
    // a second admin removes a member, then themselves (the creator stays admin)
    let second = h.wallet(SOL);
    h.send(
        &[ix_add_member(
            &org,
            &admin,
            &second.pubkey(),
            permission::ADMIN,
        )],
        &[&s.admin],
    )
    .unwrap();
    h.send(
        &[ix_remove_member(
            &org,
            &second.pubkey(),
            &s.gatekeeper.pubkey(),
        )],
        &[&second],
    )
    .unwrap();
    h.send(
        &[ix_remove_member(&org, &second.pubkey(), &second.pubkey())],
        &[&second],
    )
    .unwrap();
    let o: Organizer = h.account(&org).unwrap();
    assert_eq!((o.admin_count(), o.members.len()), (1, 1));
}

#[test]
fn admins_cannot_grant_multisig_roles() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(10, SOL, 2), 1);
    let bob = h.wallet(SOL).pubkey();
    for bit in [permission::PROPOSE, permission::VOTE, permission::EXECUTE] {
        let r = h.send(
            &[ix_add_member(
                &s.organizer,
                &s.admin.pubkey(),
                &bob,
                permission::FINANCE | bit,
            )],
            &[&s.admin],
        );
        assert_err(&r, BitTicketError::MultisigRoleNeedsProposal);
    }
}

#[test]
fn forged_organizer_owned_by_another_program_is_refused() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(10, SOL, 2), 1);
    let forged = clone_with_owner(&mut h, &s.organizer, solana_address::Address::new_unique());
    let bob = h.wallet(SOL).pubkey();
    assert_anchor(
        &h.send(
            &[ix_add_member(&forged, &s.admin.pubkey(), &bob, 1)],
            &[&s.admin],
        ),
        Anchor::AccountOwnedByWrongProgram,
    );
}

#[test]
fn event_account_cannot_pose_as_an_organizer() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(10, SOL, 2), 1);
    let bob = h.wallet(SOL).pubkey();
    assert_anchor(
        &h.send(
            &[ix_add_member(&s.event, &s.admin.pubkey(), &bob, 1)],
            &[&s.admin],
        ),
        Anchor::AccountDiscriminatorMismatch,
    );
}

#[test]
fn event_id_counter_overflow_is_refused() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(10, SOL, 2), 1);
    let mut o: Organizer = h.account(&s.organizer).unwrap();
    o.next_event_id = u64::MAX;
    rewrite(&mut h, &s.organizer, &o);
    let event = event_pda(&s.organizer, u64::MAX);
    let r = h.send(
        &[ix_create_event(
            &s.organizer,
            &event,
            &s.admin.pubkey(),
            config(10, SOL, 2),
            1,
        )],
        &[&s.admin],
    );
    assert_err(&r, BitTicketError::Overflow);
}
