//! The capped resale market: terms, list, delist, buy a listing; the free-transfer switch.
use anchor_lang::error::ErrorCode as Anchor;
use anchor_spl::token_2022::spl_token_2022::state::AccountState;
use bitticket_tests::*;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;

/// 120% of face value at most, 10% royalty.
const TERMS: ResaleTerms = ResaleTerms {
    cap_bps: 12_000,
    royalty_bps: 1_000,
    transfers_locked: false,
};

/// A sale of 10 tickets at 1 SOL with `terms` set before it starts, one ticket bought
/// through its last shard, and the clock at the resale unlock.
fn market(terms: ResaleTerms) -> (Harness, Sale, Bought) {
    let mut h = Harness::new().expect("load the program");
    let s = Sale::new(&mut h, config(10, SOL, 2), 2);
    h.send(
        &[ix_set_resale_terms(
            &s.organizer,
            &s.event,
            &s.admin.pubkey(),
            terms,
        )],
        &[&s.admin],
    )
    .expect("resale terms");
    h.set_time(T0 + 100);
    let b = s.buy(&mut h, 1);
    h.set_time(config(10, SOL, 2).resale_unlock);
    (h, s, b)
}

fn list(h: &mut Harness, s: &Sale, seller: &Keypair, mint: &Keypair, price: u64) -> TxResult {
    h.send(
        &[ix_list_ticket(
            &seller.pubkey(),
            &s.event,
            &mint.pubkey(),
            price,
        )],
        &[seller],
    )
}

fn buy(
    h: &mut Harness,
    s: &Sale,
    buyer: &Keypair,
    seller: &Keypair,
    b: &Bought,
    max_price: u64,
) -> TxResult {
    h.send(
        &[ix_buy_listing(
            &buyer.pubkey(),
            &seller.pubkey(),
            &s.event,
            &b.mint.pubkey(),
            b.shard,
            max_price,
        )],
        &[buyer],
    )
}

#[test]
fn a_listing_sells_at_most_at_the_cap_and_its_royalty_joins_the_shards_proceeds() {
    let (mut h, s, b) = market(TERMS);
    let (alice, mint) = (b.buyer.pubkey(), b.mint.pubkey());
    let listing = listing_pda(&ticket_pda(&mint));
    assert_err(
        &list(&mut h, &s, &b.buyer, &b.mint, SOL * 12 / 10 + 1),
        BitTicketError::AboveResaleCap,
    );
    list(&mut h, &s, &b.buyer, &b.mint, SOL * 12 / 10).unwrap();
    let l: Listing = h.account(&listing).unwrap();
    assert_eq!((l.seller, l.price, l.mint), (alice, SOL * 12 / 10, mint));
    // the ticket stays frozen with its holder, the event PDA its delegate for one token
    let held = h.token(&ata(&alice, &mint)).unwrap();
    assert_eq!(
        (held.amount, held.state, held.delegated_amount),
        (1, AccountState::Frozen, 1)
    );
    assert_eq!(
        Option::<solana_address::Address>::from(held.delegate),
        Some(s.event)
    );

    let bob = h.wallet(10 * SOL);
    assert_err(
        &buy(&mut h, &s, &bob, &b.buyer, &b, SOL),
        BitTicketError::PriceAboveMaximum,
    );
    let shard = shard_pda(&s.event, b.shard);
    let (alice_before, shard_before) = (h.lamports(&alice), h.lamports(&shard));
    let revenue_before = h.account::<Shard>(&shard).unwrap().revenue;
    let rent = h.lamports(&listing);
    buy(&mut h, &s, &bob, &b.buyer, &b, SOL * 12 / 10).unwrap();
    let royalty = SOL * 12 / 100;
    assert_eq!(
        h.lamports(&alice) - alice_before,
        SOL * 12 / 10 - royalty + rent,
        "the price less the royalty, and the listing's rent back"
    );
    assert_eq!(h.lamports(&shard) - shard_before, royalty);
    assert_eq!(
        h.account::<Shard>(&shard).unwrap().revenue - revenue_before,
        royalty
    );
    assert!(!h.exists(&listing));
    let to = h.token(&ata(&bob.pubkey(), &mint)).unwrap();
    assert_eq!(
        (to.amount, to.owner, to.state),
        (1, bob.pubkey(), AccountState::Frozen)
    );
    assert_eq!(h.token(&ata(&alice, &mint)).unwrap().amount, 0);
    let t: Ticket = h.account(&ticket_pda(&mint)).unwrap();
    assert_eq!((t.holder, t.price_paid), (bob.pubkey(), SOL));
    // the cap stays the face value's share: bob relists at most at 1.2 SOL again
    let bought = Bought {
        buyer: bob,
        mint: b.mint,
        shard: b.shard,
    };
    assert_err(
        &list(&mut h, &s, &bought.buyer, &bought.mint, SOL * 12 / 10 + 1),
        BitTicketError::AboveResaleCap,
    );
    list(&mut h, &s, &bought.buyer, &bought.mint, SOL).unwrap();

    // cancelled: the listing is void, and the holder's refund is the face value, paid
    // from the shard that now also holds the royalty
    h.send(
        &[ix_cancel_event(&s.organizer, &s.event, &s.admin.pubkey())],
        &[&s.admin],
    )
    .unwrap();
    let carol = h.wallet(10 * SOL);
    assert_err(
        &buy(&mut h, &s, &carol, &bought.buyer, &bought, SOL),
        BitTicketError::EventCancelled,
    );
    let bob = bought.buyer.pubkey();
    let before = h.lamports(&bob);
    h.send(
        &[ix_claim_refund(&bob, &s.event, b.shard, &mint)],
        &[&bought.buyer],
    )
    .unwrap();
    assert!(h.lamports(&bob) > before + SOL - 10_000);
    let sh: Shard = h.account(&shard).unwrap();
    assert_eq!((sh.revenue, sh.refunded), (SOL + royalty, SOL));
    // anyone closes the void listing; its rent goes to its seller
    let rent = h.lamports(&listing);
    let before = h.lamports(&bob);
    h.send(
        &[ix_delist_ticket(&carol.pubkey(), &bob, &s.event, &mint)],
        &[&carol],
    )
    .unwrap();
    assert_eq!(h.lamports(&bob) - before, rent);
}

