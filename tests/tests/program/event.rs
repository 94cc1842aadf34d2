use anchor_lang::error::ErrorCode as Anchor;
use bitticket::state::EventConfig;
use bitticket_tests::*;
use solana_signer::Signer;

use crate::non_canonical_pda;

#[test]
fn create_event_records_the_configuration() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(100, SOL, 4), 4);
    let e: Event = h.account(&s.event).unwrap();
    assert_eq!(e.organizer, s.organizer);
    assert_eq!(e.event_id, 0);
    assert_eq!(e.config, config(100, SOL, 4));
    assert_eq!(
        (e.shard_count, e.shards_opened, e.paused, e.cancelled),
        (4, 4, false, false)
    );
    let o: Organizer = h.account(&s.organizer).unwrap();
    assert_eq!(o.next_event_id, 1);
    for (i, key) in s.shards().iter().enumerate() {
        let sh: Shard = h.account(key).unwrap();
        assert_eq!(
            (
                sh.event,
                usize::from(sh.index),
                sh.sold,
                sh.revenue,
                sh.refunded
            ),
            (s.event, i, 0, 0, 0)
        );
    }
}

fn try_create(h: &mut Harness, s: &Sale, c: EventConfig, shards: u8) -> TxResult {
    let o: Organizer = h.account(&s.organizer).unwrap();
    let event = event_pda(&s.organizer, o.next_event_id);
    h.send(
        &[ix_create_event(
            &s.organizer,
            &event,
            &s.admin.pubkey(),
            c,
            shards,
        )],
        &[&s.admin],
    )
}

#[test]
fn create_event_validates_every_field() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(10, SOL, 2), 1);
    let base = config(10, SOL, 2);
    let cases: Vec<(EventConfig, u8, BitTicketError)> = vec![
        (
            EventConfig {
                name: String::new(),
                ..base.clone()
            },
            1,
            BitTicketError::InvalidName,
        ),
        (
            EventConfig {
                name: "x".repeat(65),
                ..base.clone()
            },
            1,
            BitTicketError::InvalidName,
        ),
        (
            EventConfig {
                uri: "u".repeat(201),
                ..base.clone()
            },
            1,
            BitTicketError::InvalidUri,
        ),
        // control characters (a NUL stops Postgres-backed indexers; C1 and DEL too)
        (
            EventConfig {
                name: "Gala\0Night".into(),
                ..base.clone()
            },
            1,
            BitTicketError::InvalidName,
        ),
        (
            EventConfig {
                name: "Gala\u{7f}".into(),
                ..base.clone()
            },
            1,
            BitTicketError::InvalidName,
        ),
        (
            EventConfig {
                name: "line\nbreak".into(),
                ..base.clone()
            },
            1,
            BitTicketError::InvalidName,
        ),
        (
            EventConfig {
                uri: "https://x.example/\0".into(),
                ..base.clone()
            },
            1,
            BitTicketError::InvalidUri,
        ),
        (
            EventConfig {
                uri: "https://x.example/\u{85}".into(),
                ..base.clone()
            },
            1,
            BitTicketError::InvalidUri,
        ),
        (
            EventConfig {
                supply: 0,
                ..base.clone()
            },
            1,
            BitTicketError::InvalidSupply,
        ),
        (base.clone(), 0, BitTicketError::InvalidShardCount),
        (
            EventConfig {
                supply: 100,
                ..base.clone()
            },
            65,
            BitTicketError::InvalidShardCount,
        ),
        (
            EventConfig {
                supply: 3,
                ..base.clone()
            },
            4,
            BitTicketError::InvalidSupply,
        ),
        (
            EventConfig {
                sale_end: base.sale_start,
                ..base.clone()
            },
            1,
            BitTicketError::InvalidSaleWindow,
        ),
        (
            EventConfig {
                resale_unlock: base.sale_start - 1,
                ..base.clone()
            },
            1,
            BitTicketError::InvalidResaleUnlock,
        ),
        (
            EventConfig {
                check_in_end: base.check_in_start,
                ..base.clone()
            },
            1,
            BitTicketError::InvalidCheckInWindow,
        ),
        (
            EventConfig {
                max_per_wallet: 0,
                ..base.clone()
            },
            1,
            BitTicketError::InvalidWalletLimit,
        ),
        // the windows are ordered against each other (money rules)
        (
            EventConfig {
                check_in_start: base.sale_start - 1,
                ..base.clone()
            },
            1,
            BitTicketError::InvalidCheckInWindow,
        ),
        (
            EventConfig {
                sale_end: base.check_in_end + 1,
                ..base.clone()
            },
            1,
            BitTicketError::SaleOutlastsCheckIn,
        ),
        (
            EventConfig {
                resale_unlock: base.check_in_end + 1,
                ..base.clone()
            },
            1,
            BitTicketError::InvalidResaleUnlock,
        ),
        (
            EventConfig {
                check_in_end: base.sale_start + bitticket::constants::MAX_EVENT_SPAN + 1,
                ..base.clone()
            },
            1,
            BitTicketError::EventTooLong,
        ),
    ];
    for (c, shards, want) in cases {
        assert_err(&try_create(&mut h, &s, c, shards), want);
    }
    // boundaries that are allowed: 64 bytes of name, 200 of URI, 64 shards, resale at sale
    // start, check-in from the sale start, the sale ending with check-in, the longest span
    let ok = EventConfig {
        name: "n".repeat(64),
        uri: "u".repeat(200),
        supply: 64,
        resale_unlock: base.sale_start,
        check_in_start: base.sale_start,
        ..base.clone()
    };
    try_create(&mut h, &s, ok, 64).unwrap();
    let ok = EventConfig {
        sale_end: base.check_in_end,
        resale_unlock: base.check_in_end,
        ..base.clone()
    };
    try_create(&mut h, &s, ok, 1).unwrap();
    let ok = EventConfig {
        check_in_end: base.sale_start + bitticket::constants::MAX_EVENT_SPAN,
        ..base
    };
    try_create(&mut h, &s, ok, 1).unwrap();
}

