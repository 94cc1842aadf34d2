//! Fresh databases: each test gets one of its own, migrated, on the private cluster
//! `scripts/test.sh` starts (BITTICKET_TEST_PG, its admin URL).
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

/// The test cluster's admin URL.
pub fn admin_url() -> String {
    std::env::var("BITTICKET_TEST_PG").expect(
        "BITTICKET_TEST_PG (a Postgres admin URL) is not set: run scripts/test.sh, or start one with scripts/pg.sh",
    )
}

/// A new empty database named `{prefix}_{pid}_{random}`, a pool of 4 on it and its URL.
pub async fn empty_database(prefix: &str) -> (PgPool, String) {
    let admin = admin_url();
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(&admin)
        .await
        .expect("connect to the test cluster");
    let name = format!(
        "{prefix}_{}_{:016x}",
        std::process::id(),
        rand::random::<u64>()
    );
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&pool)
        .await
        .expect("create database");
    pool.close().await;
    let url = match admin.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("admin URL without a database"),
    };
    let db = PgPoolOptions::new()
        .max_connections(4)
        .connect(&url)
        .await
        .expect("connect");
    (db, url)
}

/// A new database with every migration (`bitticket_db::MIGRATOR`), and its URL.
pub async fn fresh_database(prefix: &str) -> (PgPool, String) {
    let (db, url) = empty_database(prefix).await;
    bitticket_db::MIGRATOR.run(&db).await.expect("migrations");
    (db, url)
}

/// Rows in `table`.
pub async fn rows(pool: &PgPool, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(pool)
        .await
        .expect("count")
}
