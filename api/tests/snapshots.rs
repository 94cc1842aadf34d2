//! The API's JSON answers pinned as snapshots: the main read routes (and a 403 and a 404)
//! asked of the real app over the standard world, their per-run values redacted (the
//! world's addresses by name, other keys numbered, times as offsets from the test's clock,
//! the validator's slot), compared with api/tests/snapshots/<name>.json.
//! `BITTICKET_BLESS=1` rewrites the files.
use std::path::Path;

use bitticket_testkit::api::*;
use bitticket_testkit::snapshot::{self, Order, Redactor};

/// The world's own addresses by name: the holder, and each tenant's organizer, events,
/// tickets and staff.
fn names(w: &World, now: i64) -> Redactor {
    let mut r = Redactor::new()
        .times_around(now)
        .key("request_id")
        .key("chain_slot")
        .name(w.holder.address(), "holder");
    for (t, tenant) in [("a", &w.a), ("b", &w.b)] {
        r = r
            .name(&tenant.organizer, &format!("{t}.organizer"))
            .name(&tenant.event, &format!("{t}.event"))
            .name(&tenant.upcoming, &format!("{t}.upcoming"));
        for (i, ticket) in tenant.tickets.iter().enumerate() {
            r = r.name(ticket, &format!("{t}.ticket{i}"));
        }
        for (role, _, wallet) in &tenant.staff {
            r = r.name(wallet.address(), &format!("{t}.{role}"));
        }
    }
    r
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_read_routes_answer_as_their_snapshots() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock")
        .as_secs() as i64;
    let w = world().await;
    let redactor = names(&w, now);
    let (holder, _) = w.api.sign_in(&w.holder).await;
    let (admin, _) = w.api.sign_in(w.a.member("admin")).await;
    let service = w.api.service_token();
    let (o, e, t) = (&w.a.organizer, &w.a.event, &w.a.tickets[0]);
    let asks: Vec<(&str, String, &str, u16, Order)> = vec![
        ("me", "/v1/me".into(), &holder, 200, Order::Kept),
        ("me_staff", "/v1/me".into(), &admin, 200, Order::Kept),
        ("me_service", "/v1/me".into(), &service, 200, Order::Kept),
        (
            "me_tickets",
            "/v1/me/tickets".into(),
            &holder,
            200,
            Order::Sorted,
        ),
        (
            "ticket",
            format!("/v1/tickets/{t}"),
            &holder,
            200,
            Order::Kept,
        ),
        ("events", "/v1/events".into(), &holder, 200, Order::Sorted),
        (
            "event",
            format!("/v1/events/{e}"),
            &holder,
            200,
            Order::Kept,
        ),
        ("status", "/v1/status".into(), &holder, 200, Order::Kept),
        (
            "organizer_members",
            format!("/v1/organizers/{o}/members"),
            &admin,
            200,
            Order::Sorted,
        ),
        (
            "organizer_event_tickets",
            format!("/v1/organizers/{o}/events/{e}/tickets"),
            &admin,
            200,
            Order::Sorted,
        ),
        (
            "organizer_vault",
            format!("/v1/organizers/{o}/vault"),
            &admin,
            200,
            Order::Kept,
        ),
        (
            "organizer_proposals",
            format!("/v1/organizers/{o}/proposals"),
            &admin,
            200,
            Order::Kept,
        ),
        (
            "organizer_check_ins",
            format!("/v1/organizers/{o}/check-ins"),
            &admin,
            200,
            Order::Kept,
        ),
        (
            "organizer_alerts",
            format!("/v1/organizers/{o}/alerts"),
            &admin,
            200,
            Order::Kept,
        ),
        (
            "error_forbidden",
            format!("/v1/organizers/{o}/members"),
            &holder,
            403,
            Order::Kept,
        ),
        (
            "error_not_found",
            format!("/v1/tickets/{}", key()),
            &holder,
            404,
            Order::Kept,
        ),
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut failures = Vec::new();
    for (name, path, token, status, order) in asks {
        let r = w.api.get(&path, Some(token)).await;
        assert_eq!(r.status(), status, "{name}: GET {path}");
        let body: serde_json::Value = r.json().await.expect("a JSON answer");
        if let Err(e) = snapshot::check(&dir, name, &redactor.redact(&body, order)) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
