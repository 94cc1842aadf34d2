//! Whatever a wallet can put on chain is hostile input to the sink: a NUL in a name, a URI
//! or a proposal's action is stored (as U+FFFD), a row Postgres refuses is recorded in
//! `ingest_errors` and the rest of its batch is written, and a seeded fuzz of account and
//! event contents never stops the mirror.

use anchor_lang::Event as _;
use bitticket::events::{EventConfigured, TicketPurchased};
use bitticket::state::{self, EventConfig, ProposalAction};
use bitticket_indexer::decode::ProgramAccount;
use bitticket_indexer::sink::{pgtext, Batch, Checkpoint, Sink};
use bitticket_testkit::builders;
use bitticket_testkit::mirror::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solana_address::Address;

/// The event the program emits for `e` (at `key`), as its log carries it.
fn configured(e: &state::Event, key: Address) -> Vec<u8> {
    EventConfigured::from_event(e, key).data()
}

/// An active proposal of `org` to change `event` to `config`.
fn proposal(org: Address, event: Address, config: EventConfig) -> state::Proposal {
    builders::proposal(org, 1, ProposalAction::UpdateEvent { event, config })
}

async fn text(sink: &Sink, sql: &str, key: &Address) -> String {
    sqlx::query_scalar(sql)
        .bind(key.to_string())
        .fetch_one(&sink.pool)
        .await
        .expect(sql)
}

#[tokio::test]
async fn a_nul_in_a_name_a_uri_or_an_action_is_stored_and_the_mirror_goes_on() {
    let (sink, _) = fresh_db().await;
    let creator = Address::new_unique();
    let (org, event, prop) = (
        Address::new_unique(),
        Address::new_unique(),
        Address::new_unique(),
    );
    let mut e = builders::event(org);
    e.config.name = "Gala\0Night".into();
    e.config.uri = "https://x.example/\0.json".into();
    let batch = Batch {
        txs: vec![tx("sigNul", 10, creator, &[configured(&e, event)])],
        accounts: vec![
            update(
                org,
                10,
                ProgramAccount::Organizer(Box::new(organizer(creator, &[(creator, 0x7f)]))),
            ),
            update(event, 10, ProgramAccount::Event(Box::new(e.clone()))),
            update(
                prop,
                10,
                ProgramAccount::Proposal(Box::new(proposal(org, event, e.config.clone()))),
            ),
        ],
        errors: vec![],
        checkpoint: Some(Checkpoint {
            slot: 10,
            signature: Some("sigNul".into()),
        }),
    };
    let w = sink
        .write(&batch)
        .await
        .expect("a NUL never refuses a batch");
    assert_eq!((w.transactions, w.events), (1, 1));
    let q = "SELECT name FROM events WHERE pubkey = $1";
    assert_eq!(text(&sink, q, &event).await, "Gala\u{FFFD}Night");
    let q = "SELECT uri FROM events WHERE pubkey = $1";
    assert_eq!(
        text(&sink, q, &event).await,
        "https://x.example/\u{FFFD}.json"
    );
    let q = "SELECT action->'config'->>'name' FROM proposals WHERE pubkey = $1";
    assert_eq!(text(&sink, q, &prop).await, "Gala\u{FFFD}Night");
    let q = "SELECT data->>'uri' FROM event_log WHERE organizer = $1";
    assert_eq!(
        text(&sink, q, &org).await,
        "https://x.example/\u{FFFD}.json"
    );
    assert_eq!(count(&sink, "ingest_errors").await, 0);
    assert_eq!(sink.checkpoint().await.unwrap().unwrap().slot, 10);
}