#[test]
fn resale_terms_are_sale_terms() {
    let mut h = Harness::new().expect("load the program");
    let s = Sale::new(&mut h, config(10, SOL, 2), 1);
    let set = |h: &mut Harness, who: &Keypair, terms: ResaleTerms| {
        h.send(
            &[ix_set_resale_terms(
                &s.organizer,
                &s.event,
                &who.pubkey(),
                terms,
            )],
            &[who],
        )
    };
    let too_high = ResaleTerms {
        cap_bps: 50_001,
        ..TERMS
    };
    assert_err(
        &set(&mut h, &s.admin, too_high),
        BitTicketError::InvalidResaleTerms,
    );
    let greedy = ResaleTerms {
        royalty_bps: 5_001,
        ..TERMS
    };
    assert_err(
        &set(&mut h, &s.admin, greedy),
        BitTicketError::InvalidResaleTerms,
    );
    // a gatekeeper is a member without the event manager's role; a stranger is none
    assert_err(
        &set(&mut h, &s.gatekeeper, TERMS),
        BitTicketError::MissingPermission,
    );
    let mallory = h.wallet(SOL);
    assert_err(&set(&mut h, &mallory, TERMS), BitTicketError::NotAMember);
    // the manager must sign
    let mut ix = ix_set_resale_terms(&s.organizer, &s.event, &s.admin.pubkey(), TERMS);
    ix.accounts[2].is_signer = false;
    assert_anchor(&h.send(&[ix], &[&mallory]), Anchor::AccountNotSigner);
    set(&mut h, &s.admin, TERMS).unwrap();
    assert_eq!(h.account::<Event>(&s.event).unwrap().resale, TERMS);
    // once the sale has started, a buyer has relied on them
    h.set_time(T0 + 100);
    assert_err(
        &set(&mut h, &s.admin, ResaleTerms::default()),
        BitTicketError::SaleStarted,
    );
    assert_eq!(h.account::<Event>(&s.event).unwrap().resale, TERMS);
}

#[test]
fn the_market_opens_with_the_resale_unlock_and_closes_with_the_event() {
    let (mut h, s, b) = market(TERMS);
    let c = config(10, SOL, 2);
    h.set_time(c.resale_unlock - 1);
    assert_err(
        &list(&mut h, &s, &b.buyer, &b.mint, SOL),
        BitTicketError::ResaleLocked,
    );
    h.set_time(c.resale_unlock);
    list(&mut h, &s, &b.buyer, &b.mint, SOL).unwrap();
    h.set_time(c.check_in_end);
    let bob = h.wallet(10 * SOL);
    assert_err(
        &buy(&mut h, &s, &bob, &b.buyer, &b, SOL),
        BitTicketError::ResaleOver,
    );
    // a closed market: no listing at all
    let (mut h, s, b) = market(ResaleTerms::default());
    assert_err(
        &list(&mut h, &s, &b.buyer, &b.mint, SOL),
        BitTicketError::ResaleClosed,
    );
}

