//! The indexer's own role (`bitticket_indexer`, migration 0009): it writes the mirror
//! (every table the sink touches, through row-level security), checks the migrations
//! without applying them, and can do nothing else: no DDL, nothing on the API's tables.

use bitticket_indexer::decode::ProgramAccount;
use bitticket_indexer::sink::{Batch, Checkpoint, Sink};
use bitticket_testkit::mirror::*;
use solana_address::Address;
use sqlx::postgres::PgPoolOptions;

const PASSWORD: &str = "bitticket-indexer-tests";

#[tokio::test]
async fn the_indexer_role_writes_the_mirror_and_nothing_else() {
    let (owner, url) = fresh_db().await;
    sqlx::query(&format!(
        "ALTER ROLE bitticket_indexer LOGIN PASSWORD '{PASSWORD}'"
    ))
    .execute(&owner.pool)
    .await
    .expect("login role");
    let (scheme, rest) = url.split_once("://").expect("scheme");
    let (_, host) = rest.rsplit_once('@').expect("user part");
    let pool = PgPoolOptions::new()
        .max_connections(2)
        .connect(&format!("{scheme}://bitticket_indexer:{PASSWORD}@{host}"))
        .await
        .expect("connect as the indexer");
    let sink = Sink::new(pool.clone());
    // the owner applied every migration: the role's start-up check passes without DDL
    sink.migrate_or_check().await.expect("migrations checked");
    let creator = Address::new_unique();
    let (org, event) = (Address::new_unique(), Address::new_unique());
    let buyer = Address::new_unique();
    let w = sink
        .write(&Batch {
            accounts: vec![
                update(
                    org,
                    5,
                    ProgramAccount::Organizer(Box::new(organizer(creator, &[(creator, 0x7f)]))),
                ),
                update(
                    event,
                    5,
                    ProgramAccount::Event(Box::new(bitticket_testkit::builders::event(org))),
                ),
                update(
                    Address::new_unique(),
                    5,
                    ProgramAccount::Ticket(Box::new(bitticket_testkit::builders::ticket(
                        event, buyer,
                    ))),
                ),
            ],
            txs: vec![tx("sigRole", 5, buyer, &[])],
            errors: vec![],
            checkpoint: Some(Checkpoint {
                slot: 5,
                signature: Some("sigRole".into()),
            }),
        })
        .await
        .expect("the role writes a batch");
    assert_eq!((w.accounts, w.transactions), (3, 1));
    // it sees what it wrote, through row-level security
    let tickets: i64 = sqlx::query_scalar("SELECT count(*) FROM tickets")
        .fetch_one(&pool)
        .await
        .expect("tickets");
    assert_eq!(tickets, 1);
    sink.truncate().await.expect("rebuild empties the mirror");
    // and nothing else
    for sql in [
        "SELECT count(*) FROM audit_log",
        "SELECT count(*) FROM refresh_tokens",
        "SELECT count(*) FROM qr_keys",
        "SELECT count(*) FROM admissions",
        "CREATE TABLE intruder (x int)",
        "ALTER TABLE events ADD COLUMN intruder int",
        "DROP POLICY indexer ON tickets",
        "SET ROLE postgres",
    ] {
        let r = sqlx::query(sql).execute(&pool).await;
        assert!(r.is_err(), "the indexer's role may: {sql}");
    }
}
