//! Tiers: an allow-listed presale phase then a public phase, each with its own price and
//! wallet limit, sold through the tier's own shard beside the event's base sale; and the
//! attacks on them: phase boundaries, forged and foreign allow-list proofs, shards of
//! another sale, the three wallet limits, a sold-out tier, and the managers' instructions
//! (create, update, open a shard) and the purchase given the wrong accounts.
use anchor_lang::error::ErrorCode as Anchor;
use bitticket::allow_list::{self, Hash};
use bitticket::constants::{MAX_PROOF_LEN, MAX_TIERS, NO_TIER};
use bitticket::state::{Phase, Tier, TierConfig};
use bitticket_tests::*;
use solana_account::Account;
use solana_address::Address;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_message::{v0, AddressLookupTableAccount, Message, VersionedMessage};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;

use crate::clone_with_owner;
use crate::vault::none;

/// The price of every phase below but the presale of the first test.
const P: u64 = SOL / 10;
/// A phase without an allow-list.
const OPEN: Hash = [0; 32];

fn phase(start: i64, end: i64, max_per_wallet: u16, allow_list: Hash) -> Phase {
    Phase {
        start: T0 + start,
        end: T0 + end,
        price: P,
        max_per_wallet,
        allow_list,
    }
}

fn tier(supply: u32, max_per_wallet: u16, phases: Vec<Phase>) -> TierConfig {
    TierConfig {
        name: "VIP".into(),
        supply,
        max_per_wallet,
        phases,
    }
}

/// One public phase over the whole sale window of `config` ([T0+100, T0+10_000)).
fn public(supply: u32, max_per_wallet: u16) -> TierConfig {
    tier(
        supply,
        max_per_wallet,
        vec![phase(100, 10_000, max_per_wallet, OPEN)],
    )
}

/// An event of `supply` base tickets at 1 SOL over `shards` shards, the clock before its sale.
fn sale(supply: u32, max_per_wallet: u16, shards: u8) -> (Harness, Sale) {
    let mut h = Harness::new().expect("load the program");
    let s = Sale::new(&mut h, config(supply, SOL, max_per_wallet), shards);
    (h, s)
}

/// The event's next tier with its `shards` shards open; returns (tier, its first shard).
fn add_tier(h: &mut Harness, s: &Sale, config: TierConfig, shards: u8) -> (u8, u8) {
    let e: Event = h.account(&s.event).unwrap();
    let (index, first) = (e.tier_count, e.shards_reserved);
    let a = s.admin.pubkey();
    h.send(
        &[ix_create_tier(
            &s.organizer,
            &s.event,
            &a,
            index,
            config,
            shards,
        )],
        &[&s.admin],
    )
    .expect("create the tier");
    let opens: Vec<_> = (first..first + shards)
        .map(|i| ix_open_tier_shard(&s.organizer, &s.event, &a, index, i))
        .collect();
    for chunk in opens.chunks(8) {
        h.send(chunk, &[&s.admin]).expect("open the tier's shards");
    }
    (index, first)
}

/// Creates the event's tier `index` (the next one, unless a test says otherwise).
fn create(h: &mut Harness, s: &Sale, index: u8, config: TierConfig, shards: u8) -> TxResult {
    let a = s.admin.pubkey();
    h.send(
        &[ix_create_tier(
            &s.organizer,
            &s.event,
            &a,
            index,
            config,
            shards,
        )],
        &[&s.admin],
    )
}

fn tier_ix(
    s: &Sale,
    buyer: &Keypair,
    mint: &Keypair,
    tier: u8,
    shard: u8,
    max_price: u64,
    proof: Vec<Hash>,
) -> Instruction {
    ix_purchase_tier(
        &buyer.pubkey(),
        &s.event,
        tier,
        shard,
        &mint.pubkey(),
        max_price,
        proof,
    )
}

/// `buyer` buys a ticket of `tier` through event shard `shard`.
fn buy_in(
    h: &mut Harness,
    s: &Sale,
    buyer: &Keypair,
    tier: u8,
    shard: u8,
    max_price: u64,
    proof: Vec<Hash>,
) -> (Keypair, TxResult) {
    let mint = ticket_mint(&buyer.pubkey());
    let ix = tier_ix(s, buyer, &mint, tier, shard, max_price, proof);
    let r = h.send(&[ix], &[buyer, &mint]);
    (mint, r)
}

/// A purchase of the public phase of the first test's tier (tier 0, shard 1).
fn buy_tier(
    h: &mut Harness,
    s: &Sale,
    buyer: &Keypair,
    price: u64,
    proof: Vec<Hash>,
) -> (Keypair, TxResult) {
    buy_in(h, s, buyer, 0, 1, price, proof)
}

/// `ix` with account `slot` replaced by `key`.
fn with_account(mut ix: Instruction, slot: usize, key: Address) -> Instruction {
    ix.accounts[slot].pubkey = key;
    ix
}

fn serial(h: &Harness, mint: &Keypair) -> u32 {
    h.account::<Ticket>(&ticket_pda(&mint.pubkey()))
        .unwrap()
        .serial
}

fn random_hash() -> Hash {
    Keypair::new().pubkey().to_bytes()
}

/// The size on the wire of a transaction of `message` with `signers` signatures.
fn wire_size(message: &VersionedMessage, signers: usize) -> usize {
    1 + 64 * signers + message.serialize().len()
}

