//! A fresh migrated database the API's own role (`bitticket_api`) may log in to, and the
//! URL that logs in as it.
use sqlx::PgPool;

/// The password the tests give the API's role (the test cluster is private, on loopback).
pub const API_ROLE_PASSWORD: &str = "bitticket-api-tests";

/// A new database with every migration, and its URL for another role.
pub async fn fresh_db() -> (PgPool, String) {
    let (db, url) = crate::db::fresh_database("a").await;
    // the cluster asks for passwords, even on loopback: the role may log in with the
    // tests' password (roles are cluster-wide, and concurrent tests may race on the same
    // catalog row: retry)
    for attempt in 0.. {
        let can: bool = sqlx::query_scalar(
            "SELECT rolcanlogin AND rolpassword IS NOT NULL FROM pg_authid
             WHERE rolname = 'bitticket_api'",
        )
        .fetch_one(&db)
        .await
        .expect("role");
        if can {
            break;
        }
        match sqlx::query(&format!(
            "ALTER ROLE bitticket_api LOGIN PASSWORD '{API_ROLE_PASSWORD}'"
        ))
        .execute(&db)
        .await
        {
            Ok(_) => break,
            Err(_) if attempt < 20 => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            Err(e) => panic!("login role: {e}"),
        }
    }
    (db, url)
}

/// `url` (the admin's) with the API's role and its password as its user.
pub fn as_api_role(url: &str) -> String {
    match (url.split_once("://"), url.rsplit_once('@')) {
        (Some((scheme, _)), Some((_, host))) => {
            format!("{scheme}://bitticket_api:{API_ROLE_PASSWORD}@{host}")
        }
        _ => panic!("an admin URL with a user: {url}"),
    }
}
