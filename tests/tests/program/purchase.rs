use anchor_lang::error::ErrorCode as Anchor;
use anchor_lang::Discriminator;
use anchor_spl::token_2022::spl_token_2022::state::AccountState;
use bitticket::constants::{SEED_BUYER, SEED_TICKET};
use bitticket::state::BuyerRecord;
use bitticket_tests::*;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::{clone_with_owner, non_canonical_bump, rewrite};

fn open_sale(supply: u32, max_per_wallet: u16, shards: u8) -> (Harness, Sale) {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(supply, SOL, max_per_wallet), shards);
    h.set_time(T0 + 100);
    (h, s)
}

#[test]
fn purchase_pays_the_shard_and_mints_a_frozen_ticket() {
    let (mut h, s) = open_sale(10, 2, 2);
    let buyer = h.wallet(10 * SOL);
    let shard = shard_pda(&s.event, 1);
    let (buyer_before, shard_before) = (h.lamports(&buyer.pubkey()), h.lamports(&shard));
    let (mint, r) = s.buy_as(&mut h, &buyer, 1);
    r.unwrap();
    let mint = mint.pubkey();

    // the price lands in the shard vault and nowhere else
    assert_eq!(h.lamports(&shard) - shard_before, SOL);
    let rents: u64 = [
        ata(&buyer.pubkey(), &mint),
        mint,
        ticket_pda(&mint),
        buyer_pda(&s.event, &buyer.pubkey()),
    ]
    .iter()
    .map(|k| h.lamports(k))
    .sum();
    assert_eq!(
        buyer_before - h.lamports(&buyer.pubkey()),
        SOL + rents + 10_000,
        "price + rents + 2 signature fees"
    );

    let sh: Shard = h.account(&shard).unwrap();
    assert_eq!((sh.sold, sh.revenue, sh.refunded), (1, SOL, 0));
    let rec: BuyerRecord = h.account(&buyer_pda(&s.event, &buyer.pubkey())).unwrap();
    assert_eq!(
        (rec.event, rec.buyer, rec.purchased),
        (s.event, buyer.pubkey(), 1)
    );

    let m = h.mint(&mint).unwrap();
    assert_eq!((m.decimals, m.supply), (0, 1));
    assert_eq!(Option::<Address>::from(m.mint_authority), Some(s.event));
    assert_eq!(Option::<Address>::from(m.freeze_authority), Some(s.event));
    let t = h.token(&ata(&buyer.pubkey(), &mint)).unwrap();
    assert_eq!(
        (t.mint, t.owner, t.amount, t.state),
        (mint, buyer.pubkey(), 1, AccountState::Frozen)
    );

    // the ticket passed the price on and keeps exactly its rent
    assert_eq!(
        h.lamports(&ticket_pda(&mint)),
        h.svm.minimum_balance_for_rent_exemption(Ticket::SIZE)
    );
    let ticket: Ticket = h.account(&ticket_pda(&mint)).unwrap();
    assert_eq!(ticket.event, s.event);
    assert_eq!(ticket.mint, mint);
    assert_eq!(ticket.holder, buyer.pubkey());
    assert_eq!(
        (ticket.serial, ticket.shard_index, ticket.price_paid),
        (1, 1, SOL)
    );
    assert_eq!(
        (ticket.state, ticket.checked_in_at),
        (TicketState::Valid, 0)
    );
}

#[test]
fn purchase_time_lock_follows_the_chain_clock() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(10, SOL, 10), 1);
    let c = config(10, SOL, 10);
    let buyer = h.wallet(20 * SOL);
    h.set_time(c.sale_start - 1);
    assert_err(
        &s.buy_as(&mut h, &buyer, 0).1,
        BitTicketError::SaleNotStarted,
    );
    h.set_time(c.sale_start);
    s.buy_as(&mut h, &buyer, 0).1.unwrap();
    h.set_time(c.sale_end - 1);
    s.buy_as(&mut h, &buyer, 0).1.unwrap();
    h.set_time(c.sale_end);
    assert_err(&s.buy_as(&mut h, &buyer, 0).1, BitTicketError::SaleEnded);
    assert_eq!(h.account::<Shard>(&shard_pda(&s.event, 0)).unwrap().sold, 2);
}