/// Sends `ix` as a v0 transaction whose accounts that do not sign are read from an address
/// lookup table (written into the bank by hand, as the lookup table program lays it out):
/// room for data a legacy transaction's 1,232 bytes cannot carry. Returns the result and
/// the transaction's size.
fn send_v0(h: &mut Harness, ix: Instruction, signers: &[&Keypair]) -> (TxResult, usize) {
    let addresses: Vec<Address> = ix
        .accounts
        .iter()
        .filter(|m| !m.is_signer)
        .map(|m| m.pubkey)
        .collect();
    let mut data = vec![1, 0, 0, 0]; // ProgramState::LookupTable
    data.extend(u64::MAX.to_le_bytes()); // never deactivated
    data.extend(0u64.to_le_bytes()); // last extended in slot 0: every address is active
    data.push(0);
    data.push(1); // an authority
    data.extend(signers[0].pubkey().to_bytes());
    data.extend([0, 0]);
    for a in &addresses {
        data.extend(a.to_bytes());
    }
    let table = Address::new_unique();
    let lamports = h.svm.minimum_balance_for_rent_exemption(data.len());
    h.svm
        .set_account(
            table,
            Account {
                lamports,
                data,
                owner: solana_sdk_ids::address_lookup_table::ID,
                executable: false,
                rent_epoch: 0,
            },
        )
        .unwrap();
    let message = v0::Message::try_compile(
        &signers[0].pubkey(),
        &[ix],
        &[AddressLookupTableAccount {
            key: table,
            addresses,
        }],
        h.svm.latest_blockhash(),
    )
    .unwrap();
    let message = VersionedMessage::V0(message);
    let size = wire_size(&message, signers.len());
    let tx = VersionedTransaction::try_new(message, signers).unwrap();
    let r = h.svm.send_transaction(tx).map_err(Box::new);
    h.svm.expire_blockhash();
    (r, size)
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
        &buy_tier(&mut h, &s, &alice, SOL, alice_proof.clone()).1,
        BitTicketError::PhaseLimitReached,
    );
    // the base sale's shard does not sell the tier (to a listed wallet: the allow-list is
    // checked before the shard, so bob would be refused as not listed)
    assert_err(
        &buy_in(&mut h, &s, &alice, 0, 0, SOL, alice_proof).1,
        BitTicketError::InvalidShardIndex,
    );

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

#[test]
fn phases_open_and_close_to_the_second() {
    let (mut h, s) = sale(10, 20, 1);
    // tier 0 sells in [200, 300) and [400, 500); tier 1 over the whole sale, [100, 10_000)
    let two = vec![phase(200, 300, 10, OPEN), phase(400, 500, 10, OPEN)];
    let (t0, sh0) = add_tier(&mut h, &s, tier(10, 10, two), 1);
    let (t1, sh1) = add_tier(&mut h, &s, public(5, 5), 1);
    let buyer = h.wallet(10 * SOL);
    let mut at = |time: i64, tier: u8, shard: u8| {
        h.set_time(T0 + time);
        buy_in(&mut h, &s, &buyer, tier, shard, P, vec![]).1
    };
    assert_err(&at(99, t1, sh1), BitTicketError::SaleNotStarted);
    at(100, t1, sh1).expect("the event's sale start sells");
    assert_err(&at(199, t0, sh0), BitTicketError::SaleNotStarted);
    at(200, t0, sh0).expect("the first phase's start sells");
    at(299, t0, sh0).expect("the first phase's last second sells");
    assert_err(&at(300, t0, sh0), BitTicketError::BetweenPhases);
    assert_err(&at(399, t0, sh0), BitTicketError::BetweenPhases);
    at(400, t0, sh0).expect("the second phase's start sells");
    at(499, t0, sh0).expect("the second phase's last second sells");
    // after the tier's last phase, while the event's sale still runs
    assert_err(&at(500, t0, sh0), BitTicketError::SaleEnded);
    at(9_999, t1, sh1).expect("the event's last second sells");
    assert_err(&at(10_000, t1, sh1), BitTicketError::SaleEnded);
    let record: BuyerRecord = h.account(&buyer_pda(&s.event, &buyer.pubkey())).unwrap();
    let t = record.tiers[usize::from(t0)];
    assert_eq!(
        (record.purchased, t.bought, t.phase, t.in_phase),
        (6, 4, 1, 2)
    );
}

