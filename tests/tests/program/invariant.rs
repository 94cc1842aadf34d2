//! A randomized sequence of hundreds of steps over one organizer, checking after every
//! step that the SOL and token balances of all its vaults (event shards and the organizer
//! vault) equal what buyers paid minus refunds minus executed withdrawals and spends.
//! Steps include event updates (a rename by a manager, terms by proposal), late
//! cancellations by proposal, outflow-cap changes of amount and period, membership races
//! (a single admin removing a key before the proposal removing it executes; an admin
//! filling the member list against the multisig), and time jumps past refund periods.
use bitticket::state::EventConfig;
use bitticket_tests::*;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;

/// xorshift64*: deterministic, so a failure replays with the same seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[derive(Default, Debug)]
struct Ledger {
    paid: u64,
    refunded: u64,
    withdrawn: u64,
    spent: u64,
    tokens_in: u64,
    tokens_out: u64,
}

struct World {
    t: Treasury,
    events: Vec<(Address, u8)>,
    cancellable: usize,
    /// an event whose sale starts late, so it can still be updated
    updatable: usize,
    buyers: Vec<Keypair>,
    /// tickets of the cancellable event: (holder, mint, shard)
    refundable: Vec<(usize, Address, u8)>,
    mint: Address,
    vault_token: Address,
    payee: Address,
    payee_token: Address,
    /// a finance member and spender, added by an admin alone and by the multisig
    dave: Keypair,
    /// gatekeepers an admin alone added
    gatekeepers: Vec<Address>,
}

/// A manager creates the event; in a multisig it sells nothing until a proposal
/// approves its terms, which this passes.
fn add_event(h: &mut Harness, t: &Treasury, c: EventConfig, shards: u8) -> Address {
    let org = t.org();
    let id = h.account::<Organizer>(&org).unwrap().next_event_id;
    let ev = event_pda(&org, id);
    let a = t.alice();
    h.send(
        &[ix_create_event(&org, &ev, &a.pubkey(), c.clone(), shards)],
        &[a],
    )
    .unwrap();
    for i in 0..shards {
        h.send(&[ix_open_shard(&org, &ev, &a.pubkey(), i)], &[a])
            .unwrap();
    }
    assert!(!h.account::<Event>(&ev).unwrap().approved);
    let approve = ProposalAction::UpdateEvent {
        event: ev,
        config: c,
    };
    h.pass(&org, approve, &[&t.bob, &t.carol], Outflow::default())
        .1
        .unwrap();
    assert!(h.account::<Event>(&ev).unwrap().approved);
    ev
}

fn check(h: &Harness, w: &World, l: &Ledger, step: usize, what: &str) {
    let mut held = 0;
    for (ev, shards) in &w.events {
        for i in 0..*shards {
            let key = shard_pda(ev, i);
            let sh: Shard = h.account(&key).unwrap();
            let extra = h.lamports(&key) - sh.reserve;
            assert_eq!(
                extra,
                sh.held(),
                "step {step} ({what}): shard lamports match its books"
            );
            held += extra;
        }
    }
    let vault = h.vault_funds(&w.t.org());
    assert_eq!(
        held + vault,
        l.paid - l.refunded - l.withdrawn - l.spent,
        "step {step} ({what}): SOL in all vaults == paid - refunds - withdrawals - spends; {l:?}"
    );
    let tokens = h.token(&w.vault_token).unwrap().amount;
    assert_eq!(
        tokens,
        l.tokens_in - l.tokens_out,
        "step {step} ({what}): tokens in the vault"
    );
    h.account::<Organizer>(&w.t.org())
        .unwrap()
        .invariant()
        .unwrap();
}

