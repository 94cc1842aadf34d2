//! Tiers: an allow-listed presale phase then a public phase, each with its own price and
//! wallet limit, sold through the tier's own shard beside the event's base sale.
use bitticket::allow_list;
use bitticket::state::{Phase, Tier, TierConfig};
use bitticket_tests::*;
use solana_keypair::Keypair;
use solana_signer::Signer;

fn buy_tier(
    h: &mut Harness,
    s: &Sale,
    buyer: &Keypair,
    price: u64,
    proof: Vec<[u8; 32]>,
) -> (Keypair, TxResult) {
    let mint = ticket_mint(&buyer.pubkey());
    let r = h.send(
        &[ix_purchase_tier(
            &buyer.pubkey(),
            &s.event,
            0,
            1,
            &mint.pubkey(),
            price,
            proof,
        )],
        &[buyer, &mint],
    );
    (mint, r)
}

#[test]
fn a_presale_for_the_allow_list_then_a_public_phase() {
    let mut h = Harness::new().expect("load the program");
    let s = Sale::new(&mut h, config(10, SOL, 4), 1);
    let (alice, bob) = (h.wallet(10 * SOL), h.wallet(10 * SOL));
    let leaves: Vec<_> = [&alice, &bob]
        .iter()
        .map(|w| allow_list::leaf(&s.event, 0, 0, &w.pubkey()))
        .collect();
    let only_alice = allow_list::root(&leaves[..1]).unwrap();
    let tier = TierConfig {
        name: "VIP".into(),
        supply: 5,
        max_per_wallet: 3,
        phases: vec![
            Phase {
                start: T0 + 100,
                end: T0 + 200,
                price: SOL / 2,
                max_per_wallet: 1,
                allow_list: only_alice,
            },
            Phase {
                start: T0 + 300,
                end: T0 + 1_000,
                price: 2 * SOL,
                max_per_wallet: 2,
                allow_list: [0; 32],
            },
        ],
    };
    h.send(
        &[
            ix_create_tier(&s.organizer, &s.event, &s.admin.pubkey(), 0, tier, 1),
            ix_open_tier_shard(&s.organizer, &s.event, &s.admin.pubkey(), 0, 1),
        ],
        &[&s.admin],
    )
    .expect("create the tier and open its shard");
    let t: Tier = h.account(&tier_pda(&s.event, 0)).unwrap();
    assert_eq!((t.serial_base, t.first_shard, t.shards_opened), (10, 1, 1));

    h.set_time(T0 + 100);
    // bob is not on the list; alice's proof is not his
    let alice_proof = allow_list::proof(&leaves[..1], 0).unwrap();
    assert_err(
        &buy_tier(&mut h, &s, &bob, SOL, alice_proof.clone()).1,
        BitTicketError::NotAllowListed,
    );
    // the presale price, not more than she signed for
    assert_err(
        &buy_tier(&mut h, &s, &alice, SOL / 4, alice_proof.clone()).1,
        BitTicketError::PriceAboveMaximum,
    );
    let before = h.lamports(&alice.pubkey());
    let (mint, r) = buy_tier(&mut h, &s, &alice, SOL / 2, alice_proof.clone());
    r.expect("alice buys in the presale");
    assert!(before - h.lamports(&alice.pubkey()) >= SOL / 2);
    let ticket: Ticket = h.account(&ticket_pda(&mint.pubkey())).unwrap();
    assert_eq!(
        (ticket.tier, ticket.serial, ticket.price_paid),
        (0, 10, SOL / 2)
    );
    assert_err(
        &buy_tier(&mut h, &s, &alice, SOL, alice_proof).1,
        BitTicketError::PhaseLimitReached,
    );
    // the base sale's shard does not sell the tier
    let mint = ticket_mint(&bob.pubkey());
    let r = h.send(
        &[ix_purchase_tier(
            &bob.pubkey(),
            &s.event,
            0,
            0,
            &mint.pubkey(),
            2 * SOL,
            vec![],
        )],
        &[&bob, &mint],
    );
    assert!(r.is_err(), "a base shard sold a tier ticket");

    h.set_time(T0 + 200);
    assert_err(
        &buy_tier(&mut h, &s, &bob, 2 * SOL, vec![]).1,
        BitTicketError::BetweenPhases,
    );
    h.set_time(T0 + 300);
    for _ in 0..2 {
        buy_tier(&mut h, &s, &bob, 2 * SOL, vec![])
            .1
            .expect("bob buys in public");
    }
    assert_err(
        &buy_tier(&mut h, &s, &bob, 2 * SOL, vec![]).1,
        BitTicketError::PhaseLimitReached,
    );
    // alice: 1 presale + 2 public would pass the tier's 3; the base sale still sells beside it
    buy_tier(&mut h, &s, &alice, 2 * SOL, vec![])
        .1
        .expect("alice buys in public");
    s.buy_as(&mut h, &alice, 0)
        .1
        .expect("the base sale sells beside the tier");
    let record: BuyerRecord = h.account(&buyer_pda(&s.event, &alice.pubkey())).unwrap();
    assert_eq!((record.purchased, record.tiers[0].bought), (3, 2));
    h.set_time(T0 + 1_000);
    assert_err(
        &buy_tier(&mut h, &s, &alice, 2 * SOL, vec![]).1,
        BitTicketError::SaleEnded,
    );
}