#[test]
fn forged_foreign_and_overlong_proofs_are_refused() {
    let (mut h, a) = sale(10, 10, 1);
    let b = Sale::new(&mut h, config(10, SOL, 10), 1);
    let (alice, stranger) = (h.wallet(10 * SOL), h.wallet(10 * SOL));
    let mut wallets = vec![alice.pubkey()];
    wallets.extend((0..6).map(|_| Address::new_unique()));
    let list = |event: &Address, phase: u8| -> Vec<Hash> {
        wallets
            .iter()
            .map(|w| allow_list::leaf(event, 0, phase, w))
            .collect()
    };
    let (l0, l1) = (list(&a.event, 0), list(&a.event, 1));
    let (root0, root1) = (
        allow_list::root(&l0).unwrap(),
        allow_list::root(&l1).unwrap(),
    );
    let phases = vec![phase(100, 200, 5, root0), phase(200, 300, 5, root1)];
    let (t, sh) = add_tier(&mut h, &a, tier(10, 10, phases), 1);
    // event b's tier copies event a's root: the same wallets, but leaves bound to event a
    let (bt, bsh) = add_tier(&mut h, &b, tier(10, 10, vec![phase(100, 300, 5, root0)]), 1);
    let p0 = allow_list::proof(&l0, 0).unwrap();
    assert_eq!(p0.len(), 3);
    h.set_time(T0 + 100);

    let mut forged = p0.clone();
    forged[1] = random_hash();
    let not_listed = [
        (&alice, forged),
        (&alice, vec![]),
        (&alice, vec![random_hash(); 3]),
        (&alice, vec![random_hash(); usize::from(MAX_PROOF_LEN)]),
        (&stranger, p0.clone()),
        (&stranger, vec![root0]),
    ];
    for (who, proof) in not_listed {
        assert_err(
            &buy_in(&mut h, &a, who, t, sh, P, proof).1,
            BitTicketError::NotAllowListed,
        );
    }
    assert_err(
        &buy_in(&mut h, &b, &alice, bt, bsh, P, p0.clone()).1,
        BitTicketError::NotAllowListed,
    );

    // LiteSVM does not hold a transaction to the wire's 1,232 bytes, so the sizes are checked
    // here: a proof of MAX_PROOF_LEN hashes (refused above) fits a legacy transaction; one
    // more does not, and goes as a v0 transaction with its accounts in a lookup table
    let legacy = |ix: &Instruction| {
        let message = Message::new(std::slice::from_ref(ix), Some(&alice.pubkey()));
        wire_size(&VersionedMessage::Legacy(message), 2)
    };
    let mint = ticket_mint(&alice.pubkey());
    let longest = vec![random_hash(); usize::from(MAX_PROOF_LEN)];
    assert!(legacy(&tier_ix(&a, &alice, &mint, t, sh, P, longest)) <= 1_232);
    let long = vec![random_hash(); usize::from(MAX_PROOF_LEN) + 1];
    let ix = tier_ix(&a, &alice, &mint, t, sh, P, long);
    assert!(legacy(&ix) > 1_232, "a legacy transaction carries it");
    let (r, size) = send_v0(&mut h, ix, &[&alice, &mint]);
    assert!(size <= 1_232, "the v0 transaction is {size} bytes");
    assert_err(&r, BitTicketError::ProofTooLong);

    buy_in(&mut h, &a, &alice, t, sh, P, p0.clone())
        .1
        .expect("alice's own proof");
    h.set_time(T0 + 200);
    // phase 1 has its own list, alice on it: her phase-0 proof does not place her there
    assert_err(
        &buy_in(&mut h, &a, &alice, t, sh, P, p0).1,
        BitTicketError::NotAllowListed,
    );
    let p1 = allow_list::proof(&l1, 0).unwrap();
    buy_in(&mut h, &a, &alice, t, sh, P, p1)
        .1
        .expect("alice's phase-1 proof");
    assert_eq!(
        h.account::<Shard>(&shard_pda(&a.event, sh)).unwrap().sold,
        2
    );
    assert_eq!(
        h.account::<Shard>(&shard_pda(&b.event, bsh)).unwrap().sold,
        0
    );
}

#[test]
fn a_shard_sells_only_its_own_sale() {
    let (mut h, s) = sale(10, 10, 2);
    let (t0, sh0) = add_tier(&mut h, &s, public(4, 4), 1);
    let (t1, sh1) = add_tier(&mut h, &s, public(4, 4), 1);
    assert_eq!((sh0, sh1), (2, 3));
    h.set_time(T0 + 100);
    let buyer = h.wallet(10 * SOL);
    // the base purchase through a tier's shard
    for shard in [sh0, sh1] {
        assert_err(
            &s.buy_as(&mut h, &buyer, shard).1,
            BitTicketError::InvalidShardIndex,
        );
    }
    // a tier's purchase through a base shard, or through another tier's shard
    for (tier, shard) in [(t0, 0), (t0, 1), (t0, sh1), (t1, sh0)] {
        assert_err(
            &buy_in(&mut h, &s, &buyer, tier, shard, P, vec![]).1,
            BitTicketError::InvalidShardIndex,
        );
    }
    for shard in 0..4 {
        let sold = h
            .account::<Shard>(&shard_pda(&s.event, shard))
            .unwrap()
            .sold;
        assert_eq!(sold, 0);
    }
    buy_in(&mut h, &s, &buyer, t0, sh0, P, vec![]).1.unwrap();
    buy_in(&mut h, &s, &buyer, t1, sh1, P, vec![]).1.unwrap();
    s.buy_as(&mut h, &buyer, 1).1.unwrap();
}

