//! One ticket id everywhere: every command that takes a ticket takes its mint or its
//! ticket account, and prints both.
use crate::*;

#[test]
fn a_ticket_is_named_by_its_mint_or_its_account() {
    let w = World::new("ticket-id");
    let (_, org_key) = w.wallet("organizer", 10 * SOL);
    let org = s(&w.json(
        &org_key,
        &["organizer", "create", "--name", "Lagoon Nights"],
    )["organizer"]);
    let event = s(&w.json(
        &org_key,
        &[
            "event",
            "create",
            &org,
            "--name",
            "Either",
            "--price",
            "0.01",
            "--supply",
            "4",
            "--sale-end",
            "+1h",
            "--resale-unlock",
            "now",
        ],
    )["event"]);
    let (a, a_path) = w.wallet("a", SOL);
    let (b, b_path) = w.wallet("b", SOL);
    let bought = w.json(&a_path, &["ticket", "buy", &event]);
    let (mint, ticket) = (s(&bought["mint"]), s(&bought["ticket"]));
    assert_ne!(mint, ticket);
    let human = w.run(&a_path, &["ticket", "buy", &event]).ok().stdout;
    assert!(
        human.contains("\nmint   ")
            && human.contains("\nticket ")
            && human.contains("(the ticket account)"),
        "{human}"
    );

    // show and the door's check: the same ticket by either address, both printed
    let by_mint = w.json(&a_path, &["ticket", "show", &mint]);
    let by_account = w.json(&a_path, &["ticket", "show", &ticket]);
    assert_eq!(by_mint, by_account);
    assert_eq!(
        (s(&by_mint["mint"]), s(&by_mint["ticket"])),
        (mint.clone(), ticket.clone())
    );
    let shown = w.run(&a_path, &["ticket", "show", &ticket]).ok().stdout;
    assert!(shown.contains(&format!("mint   {mint}")), "{shown}");
    assert!(shown.contains(&format!("ticket {ticket}")), "{shown}");
    for id in [&mint, &ticket] {
        let admitted = w.json(&org_key, &["gate", "check", id]);
        assert_eq!(admitted["admit"], true);
        assert_eq!(
            (s(&admitted["mint"]), s(&admitted["ticket"])),
            (mint.clone(), ticket.clone())
        );
    }

    // transfer by the account; the new holder's pass names the ticket by its mint, the
    // door checks it in signing alone
    let moved = w.json(
        &a_path,
        &["ticket", "transfer", &ticket, &b.pubkey().to_string()],
    );
    assert_eq!(
        (s(&moved["mint"]), s(&moved["ticket"])),
        (mint.clone(), ticket.clone())
    );
    // the old holder can no longer make a pass for it
    w.run(&a_path, &["ticket", "pass", &ticket])
        .refused(2, "not by your wallet");
    let pass = s(&w.json(&b_path, &["ticket", "pass", &ticket])["pass"]);
    let checked = w.json(&org_key, &["gate", "check-in", &pass]);
    assert_eq!(
        (s(&checked["mint"]), s(&checked["ticket"])),
        (mint.clone(), ticket.clone())
    );
    assert_eq!(checked["holder"], b.pubkey().to_string());
    // a's second ticket, its pass made by the ticket account
    let second = w.json(&a_path, &["ticket", "mine"]);
    let second = s(&second["tickets"][0]["ticket"]);
    let pass = s(&w.json(&a_path, &["ticket", "pass", &second])["pass"]);
    let checked = w.json(&org_key, &["gate", "check-in", &pass]);
    assert_eq!(checked["ticket"], second);
    assert_eq!(checked["holder"], a.pubkey().to_string());
    w.run(&org_key, &["gate", "check", &second])
        .refused(1, "not admitted");

    // neither a mint with a ticket nor a ticket account
    let nothing = Keypair::new().pubkey().to_string();
    w.run(&a_path, &["ticket", "show", &nothing]).refused(
        1,
        &format!("ticket (as a mint or a ticket account) {nothing} does not exist on this cluster"),
    );
}

