use anchor_lang::error::ErrorCode as Anchor;
use bitticket_tests::*;
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