#[test]
fn the_event_the_tier_and_the_phase_each_cap_a_wallet() {
    // 4 per wallet in the event; tier t: 2 per wallet, 1 in phase [100, 200), 2 in [200, 300)
    let (mut h, s) = sale(10, 4, 1);
    let phases = vec![phase(100, 200, 1, OPEN), phase(200, 300, 2, OPEN)];
    let (t, tsh) = add_tier(&mut h, &s, tier(10, 2, phases), 1);
    let (u, ush) = add_tier(&mut h, &s, public(10, 5), 1);
    h.set_time(T0 + 100);
    let (alice, bob) = (h.wallet(10 * SOL), h.wallet(10 * SOL));

    // the event's limit counts the base sale and every tier together
    buy_in(&mut h, &s, &alice, t, tsh, P, vec![]).1.unwrap();
    s.buy_as(&mut h, &alice, 0).1.unwrap();
    buy_in(&mut h, &s, &alice, u, ush, P, vec![]).1.unwrap();
    buy_in(&mut h, &s, &alice, u, ush, P, vec![]).1.unwrap();
    assert_err(
        &buy_in(&mut h, &s, &alice, u, ush, P, vec![]).1,
        BitTicketError::WalletLimitReached,
    );
    assert_err(
        &s.buy_as(&mut h, &alice, 0).1,
        BitTicketError::WalletLimitReached,
    );

    // the phase's limit, then the tier's over its phases
    buy_in(&mut h, &s, &bob, t, tsh, P, vec![]).1.unwrap();
    assert_err(
        &buy_in(&mut h, &s, &bob, t, tsh, P, vec![]).1,
        BitTicketError::PhaseLimitReached,
    );
    h.set_time(T0 + 200);
    buy_in(&mut h, &s, &bob, t, tsh, P, vec![])
        .1
        .expect("a later phase counts again");
    assert_err(
        &buy_in(&mut h, &s, &bob, t, tsh, P, vec![]).1,
        BitTicketError::TierLimitReached,
    );
    buy_in(&mut h, &s, &bob, u, ush, P, vec![])
        .1
        .expect("another tier still sells to bob");
    let record: BuyerRecord = h.account(&buyer_pda(&s.event, &bob.pubkey())).unwrap();
    assert_eq!(
        (
            record.purchased,
            record.tiers[usize::from(t)].bought,
            record.tiers[usize::from(u)].bought
        ),
        (3, 2, 1)
    );
    let record: BuyerRecord = h.account(&buyer_pda(&s.event, &alice.pubkey())).unwrap();
    assert_eq!(record.purchased, 4);
}

#[test]
fn a_sold_out_tier_leaves_the_others_selling_and_serials_stay_unique() {
    // base serials 0..4 over shards 0, 1; tier 0: 4..7 over shards 2, 3; tier 1: 7..9 on 4
    let (mut h, s) = sale(4, 20, 2);
    let (t0, f0) = add_tier(&mut h, &s, public(3, 10), 2);
    let (t1, f1) = add_tier(&mut h, &s, public(2, 10), 1);
    assert_eq!((f0, f1), (2, 4));
    h.set_time(T0 + 100);
    let buyer = h.wallet(20 * SOL);
    let mut serials = vec![];
    let mut buy = |h: &mut Harness, tier: u8, shard: u8| -> TxResult {
        let (mint, r) = if tier == NO_TIER {
            s.buy_as(h, &buyer, shard)
        } else {
            buy_in(h, &s, &buyer, tier, shard, P, vec![])
        };
        if r.is_ok() {
            serials.push(serial(h, &mint));
        }
        r
    };
    for shard in [f0, f0 + 1, f0] {
        buy(&mut h, t0, shard).expect("tier 0 sells");
    }
    for shard in [f0, f0 + 1] {
        assert_err(&buy(&mut h, t0, shard), BitTicketError::ShardSoldOut);
    }
    // tier 0 is sold out: tier 1 and the base sale still sell
    for (tier, shard) in [
        (t1, f1),
        (NO_TIER, 0),
        (t1, f1),
        (NO_TIER, 1),
        (NO_TIER, 0),
        (NO_TIER, 1),
    ] {
        buy(&mut h, tier, shard).expect("still on sale");
    }
    assert_err(&buy(&mut h, t1, f1), BitTicketError::ShardSoldOut);
    assert_err(&buy(&mut h, NO_TIER, 0), BitTicketError::ShardSoldOut);
    serials.sort_unstable();
    assert_eq!(serials, (0..9).collect::<Vec<u32>>());
    let sold: Vec<u32> = (0..5)
        .map(|i| h.account::<Shard>(&shard_pda(&s.event, i)).unwrap().sold)
        .collect();
    assert_eq!(sold, vec![2, 2, 2, 1, 2]);
}

#[test]
fn create_tier_needs_an_event_manager_of_the_events_organizer_signing() {
    let (mut h, s) = sale(10, 4, 1);
    let other = Sale::new(&mut h, config(10, SOL, 4), 1);
    let stranger = h.wallet(SOL);
    let as_signer = |h: &mut Harness, who: &Keypair| {
        let ix = ix_create_tier(&s.organizer, &s.event, &who.pubkey(), 0, public(5, 2), 1);
        h.send(&[ix], &[who])
    };
    assert_err(
        &as_signer(&mut h, &s.gatekeeper),
        BitTicketError::MissingPermission,
    );
    assert_err(&as_signer(&mut h, &stranger), BitTicketError::NotAMember);
    // the manager named but not signing (a stranger pays the fee)
    let mut ix = ix_create_tier(
        &s.organizer,
        &s.event,
        &s.admin.pubkey(),
        0,
        public(5, 2),
        1,
    );
    assert!(ix.accounts[3].pubkey == s.admin.pubkey());
    ix.accounts[3].is_signer = false;
    assert_anchor(&h.send(&[ix], &[&stranger]), Anchor::AccountNotSigner);
    // this organizer's manager on another organizer's event
    let ix = ix_create_tier(
        &s.organizer,
        &other.event,
        &s.admin.pubkey(),
        0,
        public(5, 2),
        1,
    );
    assert_anchor(&h.send(&[ix], &[&s.admin]), Anchor::ConstraintHasOne);
    assert_eq!(h.account::<Event>(&other.event).unwrap().tier_count, 0);
    assert!(!h.exists(&tier_pda(&s.event, 0)) && !h.exists(&tier_pda(&other.event, 0)));
    // an organizer that needs proposals (2 of 3): tiers are sale terms a single key may not set
    let t = Treasury::new(&mut h, config(10, SOL, 4), 1);
    let ix = ix_create_tier(
        &t.org(),
        &t.sale.event,
        &t.alice().pubkey(),
        0,
        public(5, 2),
        1,
    );
    assert_err(
        &h.send(&[ix], &[t.alice()]),
        BitTicketError::MultisigRequired,
    );
    create(&mut h, &s, 0, public(5, 2), 1).expect("the event's manager");
}