#[test]
fn only_event_managers_create_events() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(10, SOL, 2), 1);
    let event = event_pda(&s.organizer, 1);
    let r = h.send(
        &[ix_create_event(
            &s.organizer,
            &event,
            &s.gatekeeper.pubkey(),
            config(10, SOL, 2),
            1,
        )],
        &[&s.gatekeeper],
    );
    assert_err(&r, BitTicketError::MissingPermission);
}

#[test]
fn event_address_must_use_the_next_event_id() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(10, SOL, 2), 1);
    let wrong = event_pda(&s.organizer, 5);
    let r = h.send(
        &[ix_create_event(
            &s.organizer,
            &wrong,
            &s.admin.pubkey(),
            config(10, SOL, 2),
            1,
        )],
        &[&s.admin],
    );
    assert_anchor(&r, Anchor::ConstraintSeeds);
}

fn update(
    h: &mut Harness,
    s: &Sale,
    manager: &solana_keypair::Keypair,
    c: EventConfig,
) -> TxResult {
    h.send(
        &[ix_update_event(
            &s.organizer,
            &s.event,
            &manager.pubkey(),
            c,
        )],
        &[manager],
    )
}

#[test]
fn update_event_before_the_sale_starts_changes_the_configuration() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(10, SOL, 2), 2);
    let new = EventConfig {
        price_lamports: 2 * SOL,
        supply: 20,
        name: "Renamed".into(),
        sale_end: T0 + 11_000,
        ..config(10, SOL, 2)
    };
    update(&mut h, &s, &s.admin, new.clone()).unwrap();
    let e: Event = h.account(&s.event).unwrap();
    assert_eq!(e.config, new);
}

