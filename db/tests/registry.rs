//! The registry and the column sets against the schema the migrations really create.
use bitticket_db::rows::*;
use bitticket_db::{Columns, TABLES};
use bitticket_testkit::db::fresh_database;

#[tokio::test]
async fn the_registry_names_every_table_with_its_primary_key() {
    let (db, _) = fresh_database("r").await;
    let mut found: Vec<(String, Vec<String>)> = sqlx::query_as(
        "SELECT c.relname::text,
           ARRAY(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY k(n, o)
                 JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.n ORDER BY k.o)
         FROM pg_class c
         JOIN pg_namespace s ON s.oid = c.relnamespace AND s.nspname = 'public'
         JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
         WHERE c.relkind = 'r' AND c.relname <> '_sqlx_migrations'",
    )
    .fetch_all(&db)
    .await
    .expect("catalog");
    found.sort();
    let mut registered: Vec<(String, Vec<String>)> = TABLES
        .iter()
        .map(|t| {
            (
                t.name.to_string(),
                t.key.iter().map(|k| k.to_string()).collect(),
            )
        })
        .collect();
    registered.sort();
    assert_eq!(registered, found);
}

/// Every column of every column set is a column of its table, and a statement of each
/// kind prepares (Postgres checks names and types without running it).
#[tokio::test]
async fn every_column_set_matches_its_table_and_its_statements_prepare() {
    let (db, _) = fresh_database("r").await;
    async fn check<C: Columns>(db: &sqlx::PgPool, upsert: bool) {
        let spec = C::SPEC;
        let columns: Vec<String> = sqlx::query_scalar(
            "SELECT column_name::text FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name = $1",
        )
        .bind(spec.table)
        .fetch_all(db)
        .await
        .expect("columns");
        for (name, _, _) in spec.columns {
            assert!(columns.contains(&name.to_string()), "{}.{name}", spec.table);
        }
        use sqlx::Executor;
        let sql = if upsert {
            spec.upsert()
        } else {
            spec.insert_new()
        };
        db.prepare(sql.as_str())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}\n{sql}", spec.table));
    }
    check::<Organizers>(&db, true).await;
    check::<Events>(&db, true).await;
    check::<Shards>(&db, true).await;
    check::<Tickets>(&db, true).await;
    check::<Tiers>(&db, true).await;
    check::<Listings>(&db, true).await;
    check::<BuyerRecords>(&db, true).await;
    check::<Proposals>(&db, true).await;
    check::<Vaults>(&db, true).await;
    check::<Members>(&db, false).await;
    check::<SpendingLimits>(&db, false).await;
    check::<OutflowCaps>(&db, false).await;
    check::<EventLog>(&db, false).await;
    check::<Purchases>(&db, false).await;
    check::<Transfers>(&db, false).await;
    check::<Resales>(&db, false).await;
    check::<CheckIns>(&db, false).await;
    check::<Refunds>(&db, false).await;
    check::<Sweeps>(&db, false).await;
    check::<MemberChanges>(&db, false).await;
    check::<Votes>(&db, false).await;
    check::<Executions>(&db, false).await;
    check::<SpendingLimitUses>(&db, false).await;
    check::<Transactions>(&db, false).await;
}

#[test]
fn an_upsert_is_guarded_by_slot_and_updates_every_column_but_the_key() {
    let sql = Vaults::SPEC.upsert();
    assert_eq!(
        sql,
        "INSERT INTO vaults (address, organizer, lamports, slot) SELECT address, organizer, \
         lamports, slot FROM UNNEST($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS \
         u(address, organizer, lamports, slot) ON CONFLICT (address) DO UPDATE SET organizer = \
         excluded.organizer, lamports = excluded.lamports, slot = excluded.slot WHERE $5 OR \
         vaults.slot <= excluded.slot"
    );
    let limits = SpendingLimits::SPEC.insert();
    assert!(limits.contains("ARRAY(SELECT jsonb_array_elements_text(members))"));
    assert!(limits.contains("amount::numeric"));
}