#[test]
fn create_tier_only_while_the_terms_may_change() {
    let (mut h, s) = sale(10, 4, 1);
    h.set_time(T0 + 99);
    create(&mut h, &s, 0, public(5, 2), 1).expect("a second before the sale");
    h.set_time(T0 + 100);
    assert_err(
        &create(&mut h, &s, 1, public(5, 2), 1),
        BitTicketError::SaleStarted,
    );
    let (mut h, s) = sale(10, 4, 1);
    h.send(
        &[ix_cancel_event(&s.organizer, &s.event, &s.admin.pubkey())],
        &[&s.admin],
    )
    .unwrap();
    assert_err(
        &create(&mut h, &s, 0, public(5, 2), 1),
        BitTicketError::EventCancelled,
    );
}

#[test]
fn create_tier_refuses_a_bad_config() {
    let (mut h, s) = sale(10, 4, 1);
    let p = |start, end| phase(start, end, 1, OPEN);
    let bad_phases = [
        vec![],
        vec![p(200, 300), p(299, 400)], // overlapping
        vec![p(300, 400), p(100, 200)], // out of order
        vec![p(200, 200)],              // empty
        vec![
            p(100, 200),
            p(200, 300),
            p(300, 400),
            p(400, 500),
            p(500, 600),
        ], // 5 > MAX_PHASES
        vec![p(99, 200)],               // before the event's sale
        vec![p(9_000, 10_001)],         // after it
    ];
    for phases in bad_phases {
        assert_err(
            &create(&mut h, &s, 0, tier(5, 2, phases), 1),
            BitTicketError::InvalidPhases,
        );
    }
    let bad = [
        // supply 0 is refused by the shard count's check (1 shard > 0 tickets), which runs first
        (
            tier(0, 2, vec![p(100, 200)]),
            1,
            BitTicketError::InvalidShardCount,
        ),
        (public(5, 2), 0, BitTicketError::InvalidShardCount),
        (public(5, 2), 6, BitTicketError::InvalidShardCount),
        // the event's own shard and 64 more pass MAX_SHARDS
        (public(100, 2), 64, BitTicketError::TooManyShards),
        (
            tier(5, 0, vec![p(100, 200)]),
            1,
            BitTicketError::InvalidWalletLimit,
        ),
        (
            tier(5, 2, vec![phase(100, 200, 0, OPEN)]),
            1,
            BitTicketError::InvalidWalletLimit,
        ),
        (
            TierConfig {
                name: String::new(),
                ..public(5, 2)
            },
            1,
            BitTicketError::InvalidName,
        ),
    ];
    for (config, shards, e) in bad {
        assert_err(&create(&mut h, &s, 0, config, shards), e);
    }
    let e: Event = h.account(&s.event).unwrap();
    assert_eq!(
        (e.tier_count, e.shards_reserved, e.tier_serial_end),
        (0, 1, 0)
    );
    create(&mut h, &s, 0, public(5, 5), 5).expect("5 shards of 5 tickets");
}

#[test]
fn each_tier_at_its_own_index_and_at_most_max_tiers() {
    let (mut h, s) = sale(10, 4, 1);
    // reinitialisation: the tier account must be the event's next, tier_count
    assert_anchor(
        &create(&mut h, &s, 1, public(5, 2), 1),
        Anchor::ConstraintSeeds,
    );
    for i in 0..MAX_TIERS {
        create(&mut h, &s, i, public(5, 2), 1).expect("a tier");
    }
    let before: Tier = h.account(&tier_pda(&s.event, 0)).unwrap();
    assert_anchor(
        &create(&mut h, &s, 0, public(7, 3), 1),
        Anchor::ConstraintSeeds,
    );
    let after: Tier = h.account(&tier_pda(&s.event, 0)).unwrap();
    assert_eq!(
        (after.config, after.serial_base),
        (before.config, before.serial_base)
    );
    assert_err(
        &create(&mut h, &s, MAX_TIERS, public(5, 2), 1),
        BitTicketError::TooManyTiers,
    );
    assert!(!h.exists(&tier_pda(&s.event, MAX_TIERS)));
    let e: Event = h.account(&s.event).unwrap();
    assert_eq!(
        (
            e.tier_count,
            e.shards_reserved,
            e.tier_serial_start,
            e.tier_serial_end
        ),
        (MAX_TIERS, 1 + MAX_TIERS, 10, 10 + 5 * u32::from(MAX_TIERS))
    );
}

