//! Tiers priced in an SPL mint (classic Token and Token-2022): the purchase, the refund,
//! the sweep and the resale move the price with `transfer_checked` between the buyer, the
//! seller, the shard's till and the vault; and the attacks on them: mints that could take
//! a fee, call a hook or move the till's tokens, a fake mint, another mint, another
//! shard's or wallet's token account, a fake token program, the SOL path on a token tier.
use anchor_lang::error::ErrorCode as Anchor;
use bitticket::constants::SOL_CURRENCY;
use bitticket::state::{Phase, Tier, TierConfig};
use bitticket_tests::currency::*;
use bitticket_tests::*;
use solana_address::Address;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::clone_with_owner;

/// 25 USDC (6 decimals).
const PRICE: u64 = 25_000_000;
const USDC: u64 = 1_000_000;

/// One public phase over the sale window at `PRICE`, 10 tickets, 3 a wallet.
fn usdc_tier() -> TierConfig {
    TierConfig {
        name: "VIP".into(),
        supply: 10,
        max_per_wallet: 3,
        phases: vec![Phase {
            start: T0 + 100,
            end: T0 + 10_000,
            price: PRICE,
            max_per_wallet: 3,
            allow_list: [0; 32],
        }],
    }
}

/// An event (1 base shard) with tier 0 in `c` through shard 1, whose till is open; the
/// clock at the sale's start.
fn sale_in(h: &mut Harness, c: &TokenCurrency) -> Sale {
    let s = Sale::new(h, config(10, SOL, 6), 1);
    let a = s.admin.pubkey();
    h.send(
        &[
            ix_create_tier_in(&s.organizer, &s.event, &a, 0, usdc_tier(), 1, Some(&c.mint)),
            ix_open_tier_shard(&s.organizer, &s.event, &a, 0, 1),
        ],
        &[&s.admin],
    )
    .expect("create the tier in the currency");
    open_account(h, c, &shard_pda(&s.event, 1));
    h.set_time(T0 + 100);
    s
}

fn purchase(
    s: &Sale,
    buyer: &Keypair,
    mint: &Keypair,
    max_price: u64,
    c: Option<TokenCurrency>,
) -> Instruction {
    ix_purchase_tier_in(
        &buyer.pubkey(),
        &s.event,
        0,
        1,
        &mint.pubkey(),
        max_price,
        vec![],
        c,
    )
}

/// A buyer with 100 of `c` and SOL for rent and fees.
fn buyer(h: &mut Harness, c: &TokenCurrency) -> Keypair {
    let b = h.wallet(SOL);
    fund(h, c, &b.pubkey(), 100 * USDC);
    b
}

fn buy(h: &mut Harness, s: &Sale, buyer: &Keypair, c: &TokenCurrency) -> (Keypair, TxResult) {
    let mint = ticket_mint(&buyer.pubkey());
    let r = h.send(
        &[purchase(s, buyer, &mint, PRICE, Some(*c))],
        &[buyer, &mint],
    );
    (mint, r)
}

/// `ix` with account `slot` replaced by `key`.
fn with_account(mut ix: Instruction, slot: usize, key: Address) -> Instruction {
    ix.accounts[slot].pubkey = key;
    ix
}

fn slot(ix: &Instruction, key: &Address) -> usize {
    ix.accounts
        .iter()
        .position(|m| m.pubkey == *key)
        .expect("the account is in the instruction")
}

