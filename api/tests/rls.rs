//! Tenant isolation in the database itself: hand-written queries through the API's role,
//! scoped to tenant A, cannot read tenant B's rows; the role owns nothing, bypasses
//! nothing, and can only append to the audit log; the public catalogue's role reads its
//! view and nothing else.
use bitticket_testkit::api::*;
use sqlx::postgres::PgPoolOptions;
use sqlx::Row;

async fn scoped(
    pool: &sqlx::PgPool,
    wallet: &str,
    tenant: &str,
    sql: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "SELECT set_config('bitticket.wallet', $1, true), set_config('bitticket.tenant', $2, true)",
    )
    .bind(wallet)
    .bind(tenant)
    .execute(&mut *tx)
    .await?;
    let rows = sqlx::query(sql).fetch_all(&mut *tx).await?;
    tx.rollback().await?;
    Ok(rows.iter().map(|r| r.get::<String, _>(0)).collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_role_cannot_read_another_tenants_rows_even_by_hand() {
    let db = fresh_db().await;
    let holder = Wallet::random();
    let a = seed_tenant(&db.0, &holder, 2).await;
    let b = seed_tenant(&db.0, &holder, 1).await;
    let api = PgPoolOptions::new()
        .max_connections(2)
        .connect(&as_api_role(&db.1))
        .await
        .expect("connect as the API role");
    let nobody = key();
    // every tenant table, read whole, in tenant A's scope by a wallet that holds nothing
    for (table, column) in [
        ("organizers", "organizer"),
        ("members", "organizer"),
        ("vaults", "organizer"),
        ("tickets", "organizer"),
        ("check_ins", "organizer"),
        ("proposals", "organizer"),
        ("alerts", "organizer"),
        ("spending_limits", "organizer"),
        ("outflow_caps", "organizer"),
        ("buyer_records", "organizer"),
        ("purchases", "organizer"),
        ("transfers", "organizer"),
        ("resales", "organizer"),
        ("refunds", "organizer"),
        ("sweeps", "organizer"),
        ("member_changes", "organizer"),
        ("votes", "organizer"),
        ("executions", "organizer"),
        ("spending_limit_uses", "organizer"),
        ("event_log", "organizer"),
    ] {
        let seen = scoped(
            &api,
            &nobody,
            &a.organizer,
            &format!("SELECT {column} FROM {table}"),
        )
        .await
        .unwrap_or_else(|e| panic!("{table}: {e}"));
        assert!(
            seen.iter().all(|o| *o == a.organizer),
            "{table} leaked another tenant"
        );
        // and asked for B by name, nothing
        let seen = scoped(
            &api,
            &nobody,
            &a.organizer,
            &format!(
                "SELECT {column} FROM {table} WHERE organizer = '{}'",
                b.organizer
            ),
        )
        .await
        .expect("query");
        assert!(seen.is_empty(), "{table}: B's rows visible in A's scope");
    }
    // A's rows are there in A's scope (the policy is not simply "nothing")
    let tickets = scoped(&api, &nobody, &a.organizer, "SELECT pubkey FROM tickets")
        .await
        .expect("q");
    assert_eq!(tickets.len(), 6);
    // no scope at all: nothing of any tenant
    let none = scoped(&api, "", "", "SELECT pubkey FROM tickets")
        .await
        .expect("q");
    assert!(none.is_empty());
    // a wallet outside any tenant scope sees exactly the tickets it holds, in every tenant
    let own = scoped(&api, &holder.address(), "", "SELECT organizer FROM tickets")
        .await
        .expect("q");
    assert_eq!(own.len(), 3);
    // the catalogue is public
    let events = scoped(&api, "", "", "SELECT pubkey FROM events")
        .await
        .expect("q");
    assert_eq!(events.len(), 4);
    // settings do not outlive their transaction (SET LOCAL): the next one starts bare
    let mut c = api.acquire().await.expect("conn");
    let after: Option<String> = sqlx::query_scalar("SELECT bitticket_tenant()")
        .fetch_one(&mut *c)
        .await
        .expect("q");
    assert_eq!(after, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_role_owns_nothing_bypasses_nothing_and_only_appends_to_the_audit_log() {
    let db = fresh_db().await;
    let api = PgPoolOptions::new()
        .max_connections(1)
        .connect(&as_api_role(&db.1))
        .await
        .expect("connect");
    let (bypass, superuser): (bool, bool) =
        sqlx::query_as("SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user")
            .fetch_one(&api)
            .await
            .expect("role");
    assert!(!bypass && !superuser);
    sqlx::query("INSERT INTO audit_log (actor, action, outcome) VALUES ('x', 'test', 'ok')")
        .execute(&api)
        .await
        .expect("append");
    for sql in [
        "UPDATE audit_log SET outcome = 'forged'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "ALTER TABLE tickets DISABLE ROW LEVEL SECURITY",
        "DROP POLICY tenant_or_self ON tickets",
        "INSERT INTO tickets (pubkey) VALUES ('x')",
        "UPDATE tickets SET holder = 'x'",
        "SELECT signature FROM transactions",
        "SET ROLE postgres",
    ] {
        let r = sqlx::query(sql).execute(&api).await;
        assert!(r.is_err(), "the API role could: {sql}");
    }
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE outcome = 'ok'")
        .fetch_one(&db.0)
        .await
        .expect("count");
    assert_eq!(n, 1);
}

/// The test cluster asks for passwords, even on loopback (scripts/pg.sh): the admin's URL
/// without its password, and the API's role with a wrong one, are refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cluster_refuses_connections_without_the_password() {
    let admin = admin_url();
    let (scheme, rest) = admin.split_once("://").expect("scheme");
    let (_, host) = rest.rsplit_once('@').expect("user part");
    for url in [
        format!("{scheme}://postgres@{host}"),
        format!("{scheme}://bitticket_api:wrong@{host}"),
    ] {
        let r = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(std::time::Duration::from_secs(5))
            .connect(&url)
            .await;
        assert!(r.is_err(), "connected without the password: {url}");
    }
}

/// `sql` run as the public catalogue's role (what every catalogue read does first), in a
/// transaction of its own: the rows' first column as text, or the refusal.
async fn as_public(pool: &sqlx::PgPool, sql: &str) -> Result<Vec<String>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET LOCAL ROLE bitticket_public")
        .execute(&mut *tx)
        .await?;
    let rows = sqlx::query(sql).fetch_all(&mut *tx).await?;
    tx.rollback().await?;
    Ok(rows.iter().map(|r| r.get::<String, _>(0)).collect())
}

/// The public catalogue's role reads the `catalogue` view, its public columns only, and no
/// table at all: not the events' own rows, nor a ticket, member, vault, proposal, check-in
/// or holder, whatever the scope says.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_read_reaches_the_catalogue_and_nothing_else() {
    let db = fresh_db().await;
    let holder = Wallet::random();
    let a = seed_tenant(&db.0, &holder, 2).await;
    seed_tenant(&db.0, &holder, 1).await;
    let api = PgPoolOptions::new()
        .max_connections(2)
        .connect(&as_api_role(&db.1))
        .await
        .expect("connect as the API role");
    let events = as_public(&api, "SELECT pubkey FROM catalogue")
        .await
        .expect("the catalogue");
    assert_eq!(events.len(), 4);
    let sold = as_public(
        &api,
        &format!(
            "SELECT sold::text FROM catalogue WHERE pubkey = '{}'",
            a.event
        ),
    )
    .await
    .expect("figures");
    assert_eq!(sold, vec!["6"]);
    // the view's columns are the public ones: no account bookkeeping
    let columns: Vec<String> = sqlx::query_scalar(
        "SELECT column_name::text FROM information_schema.columns
         WHERE table_name = 'catalogue' ORDER BY ordinal_position",
    )
    .fetch_all(&db.0)
    .await
    .expect("columns");
    assert_eq!(
        columns,
        [
            "pubkey",
            "organizer",
            "event_id",
            "name",
            "uri",
            "price_lamports",
            "supply",
            "sale_start",
            "sale_end",
            "resale_unlock",
            "max_per_wallet",
            "check_in_start",
            "check_in_end",
            "paused",
            "cancelled",
            "approved",
            "sold",
            "revenue",
            "refunded",
            "swept",
            "shards_opened",
            "organizer_name",
            "open_room",
            "total_supply",
            "resale_cap_bps",
            "royalty_bps",
            "transfers_locked",
        ]
    );
    // the tiers' view is the public role's too (no tier is seeded here: empty)
    assert_eq!(
        as_public(&api, "SELECT name FROM catalogue_tiers")
            .await
            .expect("the tiers' view"),
        Vec::<String>::new()
    );
    // and the market's standing listings (none seeded); the listings table itself is not
    assert_eq!(
        as_public(&api, "SELECT listing FROM catalogue_listings")
            .await
            .expect("the listings' view"),
        Vec::<String>::new()
    );
    assert!(as_public(&api, "SELECT pubkey FROM listings")
        .await
        .is_err());
    // the organizer's name reaches the public through the view, nothing else of it
    let named = as_public(
        &api,
        &format!(
            "SELECT organizer_name FROM catalogue WHERE pubkey = '{}'",
            a.event
        ),
    )
    .await
    .expect("the organizer's name");
    assert_eq!(named, vec!["Tenant \"A\" Events"]);
    for staff in ["lamports", "slot", "cancelled_at", "reserve", "holder"] {
        assert!(
            as_public(&api, &format!("SELECT {staff}::text FROM catalogue"))
                .await
                .is_err(),
            "the catalogue shows {staff}"
        );
    }
    // every table of the schema, the events' own included, is refused to the role, and
    // so is the scope's way around it
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind = 'r'",
    )
    .fetch_all(&db.0)
    .await
    .expect("tables");
    assert!(tables.len() > 25, "{tables:?}");
    for table in &tables {
        let r = as_public(&api, &format!("SELECT 'row' FROM {table} LIMIT 1")).await;
        assert!(r.is_err(), "the public role reads {table}");
    }
    for sql in [
        "INSERT INTO catalogue (pubkey) VALUES ('x')",
        "UPDATE catalogue SET name = 'x'",
        "DELETE FROM catalogue",
        "SELECT set_config('bitticket.tenant', 'x', true) FROM tickets",
    ] {
        assert!(
            as_public(&api, sql).await.is_err(),
            "the public role could: {sql}"
        );
    }
}
