//! The sink on a real Postgres: exactly once, slot guards, the checkpoint in the same
//! transaction, forks undone, bad input kept as errors, alerts.

use anchor_lang::Event as _;
use bitticket::events::{TicketPurchased, TicketTransferred};
use bitticket_indexer::decode::ProgramAccount;
use bitticket_indexer::sink::{Batch, Checkpoint};
use bitticket_testkit::mirror::*;
use solana_address::Address;

struct World {
    org: Address,
    event: Address,
    ticket: Address,
    t: bitticket::state::Ticket,
    accounts: Vec<bitticket_indexer::sink::AccountUpdate>,
}

fn world(slot: u64) -> World {
    let creator = Address::new_unique();
    let org = Address::new_unique();
    let event = Address::new_unique();
    let ticket = Address::new_unique();
    let t = bitticket_testkit::builders::ticket(event, Address::new_unique());
    let accounts = vec![
        update(
            org,
            slot,
            ProgramAccount::Organizer(Box::new(organizer(creator, &[(creator, 0x7f)]))),
        ),
        update(
            event,
            slot,
            ProgramAccount::Event(Box::new(bitticket_testkit::builders::event(org))),
        ),
        update(ticket, slot, ProgramAccount::Ticket(Box::new(t.clone()))),
    ];
    World {
        org,
        event,
        ticket,
        t,
        accounts,
    }
}

fn purchase(w: &World, buyer: Address, serial: u32) -> Vec<u8> {
    TicketPurchased {
        event: w.event,
        shard: Address::new_unique(),
        ticket: w.ticket,
        mint: w.t.mint,
        buyer,
        serial,
        price_lamports: 1_000_000,
        shard_sold: serial + 1,
        tier: bitticket::constants::NO_TIER,
        phase: 0,
        shard_revenue: 1_000_000 * u64::from(serial + 1),
    }
    .data()
}

#[tokio::test]
async fn a_batch_written_twice_is_stored_once() {
    let (sink, _) = fresh_db().await;
    let w = world(10);
    let buyer = Address::new_unique();
    let batch = Batch {
        txs: vec![tx(
            "sigA",
            10,
            buyer,
            &[purchase(&w, buyer, 0), purchase(&w, buyer, 1)],
        )],
        accounts: w.accounts.clone(),
        errors: vec![],
        checkpoint: Some(Checkpoint {
            slot: 10,
            signature: Some("sigA".into()),
        }),
    };
    let first = sink.write(&batch).await.unwrap();
    assert_eq!((first.transactions, first.events), (1, 2));
    let again = sink.write(&batch).await.unwrap();
    assert_eq!((again.transactions, again.events), (0, 0));
    for (table, n) in [
        ("transactions", 1),
        ("event_log", 2),
        ("purchases", 2),
        ("tickets", 1),
        ("members", 1),
        ("slots", 1),
    ] {
        assert_eq!(count(&sink, table).await, n, "{table}");
    }
    // the purchase found its tenant through the event account
    let org: String = sqlx::query_scalar("SELECT DISTINCT organizer FROM purchases")
        .fetch_one(&sink.pool)
        .await
        .unwrap();
    assert_eq!(org, w.org.to_string());
    assert_eq!(
        sink.checkpoint().await.unwrap(),
        Some(Checkpoint {
            slot: 10,
            signature: Some("sigA".into())
        })
    );
}

#[tokio::test]
async fn an_older_read_never_replaces_a_newer_one() {
    let (sink, _) = fresh_db().await;
    let w = world(10);
    sink.write(&Batch {
        accounts: w.accounts.clone(),
        ..Batch::default()
    })
    .await
    .unwrap();
    let holder = |h: Address, slot| {
        let mut t = w.t.clone();
        t.holder = h;
        Batch {
            accounts: vec![update(w.ticket, slot, ProgramAccount::Ticket(Box::new(t)))],
            ..Batch::default()
        }
    };
    let (newer, older, newest) = (
        Address::new_unique(),
        Address::new_unique(),
        Address::new_unique(),
    );
    sink.write(&holder(newer, 20)).await.unwrap();
    sink.write(&holder(older, 15)).await.unwrap();
    let got: String = sqlx::query_scalar("SELECT holder FROM tickets")
        .fetch_one(&sink.pool)
        .await
        .unwrap();
    assert_eq!(got, newer.to_string());
    sink.write(&holder(newest, 21)).await.unwrap();
    let got: (String, i64) = sqlx::query_as("SELECT holder, slot FROM tickets")
        .fetch_one(&sink.pool)
        .await
        .unwrap();
    assert_eq!(got, (newest.to_string(), 21));
    // the checkpoint never moves back either
    for (slot, sig) in [(30, "b"), (25, "a")] {
        sink.write(&Batch {
            checkpoint: Some(Checkpoint {
                slot,
                signature: Some(sig.into()),
            }),
            ..Batch::default()
        })
        .await
        .unwrap();
    }
    assert_eq!(
        sink.checkpoint()
            .await
            .unwrap()
            .unwrap()
            .signature
            .as_deref(),
        Some("b")
    );
}