#[test]
fn update_tier_keeps_to_its_serials_its_event_and_the_sale_start() {
    let (mut h, s) = sale(10, 4, 1);
    let other = Sale::new(&mut h, config(10, SOL, 4), 1);
    add_tier(&mut h, &s, public(5, 2), 1);
    add_tier(&mut h, &s, public(5, 2), 1);
    add_tier(&mut h, &other, public(5, 2), 1);
    let a = s.admin.pubkey();
    let update = |h: &mut Harness, who: &Keypair, config: TierConfig| {
        h.send(
            &[ix_update_tier(
                &s.organizer,
                &s.event,
                &who.pubkey(),
                0,
                config,
            )],
            &[who],
        )
    };
    // the serials above its reserved 5 are tier 1's
    assert_err(
        &update(&mut h, &s.admin, public(6, 2)),
        BitTicketError::InvalidSupply,
    );
    update(&mut h, &s.admin, public(3, 2)).expect("a smaller supply");
    update(&mut h, &s.admin, public(5, 3)).expect("back up to what it reserved");
    assert_err(
        &update(&mut h, &s.gatekeeper, public(4, 2)),
        BitTicketError::MissingPermission,
    );
    // a tier of another event, under this event's organizer and manager
    let ix = ix_update_tier(&s.organizer, &s.event, &a, 0, public(5, 2));
    let ix = with_account(ix, 2, tier_pda(&other.event, 0));
    assert_anchor(&h.send(&[ix], &[&s.admin]), Anchor::ConstraintHasOne);
    let t: Tier = h.account(&tier_pda(&s.event, 0)).unwrap();
    assert_eq!((t.config.supply, t.config.max_per_wallet), (5, 3));
    h.set_time(T0 + 100);
    assert_err(
        &update(&mut h, &s.admin, public(4, 2)),
        BitTicketError::SaleStarted,
    );
}

#[test]
fn tier_shards_open_in_order_within_the_tiers_range() {
    let (mut h, s) = sale(10, 4, 1);
    let other = Sale::new(&mut h, config(10, SOL, 4), 1);
    create(&mut h, &s, 0, public(5, 2), 2).unwrap(); // shards 1, 2
    create(&mut h, &s, 1, public(5, 2), 1).unwrap(); // shard 3
    add_tier(&mut h, &other, public(5, 2), 1);
    let a = s.admin.pubkey();
    let open = |h: &mut Harness, who: &Keypair, tier: u8, index: u8| {
        h.send(
            &[ix_open_tier_shard(
                &s.organizer,
                &s.event,
                &who.pubkey(),
                tier,
                index,
            )],
            &[who],
        )
    };
    assert_err(
        &open(&mut h, &s.admin, 0, 2),
        BitTicketError::InvalidShardIndex,
    );
    // the base sale's shard 0 exists: creating it again fails, and it stays the base's
    // (the system program's AccountAlreadyInUse)
    assert_code(&open(&mut h, &s.admin, 0, 0), 0);
    let base: Shard = h.account(&shard_pda(&s.event, 0)).unwrap();
    assert_eq!((base.tier, base.index), (NO_TIER, 0));
    assert_err(
        &open(&mut h, &s.gatekeeper, 0, 1),
        BitTicketError::MissingPermission,
    );
    // another event's tier with this event
    let ix = ix_open_tier_shard(&s.organizer, &s.event, &a, 0, 1);
    let ix = with_account(ix, 2, tier_pda(&other.event, 0));
    assert_anchor(&h.send(&[ix], &[&s.admin]), Anchor::ConstraintHasOne);
    open(&mut h, &s.admin, 0, 1).unwrap();
    open(&mut h, &s.admin, 0, 2).unwrap();
    // past tier 0's shard count: tier 1's index, then an index nobody reserved
    assert_err(
        &open(&mut h, &s.admin, 0, 3),
        BitTicketError::InvalidShardIndex,
    );
    assert_err(
        &open(&mut h, &s.admin, 0, 4),
        BitTicketError::InvalidShardIndex,
    );
    let t: Tier = h.account(&tier_pda(&s.event, 0)).unwrap();
    assert_eq!((t.first_shard, t.shards_opened), (1, 2));
    for i in [1, 2] {
        let sh: Shard = h.account(&shard_pda(&s.event, i)).unwrap();
        assert_eq!((sh.tier, sh.index), (0, i));
    }
    h.send(&[ix_cancel_event(&s.organizer, &s.event, &a)], &[&s.admin])
        .unwrap();
    assert_err(
        &open(&mut h, &s.admin, 1, 3),
        BitTicketError::EventCancelled,
    );
}