fn setup(h: &mut Harness) -> World {
    let price = SOL / 2;
    // event 0: short, swept early; event 1: long sale; event 2: cancelled at some point
    let short = EventConfig {
        sale_end: T0 + 40_000,
        resale_unlock: T0 + 40_000,
        check_in_start: T0 + 40_000,
        check_in_end: T0 + 60_000,
        ..config(40, price, 40)
    };
    h.set_time(T0 + 100);
    let t = Treasury::new(h, short, 2);
    // late enough for the proposals approving these events to land before their sales
    let long = EventConfig {
        sale_start: T0 + 50_000,
        sale_end: T0 + 2_000_000,
        resale_unlock: T0 + 2_000_000,
        check_in_start: T0 + 2_000_000,
        check_in_end: T0 + 3_000_000,
        ..config(200, SOL / 4, 200)
    };
    let e1 = add_event(h, &t, long.clone(), 3);
    let e2 = add_event(
        h,
        &t,
        EventConfig {
            price_lamports: SOL / 3,
            ..long.clone()
        },
        2,
    );
    let e3 = add_event(
        h,
        &t,
        EventConfig {
            sale_start: T0 + 150_000,
            ..long
        },
        2,
    );
    let org = t.org();
    let v = [&t.bob, &t.carol];
    let (mint, vault_token) = crate::tokens::usdc_in_vault(h, &org, 0);
    let payee = Address::new_unique();
    let payee_token = crate::tokens::token_account_for(h, &payee, &mint);
    for action in [
        ProposalAction::SetOutflowCap {
            mint: Address::default(),
            amount: 3 * SOL,
            period: Period::Day,
        },
        ProposalAction::SetOutflowCap {
            mint,
            amount: 5_000_000,
            period: Period::Week,
        },
        ProposalAction::AddSpendingLimit {
            limit: SpendingLimitConfig {
                id: 1,
                mint: Address::default(),
                amount: 2 * SOL,
                period: Period::Day,
                members: vec![t.bob.pubkey()],
                destinations: vec![],
            },
        },
        ProposalAction::AddSpendingLimit {
            limit: SpendingLimitConfig {
                id: 2,
                mint,
                amount: 2_000_000,
                period: Period::Day,
                members: vec![t.carol.pubkey()],
                destinations: vec![payee_token],
            },
        },
    ] {
        h.pass(&org, action, &v, Outflow::default()).1.unwrap();
    }
    let buyers = (0..6).map(|_| h.wallet(1_000 * SOL)).collect();
    let dave = h.wallet(SOL);
    World {
        events: vec![(t.sale.event, 2), (e1, 3), (e2, 2), (e3, 2)],
        t,
        cancellable: 2,
        updatable: 3,
        buyers,
        refundable: vec![],
        mint,
        vault_token,
        payee,
        payee_token,
        dave,
        gatekeepers: vec![],
    }
}

/// Gives dave back a finance role (an admin alone) and a SOL spending limit (the
/// multisig), whatever he holds now.
fn reinstate_dave(h: &mut Harness, w: &World) {
    let (org, a) = (w.t.org(), w.t.alice());
    let o: Organizer = h.account(&org).unwrap();
    if o.permissions_of(&w.dave.pubkey()).is_none() {
        let _ = h.send(
            &[ix_add_member(
                &org,
                &a.pubkey(),
                &w.dave.pubkey(),
                permission::FINANCE,
            )],
            &[a],
        );
    }
    if o.spending_limit(3).is_none() {
        let limit = ProposalAction::AddSpendingLimit {
            limit: SpendingLimitConfig {
                id: 3,
                mint: Address::default(),
                amount: SOL / 10,
                period: Period::Day,
                members: vec![w.dave.pubkey()],
                destinations: vec![],
            },
        };
        h.pass(&org, limit, &[&w.t.bob, &w.t.carol], Outflow::default())
            .1
            .unwrap();
    }
}