#[test]
fn a_tier_in_usdc_takes_its_price_in_usdc_and_refunds_it_in_usdc() {
    let mut h = Harness::new().expect("load the program");
    let c = new_currency(&mut h, TOKEN, Ext::None);
    let s = sale_in(&mut h, &c);
    let t: Tier = h.account(&tier_pda(&s.event, 0)).unwrap();
    assert_eq!((t.currency, t.currency_decimals), (c.mint, 6));
    let shard = shard_pda(&s.event, 1);
    let sh: Shard = h.account(&shard).unwrap();
    assert_eq!(sh.currency, c.mint);
    let base: Shard = h.account(&shard_pda(&s.event, 0)).unwrap();
    assert_eq!(base.currency, SOL_CURRENCY);

    let alice = buyer(&mut h, &c);
    let mint = ticket_mint(&alice.pubkey());
    // the price is in USDC: signing for less is refused, as is the SOL purchase
    assert_err(
        &h.send(
            &[purchase(&s, &alice, &mint, PRICE - 1, Some(c))],
            &[&alice, &mint],
        ),
        BitTicketError::PriceAboveMaximum,
    );
    assert_err(
        &h.send(
            &[purchase(&s, &alice, &mint, u64::MAX, None)],
            &[&alice, &mint],
        ),
        BitTicketError::CurrencyMismatch,
    );
    let (shard_lamports, alice_lamports) = (h.lamports(&shard), h.lamports(&alice.pubkey()));
    h.send(
        &[purchase(&s, &alice, &mint, PRICE, Some(c))],
        &[&alice, &mint],
    )
    .expect("alice pays 25 USDC");
    assert_eq!(balance(&h, &c.account(&alice.pubkey())), 75 * USDC);
    assert_eq!(balance(&h, &c.account(&shard)), PRICE);
    // no lamport of the price: the shard's lamports stay, alice pays rent and the fee only
    assert_eq!(h.lamports(&shard), shard_lamports);
    assert!(alice_lamports - h.lamports(&alice.pubkey()) < SOL / 100);
    let sh: Shard = h.account(&shard).unwrap();
    assert_eq!((sh.sold, sh.revenue), (1, PRICE));
    let ticket: Ticket = h.account(&ticket_pda(&mint.pubkey())).unwrap();
    assert_eq!((ticket.tier, ticket.price_paid), (0, PRICE));

    h.send(
        &[ix_cancel_event(&s.organizer, &s.event, &s.admin.pubkey())],
        &[&s.admin],
    )
    .unwrap();
    let m = mint.pubkey();
    let a = alice.pubkey();
    assert_err(
        &h.send(&[ix_claim_refund(&a, &s.event, 1, &m)], &[&alice]),
        BitTicketError::CurrencyMismatch,
    );
    // the till cannot refund into itself (the books would count a refund nobody got)
    let into_till = with_account(
        ix_claim_refund_in(&a, &s.event, 1, &m, Some(c)),
        slot(
            &ix_claim_refund_in(&a, &s.event, 1, &m, Some(c)),
            &c.account(&a),
        ),
        c.account(&shard),
    );
    assert_err(
        &h.send(&[into_till], &[&alice]),
        BitTicketError::CurrencyAccountMismatch,
    );
    h.send(
        &[ix_claim_refund_in(&a, &s.event, 1, &m, Some(c))],
        &[&alice],
    )
    .expect("the refund in USDC");
    assert_eq!(balance(&h, &c.account(&a)), 100 * USDC);
    assert_eq!(balance(&h, &c.account(&shard)), 0);
    let sh: Shard = h.account(&shard).unwrap();
    assert_eq!((sh.revenue, sh.refunded, sh.held()), (PRICE, PRICE, 0));
    assert_eq!(
        h.account::<Ticket>(&ticket_pda(&m)).unwrap().state,
        TicketState::Refunded
    );
    h.svm.expire_blockhash();
    assert_err(
        &h.send(
            &[ix_claim_refund_in(&a, &s.event, 1, &m, Some(c))],
            &[&alice],
        ),
        BitTicketError::TicketRefunded,
    );
}