#[test]
fn supply_is_split_across_shards_and_never_exceeded() {
    // supply 5 over 2 shards: shard 0 issues serials 0, 2, 4 and shard 1 issues 1, 3
    let (mut h, s) = open_sale(5, 1, 2);
    let mut serials = vec![];
    for shard in [0, 1, 0, 1, 0] {
        let b = s.buy(&mut h, shard);
        serials.push(
            h.account::<Ticket>(&ticket_pda(&b.mint.pubkey()))
                .unwrap()
                .serial,
        );
    }
    assert_eq!(serials, vec![0, 1, 2, 3, 4]);
    for shard in [0, 1] {
        let buyer = h.wallet(10 * SOL);
        assert_err(
            &s.buy_as(&mut h, &buyer, shard).1,
            BitTicketError::ShardSoldOut,
        );
    }
    let sold: u32 = s
        .shards()
        .iter()
        .map(|k| h.account::<Shard>(k).unwrap().sold)
        .sum();
    assert_eq!(sold, 5);
}

#[test]
fn the_last_ticket_goes_to_exactly_one_of_two_buyers() {
    let (mut h, s) = open_sale(1, 1, 1);
    let (alice, bob) = (h.wallet(10 * SOL), h.wallet(10 * SOL));
    let (alice_mint, bob_mint) = (Keypair::new(), Keypair::new());
    // both transactions are built against the same state and blockhash, as in one slot
    let blockhash = h.svm.latest_blockhash();
    let tx = |buyer: &Keypair, mint: &Keypair| {
        solana_transaction::Transaction::new(
            &[buyer, mint],
            solana_message::Message::new(
                &[ix_purchase(&buyer.pubkey(), &s.event, 0, &mint.pubkey())],
                Some(&buyer.pubkey()),
            ),
            blockhash,
        )
    };
    let (ta, tb) = (tx(&alice, &alice_mint), tx(&bob, &bob_mint));
    let ra = h.svm.send_transaction(ta).map_err(Box::new);
    let rb = h.svm.send_transaction(tb).map_err(Box::new);
    assert!(ra.is_ok() ^ rb.is_ok(), "exactly one purchase succeeds");
    assert_err(
        if ra.is_ok() { &rb } else { &ra },
        BitTicketError::ShardSoldOut,
    );
    assert_eq!(h.account::<Shard>(&shard_pda(&s.event, 0)).unwrap().sold, 1);
    let winner = if ra.is_ok() {
        alice_mint.pubkey()
    } else {
        bob_mint.pubkey()
    };
    let loser = if ra.is_ok() {
        bob_mint.pubkey()
    } else {
        alice_mint.pubkey()
    };
    assert!(h.exists(&ticket_pda(&winner)));
    assert!(
        !h.exists(&ticket_pda(&loser)) && !h.exists(&loser),
        "nothing half-written for the loser"
    );
}

#[test]
fn a_wallet_buys_at_most_its_limit() {
    let (mut h, s) = open_sale(10, 2, 2);
    let buyer = h.wallet(10 * SOL);
    s.buy_as(&mut h, &buyer, 0).1.unwrap();
    s.buy_as(&mut h, &buyer, 1).1.unwrap();
    assert_err(
        &s.buy_as(&mut h, &buyer, 0).1,
        BitTicketError::WalletLimitReached,
    );
    let rec: BuyerRecord = h.account(&buyer_pda(&s.event, &buyer.pubkey())).unwrap();
    assert_eq!(rec.purchased, 2);
}

#[test]
fn a_buyer_who_cannot_pay_gets_nothing() {
    let (mut h, s) = open_sale(10, 2, 1);
    let poor = h.wallet(SOL / 2);
    let (mint, r) = s.buy_as(&mut h, &poor, 0);
    assert_failed(&r);
    assert!(!h.exists(&ticket_pda(&mint.pubkey())));
    assert_eq!(h.account::<Shard>(&shard_pda(&s.event, 0)).unwrap().sold, 0);
}

#[test]
fn purchase_needs_the_buyers_signature() {
    let (mut h, s) = open_sale(10, 2, 1);
    let (victim, relayer, mint) = (h.wallet(10 * SOL), h.wallet(10 * SOL), Keypair::new());
    let mut ix = ix_purchase(&victim.pubkey(), &s.event, 0, &mint.pubkey());
    ix.accounts[0].is_signer = false;
    assert_anchor(&h.send(&[ix], &[&relayer, &mint]), Anchor::AccountNotSigner);
}