#[tokio::test]
async fn a_row_postgres_refuses_is_recorded_and_the_rest_of_its_batch_is_written() {
    let (sink, _) = fresh_db().await;
    // rows this database refuses, standing in for any row Postgres cannot take
    for ddl in [
        "ALTER TABLE events ADD CONSTRAINT test_refuse CHECK (name <> 'refused')",
        "ALTER TABLE transactions ADD CONSTRAINT test_refuse CHECK (signature <> 'sigRefused')",
    ] {
        sqlx::query(ddl).execute(&sink.pool).await.unwrap();
    }
    let creator = Address::new_unique();
    let (org, good, bad) = (
        Address::new_unique(),
        Address::new_unique(),
        Address::new_unique(),
    );
    let mut refused = builders::event(org);
    refused.config.name = "refused".into();
    let t = builders::ticket(good, creator);
    let ticket = Address::new_unique();
    let buy = |serial| {
        TicketPurchased {
            event: good,
            shard: Address::new_unique(),
            ticket,
            mint: t.mint,
            buyer: creator,
            serial,
            price_lamports: 1_000_000,
            shard_sold: serial + 1,
            tier: bitticket::constants::NO_TIER,
            phase: 0,
            shard_revenue: 1_000_000,
        }
        .data()
    };
    let batch = Batch {
        // the ticket comes before its event: row by row keeps the sink's order
        accounts: vec![
            update(ticket, 11, ProgramAccount::Ticket(Box::new(t.clone()))),
            update(bad, 11, ProgramAccount::Event(Box::new(refused))),
            update(
                good,
                11,
                ProgramAccount::Event(Box::new(builders::event(org))),
            ),
            update(
                org,
                11,
                ProgramAccount::Organizer(Box::new(organizer(creator, &[(creator, 0x7f)]))),
            ),
        ],
        txs: vec![
            tx("sigA", 11, creator, &[buy(0)]),
            tx("sigRefused", 11, creator, &[buy(1)]),
            tx("sigB", 12, creator, &[buy(2)]),
        ],
        errors: vec![],
        checkpoint: Some(Checkpoint {
            slot: 12,
            signature: Some("sigB".into()),
        }),
    };
    let w = sink
        .write(&batch)
        .await
        .expect("the batch is written around the refused rows");
    assert_eq!((w.transactions, w.events, w.accounts), (2, 2, 3));
    for (table, n) in [
        ("events", 1),
        ("organizers", 1),
        ("tickets", 1),
        ("transactions", 2),
        ("purchases", 2),
    ] {
        assert_eq!(count(&sink, table).await, n, "{table}");
    }
    let errors: Vec<(Option<String>, Option<String>, String, String)> =
        sqlx::query_as("SELECT signature, account, kind, detail FROM ingest_errors ORDER BY kind")
            .fetch_all(&sink.pool)
            .await
            .unwrap();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].1.as_deref(), Some(bad.to_string().as_str()));
    assert_eq!(errors[0].2, "unwritable_account");
    assert!(errors[0].3.starts_with("23514"), "{}", errors[0].3);
    assert_eq!(errors[1].0.as_deref(), Some("sigRefused"));
    assert_eq!(errors[1].2, "unwritable_transaction");
    assert_eq!(
        sink.checkpoint().await.unwrap(),
        Some(Checkpoint {
            slot: 12,
            signature: Some("sigB".into())
        })
    );
    // and the next batch goes in whole
    let next = Batch {
        txs: vec![tx("sigC", 13, creator, &[buy(3)])],
        checkpoint: Some(Checkpoint {
            slot: 13,
            signature: Some("sigC".into()),
        }),
        ..Batch::default()
    };
    assert_eq!(sink.write(&next).await.unwrap().transactions, 1);
}

/// Text as hostile as a Borsh `String` allows: NULs and other controls, C1, bidi
/// overrides, non-BMP characters, quotes, backslashes and a literal `\u0000`, up to the
/// byte length the program allows (and past it, as an account written before the rule).
fn hostile_text(rng: &mut StdRng, max_bytes: usize) -> String {
    const PIECES: [&str; 14] = [
        "\0",
        "\u{1}",
        "\u{7f}",
        "\u{85}",
        "\u{202e}",
        "\u{feff}",
        "🎟",
        "\"",
        "\\",
        "\\u0000",
        "'; DROP TABLE events; --",
        "\n",
        "a",
        "é",
    ];
    let mut s = String::new();
    let want = rng.random_range(0..=max_bytes);
    while s.len() < want {
        let p = PIECES[rng.random_range(0..PIECES.len())];
        if s.len() + p.len() > max_bytes {
            break;
        }
        s.push_str(p);
    }
    s
}