#[test]
fn update_event_rules() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(10, SOL, 2), 2);
    let c = config(10, 2 * SOL, 2);
    for (bad, want) in [
        (
            EventConfig {
                supply: 1,
                ..c.clone()
            },
            BitTicketError::InvalidSupply,
        ),
        (
            EventConfig {
                max_per_wallet: 0,
                ..c.clone()
            },
            BitTicketError::InvalidWalletLimit,
        ),
        (
            EventConfig {
                check_in_end: c.sale_end - 1,
                check_in_start: c.sale_start,
                ..c.clone()
            },
            BitTicketError::SaleOutlastsCheckIn,
        ),
        (
            EventConfig {
                name: "renamed\0".into(),
                ..c.clone()
            },
            BitTicketError::InvalidName,
        ),
        (
            EventConfig {
                uri: "https://x.example/\u{1b}[2J".into(),
                ..c.clone()
            },
            BitTicketError::InvalidUri,
        ),
    ] {
        assert_err(&update(&mut h, &s, &s.admin, bad), want);
    }
    // not a manager
    assert_err(
        &update(&mut h, &s, &s.gatekeeper, c.clone()),
        BitTicketError::MissingPermission,
    );
    assert_eq!(
        h.account::<Event>(&s.event).unwrap().config,
        config(10, SOL, 2)
    );
}

/// Finding 1: a manager who sees purchases coming cannot raise the price in front of them,
/// sold or not: from the sale start (by the clock) the configuration is fixed.
#[test]
fn update_event_is_refused_once_the_sale_has_started_even_before_any_sale() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(10, SOL, 2), 2);
    h.set_time(T0 + 99);
    update(&mut h, &s, &s.admin, config(10, 2 * SOL, 2)).unwrap();
    h.set_time(T0 + 100);
    assert_err(
        &update(&mut h, &s, &s.admin, config(10, 3 * SOL, 2)),
        BitTicketError::SaleStarted,
    );
    // moving the sale start later does not reopen it either
    let later = EventConfig {
        sale_start: T0 + 5_000,
        ..config(10, SOL, 2)
    };
    assert_err(
        &update(&mut h, &s, &s.admin, later),
        BitTicketError::SaleStarted,
    );
    for shard in s.shards() {
        assert_eq!(h.account::<Shard>(&shard).unwrap().sold, 0);
    }
    assert_eq!(
        h.account::<Event>(&s.event).unwrap().config.price_lamports,
        2 * SOL
    );
    // cancelled: refused as well
    h.send(
        &[ix_cancel_event(&s.organizer, &s.event, &s.admin.pubkey())],
        &[&s.admin],
    )
    .unwrap();
    assert_err(
        &update(&mut h, &s, &s.admin, config(10, SOL, 2)),
        BitTicketError::EventCancelled,
    );
}

#[test]
fn update_event_of_another_organizer_is_refused() {
    let mut h = Harness::new().unwrap();
    let a = Sale::new(&mut h, config(10, SOL, 2), 1);
    let b = Sale::new(&mut h, config(10, SOL, 2), 1);
    // b's admin passes b's organizer (where they are manager) with a's event
    let r = h.send(
        &[ix_update_event(
            &b.organizer,
            &a.event,
            &b.admin.pubkey(),
            config(10, 5, 2),
        )],
        &[&b.admin],
    );
    assert_anchor(&r, Anchor::ConstraintHasOne);
}

#[test]
fn shards_open_in_order_once_each() {
    let mut h = Harness::new().unwrap();
    let admin = h.wallet(10 * SOL);
    let org = organizer_pda(&admin.pubkey(), 1);
    let ev = event_pda(&org, 0);
    h.send(
        &[
            ix_create_organizer(&admin.pubkey(), 1),
            ix_create_event(&org, &ev, &admin.pubkey(), config(10, SOL, 2), 2),
        ],
        &[&admin],
    )
    .unwrap();
    let a = admin.pubkey();
    assert_err(
        &h.send(&[ix_open_shard(&org, &ev, &a, 1)], &[&admin]),
        BitTicketError::InvalidShardIndex,
    );
    h.send(&[ix_open_shard(&org, &ev, &a, 0)], &[&admin])
        .unwrap();
    // reopening shard 0 would reset its counter: the account exists, init refuses
    assert_failed(&h.send(&[ix_open_shard(&org, &ev, &a, 0)], &[&admin]));
    h.send(&[ix_open_shard(&org, &ev, &a, 1)], &[&admin])
        .unwrap();
    assert_err(
        &h.send(&[ix_open_shard(&org, &ev, &a, 2)], &[&admin]),
        BitTicketError::InvalidShardIndex,
    );
    assert_eq!(h.account::<Event>(&ev).unwrap().shards_opened, 2);
}

