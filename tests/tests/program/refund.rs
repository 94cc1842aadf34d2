use anchor_lang::error::ErrorCode as Anchor;
use bitticket_tests::*;
use solana_signer::Signer;

#[test]
fn refunds_need_a_cancelled_event() {
    let (mut h, s, b) = sale_with_one_ticket(1);
    let r = h.send(
        &[ix_claim_refund(
            &b.buyer.pubkey(),
            &s.event,
            0,
            &b.mint.pubkey(),
        )],
        &[&b.buyer],
    );
    assert_err(&r, BitTicketError::EventNotCancelled);
}

#[test]
fn a_holder_of_a_cancelled_event_gets_the_price_back_once() {
    let (mut h, s, b) = sale_with_one_ticket(2);
    let (alice, mint) = (b.buyer.pubkey(), b.mint.pubkey());
    h.send(
        &[ix_cancel_event(&s.organizer, &s.event, &s.admin.pubkey())],
        &[&s.admin],
    )
    .unwrap();
    let shard = shard_pda(&s.event, 1);
    let (alice_before, shard_before) = (h.lamports(&alice), h.lamports(&shard));
    h.send(&[ix_claim_refund(&alice, &s.event, 1, &mint)], &[&b.buyer])
        .unwrap();
    assert_eq!(h.lamports(&alice), alice_before + SOL - 5_000);
    assert_eq!(h.lamports(&shard), shard_before - SOL);
    let sh: Shard = h.account(&shard).unwrap();
    assert_eq!((sh.sold, sh.revenue, sh.refunded), (1, SOL, SOL));
    assert_eq!(
        h.account::<Ticket>(&ticket_pda(&mint)).unwrap().state,
        TicketState::Refunded
    );
    let again = h.send(&[ix_claim_refund(&alice, &s.event, 1, &mint)], &[&b.buyer]);
    assert_err(&again, BitTicketError::TicketRefunded);
}

#[test]
fn refund_rules() {
    let (mut h, s, b) = sale_with_one_ticket(2);
    let (alice, mint) = (b.buyer.pubkey(), b.mint.pubkey());
    h.send(
        &[ix_cancel_event(&s.organizer, &s.event, &s.admin.pubkey())],
        &[&s.admin],
    )
    .unwrap();
    let mallory = h.wallet(SOL);
    // mallory claims alice's ticket, presenting alice's token account
    let mut ix = ix_claim_refund(&mallory.pubkey(), &s.event, 1, &mint);
    ix.accounts[5].pubkey = ata(&alice, &mint);
    assert_err(&h.send(&[ix], &[&mallory]), BitTicketError::NotTicketHolder);
    // holder must sign
    let mut ix = ix_claim_refund(&alice, &s.event, 1, &mint);
    ix.accounts[0].is_signer = false;
    assert_anchor(&h.send(&[ix], &[&mallory]), Anchor::AccountNotSigner);
    // paid from the shard that sold it, not another one
    assert_anchor(
        &h.send(&[ix_claim_refund(&alice, &s.event, 0, &mint)], &[&b.buyer]),
        Anchor::ConstraintSeeds,
    );
    // the ticket of this event against another cancelled event's shard (PDA sharing)
    let other = Sale::new(&mut h, config(10, SOL, 2), 2);
    h.send(
        &[ix_cancel_event(
            &other.organizer,
            &other.event,
            &other.admin.pubkey(),
        )],
        &[&other.admin],
    )
    .unwrap();
    assert_anchor(
        &h.send(
            &[ix_claim_refund(&alice, &other.event, 1, &mint)],
            &[&b.buyer],
        ),
        Anchor::ConstraintHasOne,
    );
    assert_eq!(
        h.account::<Ticket>(&ticket_pda(&mint)).unwrap().state,
        TicketState::Valid
    );
}

#[test]
fn a_ticket_used_before_the_cancellation_is_not_refunded() {
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
    h.send(
        &[ix_cancel_event(&s.organizer, &s.event, &s.admin.pubkey())],
        &[&s.admin],
    )
    .unwrap();
    assert_err(
        &h.send(&[ix_claim_refund(&alice, &s.event, 0, &mint)], &[&b.buyer]),
        BitTicketError::AlreadyCheckedIn,
    );
}

/// Finding 8c: a shard pays its last refunds in full after the rent-exempt minimum
/// changed (halved, as SIMD-0194 did) and keeps the reserve it was opened with: only
/// proceeds leave it, whatever the current minimum. (A rise would make the runtime refuse
/// any write to every account funded at the old minimum, tickets included, so it is not a
/// case the program can meet.)
#[test]
fn a_shards_last_refunds_are_paid_after_the_rent_changed() {
    for (num, den) in [(1, 2), (1, 4)] {
        let mut h = Harness::new().unwrap();
        let s = Sale::new(&mut h, config(10, SOL, 5), 1);
        h.set_time(T0 + 100);
        let tickets: Vec<_> = (0..3).map(|_| s.buy(&mut h, 0)).collect();
        h.send(
            &[ix_cancel_event(&s.organizer, &s.event, &s.admin.pubkey())],
            &[&s.admin],
        )
        .unwrap();
        let shard = shard_pda(&s.event, 0);
        let reserve = h.account::<Shard>(&shard).unwrap().reserve;
        h.scale_rent(num, den);
        for b in &tickets {
            let before = h.lamports(&b.buyer.pubkey());
            let r = h.send(
                &[ix_claim_refund(
                    &b.buyer.pubkey(),
                    &s.event,
                    0,
                    &b.mint.pubkey(),
                )],
                &[&b.buyer],
            );
            if let Err(e) = &r {
                panic!("rent x{num}/{den}: {:?}\n{}", e.err, e.meta.logs.join("\n"));
            }
            assert_eq!(h.lamports(&b.buyer.pubkey()), before + SOL - 5_000);
        }
        let sh: Shard = h.account(&shard).unwrap();
        assert_eq!((sh.held(), sh.refunded), (0, 3 * SOL));
        assert_eq!(h.lamports(&shard), reserve, "rent x{num}/{den}");
    }
}
