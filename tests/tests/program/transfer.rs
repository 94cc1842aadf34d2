use anchor_lang::error::ErrorCode as Anchor;
use anchor_spl::token_2022::spl_token_2022::state::AccountState;
use bitticket_tests::*;
use solana_signer::Signer;

#[test]
fn resale_is_locked_until_the_unlock_time_then_moves_the_frozen_ticket() {
    let (mut h, s, b) = sale_with_one_ticket(1);
    let (alice, mint) = (b.buyer.pubkey(), b.mint.pubkey());
    let carol = h.wallet(SOL);
    let unlock = config(10, SOL, 2).resale_unlock;
    h.set_time(unlock - 1);
    assert_err(
        &h.send(
            &[ix_transfer_ticket(&alice, &carol.pubkey(), &s.event, &mint)],
            &[&b.buyer],
        ),
        BitTicketError::ResaleLocked,
    );
    h.set_time(unlock);
    h.send(
        &[ix_transfer_ticket(&alice, &carol.pubkey(), &s.event, &mint)],
        &[&b.buyer],
    )
    .unwrap();
    let from = h.token(&ata(&alice, &mint)).unwrap();
    let to = h.token(&ata(&carol.pubkey(), &mint)).unwrap();
    assert_eq!((from.amount, from.state), (0, AccountState::Initialized));
    assert_eq!(
        (to.amount, to.owner, to.state),
        (1, carol.pubkey(), AccountState::Frozen)
    );
    assert_eq!(
        h.account::<Ticket>(&ticket_pda(&mint)).unwrap().holder,
        carol.pubkey()
    );
    // and onward again, back to alice whose emptied account is reused
    h.send(
        &[ix_transfer_ticket(&carol.pubkey(), &alice, &s.event, &mint)],
        &[&carol],
    )
    .unwrap();
    assert_eq!(h.token(&ata(&alice, &mint)).unwrap().amount, 1);
}

#[test]
fn a_ticket_cannot_move_outside_the_program() {
    let (mut h, _s, b) = sale_with_one_ticket(1);
    let (alice, mint) = (b.buyer.pubkey(), b.mint.pubkey());
    let carol = h.wallet(SOL);
    h.set_time(T0 + 20_000);
    let create = anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account(
        &alice, &carol.pubkey(), &mint, &TICKET_TOKEN,
    );
    let direct = anchor_spl::token_2022::spl_token_2022::instruction::transfer_checked(
        &TICKET_TOKEN,
        &ata(&alice, &mint),
        &mint,
        &ata(&carol.pubkey(), &mint),
        &alice,
        &[],
        1,
        0,
    )
    .unwrap();
    let r = h.send(&[create, direct], &[&b.buyer]);
    // Token-2022 refuses: the account is frozen (TokenError::AccountFrozen = 17)
    assert_code(&r, 17);
    assert_eq!(h.token(&ata(&alice, &mint)).unwrap().amount, 1);
}

#[test]
fn transfer_rules() {
    let (mut h, s, b) = sale_with_one_ticket(1);
    let (alice, mint) = (b.buyer.pubkey(), b.mint.pubkey());
    let mallory = h.wallet(SOL);
    h.set_time(T0 + 20_000);
    // to oneself: from and to are the same mutable token account
    assert_anchor(
        &h.send(
            &[ix_transfer_ticket(&alice, &alice, &s.event, &mint)],
            &[&b.buyer],
        ),
        Anchor::ConstraintDuplicateMutableAccount,
    );
    // mallory names herself as holder: she has no token account for this mint
    let r = h.send(
        &[ix_transfer_ticket(
            &mallory.pubkey(),
            &mallory.pubkey(),
            &s.event,
            &mint,
        )],
        &[&mallory],
    );
    assert_anchor(&r, Anchor::AccountNotInitialized);
    // mallory signs but points at alice's token account
    let mut ix = ix_transfer_ticket(&mallory.pubkey(), &h.wallet(SOL).pubkey(), &s.event, &mint);
    ix.accounts[5].pubkey = ata(&alice, &mint);
    assert_failed(&h.send(&[ix], &[&mallory]));
    // holder must sign
    let mut ix = ix_transfer_ticket(&alice, &mallory.pubkey(), &s.event, &mint);
    ix.accounts[0].is_signer = false;
    assert_anchor(&h.send(&[ix], &[&mallory]), Anchor::AccountNotSigner);
    // the ticket of this event under another event (PDA sharing)
    let other = Sale::new(&mut h, config(10, SOL, 2), 1);
    assert_anchor(
        &h.send(
            &[ix_transfer_ticket(
                &alice,
                &mallory.pubkey(),
                &other.event,
                &mint,
            )],
            &[&b.buyer],
        ),
        Anchor::ConstraintHasOne,
    );
    assert_eq!(
        h.account::<Ticket>(&ticket_pda(&mint)).unwrap().holder,
        alice
    );
}

#[test]
fn a_checked_in_ticket_cannot_be_resold() {
    let (mut h, s, b) = sale_with_one_ticket(1);
    let (alice, mint) = (b.buyer.pubkey(), b.mint.pubkey());
    h.set_time(T0 + 30_000);
    h.send(
        &check_in_ixs(
            &h,
            &s.gatekeeper.pubkey(),
            &b.buyer,
            &s.organizer,
            &s.event,
            &mint,
        ),
        &[&s.gatekeeper],
    )
    .unwrap();
    let carol = h.wallet(SOL).pubkey();
    assert_err(
        &h.send(
            &[ix_transfer_ticket(&alice, &carol, &s.event, &mint)],
            &[&b.buyer],
        ),
        BitTicketError::TicketNotValid,
    );
}

#[test]
fn tickets_of_a_cancelled_event_do_not_move() {
    let (mut h, s, b) = sale_with_one_ticket(1);
    h.send(
        &[ix_cancel_event(&s.organizer, &s.event, &s.admin.pubkey())],
        &[&s.admin],
    )
    .unwrap();
    h.set_time(T0 + 20_000);
    let carol = h.wallet(SOL).pubkey();
    assert_err(
        &h.send(
            &[ix_transfer_ticket(
                &b.buyer.pubkey(),
                &carol,
                &s.event,
                &b.mint.pubkey(),
            )],
            &[&b.buyer],
        ),
        BitTicketError::EventCancelled,
    );
}