#[test]
fn purchase_tier_refuses_a_cosplaying_forged_or_foreign_tier() {
    let (mut h, s) = sale(10, 4, 1);
    let other = Sale::new(&mut h, config(10, SOL, 4), 1);
    let (t, sh) = add_tier(&mut h, &s, public(5, 2), 1);
    add_tier(&mut h, &other, public(5, 2), 1);
    h.set_time(T0 + 100);
    let buyer = h.wallet(10 * SOL);
    let forged = clone_with_owner(&mut h, &tier_pda(&s.event, t), Address::new_unique());
    // (slot, account): 1 event, 2 tier, 3 shard
    let cases = [
        (
            2,
            shard_pda(&s.event, sh),
            Anchor::AccountDiscriminatorMismatch,
        ),
        (2, s.event, Anchor::AccountDiscriminatorMismatch),
        (
            3,
            tier_pda(&s.event, t),
            Anchor::AccountDiscriminatorMismatch,
        ),
        (2, forged, Anchor::AccountOwnedByWrongProgram),
        (2, tier_pda(&other.event, 0), Anchor::ConstraintHasOne),
        (1, other.event, Anchor::ConstraintHasOne),
    ];
    for (slot, key, e) in cases {
        let mint = ticket_mint(&buyer.pubkey());
        let ix = with_account(tier_ix(&s, &buyer, &mint, t, sh, P, vec![]), slot, key);
        assert_anchor(&h.send(&[ix], &[&buyer, &mint]), e);
    }
    assert_eq!(
        h.account::<Shard>(&shard_pda(&s.event, sh)).unwrap().sold,
        0
    );
    buy_in(&mut h, &s, &buyer, t, sh, P, vec![]).1.unwrap();
}

#[test]
fn purchase_tier_needs_the_buyers_signature_and_price() {
    let (mut h, s) = sale(10, 4, 1);
    let (t, sh) = add_tier(&mut h, &s, public(5, 2), 1);
    h.set_time(T0 + 100);
    let (victim, relayer) = (h.wallet(10 * SOL), h.wallet(10 * SOL));
    let mint = ticket_mint(&victim.pubkey());
    let mut ix = tier_ix(&s, &victim, &mint, t, sh, P, vec![]);
    ix.accounts[0].is_signer = false;
    assert_anchor(&h.send(&[ix], &[&relayer, &mint]), Anchor::AccountNotSigner);
    assert_err(
        &buy_in(&mut h, &s, &victim, t, sh, P - 1, vec![]).1,
        BitTicketError::PriceAboveMaximum,
    );
    assert_eq!(
        h.account::<Shard>(&shard_pda(&s.event, sh)).unwrap().sold,
        0
    );
    buy_in(&mut h, &s, &victim, t, sh, P, vec![]).1.unwrap();
    let shard: Shard = h.account(&shard_pda(&s.event, sh)).unwrap();
    assert_eq!((shard.sold, shard.revenue), (1, P));
}

#[test]
fn purchase_tier_stops_while_paused_and_once_cancelled() {
    let (mut h, s) = sale(10, 4, 1);
    let (t, sh) = add_tier(&mut h, &s, public(5, 4), 1);
    h.set_time(T0 + 100);
    let buyer = h.wallet(10 * SOL);
    let a = s.admin.pubkey();
    let manage = |h: &mut Harness, ix| h.send(&[ix], &[&s.admin]).unwrap();
    manage(&mut h, ix_set_paused(&s.organizer, &s.event, &a, true));
    assert_err(
        &buy_in(&mut h, &s, &buyer, t, sh, P, vec![]).1,
        BitTicketError::SalePaused,
    );
    manage(&mut h, ix_set_paused(&s.organizer, &s.event, &a, false));
    let (mint, r) = buy_in(&mut h, &s, &buyer, t, sh, P, vec![]);
    r.unwrap();
    manage(&mut h, ix_cancel_event(&s.organizer, &s.event, &a));
    assert_err(
        &buy_in(&mut h, &s, &buyer, t, sh, P, vec![]).1,
        BitTicketError::EventCancelled,
    );
    // the refund is the phase's price, paid back by the tier's shard
    let before = h.lamports(&buyer.pubkey());
    let refund = ix_claim_refund(&buyer.pubkey(), &s.event, sh, &mint.pubkey());
    h.send(&[refund], &[&buyer])
        .expect("refund of a tier ticket");
    assert_eq!(h.lamports(&buyer.pubkey()), before + P - 5_000);
    let shard: Shard = h.account(&shard_pda(&s.event, sh)).unwrap();
    assert_eq!((shard.revenue, shard.refunded), (P, P));
}