#[tokio::test]
async fn a_batch_that_fails_writes_nothing_not_even_its_checkpoint() {
    let (sink, _) = fresh_db().await;
    // a failure that is not the data's (the database itself, here a trigger standing in
    // for it): the batch is not split row by row but fails whole, to be retried. A row
    // Postgres refuses for its data is `hostile.rs`'s case.
    sqlx::query(
        "CREATE FUNCTION refuse_checkpoint() RETURNS trigger LANGUAGE plpgsql AS
         $$ BEGIN RAISE EXCEPTION 'the database is unwell' USING ERRCODE = 'XX000'; END $$",
    )
    .execute(&sink.pool)
    .await
    .unwrap();
    sqlx::query(
        "CREATE TRIGGER refuse_checkpoint BEFORE INSERT ON checkpoints
         FOR EACH ROW EXECUTE FUNCTION refuse_checkpoint()",
    )
    .execute(&sink.pool)
    .await
    .unwrap();
    let w = world(10);
    let buyer = Address::new_unique();
    let bad = tx("sigBad", 11, buyer, &[purchase(&w, buyer, 0)]);
    let batch = Batch {
        txs: vec![tx("sigOk", 11, buyer, &[purchase(&w, buyer, 1)]), bad],
        accounts: w.accounts.clone(),
        errors: vec![],
        checkpoint: Some(Checkpoint {
            slot: 11,
            signature: Some("sigBad".into()),
        }),
    };
    assert!(sink.write(&batch).await.is_err());
    for table in [
        "transactions",
        "event_log",
        "purchases",
        "tickets",
        "organizers",
        "checkpoints",
    ] {
        assert_eq!(count(&sink, table).await, 0, "{table}");
    }
}

#[tokio::test]
async fn bad_event_data_is_recorded_with_its_signature_and_the_rest_is_kept() {
    let (sink, _) = fresh_db().await;
    let w = world(10);
    let buyer = Address::new_unique();
    let mut garbage = purchase(&w, buyer, 0);
    garbage.truncate(30);
    let batch = Batch {
        txs: vec![tx(
            "sigMixed",
            12,
            buyer,
            &[garbage, purchase(&w, buyer, 1)],
        )],
        accounts: w.accounts.clone(),
        ..Batch::default()
    };
    sink.write(&batch).await.unwrap();
    assert_eq!(count(&sink, "purchases").await, 1);
    let (sig, kind, detail): (String, String, String) =
        sqlx::query_as("SELECT signature, kind, detail FROM ingest_errors")
            .fetch_one(&sink.pool)
            .await
            .unwrap();
    assert_eq!((sig.as_str(), kind.as_str()), ("sigMixed", "bad_event"));
    assert!(detail.contains("TicketPurchased"), "{detail}");
}