#[test]
fn a_listing_is_void_once_its_ticket_moves_or_is_used_and_anyone_may_close_it() {
    let (mut h, s, b) = market(TERMS);
    let (alice, mint) = (b.buyer.pubkey(), b.mint.pubkey());
    list(&mut h, &s, &b.buyer, &b.mint, SOL).unwrap();
    let (bob, carol, mallory) = (h.wallet(10 * SOL), h.wallet(10 * SOL), h.wallet(SOL));
    // while it stands only its seller takes it down
    assert_err(
        &h.send(
            &[ix_delist_ticket(&mallory.pubkey(), &alice, &s.event, &mint)],
            &[&mallory],
        ),
        BitTicketError::ListingStillValid,
    );
    // a seller cannot buy their own listing: buyer and seller would be one mutable account
    // (the program's own check, first in `validate`)
    assert_err(
        &buy(&mut h, &s, &b.buyer, &b.buyer, &b, SOL),
        BitTicketError::OwnListing,
    );
    // given away: the listing no longer stands
    h.send(
        &[ix_transfer_ticket(&alice, &carol.pubkey(), &s.event, &mint)],
        &[&b.buyer],
    )
    .unwrap();
    assert_err(
        &buy(&mut h, &s, &bob, &b.buyer, &b, SOL),
        BitTicketError::ListingVoid,
    );
    // carol's own listing waits for the void one to be closed, by anyone
    let carol_bought = Bought {
        buyer: carol,
        mint: b.mint,
        shard: b.shard,
    };
    assert_failed(&list(
        &mut h,
        &s,
        &carol_bought.buyer,
        &carol_bought.mint,
        SOL,
    ));
    h.send(
        &[ix_delist_ticket(&mallory.pubkey(), &alice, &s.event, &mint)],
        &[&mallory],
    )
    .unwrap();
    list(&mut h, &s, &carol_bought.buyer, &carol_bought.mint, SOL).unwrap();
    // checked in: void again
    h.set_time(config(10, SOL, 2).check_in_start);
    let gk = s.gatekeeper.pubkey();
    let ixs = check_in_ixs(&h, &gk, &carol_bought.buyer, &s.organizer, &s.event, &mint);
    h.send(&ixs, &[&s.gatekeeper]).unwrap();
    assert_err(
        &buy(&mut h, &s, &bob, &carol_bought.buyer, &carol_bought, SOL),
        BitTicketError::ListingVoid,
    );
    h.send(
        &[ix_delist_ticket(
            &mallory.pubkey(),
            &carol_bought.buyer.pubkey(),
            &s.event,
            &mint,
        )],
        &[&mallory],
    )
    .unwrap();
    // and its seller may always take a standing one down
    let (mut h, s, b) = market(TERMS);
    list(&mut h, &s, &b.buyer, &b.mint, SOL).unwrap();
    h.send(
        &[ix_delist_ticket(
            &b.buyer.pubkey(),
            &b.buyer.pubkey(),
            &s.event,
            &b.mint.pubkey(),
        )],
        &[&b.buyer],
    )
    .unwrap();
    assert!(!h.exists(&listing_pda(&ticket_pda(&b.mint.pubkey()))));
}

#[test]
fn with_free_transfers_off_tickets_move_only_through_the_market() {
    let (mut h, s, b) = market(ResaleTerms {
        transfers_locked: true,
        ..TERMS
    });
    let (alice, mint) = (b.buyer.pubkey(), b.mint.pubkey());
    let carol = h.wallet(10 * SOL);
    assert_err(
        &h.send(
            &[ix_transfer_ticket(&alice, &carol.pubkey(), &s.event, &mint)],
            &[&b.buyer],
        ),
        BitTicketError::TransfersLocked,
    );
    list(&mut h, &s, &b.buyer, &b.mint, SOL).unwrap();
    buy(&mut h, &s, &carol, &b.buyer, &b, SOL).unwrap();
    assert_eq!(h.token(&ata(&carol.pubkey(), &mint)).unwrap().amount, 1);
}