/// An organizer that needs proposals (2 of 3, a time-lock): its manager sets tiers only
/// while the event's terms await approval, and only a proposal made after the last tier
/// change approves them; once approved, tiers change no more.
#[test]
fn under_a_multisig_tiers_are_approved_with_the_terms_by_a_later_proposal() {
    use bitticket::state::{EventConfig, Organizer, ProposalAction};
    let mut h = Harness::new().expect("load the program");
    let t = Treasury::new(&mut h, config(10, SOL, 4), 1);
    let (org, alice) = (t.org(), t.alice());
    let start = h.now() + 3 * i64::from(Treasury::TIME_LOCK);
    let base = config(10, SOL, 4);
    let shift = start - base.sale_start;
    let terms = EventConfig {
        sale_start: start,
        sale_end: base.sale_end + shift,
        resale_unlock: base.resale_unlock + shift,
        check_in_start: base.check_in_start + shift,
        check_in_end: base.check_in_end + shift,
        ..base
    };
    let ev = event_pda(&org, h.account::<Organizer>(&org).unwrap().next_event_id);
    h.send(
        &[
            ix_create_event(&org, &ev, &alice.pubkey(), terms.clone(), 1),
            ix_open_shard(&org, &ev, &alice.pubkey(), 0),
        ],
        &[alice],
    )
    .expect("an event awaiting approval");
    let approve = ProposalAction::UpdateEvent {
        event: ev,
        config: terms.clone(),
    };
    // voted before the tier existed
    let early = h.propose_and_approve(&org, approve.clone(), &[&t.bob, &t.carol]);
    let vip = TierConfig {
        name: "VIP".into(),
        supply: 3,
        max_per_wallet: 2,
        phases: vec![Phase {
            start: terms.sale_start,
            end: terms.sale_end,
            price: 3 * SOL,
            max_per_wallet: 2,
            allow_list: OPEN,
        }],
    };
    h.send(
        &[
            ix_create_tier(&org, &ev, &alice.pubkey(), 0, vip.clone(), 1),
            ix_open_tier_shard(&org, &ev, &alice.pubkey(), 0, 1),
        ],
        &[alice],
    )
    .expect("a manager sets the tier while the terms await approval");
    assert_eq!(
        h.account::<Event>(&ev).unwrap().tiers_changed_at_proposal,
        early
    );
    h.set_time(h.now() + i64::from(Treasury::TIME_LOCK));
    assert_err(
        &h.send(
            &[ix_execute_on(
                &org,
                early,
                &alice.pubkey(),
                Some(ev),
                none(),
            )],
            &[alice],
        ),
        BitTicketError::TermsChangedSinceProposal,
    );
    assert!(!h.account::<Event>(&ev).unwrap().approved);
    h.pass(&org, approve, &[&t.bob, &t.carol], none())
        .1
        .expect("a proposal made after the tier approves the terms");
    assert!(h.account::<Event>(&ev).unwrap().approved);
    // approved: the tiers are part of what was approved
    assert_err(
        &h.send(
            &[ix_update_tier(&org, &ev, &alice.pubkey(), 0, vip.clone())],
            &[alice],
        ),
        BitTicketError::MultisigRequired,
    );
    assert_err(
        &h.send(
            &[ix_create_tier(&org, &ev, &alice.pubkey(), 1, vip, 1)],
            &[alice],
        ),
        BitTicketError::MultisigRequired,
    );
    h.set_time(terms.sale_start);
    let buyer = h.wallet(10 * SOL);
    let mint = ticket_mint(&buyer.pubkey());
    h.send(
        &[ix_purchase_tier(
            &buyer.pubkey(),
            &ev,
            0,
            1,
            &mint.pubkey(),
            3 * SOL,
            vec![],
        )],
        &[&buyer, &mint],
    )
    .expect("the approved tier sells");
}

/// The tier purchase reads its tier and shard at fixed offsets (`TierHead`,
/// `Shard::load_for_sale`) instead of as Anchor `Account`s: each check those made still
/// refuses, with the same error (owner, initialised, type cosplay, `has_one`, `mut`).
#[test]
fn the_tier_and_shard_read_at_fixed_offsets_keep_anchors_checks() {
    let (mut h, a) = sale(10, 10, 2);
    let (t, sh) = add_tier(&mut h, &a, public(4, 4), 1);
    let b = Sale::new(&mut h, config(10, SOL, 4), 2);
    let (bt, bsh) = add_tier(&mut h, &b, public(4, 4), 1);
    h.set_time(T0 + 100);
    let buyer = h.wallet(10 * SOL);
    let mint = ticket_mint(&buyer.pubkey());
    let ix = tier_ix(&a, &buyer, &mint, t, sh, P, vec![]);
    let (tier_slot, shard_slot) = (2, 3);
    assert_eq!(ix.accounts[tier_slot].pubkey, tier_pda(&a.event, t));
    assert_eq!(ix.accounts[shard_slot].pubkey, shard_pda(&a.event, sh));
    let with = |slot: usize, key: Address| {
        let mut ix = ix.clone();
        ix.accounts[slot].pubkey = key;
        ix
    };
    for (bad, expected) in [
        // another event's tier, or shard: has_one = event
        (
            with(tier_slot, tier_pda(&b.event, bt)),
            Anchor::ConstraintHasOne,
        ),
        (
            with(shard_slot, shard_pda(&b.event, bsh)),
            Anchor::ConstraintHasOne,
        ),
        // a shard as the tier, the tier as the shard: their discriminators
        (
            with(tier_slot, shard_pda(&a.event, sh)),
            Anchor::AccountDiscriminatorMismatch,
        ),
        (
            with(shard_slot, tier_pda(&a.event, t)),
            Anchor::AccountDiscriminatorMismatch,
        ),
        // a wallet, or nothing at all
        (
            with(tier_slot, buyer.pubkey()),
            Anchor::AccountOwnedByWrongProgram,
        ),
        (
            with(shard_slot, Keypair::new().pubkey()),
            Anchor::AccountNotInitialized,
        ),
    ] {
        assert_anchor(&h.send(&[bad], &[&buyer, &mint]), expected);
    }
    // the shard passed read-only
    let mut read_only = ix.clone();
    read_only.accounts[shard_slot].is_writable = false;
    assert_anchor(
        &h.send(&[read_only], &[&buyer, &mint]),
        Anchor::ConstraintMut,
    );
    h.send(&[ix], &[&buyer, &mint])
        .expect("the purchase as built");
    let shard: Shard = h.account(&shard_pda(&a.event, sh)).unwrap();
    assert_eq!((shard.sold, shard.revenue), (1, P));
}