#[test]
fn a_token_2022_shard_is_swept_into_the_vaults_account_in_its_currency() {
    let mut h = Harness::new().expect("load the program");
    let c = new_currency(&mut h, TOKEN_2022, Ext::MetadataPointer);
    let s = sale_in(&mut h, &c);
    for _ in 0..2 {
        let b = buyer(&mut h, &c);
        buy(&mut h, &s, &b, &c)
            .1
            .expect("a purchase in a Token-2022 currency");
    }
    let shard = shard_pda(&s.event, 1);
    assert_eq!(balance(&h, &c.account(&shard)), 2 * PRICE);
    let vault = vault_pda(&s.organizer);
    let vault_account = open_account(&mut h, &c, &vault);
    let other = new_currency(&mut h, TOKEN_2022, Ext::None);
    open_account(&mut h, &other, &vault);
    open_account(&mut h, &other, &shard);
    h.set_time(config(10, SOL, 6).check_in_end);
    let cranker = h.wallet(SOL);
    let sweep = |c: Option<TokenCurrency>| ix_sweep_shard_in(&s.organizer, &s.event, 1, c);
    assert_err(
        &h.send(&[sweep(None)], &[&cranker]),
        BitTicketError::CurrencyMismatch,
    );
    assert_err(
        &h.send(&[sweep(Some(other))], &[&cranker]),
        BitTicketError::CurrencyMismatch,
    );
    // the vault's account of another mint, and a cranker's own account in the currency
    let ix = sweep(Some(c));
    let to = slot(&ix, &vault_account);
    assert_err(
        &h.send(
            &[with_account(ix.clone(), to, other.account(&vault))],
            &[&cranker],
        ),
        BitTicketError::CurrencyAccountMismatch,
    );
    let mine = open_account(&mut h, &c, &cranker.pubkey());
    assert_err(
        &h.send(&[with_account(ix.clone(), to, mine)], &[&cranker]),
        BitTicketError::CurrencyAccountMismatch,
    );
    h.send(&[ix], &[&cranker])
        .expect("the sweep in the currency");
    assert_eq!(balance(&h, &vault_account), 2 * PRICE);
    assert_eq!(balance(&h, &c.account(&shard)), 0);
    let sh: Shard = h.account(&shard).unwrap();
    assert_eq!((sh.swept, sh.held()), (2 * PRICE, 0));
    h.svm.expire_blockhash();
    assert_err(
        &h.send(&[sweep(Some(c))], &[&cranker]),
        BitTicketError::NothingToSweep,
    );
}

#[test]
fn a_swept_token_shard_closes_with_its_till_a_stray_token_going_to_the_vault() {
    let mut h = Harness::new().expect("load the program");
    let c = new_currency(&mut h, TOKEN, Ext::None);
    let s = sale_in(&mut h, &c);
    let b = buyer(&mut h, &c);
    buy(&mut h, &s, &b, &c).1.expect("a purchase in USDC");
    let (org, ev, admin) = (s.organizer, s.event, s.admin.pubkey());
    let (shard, vault) = (shard_pda(&ev, 1), vault_pda(&org));
    let till = c.account(&shard);
    let vault_account = open_account(&mut h, &c, &vault);
    h.set_time(config(10, SOL, 6).check_in_end);
    let cranker = h.wallet(SOL);
    let close = |c: Option<TokenCurrency>| ix_close_shard(&org, &ev, 1, &admin, c);
    assert_err(
        &h.send(&[close(Some(c))], &[&cranker]),
        BitTicketError::ShardHoldsProceeds,
    );
    h.send(&[ix_sweep_shard_in(&org, &ev, 1, Some(c))], &[&cranker])
        .unwrap();
    // the SOL path, and another mint, are refused for a token shard
    assert_err(
        &h.send(&[close(None)], &[&cranker]),
        BitTicketError::CurrencyMismatch,
    );
    // the stray tokens cannot go anywhere but the vault's account in the currency
    let ix = close(Some(c));
    let to = slot(&ix, &vault_account);
    let mine = open_account(&mut h, &c, &cranker.pubkey());
    assert_err(
        &h.send(&[with_account(ix.clone(), to, mine)], &[&cranker]),
        BitTicketError::CurrencyAccountMismatch,
    );
    assert_err(
        &h.send(&[with_account(ix.clone(), to, till)], &[&cranker]),
        BitTicketError::CurrencyAccountMismatch,
    );
    // a fake token program
    let program = slot(&ix, &TOKEN);
    assert_failed(&h.send(
        &[with_account(ix.clone(), program, Address::new_unique())],
        &[&cranker],
    ));
    // someone sends one token to the till: it would keep the till open for ever if the
    // close refused it; it goes to the vault
    fund(&mut h, &c, &shard, 1);
    let rent = h.lamports(&shard) + h.lamports(&till);
    let before = h.lamports(&admin);
    h.send(&[ix], &[&cranker]).expect("the close");
    assert_eq!(h.lamports(&admin), before + rent);
    assert!(!h.exists(&shard) && !h.exists(&till));
    assert_eq!(balance(&h, &vault_account), PRICE + 1);
}