/// The rent comes back: a ticket of a cancelled event burns once its refund is claimed,
/// every lamport of its mint, token account and record going to its holder, and the
/// event's buyer records close to their buyers.
#[test]
fn a_ticket_burns_and_the_events_records_and_shards_close_with_the_rent_back() {
    let w = World::new("ticket-burn");
    let (org_signer, org_key) = w.wallet("organizer", 10 * SOL);
    let org = s(&w.json(&org_key, &["organizer", "create", "--name", "Embers"])["organizer"]);
    let event = s(&w.json(
        &org_key,
        &[
            "event",
            "create",
            &org,
            "--name",
            "Embers Live",
            "--price",
            "0.01",
            "--supply",
            "4",
            "--sale-end",
            "+1h",
        ],
    )["event"]);
    let (a, a_path) = w.wallet("a", SOL);
    let ticket = s(&w.json(&a_path, &["ticket", "buy", &event])["ticket"]);
    // an encore, over in half a minute, with one ticket sold (its shards close below)
    let over = w.json(
        &org_key,
        &[
            "event",
            "create",
            &org,
            "--name",
            "Embers Encore",
            "--price",
            "0.01",
            "--supply",
            "4",
            "--sale-end",
            "+30s",
            "--check-in-end",
            "+35s",
        ],
    );
    let encore = s(&over["event"]);
    let (_, b_path) = w.wallet("b", SOL);
    w.json(&b_path, &["ticket", "buy", &encore]);
    // before the event is over
    w.run(&a_path, &["ticket", "burn", &ticket])
        .refused(1, "EventNotOver");
    w.run(&a_path, &["event", "close", &event])
        .refused(1, "EventNotOver");
    w.json(&org_key, &["event", "cancel", &event]);
    // cancelled: the refund first
    w.run(&a_path, &["ticket", "burn", &ticket])
        .refused(1, "ticket refund");
    w.json(&a_path, &["ticket", "refund", &ticket]);
    let before = w.balance(&a.pubkey());
    let burned = w.json(&a_path, &["ticket", "burn", &ticket]);
    assert_eq!(burned["ticket"], ticket);
    let rent = burned["rent"].as_u64().expect("rent");
    // the mint with its metadata, a Token-2022 account and the record: about 0.0076 SOL
    assert!(rent > 7_000_000 && rent < 8_000_000, "{rent}");
    assert_eq!(w.balance(&a.pubkey()), before + rent - 5_000);
    w.run(&a_path, &["ticket", "show", &ticket])
        .refused(1, "does not exist");
    // anyone closes the event's buyer records, the rent to each buyer
    let before = w.balance(&a.pubkey());
    let closed = w.json(&org_key, &["event", "close", &event]);
    assert_eq!(closed["records"], 1);
    let rent = closed["rent"].as_u64().expect("rent");
    assert!(rent > 0);
    assert_eq!(w.balance(&a.pubkey()), before + rent);
    // its shards wait for the end of the refund period
    let again = w.json(&org_key, &["event", "close", &event]);
    assert_eq!(
        (again["records"].as_u64(), again["shards"].as_u64()),
        (Some(0), Some(0))
    );
    let wait = again["shards_wait"].as_str().expect("why the shards wait");
    assert!(wait.contains("the end of the refund period"), "{wait}");

    // the encore is over: its shard that sold is swept, then every shard is closed, the
    // rent back to the organizer's wallet that opened them
    wait_for_chain_time(over["config"]["check_in_end"].as_i64().expect("end"));
    let org_wallet = org_signer.pubkey();
    let before = w.balance(&org_wallet);
    let closed = w.json(&org_key, &["event", "close", &encore]);
    assert_eq!(closed["records"], 1);
    assert_eq!(closed["swept"], 1);
    assert!(closed["shards_wait"].is_null());
    let shards = closed["shards"].as_u64().expect("shards");
    assert!(shards >= 1, "{closed}");
    let shard_rent = closed["shard_rent"].as_u64().expect("shard rent");
    // each shard's rent back, less a fee a transaction (the records' and one a shard)
    assert_eq!(
        w.balance(&org_wallet),
        before + shard_rent - 5_000 * (shards + 1)
    );
    // nothing left to close
    let empty = w.json(&org_key, &["event", "close", &encore]);
    assert_eq!(
        (empty["records"].as_u64(), empty["shards"].as_u64()),
        (Some(0), Some(0))
    );
}
