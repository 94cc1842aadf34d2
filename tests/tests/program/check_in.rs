use anchor_lang::error::ErrorCode as Anchor;
use bitticket_tests::*;
use solana_signer::Signer;

use crate::clone_with_owner;

#[test]
fn check_in_inside_the_window_admits_once() {
    let (mut h, s, b) = sale_with_one_ticket(1);
    let (alice, mint, gk) = (b.buyer.pubkey(), b.mint.pubkey(), s.gatekeeper.pubkey());
    let c = config(10, SOL, 2);
    let go = |h: &mut Harness| {
        h.send(
            &[ix_check_in(&gk, &alice, &s.organizer, &s.event, &mint)],
            &[&s.gatekeeper, &b.buyer],
        )
    };
    h.set_time(c.check_in_start - 1);
    assert_err(&go(&mut h), BitTicketError::CheckInClosed);
    h.set_time(c.check_in_end);
    assert_err(&go(&mut h), BitTicketError::CheckInClosed);
    h.set_time(c.check_in_start);
    go(&mut h).unwrap();
    let t: Ticket = h.account(&ticket_pda(&mint)).unwrap();
    assert_eq!(
        (t.state, t.checked_in_at),
        (TicketState::CheckedIn, c.check_in_start)
    );
    h.set_time(c.check_in_start + 5);
    assert_err(&go(&mut h), BitTicketError::AlreadyCheckedIn);
}

#[test]
fn only_gatekeepers_of_this_organizer_admit() {
    let (mut h, s, b) = sale_with_one_ticket(1);
    let (alice, mint) = (b.buyer.pubkey(), b.mint.pubkey());
    h.set_time(T0 + 30_000);
    let stranger = h.wallet(SOL);
    let r = h.send(
        &[ix_check_in(
            &stranger.pubkey(),
            &alice,
            &s.organizer,
            &s.event,
            &mint,
        )],
        &[&stranger, &b.buyer],
    );
    assert_err(&r, BitTicketError::NotAMember);
    let finance = h.wallet(SOL);
    h.send(
        &[ix_add_member(
            &s.organizer,
            &s.admin.pubkey(),
            &finance.pubkey(),
            permission::FINANCE,
        )],
        &[&s.admin],
    )
    .unwrap();
    let r = h.send(
        &[ix_check_in(
            &finance.pubkey(),
            &alice,
            &s.organizer,
            &s.event,
            &mint,
        )],
        &[&finance, &b.buyer],
    );
    assert_err(&r, BitTicketError::MissingPermission);
    // a gatekeeper of another organizer, passing their own organizer (PDA sharing)
    let other = Sale::new(&mut h, config(10, SOL, 2), 1);
    let r = h.send(
        &[ix_check_in(
            &other.gatekeeper.pubkey(),
            &alice,
            &other.organizer,
            &s.event,
            &mint,
        )],
        &[&other.gatekeeper, &b.buyer],
    );
    assert_anchor(&r, Anchor::ConstraintHasOne);
    // ...or passing this organizer with another event's ticket
    h.set_time(T0 + 100);
    let foreign = other.buy(&mut h, 0);
    h.set_time(T0 + 30_000);
    let r = h.send(
        &[ix_check_in(
            &s.gatekeeper.pubkey(),
            &foreign.buyer.pubkey(),
            &s.organizer,
            &s.event,
            &foreign.mint.pubkey(),
        )],
        &[&s.gatekeeper, &foreign.buyer],
    );
    assert_anchor(&r, Anchor::ConstraintHasOne);
}

#[test]
fn the_holder_must_sign_and_hold_the_ticket() {
    let (mut h, s, b) = sale_with_one_ticket(1);
    let (alice, mint, gk) = (b.buyer.pubkey(), b.mint.pubkey(), s.gatekeeper.pubkey());
    let mallory = h.wallet(SOL);
    h.set_time(T0 + 30_000);
    // without the holder's signature
    let mut ix = ix_check_in(&gk, &alice, &s.organizer, &s.event, &mint);
    ix.accounts[1].is_signer = false;
    assert_anchor(&h.send(&[ix], &[&s.gatekeeper]), Anchor::AccountNotSigner);
    // mallory signs, presenting alice's token account
    let mut ix = ix_check_in(&gk, &mallory.pubkey(), &s.organizer, &s.event, &mint);
    ix.accounts[6].pubkey = ata(&alice, &mint);
    assert_err(
        &h.send(&[ix], &[&s.gatekeeper, &mallory]),
        BitTicketError::NotTicketHolder,
    );
    // a forged ticket record owned by another program
    let forged = clone_with_owner(
        &mut h,
        &ticket_pda(&mint),
        solana_address::Address::new_unique(),
    );
    let mut ix = ix_check_in(&gk, &alice, &s.organizer, &s.event, &mint);
    ix.accounts[5].pubkey = forged;
    assert_anchor(
        &h.send(&[ix], &[&s.gatekeeper, &b.buyer]),
        Anchor::AccountOwnedByWrongProgram,
    );
    // a shard posing as the ticket (type cosplay)
    let mut ix = ix_check_in(&gk, &alice, &s.organizer, &s.event, &mint);
    ix.accounts[5].pubkey = shard_pda(&s.event, 0);
    assert_anchor(
        &h.send(&[ix], &[&s.gatekeeper, &b.buyer]),
        Anchor::AccountDiscriminatorMismatch,
    );
    assert_eq!(
        h.account::<Ticket>(&ticket_pda(&mint)).unwrap().state,
        TicketState::Valid
    );
}

#[test]
fn after_a_resale_only_the_new_holder_enters() {
    let (mut h, s, b) = sale_with_one_ticket(1);
    let (alice, mint, gk) = (b.buyer.pubkey(), b.mint.pubkey(), s.gatekeeper.pubkey());
    let carol = h.wallet(SOL);
    h.set_time(T0 + 20_000);
    h.send(
        &[ix_transfer_ticket(&alice, &carol.pubkey(), &s.event, &mint)],
        &[&b.buyer],
    )
    .unwrap();
    h.set_time(T0 + 30_000);
    assert_err(
        &h.send(
            &[ix_check_in(&gk, &alice, &s.organizer, &s.event, &mint)],
            &[&s.gatekeeper, &b.buyer],
        ),
        BitTicketError::NotTicketHolder,
    );
    h.send(
        &[ix_check_in(
            &gk,
            &carol.pubkey(),
            &s.organizer,
            &s.event,
            &mint,
        )],
        &[&s.gatekeeper, &carol],
    )
    .unwrap();
}

#[test]
fn a_cancelled_event_admits_nobody() {
    let (mut h, s, b) = sale_with_one_ticket(1);
    h.send(
        &[ix_cancel_event(&s.organizer, &s.event, &s.admin.pubkey())],
        &[&s.admin],
    )
    .unwrap();
    h.set_time(T0 + 30_000);
    let r = h.send(
        &[ix_check_in(
            &s.gatekeeper.pubkey(),
            &b.buyer.pubkey(),
            &s.organizer,
            &s.event,
            &b.mint.pubkey(),
        )],
        &[&s.gatekeeper, &b.buyer],
    );
    assert_err(&r, BitTicketError::EventCancelled);
}