#[test]
fn a_currency_that_could_charge_hook_or_move_the_tills_tokens_is_refused() {
    let mut h = Harness::new().expect("load the program");
    let s = Sale::new(&mut h, config(10, SOL, 6), 1);
    let a = s.admin.pubkey();
    let create = |mint: &Address| {
        ix_create_tier_in(&s.organizer, &s.event, &a, 0, usdc_tier(), 1, Some(mint))
    };
    for ext in [Ext::TransferFee, Ext::TransferHook, Ext::PermanentDelegate] {
        let c = new_currency(&mut h, TOKEN_2022, ext);
        assert_err(
            &h.send(&[create(&c.mint)], &[&s.admin]),
            BitTicketError::UnsupportedCurrency,
        );
    }
    // a mint's bytes under another owner is no mint
    let c = new_currency(&mut h, TOKEN, Ext::None);
    let fake = clone_with_owner(&mut h, &c.mint, PROGRAM_ID);
    assert_anchor(
        &h.send(&[create(&fake)], &[&s.admin]),
        Anchor::AccountOwnedByWrongProgram,
    );
    // a Token-2022 mint whose extensions only describe it is taken
    let c = new_currency(&mut h, TOKEN_2022, Ext::MetadataPointer);
    h.send(&[create(&c.mint)], &[&s.admin])
        .expect("a mint with a metadata pointer");
}

#[test]
fn a_token_purchase_refuses_foreign_tills_other_mints_and_fake_programs() {
    let mut h = Harness::new().expect("load the program");
    let c = new_currency(&mut h, TOKEN, Ext::None);
    let s = sale_in(&mut h, &c);
    let alice = buyer(&mut h, &c);
    let bob = buyer(&mut h, &c);
    let mint = ticket_mint(&alice.pubkey());
    let ix = purchase(&s, &alice, &mint, PRICE, Some(c));
    let send = |h: &mut Harness, ix: Instruction| h.send(&[ix], &[&alice, &mint]);
    let till_slot = slot(&ix, &c.account(&shard_pda(&s.event, 1)));
    let from_slot = slot(&ix, &c.account(&alice.pubkey()));

    // a till of the event's base shard, or alice's own account as the till
    let foreign = open_account(&mut h, &c, &shard_pda(&s.event, 0));
    assert_err(
        &send(&mut h, with_account(ix.clone(), till_slot, foreign)),
        BitTicketError::CurrencyAccountMismatch,
    );
    assert_err(
        &send(
            &mut h,
            with_account(ix.clone(), till_slot, c.account(&bob.pubkey())),
        ),
        BitTicketError::CurrencyAccountMismatch,
    );
    // paying from bob's account: the token program wants bob's signature
    assert!(send(
        &mut h,
        with_account(ix.clone(), from_slot, c.account(&bob.pubkey()))
    )
    .is_err());
    // another mint with its own accounts: not the tier's currency
    let other = new_currency(&mut h, TOKEN, Ext::None);
    fund(&mut h, &other, &alice.pubkey(), 100 * USDC);
    open_account(&mut h, &other, &shard_pda(&s.event, 1));
    assert_err(
        &send(&mut h, purchase(&s, &alice, &mint, PRICE, Some(other))),
        BitTicketError::CurrencyMismatch,
    );
    // no till: the program's id in its place (a client leaving it out as if optional)
    assert_anchor(
        &send(&mut h, with_account(ix.clone(), till_slot, PROGRAM_ID)),
        Anchor::ConstraintMut,
    );
    // the token purchase of a tier priced in SOL
    let a = s.admin.pubkey();
    let sol_tier = TierConfig {
        name: "GA".into(),
        ..usdc_tier()
    };
    h.set_time(T0);
    h.send(
        &[
            ix_create_tier(&s.organizer, &s.event, &a, 1, sol_tier, 1),
            ix_open_tier_shard(&s.organizer, &s.event, &a, 1, 2),
        ],
        &[&s.admin],
    )
    .expect("a SOL tier beside it, before the sale");
    h.set_time(T0 + 100);
    open_account(&mut h, &c, &shard_pda(&s.event, 2));
    let in_sol = ix_purchase_tier_in(
        &alice.pubkey(),
        &s.event,
        1,
        2,
        &mint.pubkey(),
        u64::MAX,
        vec![],
        Some(c),
    );
    assert_err(&send(&mut h, in_sol), BitTicketError::CurrencyMismatch);
    // a program that is not a token program in the currency's program slot
    let program_slot = ix.accounts.len() - 1;
    assert_anchor(
        &send(&mut h, with_account(ix.clone(), program_slot, ATA_PROGRAM)),
        Anchor::InvalidProgramId,
    );
    // the currency's token program of the other family
    assert_err(
        &send(&mut h, with_account(ix.clone(), program_slot, TOKEN_2022)),
        BitTicketError::CurrencyAccountMismatch,
    );
    assert_eq!(balance(&h, &c.account(&alice.pubkey())), 100 * USDC);
    send(&mut h, ix).expect("the honest purchase");
    assert_eq!(balance(&h, &c.account(&alice.pubkey())), 75 * USDC);
}