#[test]
fn payment_cannot_be_redirected_to_another_account() {
    let (mut h, s) = open_sale(10, 2, 1);
    let buyer = h.wallet(10 * SOL);
    let thief = h.wallet(SOL);
    // a system-owned wallet in place of the shard vault
    let mint = Keypair::new();
    let mut ix = ix_purchase(&buyer.pubkey(), &s.event, 0, &mint.pubkey());
    ix.accounts[2].pubkey = thief.pubkey();
    assert_anchor(
        &h.send(&[ix], &[&buyer, &mint]),
        Anchor::AccountOwnedByWrongProgram,
    );
    // a forged shard with the right data owned by another program
    let forged = clone_with_owner(&mut h, &shard_pda(&s.event, 0), Address::new_unique());
    let mint = Keypair::new();
    let mut ix = ix_purchase(&buyer.pubkey(), &s.event, 0, &mint.pubkey());
    ix.accounts[2].pubkey = forged;
    assert_anchor(
        &h.send(&[ix], &[&buyer, &mint]),
        Anchor::AccountOwnedByWrongProgram,
    );
    // the event account posing as a shard (type cosplay)
    let mint = Keypair::new();
    let mut ix = ix_purchase(&buyer.pubkey(), &s.event, 0, &mint.pubkey());
    ix.accounts[2].pubkey = s.event;
    assert_anchor(
        &h.send(&[ix], &[&buyer, &mint]),
        Anchor::AccountDiscriminatorMismatch,
    );
}

#[test]
fn the_event_must_be_an_event_of_this_program() {
    // the purchase reads the event's head by hand: owner and discriminator are its checks
    let (mut h, s) = open_sale(10, 2, 1);
    let buyer = h.wallet(10 * SOL);
    let real = h.svm.get_account(&s.event).unwrap();
    // the event's own address (so has_one holds) owned by another program
    let mut forged = real.clone();
    forged.owner = Address::new_unique();
    h.svm.set_account(s.event, forged).unwrap();
    assert_anchor(
        &s.buy_as(&mut h, &buyer, 0).1,
        Anchor::AccountOwnedByWrongProgram,
    );
    // type cosplay: the same address holding another account type's discriminator
    let mut cosplay = real.clone();
    cosplay.data[..8].copy_from_slice(Shard::DISCRIMINATOR);
    h.svm.set_account(s.event, cosplay).unwrap();
    assert_anchor(
        &s.buy_as(&mut h, &buyer, 0).1,
        Anchor::AccountDiscriminatorMismatch,
    );
    h.svm.set_account(s.event, real).unwrap();
    s.buy_as(&mut h, &buyer, 0).1.unwrap();
}

#[test]
fn a_shard_of_another_event_is_refused() {
    let (mut h, a) = open_sale(10, 2, 1);
    let b = Sale::new(&mut h, config(10, 1, 2), 1);
    let buyer = h.wallet(10 * SOL);
    let mint = Keypair::new();
    let mut ix = ix_purchase(&buyer.pubkey(), &a.event, 0, &mint.pubkey());
    ix.accounts[2].pubkey = shard_pda(&b.event, 0);
    assert_anchor(&h.send(&[ix], &[&buyer, &mint]), Anchor::ConstraintHasOne);
}

#[test]
fn a_non_canonical_ticket_bump_is_refused() {
    // bump canonicalisation: a second, valid but non-canonical ticket address per mint
    let (mut h, s) = open_sale(10, 2, 1);
    let buyer = h.wallet(10 * SOL);
    let mint = ticket_mint(&buyer.pubkey());
    let m = mint.pubkey();
    let (forged, lower) = non_canonical_bump(&[SEED_TICKET, m.as_ref()]).unwrap();
    let mut ix = ix_purchase(&buyer.pubkey(), &s.event, 0, &m);
    ix.accounts[6].pubkey = forged;
    ix.data[8] = lower;
    assert_err(
        &h.send(&[ix], &[&buyer, &mint]),
        BitTicketError::BumpNotCanonical,
    );
    assert!(!h.exists(&forged) && !h.exists(&m));
    assert_eq!(h.account::<Shard>(&shard_pda(&s.event, 0)).unwrap().sold, 0);
}