#[test]
fn shard_at_a_non_canonical_bump_is_refused() {
    let mut h = Harness::new().unwrap();
    let admin = h.wallet(10 * SOL);
    let org = organizer_pda(&admin.pubkey(), 1);
    let ev = event_pda(&org, 0);
    h.send(
        &[
            ix_create_organizer(&admin.pubkey(), 1),
            ix_create_event(&org, &ev, &admin.pubkey(), config(10, SOL, 2), 1),
        ],
        &[&admin],
    )
    .unwrap();
    let mut ix = ix_open_shard(&org, &ev, &admin.pubkey(), 0);
    ix.accounts[2].pubkey =
        non_canonical_pda(&[bitticket::constants::SEED_SHARD, ev.as_ref(), &[0]]);
    assert_anchor(&h.send(&[ix], &[&admin]), Anchor::ConstraintSeeds);
}

#[test]
fn pause_stops_sales_and_resume_restarts_them() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(10, SOL, 5), 1);
    h.set_time(T0 + 100);
    let a = s.admin.pubkey();
    h.send(
        &[ix_set_paused(&s.organizer, &s.event, &a, true)],
        &[&s.admin],
    )
    .unwrap();
    assert!(h.account::<Event>(&s.event).unwrap().paused);
    let buyer = h.wallet(10 * SOL);
    assert_err(&s.buy_as(&mut h, &buyer, 0).1, BitTicketError::SalePaused);
    assert_err(
        &h.send(
            &[ix_set_paused(&s.organizer, &s.event, &a, true)],
            &[&s.admin],
        ),
        BitTicketError::PauseStateUnchanged,
    );
    assert_err(
        &h.send(
            &[ix_set_paused(
                &s.organizer,
                &s.event,
                &s.gatekeeper.pubkey(),
                false,
            )],
            &[&s.gatekeeper],
        ),
        BitTicketError::MissingPermission,
    );
    h.send(
        &[ix_set_paused(&s.organizer, &s.event, &a, false)],
        &[&s.admin],
    )
    .unwrap();
    s.buy_as(&mut h, &buyer, 0).1.unwrap();
}

#[test]
fn cancel_is_final_and_stops_sales() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(10, SOL, 5), 1);
    h.set_time(T0 + 100);
    let a = s.admin.pubkey();
    assert_err(
        &h.send(
            &[ix_cancel_event(
                &s.organizer,
                &s.event,
                &s.gatekeeper.pubkey(),
            )],
            &[&s.gatekeeper],
        ),
        BitTicketError::MissingPermission,
    );
    h.send(&[ix_cancel_event(&s.organizer, &s.event, &a)], &[&s.admin])
        .unwrap();
    assert!(h.account::<Event>(&s.event).unwrap().cancelled);
    assert_err(
        &h.send(&[ix_cancel_event(&s.organizer, &s.event, &a)], &[&s.admin]),
        BitTicketError::EventCancelled,
    );
    assert_err(
        &h.send(
            &[ix_set_paused(&s.organizer, &s.event, &a, true)],
            &[&s.admin],
        ),
        BitTicketError::EventCancelled,
    );
    let buyer = h.wallet(10 * SOL);
    assert_err(
        &s.buy_as(&mut h, &buyer, 0).1,
        BitTicketError::EventCancelled,
    );
}

#[test]
fn manager_must_sign_event_changes() {
    let mut h = Harness::new().unwrap();
    let s = Sale::new(&mut h, config(10, SOL, 5), 1);
    let payer = h.wallet(SOL);
    let mut ix = ix_cancel_event(&s.organizer, &s.event, &s.admin.pubkey());
    ix.accounts[2].is_signer = false;
    assert_anchor(&h.send(&[ix], &[&payer]), Anchor::AccountNotSigner);
}