fn extreme_i64(rng: &mut StdRng) -> i64 {
    [i64::MIN, -1, 0, 1, i64::MAX, rng.random()][rng.random_range(0..6)]
}

fn extreme_u64(rng: &mut StdRng) -> u64 {
    [
        0,
        1,
        1 << 53,
        (1 << 53) + 1,
        i64::MAX as u64,
        u64::MAX,
        rng.random(),
    ][rng.random_range(0..7)]
}

#[tokio::test]
async fn fuzzed_hostile_accounts_and_events_are_all_stored() {
    let (sink, _) = fresh_db().await;
    let mut rng = StdRng::seed_from_u64(0xB17_71C7E7);
    let creator = Address::new_unique();
    let org = Address::new_unique();
    sink.write(&Batch {
        accounts: vec![update(
            org,
            1,
            ProgramAccount::Organizer(Box::new(organizer(creator, &[(creator, 0x7f)]))),
        )],
        ..Batch::default()
    })
    .await
    .unwrap();
    let mut written = Vec::new();
    for round in 0..10u64 {
        let mut batch = Batch::default();
        for i in 0..20u64 {
            let slot = 10 + round;
            let event = Address::new_unique();
            let mut e = builders::event(org);
            e.config = EventConfig {
                price_lamports: extreme_u64(&mut rng),
                supply: [0, 1, u32::MAX][rng.random_range(0..3)],
                sale_start: extreme_i64(&mut rng),
                sale_end: extreme_i64(&mut rng),
                resale_unlock: extreme_i64(&mut rng),
                max_per_wallet: [0, u16::MAX][rng.random_range(0..2)],
                check_in_start: extreme_i64(&mut rng),
                check_in_end: extreme_i64(&mut rng),
                name: hostile_text(&mut rng, 64 + 16),
                uri: hostile_text(&mut rng, 200 + 16),
            };
            e.cancelled_at = extreme_i64(&mut rng);
            e.event_id = extreme_u64(&mut rng);
            let sig = format!("sig{round}x{i}");
            batch
                .txs
                .push(tx(&sig, slot, creator, &[configured(&e, event)]));
            let prop = Address::new_unique();
            let mut p = proposal(org, event, e.config.clone());
            p.index = extreme_u64(&mut rng);
            batch
                .accounts
                .push(update(prop, slot, ProgramAccount::Proposal(Box::new(p))));
            batch.accounts.push(update(
                event,
                slot,
                ProgramAccount::Event(Box::new(e.clone())),
            ));
            written.push((event, prop, e));
        }
        batch.checkpoint = Some(Checkpoint {
            slot: 10 + round,
            signature: batch.txs.last().map(|t| t.signature.clone()),
        });
        sink.write(&batch)
            .await
            .unwrap_or_else(|err| panic!("round {round}: {err}"));
    }
    assert_eq!(count(&sink, "ingest_errors").await, 0);
    assert_eq!(count(&sink, "events").await, 200);
    assert_eq!(count(&sink, "event_log").await, 200);
    assert_eq!(count(&sink, "proposals").await, 200);
    for (event, prop, e) in &written {
        let (name, uri, event_id, price): (String, String, String, String) = sqlx::query_as(
            "SELECT name, uri, event_id::text, price_lamports::text FROM events WHERE pubkey = $1",
        )
        .bind(event.to_string())
        .fetch_one(&sink.pool)
        .await
        .unwrap();
        assert_eq!(name, pgtext::text(&e.config.name), "{event}");
        assert_eq!(uri, pgtext::text(&e.config.uri), "{event}");
        assert_eq!(event_id, e.event_id.to_string());
        // every u64 whole (bigint stopped at 2^63 - 1)
        assert_eq!(price, e.config.price_lamports.to_string());
        let q = "SELECT action->'config'->>'name' FROM proposals WHERE pubkey = $1";
        assert_eq!(text(&sink, q, prop).await, pgtext::text(&e.config.name));
    }
    assert_eq!(sink.checkpoint().await.unwrap().unwrap().slot, 19);
}