#[test]
fn a_non_canonical_buyer_record_bump_is_refused() {
    // a second record per wallet would reset its per-wallet count
    let (mut h, s) = open_sale(10, 1, 1);
    let (buyer, (forged, lower)) = loop {
        let buyer = h.wallet(10 * SOL);
        let b = buyer.pubkey();
        if let Some(found) = non_canonical_bump(&[SEED_BUYER, s.event.as_ref(), b.as_ref()]) {
            break (buyer, found);
        }
    };
    let b = buyer.pubkey();
    let mint = ticket_mint(&b);
    let mut ix = ix_purchase(&b, &s.event, 0, &mint.pubkey());
    ix.accounts[3].pubkey = forged;
    ix.data[9] = lower;
    assert_err(
        &h.send(&[ix], &[&buyer, &mint]),
        BitTicketError::BumpNotCanonical,
    );
    assert!(!h.exists(&forged));
}

#[test]
fn a_bump_that_does_not_derive_the_account_is_refused() {
    // the runtime signs only for the address the seeds and bump derive
    let (mut h, s) = open_sale(10, 2, 1);
    let buyer = h.wallet(10 * SOL);
    let mint = ticket_mint(&buyer.pubkey());
    let m = mint.pubkey();
    let (_, lower) = non_canonical_bump(&[SEED_TICKET, m.as_ref()]).unwrap();
    let mut ix = ix_purchase(&buyer.pubkey(), &s.event, 0, &m);
    ix.data[8] = lower; // ticket account left at the canonical address
    let r = h.send(&[ix], &[&buyer, &mint]);
    assert_failed(&r);
    assert!(!h.exists(&ticket_pda(&m)));
    // an arbitrary fresh address in place of the ticket PDA
    let mut ix = ix_purchase(&buyer.pubkey(), &s.event, 0, &m);
    ix.accounts[6].pubkey = Address::new_unique();
    assert_failed(&h.send(&[ix], &[&buyer, &mint]));
    assert_eq!(h.account::<Shard>(&shard_pda(&s.event, 0)).unwrap().sold, 0);
}

#[test]
fn a_signer_cannot_stand_in_for_the_ticket_or_the_record() {
    // duplicate mutable accounts: the buyer's wallet or the mint passed where a PDA is
    // created would be signed for by the transaction, not by the program's seeds
    let (mut h, s) = open_sale(10, 2, 1);
    let buyer = h.wallet(10 * SOL);
    for (slot, stand_in) in [(6usize, 0usize), (3, 0), (6, 4), (3, 4)] {
        let mint = ticket_mint(&buyer.pubkey());
        let mut ix = ix_purchase(&buyer.pubkey(), &s.event, 0, &mint.pubkey());
        ix.accounts[slot] = ix.accounts[stand_in].clone();
        assert_err(
            &h.send(&[ix], &[&buyer, &mint]),
            BitTicketError::SignerInPlaceOfPda,
        );
    }
    let wallet = h.svm.get_account(&buyer.pubkey()).unwrap();
    assert_eq!(wallet.owner, solana_sdk_ids::system_program::ID);
    assert!(wallet.data.is_empty());
    assert_eq!(h.account::<Shard>(&shard_pda(&s.event, 0)).unwrap().sold, 0);
}

#[test]
fn another_wallets_or_events_buyer_record_is_refused() {
    // PDA sharing: a record that has room left, of another wallet or another event
    let (mut h, s) = open_sale(10, 1, 1);
    let other = Sale::new(&mut h, config(10, SOL, 5), 1);
    let alice = h.wallet(10 * SOL);
    let bob = h.wallet(10 * SOL);
    s.buy_as(&mut h, &alice, 0).1.unwrap();
    other.buy_as(&mut h, &bob, 0).1.unwrap();
    s.buy_as(&mut h, &bob, 0).1.unwrap();
    // bob has reached the limit of 1 and tries alice's record, then his record of `other`
    for record in [
        buyer_pda(&s.event, &alice.pubkey()),
        buyer_pda(&other.event, &bob.pubkey()),
    ] {
        let mint = ticket_mint(&bob.pubkey());
        let mut ix = ix_purchase(&bob.pubkey(), &s.event, 0, &mint.pubkey());
        ix.accounts[3].pubkey = record;
        assert_err(
            &h.send(&[ix], &[&bob, &mint]),
            BitTicketError::BuyerRecordMismatch,
        );
    }
    // type cosplay: a shard (program-owned, another discriminator) as the record
    let mint = ticket_mint(&bob.pubkey());
    let mut ix = ix_purchase(&bob.pubkey(), &s.event, 0, &mint.pubkey());
    ix.accounts[3].pubkey = shard_pda(&s.event, 0);
    assert_anchor(
        &h.send(&[ix], &[&bob, &mint]),
        Anchor::AccountDiscriminatorMismatch,
    );
    assert_eq!(h.account::<Shard>(&shard_pda(&s.event, 0)).unwrap().sold, 2);
}

