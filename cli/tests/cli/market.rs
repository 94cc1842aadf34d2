//! The resale market from the command line: the organizer's terms, a listing refused above
//! the cap, relisted, shown, bought by another wallet with the royalty said; free transfers
//! off.
use crate::*;

#[test]
fn a_ticket_is_resold_on_the_capped_market() {
    let w = World::new("market");
    let (_, org_key) = w.wallet("organizer", 10 * SOL);
    let org = s(&w.json(
        &org_key,
        &["organizer", "create", "--name", "Second Hand Ltd"],
    )["organizer"]);
    let event = s(&w.json(
        &org_key,
        &[
            "event",
            "create",
            &org,
            "--name",
            "Resold",
            "--price",
            "0.1",
            "--supply",
            "4",
            "--sale-start",
            "+12s",
            "--sale-end",
            "+1h",
            "--resale-unlock",
            "+12s",
        ],
    )["event"]);
    // a royalty above half is refused, saying the bounds
    w.run(
        &org_key,
        &["event", "resale", &event, "--cap", "120", "--royalty", "60"],
    )
    .refused(1, "at most 50%");
    let terms = w.json(
        &org_key,
        &[
            "event",
            "resale",
            &event,
            "--cap",
            "120",
            "--royalty",
            "10",
            "--lock-transfers",
        ],
    );
    assert_eq!(
        (terms["cap_bps"].as_u64(), terms["royalty_bps"].as_u64()),
        (Some(12_000), Some(1_000))
    );
    // the sale (and the market) open 12 s after the event was made: room for the terms
    // (and the refusal before them) on a loaded machine
    wait_for_chain_time(chain_now() + 12);
    let (_, a_path) = w.wallet("a", SOL);
    let (b, b_path) = w.wallet("b", SOL);
    let mint = s(&w.json(&a_path, &["ticket", "buy", &event])["mint"]);
    // free transfers are off: the refusal points at the market
    w.run(
        &a_path,
        &["ticket", "transfer", &mint, &b.pubkey().to_string()],
    )
    .refused(1, "ticket list");
    // above the cap: refused with the cap in SOL
    w.run(&a_path, &["ticket", "list", &mint, "--price", "0.13"])
        .refused(1, "for at most 0.12 SOL");
    w.json(&a_path, &["ticket", "list", &mint, "--price", "0.11"]);
    let listed = w.json(&a_path, &["ticket", "list", &mint, "--price", "0.12"]);
    assert_eq!(listed["price"].as_u64(), Some(120_000_000));
    let shown = w.json(&b_path, &["ticket", "listings", &event]);
    let listings = shown["listings"].as_array().expect("listings");
    assert_eq!(listings.len(), 1, "{shown}");
    assert_eq!(listings[0]["stands"], true);
    assert_eq!(listings[0]["mint"], mint);
    // below the listing's price: refused, with its price
    w.run(
        &b_path,
        &["ticket", "buy-listing", &mint, "--max-price", "0.1"],
    )
    .refused(1, "0.12 SOL");
    let bought = w.json(&b_path, &["ticket", "buy-listing", &mint]);
    assert_eq!(
        (bought["paid"].as_u64(), bought["royalty"].as_u64()),
        (Some(120_000_000), Some(12_000_000))
    );
    let held = w.json(&b_path, &["ticket", "show", &mint]);
    assert_eq!(held["holder"], b.pubkey().to_string());
    let shown = w.json(&b_path, &["ticket", "listings", &event]);
    assert_eq!(shown["listings"], serde_json::json!([]));
    // b lists it and takes it down again
    w.json(&b_path, &["ticket", "list", &mint, "--price", "0.1"]);
    w.json(&b_path, &["ticket", "delist", &mint]);
    w.run(&b_path, &["ticket", "delist", &mint])
        .refused(1, "does not exist");
}
