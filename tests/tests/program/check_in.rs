use anchor_lang::error::ErrorCode as Anchor;
use bitticket_client::pass::{ix_check_in_with_pass, Pass, PASS_MAX_VALIDITY};
use bitticket_tests::*;
use solana_address::Address;
use solana_instruction::{AccountMeta, Instruction};
use solana_signer::Signer;

use crate::clone_with_owner;

#[test]
fn check_in_inside_the_window_admits_once() {
    let (mut h, s, b) = sale_with_one_ticket(1);
    let (mint, gk) = (b.mint.pubkey(), s.gatekeeper.pubkey());
    let c = config(10, SOL, 2);
    let go = |h: &mut Harness| {
        h.send(
            &check_in_ixs(h, &gk, &b.buyer, &s.organizer, &s.event, &mint),
            &[&s.gatekeeper],
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
    let mint = b.mint.pubkey();
    h.set_time(T0 + 30_000);
    let stranger = h.wallet(SOL);
    let r = h.send(
        &check_in_ixs(
            &h,
            &stranger.pubkey(),
            &b.buyer,
            &s.organizer,
            &s.event,
            &mint,
        ),
        &[&stranger],
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
        &check_in_ixs(
            &h,
            &finance.pubkey(),
            &b.buyer,
            &s.organizer,
            &s.event,
            &mint,
        ),
        &[&finance],
    );
    assert_err(&r, BitTicketError::MissingPermission);
    // a gatekeeper of another organizer, passing their own organizer (PDA sharing)
    let other = Sale::new(&mut h, config(10, SOL, 2), 1);
    let r = h.send(
        &check_in_ixs(
            &h,
            &other.gatekeeper.pubkey(),
            &b.buyer,
            &other.organizer,
            &s.event,
            &mint,
        ),
        &[&other.gatekeeper],
    );
    assert_anchor(&r, Anchor::ConstraintHasOne);
    // ...or passing this organizer with another event's ticket
    h.set_time(T0 + 100);
    let foreign = other.buy(&mut h, 0);
    h.set_time(T0 + 30_000);
    let r = h.send(
        &check_in_ixs(
            &h,
            &s.gatekeeper.pubkey(),
            &foreign.buyer,
            &s.organizer,
            &s.event,
            &foreign.mint.pubkey(),
        ),
        &[&s.gatekeeper],
    );
    assert_anchor(&r, Anchor::ConstraintHasOne);
}

#[test]
fn the_holder_must_hold_the_ticket() {
    let (mut h, s, b) = sale_with_one_ticket(1);
    let (alice, mint, gk) = (b.buyer.pubkey(), b.mint.pubkey(), s.gatekeeper.pubkey());
    let mallory = h.wallet(SOL);
    h.set_time(T0 + 30_000);
    // mallory's own pass, presenting alice's token account
    let mut ixs = check_in_ixs(&h, &gk, &mallory, &s.organizer, &s.event, &mint);
    ixs[1].accounts[6].pubkey = ata(&alice, &mint);
    assert_err(
        &h.send(&ixs, &[&s.gatekeeper]),
        BitTicketError::NotTicketHolder,
    );
    // a forged ticket record owned by another program
    let forged = clone_with_owner(
        &mut h,
        &ticket_pda(&mint),
        solana_address::Address::new_unique(),
    );
    let mut ixs = check_in_ixs(&h, &gk, &b.buyer, &s.organizer, &s.event, &mint);
    ixs[1].accounts[5].pubkey = forged;
    assert_anchor(
        &h.send(&ixs, &[&s.gatekeeper]),
        Anchor::AccountOwnedByWrongProgram,
    );
    // a shard posing as the ticket (type cosplay)
    let mut ixs = check_in_ixs(&h, &gk, &b.buyer, &s.organizer, &s.event, &mint);
    ixs[1].accounts[5].pubkey = shard_pda(&s.event, 0);
    assert_anchor(
        &h.send(&ixs, &[&s.gatekeeper]),
        Anchor::AccountDiscriminatorMismatch,
    );
    assert_eq!(
        h.account::<Ticket>(&ticket_pda(&mint)).unwrap().state,
        TicketState::Valid
    );
}

/// The holder's consent is its pass: signed by the holder's key, over this ticket's mint
/// and the expiry the check-in names, in the Ed25519 instruction right before it, inline.
#[test]
fn only_the_holders_own_fresh_pass_admits() {
    let (mut h, s, b) = sale_with_one_ticket(1);
    let (alice, mint, gk) = (b.buyer.pubkey(), b.mint.pubkey(), s.gatekeeper.pubkey());
    let (org, ev) = (s.organizer, s.event);
    let mallory = h.wallet(SOL);
    h.set_time(T0 + 30_000);
    let now = h.now();
    let send = |h: &mut Harness, ixs: &[Instruction]| h.send(ixs, &[&s.gatekeeper]);
    let with = |p: &Pass| ix_check_in_with_pass(&gk, p, &org, &ev);
    let good = Pass::sign(&b.buyer, &mint, now + 60);

    // no pass at all, or the pass not right before the check-in
    let bare = ix_check_in(&gk, &alice, &org, &ev, &mint, now + 60);
    assert_err(
        &send(&mut h, std::slice::from_ref(&bare)),
        BitTicketError::PassMissing,
    );
    let [sig, _] = with(&good);
    // a system transfer of nothing
    let between = Instruction {
        program_id: SYSTEM,
        accounts: vec![AccountMeta::new(gk, true), AccountMeta::new(gk, false)],
        data: [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0].to_vec(),
    };
    assert_err(
        &send(&mut h, &[sig.clone(), between, bare.clone()]),
        BitTicketError::PassMissing,
    );
    // mallory's signature, naming alice as the holder
    let by_mallory = Pass {
        holder: alice,
        ..Pass::sign(&mallory, &mint, now + 60)
    };
    let [_, check] = with(&by_mallory);
    let [mallory_sig, _] = with(&Pass::sign(&mallory, &mint, now + 60));
    assert_err(
        &send(&mut h, &[mallory_sig, check]),
        BitTicketError::PassMismatch,
    );
    // alice's pass for another ticket, or for another expiry than the check-in names
    let other_ticket = Pass::sign(&b.buyer, &Address::new_unique(), now + 60);
    let [other_sig, _] = with(&other_ticket);
    assert_err(
        &send(&mut h, &[other_sig, bare.clone()]),
        BitTicketError::PassMismatch,
    );
    let later = ix_check_in(&gk, &alice, &org, &ev, &mint, now + 61);
    assert_err(
        &send(&mut h, &[sig.clone(), later]),
        BitTicketError::PassMismatch,
    );
    // a signature the precompile verifies from another instruction's data: its parts point
    // at the first instruction, which the program does not read
    let mut pointing = sig.clone();
    for at in [4usize, 8, 14] {
        pointing.data[at..at + 2].copy_from_slice(&0u16.to_le_bytes());
    }
    assert_err(
        &send(&mut h, &[sig.clone(), pointing, bare.clone()]),
        BitTicketError::PassMismatch,
    );
    // a forged signature: the precompile fails the transaction
    let mut forged = good;
    forged.signature[0] ^= 1;
    assert!(send(&mut h, &with(&forged)).is_err());
    // the instructions sysvar swapped for another account
    let mut swapped = with(&good);
    swapped[1].accounts[7].pubkey = CLOCK;
    assert_anchor(&send(&mut h, &swapped), Anchor::ConstraintAddress);
    // expired, or valid for longer than PASS_MAX_VALIDITY
    let expired = Pass::sign(&b.buyer, &mint, now);
    assert_err(&send(&mut h, &with(&expired)), BitTicketError::PassExpired);
    let too_long = Pass::sign(&b.buyer, &mint, now + PASS_MAX_VALIDITY + 1);
    assert_err(&send(&mut h, &with(&too_long)), BitTicketError::PassTooLong);
    assert_eq!(
        h.account::<Ticket>(&ticket_pda(&mint)).unwrap().state,
        TicketState::Valid
    );

    // the holder's own pass, at the bound: admitted, and only the gatekeeper signed
    let at_bound = Pass::sign(&b.buyer, &mint, now + PASS_MAX_VALIDITY);
    send(&mut h, &with(&at_bound)).unwrap();
    // the same pass again: single entry
    h.set_time(now + 1);
    assert_err(
        &send(&mut h, &with(&at_bound)),
        BitTicketError::AlreadyCheckedIn,
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
            &check_in_ixs(&h, &gk, &b.buyer, &s.organizer, &s.event, &mint),
            &[&s.gatekeeper],
        ),
        BitTicketError::NotTicketHolder,
    );
    h.send(
        &check_in_ixs(&h, &gk, &carol, &s.organizer, &s.event, &mint),
        &[&s.gatekeeper],
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
        &check_in_ixs(
            &h,
            &s.gatekeeper.pubkey(),
            &b.buyer,
            &s.organizer,
            &s.event,
            &b.mint.pubkey(),
        ),
        &[&s.gatekeeper],
    );
    assert_err(&r, BitTicketError::EventCancelled);
}