/// Finding 7: creation of a pre-funded PDA must not depend on SIMD-0312's
/// `CreateAccountAllowPrefund`; both clusters are tried.
fn both_clusters() -> [(&'static str, Harness); 2] {
    [
        ("with SIMD-0312", Harness::new().unwrap()),
        (
            "without SIMD-0312",
            Harness::without_create_account_allow_prefund().unwrap(),
        ),
    ]
}

fn sale_on(mut h: Harness) -> (Harness, Sale) {
    let s = Sale::new(&mut h, config(10, SOL, 5), 1);
    h.set_time(T0 + 100);
    (h, s)
}

#[test]
fn pre_funded_record_and_ticket_addresses_do_not_block_a_purchase() {
    // anyone can send lamports to a predictable PDA; creation must still succeed, on a
    // cluster with or without CreateAccountAllowPrefund
    for (cluster, h) in both_clusters() {
        let (mut h, s) = sale_on(h);
        let buyer = h.wallet(10 * SOL);
        let mint = ticket_mint(&buyer.pubkey());
        let (record, ticket) = (
            buyer_pda(&s.event, &buyer.pubkey()),
            ticket_pda(&mint.pubkey()),
        );
        h.svm.airdrop(&record, 1_000_000).unwrap();
        h.svm.airdrop(&ticket, 2_000_000).unwrap();
        let shard = shard_pda(&s.event, 0);
        let shard_before = h.lamports(&shard);
        let r = h.send(
            &[ix_purchase(&buyer.pubkey(), &s.event, 0, &mint.pubkey())],
            &[&buyer, &mint],
        );
        if let Err(e) = &r {
            panic!("{cluster}: {:?}\n{}", e.err, e.meta.logs.join("\n"));
        }
        assert_eq!(
            h.lamports(&shard) - shard_before,
            SOL,
            "{cluster}: the shard gets exactly the price"
        );
        let rec: BuyerRecord = h.account(&record).unwrap();
        assert_eq!((rec.buyer, rec.purchased), (buyer.pubkey(), 1), "{cluster}");
        let t: Ticket = h.account(&ticket).unwrap();
        assert_eq!((t.holder, t.state), (buyer.pubkey(), TicketState::Valid));
        let rent = h.svm.minimum_balance_for_rent_exemption(Ticket::SIZE);
        assert!(h.lamports(&ticket) >= rent, "{cluster}");
    }
}

/// Finding 8a: whoever learns the mint address before the purchase lands can send it the
/// rent of a mint; the purchase must still go through.
#[test]
fn a_pre_funded_mint_does_not_block_a_purchase() {
    for (cluster, h) in both_clusters() {
        let (mut h, s) = sale_on(h);
        let buyer = h.wallet(10 * SOL);
        let mint_rent = h.svm.minimum_balance_for_rent_exemption(82);
        // the smallest amount an empty address can hold (890,880 today), a mint's rent, more
        let empty = h.svm.minimum_balance_for_rent_exemption(0);
        for funding in [empty, mint_rent, mint_rent + 5] {
            let mint = ticket_mint(&buyer.pubkey());
            h.svm.airdrop(&mint.pubkey(), funding).unwrap();
            let r = h.send(
                &[ix_purchase(&buyer.pubkey(), &s.event, 0, &mint.pubkey())],
                &[&buyer, &mint],
            );
            if let Err(e) = &r {
                panic!(
                    "{cluster}, {funding}: {:?}\n{}",
                    e.err,
                    e.meta.logs.join("\n")
                );
            }
            let m = h.mint(&mint.pubkey()).unwrap();
            assert_eq!((m.supply, m.decimals), (1, 0), "{cluster}");
            assert_eq!(
                h.token(&ata(&buyer.pubkey(), &mint.pubkey()))
                    .unwrap()
                    .amount,
                1
            );
            assert!(h.lamports(&mint.pubkey()) >= mint_rent);
        }
    }
}

/// Finding 1: the buyer signs the most they agree to pay; a price raised in front of
/// their transaction is refused, and a price at or below it is paid as the event says.
#[test]
fn a_purchase_above_the_buyers_maximum_price_is_refused() {
    let (mut h, s) = open_sale(10, 4, 1);
    let buyer = h.wallet(10 * SOL);
    let buy = |h: &mut Harness, max: u64| {
        let mint = ticket_mint(&buyer.pubkey());
        h.send(
            &[ix_purchase_at_most(
                &buyer.pubkey(),
                &s.event,
                0,
                &mint.pubkey(),
                max,
            )],
            &[&buyer, &mint],
        )
    };
    let before = h.lamports(&buyer.pubkey());
    assert_err(&buy(&mut h, SOL - 1), BitTicketError::PriceAboveMaximum);
    assert_err(&buy(&mut h, 0), BitTicketError::PriceAboveMaximum);
    assert_eq!(h.account::<Shard>(&shard_pda(&s.event, 0)).unwrap().sold, 0);
    assert!(
        before - h.lamports(&buyer.pubkey()) <= 2 * 10_000,
        "only fees"
    );
    buy(&mut h, SOL).unwrap();
    buy(&mut h, 2 * SOL).unwrap();
    let sh: Shard = h.account(&shard_pda(&s.event, 0)).unwrap();
    assert_eq!(
        (sh.sold, sh.revenue),
        (2, 2 * SOL),
        "the event's price, not the max"
    );
}

#[test]
fn fake_token_and_ata_programs_are_refused() {
    let (mut h, s) = open_sale(10, 2, 1);
    let buyer = h.wallet(10 * SOL);
    for slot in [7usize, 8] {
        let mint = Keypair::new();
        let mut ix = ix_purchase(&buyer.pubkey(), &s.event, 0, &mint.pubkey());
        ix.accounts[slot].pubkey = PROGRAM_ID; // an executable that is not the expected program
        assert_anchor(&h.send(&[ix], &[&buyer, &mint]), Anchor::InvalidProgramId);
    }
}

#[test]
fn an_existing_mint_cannot_be_reused_for_a_second_ticket() {
    let (mut h, s) = open_sale(10, 5, 1);
    let b = s.buy(&mut h, 0);
    // same mint keypair again: init of the mint (and ticket) must fail, not reset them
    let r = h.send(
        &[ix_purchase(
            &b.buyer.pubkey(),
            &s.event,
            0,
            &b.mint.pubkey(),
        )],
        &[&b.buyer, &b.mint],
    );
    assert_failed(&r);
    assert_eq!(h.mint(&b.mint.pubkey()).unwrap().supply, 1);
    assert_eq!(h.account::<Shard>(&shard_pda(&s.event, 0)).unwrap().sold, 1);
}

#[test]
fn the_mint_cannot_double_as_the_buyer() {
    // duplicate mutable accounts: the buyer's own key passed as the new mint
    let (mut h, s) = open_sale(10, 5, 1);
    let buyer = h.wallet(10 * SOL);
    let r = h.send(
        &[ix_purchase(&buyer.pubkey(), &s.event, 0, &buyer.pubkey())],
        &[&buyer],
    );
    assert_failed(&r);
    assert_eq!(h.account::<Shard>(&shard_pda(&s.event, 0)).unwrap().sold, 0);
}

#[test]
fn shard_revenue_overflow_is_refused() {
    let (mut h, s) = open_sale(10, 5, 1);
    let key = shard_pda(&s.event, 0);
    let mut sh: Shard = h.account(&key).unwrap();
    sh.revenue = u64::MAX - 1;
    sh.refunded = u64::MAX - 1;
    rewrite(&mut h, &key, &sh);
    let buyer = h.wallet(10 * SOL);
    assert_err(&s.buy_as(&mut h, &buyer, 0).1, BitTicketError::Overflow);
}