#[test]
fn a_resale_in_usdc_pays_the_seller_and_the_royalty_in_usdc() {
    let mut h = Harness::new().expect("load the program");
    let c = new_currency(&mut h, TOKEN, Ext::None);
    let s = Sale::new(&mut h, config(10, SOL, 6), 1);
    let a = s.admin.pubkey();
    h.send(
        &[
            ix_set_resale_terms(
                &s.organizer,
                &s.event,
                &a,
                ResaleTerms {
                    cap_bps: 12_000,
                    royalty_bps: 1_000,
                    transfers_locked: false,
                },
            ),
            ix_create_tier_in(&s.organizer, &s.event, &a, 0, usdc_tier(), 1, Some(&c.mint)),
            ix_open_tier_shard(&s.organizer, &s.event, &a, 0, 1),
        ],
        &[&s.admin],
    )
    .expect("terms and a USDC tier");
    let shard = shard_pda(&s.event, 1);
    open_account(&mut h, &c, &shard);
    h.set_time(T0 + 100);
    let alice = buyer(&mut h, &c);
    let (mint, r) = buy(&mut h, &s, &alice, &c);
    r.unwrap();
    h.set_time(config(10, SOL, 6).resale_unlock);
    let m = mint.pubkey();
    // the cap is 120% of the 25 USDC paid
    assert_err(
        &h.send(
            &[ix_list_ticket(&alice.pubkey(), &s.event, &m, 30 * USDC + 1)],
            &[&alice],
        ),
        BitTicketError::AboveResaleCap,
    );
    h.send(
        &[ix_list_ticket(&alice.pubkey(), &s.event, &m, 30 * USDC)],
        &[&alice],
    )
    .unwrap();
    let bob = buyer(&mut h, &c);
    open_account(&mut h, &c, &alice.pubkey());
    let take = |max: u64, c: Option<TokenCurrency>| {
        ix_buy_listing_in(&bob.pubkey(), &alice.pubkey(), &s.event, &m, 1, max, c)
    };
    assert_err(
        &h.send(&[take(u64::MAX, None)], &[&bob]),
        BitTicketError::CurrencyMismatch,
    );
    assert_err(
        &h.send(&[take(30 * USDC - 1, Some(c))], &[&bob]),
        BitTicketError::PriceAboveMaximum,
    );
    // bob names his own account, or another of his, as the seller's
    let ix = take(30 * USDC, Some(c));
    let seller_slot = slot(&ix, &c.account(&alice.pubkey()));
    let mine = with_account(ix.clone(), seller_slot, c.account(&bob.pubkey()));
    assert_err(
        &h.send(&[mine], &[&bob]),
        BitTicketError::CurrencyAccountMismatch,
    );
    let other = Keypair::new();
    let second = open_account(&mut h, &c, &other.pubkey());
    assert_err(
        &h.send(&[with_account(ix.clone(), seller_slot, second)], &[&bob]),
        BitTicketError::CurrencyAccountMismatch,
    );
    h.send(&[ix], &[&bob])
        .expect("bob takes the listing in USDC");
    // 30 USDC: 27 to alice, a 3 USDC royalty to the shard's till and its books
    assert_eq!(balance(&h, &c.account(&bob.pubkey())), 70 * USDC);
    assert_eq!(
        balance(&h, &c.account(&alice.pubkey())),
        75 * USDC + 27 * USDC
    );
    assert_eq!(balance(&h, &c.account(&shard)), PRICE + 3 * USDC);
    let sh: Shard = h.account(&shard).unwrap();
    assert_eq!(sh.revenue, PRICE + 3 * USDC);
    let ticket: Ticket = h.account(&ticket_pda(&m)).unwrap();
    assert_eq!(ticket.holder, bob.pubkey());
}