#[tokio::test]
async fn a_slot_that_never_finalizes_is_undone_and_the_checkpoint_rewinds() {
    let (sink, _) = fresh_db().await;
    let w = world(10);
    let buyer = Address::new_unique();
    let to = Address::new_unique();
    let transfer = TicketTransferred {
        event: w.event,
        ticket: w.ticket,
        mint: w.t.mint,
        from: buyer,
        to,
    }
    .data();
    sink.write(&Batch {
        txs: vec![tx("s1", 10, buyer, &[purchase(&w, buyer, 0)])],
        accounts: w.accounts.clone(),
        checkpoint: Some(Checkpoint {
            slot: 10,
            signature: Some("s1".into()),
        }),
        ..Batch::default()
    })
    .await
    .unwrap();
    sink.write(&Batch {
        txs: vec![tx("s2", 11, buyer, &[transfer])],
        checkpoint: Some(Checkpoint {
            slot: 11,
            signature: Some("s2".into()),
        }),
        ..Batch::default()
    })
    .await
    .unwrap();
    // a later catch-up found nothing more up to slot 15
    sink.mark_synced(15).await.unwrap();
    assert_eq!(sink.synced_slot().await.unwrap(), Some(15));
    sink.mark_synced(12).await.unwrap();
    assert_eq!(
        sink.synced_slot().await.unwrap(),
        Some(15),
        "never backwards"
    );
    sink.finalize(&[10]).await.unwrap();
    let touched = sink.undo(&[11]).await.unwrap();
    // the mirror is complete only up to what the rewound checkpoint holds
    assert_eq!(sink.synced_slot().await.unwrap(), Some(10));
    assert!(touched.contains(&buyer));
    assert_eq!(count(&sink, "transfers").await, 0);
    assert_eq!(count(&sink, "transactions").await, 1);
    assert_eq!(count(&sink, "event_log").await, 1);
    assert_eq!(
        sink.checkpoint().await.unwrap(),
        Some(Checkpoint {
            slot: 10,
            signature: Some("s1".into())
        })
    );
    let finalized: Vec<bool> =
        sqlx::query_scalar("SELECT status = 'finalized' FROM purchases JOIN slots USING (slot)")
            .fetch_all(&sink.pool)
            .await
            .unwrap();
    assert_eq!(finalized, vec![true]);
    let status: String = sqlx::query_scalar("SELECT status FROM slots WHERE slot = 10")
        .fetch_one(&sink.pool)
        .await
        .unwrap();
    assert_eq!(status, "finalized");
    // the next pending list is empty: slot 10 is final, slot 11 is gone
    assert!(sink.pending_slots(100, 256).await.unwrap().is_empty());
}

#[tokio::test]
async fn one_fee_payer_behind_many_buyers_raises_an_alert() {
    let (sink, _) = fresh_db().await;
    let w = world(10);
    let payer = Address::new_unique();
    let txs = (0..5)
        .map(|i| {
            tx(
                &format!("sig{i}"),
                20,
                payer,
                &[purchase(&w, Address::new_unique(), i)],
            )
        })
        .collect();
    sink.write(&Batch {
        txs,
        accounts: w.accounts.clone(),
        ..Batch::default()
    })
    .await
    .unwrap();
    let rules: Vec<String> = sqlx::query_scalar("SELECT rule FROM alerts ORDER BY rule")
        .fetch_all(&sink.pool)
        .await
        .unwrap();
    // the buyers are fresh wallets too, all in one slot
    assert_eq!(rules, vec!["fresh_wallet_burst", "sponsored_buyers"]);
}

#[tokio::test]
async fn a_pg_dump_restores_into_a_mirror_that_resumes_from_its_checkpoint() {
    let (sink, url) = fresh_db().await;
    let w = world(10);
    let buyer = Address::new_unique();
    sink.write(&Batch {
        txs: vec![tx("d1", 10, buyer, &[purchase(&w, buyer, 0)])],
        accounts: w.accounts.clone(),
        checkpoint: Some(Checkpoint {
            slot: 10,
            signature: Some("d1".into()),
        }),
        ..Batch::default()
    })
    .await
    .unwrap();
    let dump = std::env::temp_dir().join(format!("mirror-{:016x}.dump", rand::random::<u64>()));
    let ok = std::process::Command::new("pg_dump")
        .args(["--format=custom", "--file"])
        .arg(&dump)
        .arg(&url)
        .status()
        .expect("run pg_dump");
    assert!(ok.success());
    let (restored, restored_url) = fresh_db().await;
    // restore into an empty database (the fresh one has the schema: drop it first)
    for stmt in ["DROP SCHEMA public CASCADE", "CREATE SCHEMA public"] {
        sqlx::query(stmt).execute(&restored.pool).await.unwrap();
    }
    let ok = std::process::Command::new("pg_restore")
        .args(["--no-owner", "--dbname"])
        .arg(&restored_url)
        .arg(&dump)
        .status()
        .expect("run pg_restore");
    let _ = std::fs::remove_file(&dump);
    assert!(ok.success());
    for table in [
        "transactions",
        "event_log",
        "purchases",
        "tickets",
        "organizers",
        "members",
        "_sqlx_migrations",
    ] {
        assert_eq!(
            count(&restored, table).await,
            count(&sink, table).await,
            "{table}"
        );
    }
    assert_eq!(
        restored.checkpoint().await.unwrap(),
        sink.checkpoint().await.unwrap()
    );
    // and it takes the next batch as the original would
    restored
        .migrate()
        .await
        .expect("migrations already applied");
    let again = restored
        .write(&Batch {
            txs: vec![tx("d1", 10, buyer, &[purchase(&w, buyer, 0)])],
            ..Batch::default()
        })
        .await
        .unwrap();
    assert_eq!(again.events, 0);
}