#[test]
fn vault_balances_match_the_books_over_a_random_sequence() {
    let mut h = Harness::new().unwrap();
    let mut w = setup(&mut h);
    let mut l = Ledger::default();
    let mut rng = Rng(0x005E_EDB1_7771_C3E7_u64);
    let org = w.t.org();
    let (mut ok, mut refused) = (0u32, 0u32);
    check(&h, &w, &l, 0, "setup");
    for step in 1..=400 {
        let what;
        let result = match rng.below(17) {
            0..=3 => {
                what = "purchase";
                let e = rng.below(w.events.len() as u64) as usize;
                let (ev, shards) = w.events[e];
                let s = rng.below(u64::from(shards)) as u8;
                let b = rng.below(w.buyers.len() as u64) as usize;
                let price = h.account::<Event>(&ev).unwrap().config.price_lamports;
                let mint = Keypair::new();
                let buyer = &w.buyers[b];
                // the buyer agrees to the price they saw
                let r = h.send(
                    &[ix_purchase_at_most(
                        &buyer.pubkey(),
                        &ev,
                        s,
                        &mint.pubkey(),
                        price,
                    )],
                    &[buyer, &mint],
                );
                if let (Err(f), Some(_)) = (&r, std::env::var_os("INVARIANT_DEBUG")) {
                    println!("step {step}: purchase on event {e} refused: {:?}", f.err);
                }
                if r.is_ok() {
                    l.paid += price;
                    if e == w.cancellable {
                        w.refundable.push((b, mint.pubkey(), s));
                    }
                }
                r.is_ok()
            }
            4 => {
                what = "cancel or refund";
                let (ev, _) = w.events[w.cancellable];
                let e: Event = h.account(&ev).unwrap();
                if !e.cancelled && w.refundable.len() >= 8 && rng.below(3) == 0 {
                    // late: the sale has started, so one manager alone is refused and
                    // the cancellation goes through the multisig
                    let a = w.t.alice();
                    assert_err(
                        &h.send(&[ix_cancel_event(&org, &ev, &a.pubkey())], &[a]),
                        BitTicketError::MultisigRequired,
                    );
                    let cancel = ProposalAction::CancelEvent { event: ev };
                    h.pass(&org, cancel, &[&w.t.bob, &w.t.carol], Outflow::default())
                        .1
                        .is_ok()
                } else if let Some((b, mint, s)) = w.refundable.pop() {
                    let holder = &w.buyers[b];
                    let r = h.send(
                        &[ix_claim_refund(&holder.pubkey(), &ev, s, &mint)],
                        &[holder],
                    );
                    if r.is_ok() {
                        l.refunded += e.config.price_lamports;
                    } else {
                        w.refundable.push((b, mint, s));
                    }
                    r.is_ok()
                } else {
                    false
                }
            }
            5 => {
                what = "sweep";
                let e = rng.below(w.events.len() as u64) as usize;
                let (ev, shards) = w.events[e];
                let s = rng.below(u64::from(shards)) as u8;
                h.send(&[ix_sweep_shard(&org, &ev, s)], &[&w.t.bob]).is_ok()
            }
            6 => {
                what = "withdraw SOL by proposal";
                let vault = h.vault_funds(&org);
                // within the funds half of the time, possibly above them otherwise
                let over = if rng.below(2) == 0 { 0 } else { SOL };
                let amount = 1 + rng.below(vault.max(1) + over);
                let action = ProposalAction::WithdrawSol {
                    destination: w.payee,
                    amount,
                };
                let r = h
                    .pass(&org, action, &[&w.t.bob, &w.t.carol], Outflow::sol(w.payee))
                    .1;
                if let (Err(f), Some(_)) = (&r, std::env::var_os("INVARIANT_DEBUG")) {
                    println!("step {step}: withdrawal of {amount} refused: {:?}", f.err);
                }
                if r.is_ok() {
                    l.withdrawn += amount;
                }
                r.is_ok()
            }
            7 | 8 => {
                what = "spend SOL within the limit";
                let amount = 1 + rng.below(SOL);
                let r = h.send(
                    &[ix_spend(
                        &org,
                        &w.t.bob.pubkey(),
                        1,
                        amount,
                        Outflow::sol(w.payee),
                    )],
                    &[&w.t.bob],
                );
                if r.is_ok() {
                    l.spent += amount;
                }
                r.is_ok()
            }
            9 => {
                what = "deposit, withdraw or spend tokens";
                match rng.below(3) {
                    0 => {
                        let amount = 1 + rng.below(3_000_000);
                        crate::tokens::mint_more(&mut h, &w.mint, &w.vault_token, amount);
                        l.tokens_in += amount;
                        true
                    }
                    1 => {
                        let amount = 1 + rng.below(2_000_000);
                        let action = ProposalAction::WithdrawToken {
                            mint: w.mint,
                            destination: w.payee_token,
                            amount,
                        };
                        let out = Outflow::token(w.vault_token, w.payee_token, w.mint);
                        let r = h.pass(&org, action, &[&w.t.bob, &w.t.carol], out).1;
                        if r.is_ok() {
                            l.tokens_out += amount;
                        }
                        r.is_ok()
                    }
                    _ => {
                        let amount = 1 + rng.below(1_500_000);
                        let out = Outflow::token(w.vault_token, w.payee_token, w.mint);
                        let r = h.send(
                            &[ix_spend(&org, &w.t.carol.pubkey(), 2, amount, out)],
                            &[&w.t.carol],
                        );
                        if r.is_ok() {
                            l.tokens_out += amount;
                        }
                        r.is_ok()
                    }
                }
            }
            10 => {
                what = "update an event";
                let (ev, _) = w.events[w.updatable];
                let e: Event = h.account(&ev).unwrap();
                let a = w.t.alice();
                if rng.below(3) == 0 {
                    // a new name: one manager may, until the sale starts
                    let c = EventConfig {
                        name: format!("Renamed at step {step}"),
                        ..e.config.clone()
                    };
                    let r = h.send(&[ix_update_event(&org, &ev, &a.pubkey(), c)], &[a]);
                    if h.now() >= e.config.sale_start {
                        assert_err(&r, BitTicketError::SaleStarted);
                    }
                    r.is_ok()
                } else {
                    // a new price or new windows: the multisig only
                    let c = if rng.below(2) == 0 {
                        EventConfig {
                            price_lamports: SOL / 8 + rng.below(SOL),
                            ..e.config.clone()
                        }
                    } else {
                        EventConfig {
                            sale_start: e.config.sale_start + rng.below(5_000) as i64,
                            ..e.config.clone()
                        }
                    };
                    assert_err(
                        &h.send(&[ix_update_event(&org, &ev, &a.pubkey(), c.clone())], &[a]),
                        BitTicketError::MultisigRequired,
                    );
                    let update = ProposalAction::UpdateEvent {
                        event: ev,
                        config: c,
                    };
                    h.pass(&org, update, &[&w.t.bob, &w.t.carol], Outflow::default())
                        .1
                        .is_ok()
                }
            }
            11 => {
                what = "change the SOL outflow cap";
                let sol = Address::default();
                let before = h.account::<Organizer>(&org).unwrap();
                let amount = 2 * SOL + rng.below(2 * SOL);
                let period = [Period::Day, Period::Week, Period::Month][rng.below(3) as usize];
                let set = ProposalAction::SetOutflowCap {
                    mint: sol,
                    amount,
                    period,
                };
                let r = h.pass(&org, set, &[&w.t.bob, &w.t.carol], Outflow::default());
                if r.1.is_ok() {
                    // what was used in the current window is kept, never reset, and the
                    // room left is never more than the tighter of the two caps leaves
                    let now = h.now();
                    let mut cap = *before.cap_for(&sol).unwrap();
                    cap.roll(now);
                    let after = *h.account::<Organizer>(&org).unwrap().cap_for(&sol).unwrap();
                    assert_eq!(after.used, cap.used.min(amount), "step {step}");
                    if period == cap.period {
                        assert_eq!(after.window_start, cap.window_start, "step {step}");
                    }
                    assert!(
                        after.room(now) <= cap.room(now).min(amount),
                        "step {step}: {cap:?} replaced by {after:?}"
                    );
                }
                r.1.is_ok()
            }
            13 => {
                what = "an admin removes a key before the proposal removing it executes";
                reinstate_dave(&mut h, &w);
                let (a, dave) = (w.t.alice(), w.dave.pubkey());
                let remove = ProposalAction::RemoveMember { key: dave };
                let i = h.propose_and_approve(&org, remove, &[&w.t.bob, &w.t.carol]);
                if rng.below(2) == 0 {
                    h.send(&[ix_remove_member(&org, &a.pubkey(), &dave)], &[a])
                        .unwrap();
                }
                h.set_time(h.now() + i64::from(Treasury::TIME_LOCK));
                h.send(
                    &[ix_execute(&org, i, &w.t.bob.pubkey(), Outflow::default())],
                    &[&w.t.bob],
                )
                .unwrap();
                // whoever removed him first, the multisig's removal ends his spending right
                let o: Organizer = h.account(&org).unwrap();
                assert!(o.permissions_of(&dave).is_none() && !o.is_limit_member(&dave));
                assert_err(
                    &h.send(
                        &[ix_spend(&org, &dave, 3, 1, Outflow::sol(w.payee))],
                        &[&w.dave],
                    ),
                    BitTicketError::SpendingLimitNotFound,
                );
                true
            }
            14 => {
                what = "an admin fills the member list";
                let a = w.t.alice();
                loop {
                    let g = Address::new_unique();
                    let r = h.send(
                        &[ix_add_member(&org, &a.pubkey(), &g, permission::GATEKEEPER)],
                        &[a],
                    );
                    if r.is_err() {
                        assert_err(&r, BitTicketError::MemberSlotReserved);
                        break;
                    }
                    w.gatekeepers.push(g);
                }
                // the multisig still finds room for a member of its own
                let eve = Address::new_unique();
                let member = Member {
                    key: eve,
                    permissions: permission::GATEKEEPER,
                };
                let v = [&w.t.bob, &w.t.carol];
                let pass = |h: &mut Harness, action| {
                    h.pass(&org, action, &v, Outflow::default()).1.unwrap();
                };
                pass(&mut h, ProposalAction::AddMember { member });
                // and changes roles in place: bob made an admin, alice demoted (she can
                // no longer add anyone), then both put back
                let set = |key, permissions| ProposalAction::SetPermissions { key, permissions };
                pass(
                    &mut h,
                    set(w.t.bob.pubkey(), permission::MULTISIG | permission::ADMIN),
                );
                pass(&mut h, set(a.pubkey(), permission::MULTISIG));
                assert_err(
                    &h.send(&[ix_remove_member(&org, &a.pubkey(), &eve)], &[a]),
                    BitTicketError::MissingPermission,
                );
                pass(&mut h, set(a.pubkey(), permission::ALL));
                pass(&mut h, set(w.t.bob.pubkey(), permission::MULTISIG));
                pass(&mut h, ProposalAction::RemoveMember { key: eve });
                // the admin alone removes the rest of her gatekeepers
                for g in w.gatekeepers.drain(..) {
                    h.send(&[ix_remove_member(&org, &a.pubkey(), &g)], &[a])
                        .unwrap();
                }
                true
            }
            12 if rng.below(8) == 0 => {
                what = "five days pass";
                let now = h.now();
                h.set_time(now + 5 * 86_400);
                true
            }
            _ => {
                what = "time passes";
                let now = h.now();
                h.set_time(now + rng.below(1_500) as i64);
                true
            }
        };
        if result {
            ok += 1;
        } else {
            refused += 1;
        }
        check(&h, &w, &l, step, what);
    }
    println!("400 steps: {ok} applied, {refused} refused; {l:?}");
    // the sequence exercised every flow
    assert!(
        l.paid > 0 && l.refunded > 0 && l.withdrawn > 0 && l.spent > 0,
        "{l:?}"
    );
    assert!(l.tokens_in > 0 && l.tokens_out > 0, "{l:?}");
}