#[test]
fn market_attacks_are_refused() {
    let (mut h, s, b) = market(TERMS);
    let (alice, mint) = (b.buyer.pubkey(), b.mint.pubkey());
    let mallory = h.wallet(10 * SOL);
    // missing signer: mallory lists alice's ticket without her signature
    let mut ix = ix_list_ticket(&alice, &s.event, &mint, SOL);
    ix.accounts[0].is_signer = false;
    assert_anchor(&h.send(&[ix], &[&mallory]), Anchor::AccountNotSigner);
    // mallory lists it as hers, pointing at alice's token account
    let mut ix = ix_list_ticket(&mallory.pubkey(), &s.event, &mint, SOL);
    ix.accounts[4].pubkey = ata(&alice, &mint);
    assert_failed(&h.send(&[ix], &[&mallory]));
    // the ticket under another event (PDA sharing)
    let other = Sale::new(&mut h, config(10, SOL, 2), 2);
    assert_anchor(
        &h.send(
            &[ix_list_ticket(&alice, &other.event, &mint, SOL)],
            &[&b.buyer],
        ),
        Anchor::ConstraintHasOne,
    );
    list(&mut h, &s, &b.buyer, &b.mint, SOL).unwrap();
    // the seller named is not the listing's: mallory would be paid
    let mut ix = ix_buy_listing(&mallory.pubkey(), &alice, &s.event, &mint, b.shard, SOL);
    ix.accounts[1].pubkey = mallory.pubkey();
    assert_failed(&h.send(&[ix], &[&mallory]));
    // the royalty into another shard than the ticket's
    let bob = h.wallet(10 * SOL);
    let wrong_shard = ix_buy_listing(&bob.pubkey(), &alice, &s.event, &mint, 0, SOL);
    assert_err(
        &h.send(&[wrong_shard], &[&bob]),
        BitTicketError::InvalidShardIndex,
    );
    // the ticket's own shard index, but another event's shard (PDA sharing)
    let mut foreign = ix_buy_listing(&bob.pubkey(), &alice, &s.event, &mint, b.shard, SOL);
    foreign.accounts[3].pubkey = shard_pda(&other.event, b.shard);
    assert_err(&h.send(&[foreign], &[&bob]), BitTicketError::EventMismatch);
    // a ticket account that does not exist for this mint
    let mut swapped = ix_buy_listing(&bob.pubkey(), &alice, &s.event, &mint, b.shard, SOL);
    swapped.accounts[4].pubkey = ticket_pda(&Keypair::new().pubkey());
    assert_failed(&h.send(&[swapped], &[&bob]));
    // the seller's token account of another wallet (mallory's, for the same mint)
    let mut theirs = ix_buy_listing(&bob.pubkey(), &alice, &s.event, &mint, b.shard, SOL);
    theirs.accounts[7].pubkey = ata(&mallory.pubkey(), &mint);
    assert_failed(&h.send(&[theirs], &[&bob]));
    // a listing of another ticket for this one
    h.set_time(T0 + 100);
    let b2 = s.buy(&mut h, 0);
    h.set_time(config(10, SOL, 2).resale_unlock);
    // the other ticket's account (its own shard) for this mint
    let mut swapped = ix_buy_listing(&bob.pubkey(), &alice, &s.event, &mint, b2.shard, SOL);
    swapped.accounts[4].pubkey = ticket_pda(&b2.mint.pubkey());
    assert_err(
        &h.send(&[swapped], &[&bob]),
        BitTicketError::TicketMintMismatch,
    );
    // the buyer's account for the ticket: an existing one must be a Token-2022 account of
    // this mint that the buyer owns (not the seller's, not another ticket's, not an
    // account of this program); a new one can only be the buyer's associated account
    let into = |h: &mut Harness, key: Address| {
        let mut ix = ix_buy_listing(&bob.pubkey(), &alice, &s.event, &mint, b.shard, SOL);
        assert_eq!(ix.accounts[8].pubkey, ata(&bob.pubkey(), &mint));
        ix.accounts[8].pubkey = key;
        h.send(&[ix], &[&bob])
    };
    for key in [
        ata(&alice, &mint),
        ata(&b2.buyer.pubkey(), &b2.mint.pubkey()),
        ticket_pda(&mint),
    ] {
        assert_err(&into(&mut h, key), BitTicketError::TicketAccountMismatch);
    }
    assert_failed(&into(&mut h, Keypair::new().pubkey()));
    let mut ix = ix_buy_listing(&bob.pubkey(), &alice, &s.event, &b2.mint.pubkey(), 0, SOL);
    ix.accounts[6].pubkey = listing_pda(&ticket_pda(&mint));
    assert_failed(&h.send(&[ix], &[&bob]));
    // a fake listing: a copy owned by another program (owner check)
    let forged = crate::clone_with_owner(
        &mut h,
        &listing_pda(&ticket_pda(&mint)),
        Keypair::new().pubkey(),
    );
    let mut ix = ix_buy_listing(&bob.pubkey(), &alice, &s.event, &mint, b.shard, SOL);
    ix.accounts[6].pubkey = forged;
    assert_failed(&h.send(&[ix], &[&bob]));
    // reinitialisation: listing again while listed
    assert_failed(&list(&mut h, &s, &b.buyer, &b.mint, SOL / 2));
    assert_eq!(
        h.account::<Listing>(&listing_pda(&ticket_pda(&mint)))
            .unwrap()
            .price,
        SOL
    );
    // nothing moved
    assert_eq!(h.token(&ata(&alice, &mint)).unwrap().amount, 1);
    buy(&mut h, &s, &bob, &b.buyer, &b, SOL).unwrap();
}
