//! Refusals said with the numbers the CLI has (the sale's window, the wallet limit, the
//! time-lock left, the role needed), `event create`'s help and defaults.
use crate::*;

/// An RFC 3339 time, as the CLI prints one.
fn rfc3339(t: &Value) -> String {
    let secs = t.as_u64().expect("unix seconds");
    humantime::format_rfc3339_seconds(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
        .to_string()
}

#[test]
fn event_create_says_what_it_requires_and_its_defaults() {
    let w = World::new("help");
    let (_, path) = w.unfunded("me");
    let help = w.run(&path, &["event", "create", "--help"]).ok().stdout;
    // clap wraps at 100 columns: compare words, not lines
    let flat = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let usage = help
        .split("\n\n")
        .find(|p| p.starts_with("Usage:"))
        .map(flat)
        .unwrap_or_default();
    let help = flat(&help);
    for required in [
        "--name <NAME>",
        "--price <SOL>",
        "--supply <N>",
        "--sale-end <TIME>",
    ] {
        assert!(usage.contains(required), "{required} in {usage}");
    }
    assert!(!usage.contains("--uri"), "{usage}");
    for said in [
        "`+90s` / `+2h30m` (from the cluster's clock), unix seconds, or RFC 3339",
        "until a day after the sale's end",
        "[create: a day after the sale's end]",
    ] {
        assert!(help.contains(said), "{said:?} in {help}");
    }
    // clap refuses a missing required option before anything is read
    let out = w.run(
        &path,
        &["event", "create", &Keypair::new().pubkey().to_string()],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--name <NAME>"), "{}", out.stderr);

    // the doors stay open a day after sales close unless told otherwise
    let (_, org_key) = w.wallet("organizer", 10 * SOL);
    let org = s(&w.json(
        &org_key,
        &["organizer", "create", "--name", "Lagoon Nights"],
    )["organizer"]);
    let created = w.json(
        &org_key,
        &[
            "event",
            "create",
            &org,
            "--name",
            "Doors",
            "--price",
            "0.1",
            "--supply",
            "2",
            "--sale-end",
            "+1h",
        ],
    );
    let c = &created["config"];
    let day = 86_400;
    assert_eq!(c["check_in_start"], c["sale_start"]);
    assert_eq!(
        c["check_in_end"].as_i64(),
        c["sale_end"].as_i64().map(|t| t + day)
    );
    assert_eq!(c["resale_unlock"], c["sale_end"]);
}

#[test]
fn sale_refusals_say_when_and_how_many() {
    let w = World::new("numbers");
    let (_, org_key) = w.wallet("organizer", 10 * SOL);
    let org = s(&w.json(
        &org_key,
        &["organizer", "create", "--name", "Lagoon Nights"],
    )["organizer"]);
    let create = |name: &str, extra: &[&str]| {
        let mut args = vec![
            "event", "create", &org, "--name", name, "--price", "0.1", "--supply", "5",
        ];
        args.extend_from_slice(extra);
        w.json(&org_key, &args)
    };
    let (_, buyer) = w.wallet("buyer", SOL);

    // not started: when it opens, and how long until then
    let later = create("Later", &["--sale-start", "+1h", "--sale-end", "+2h"]);
    let out = w.run(&buyer, &["ticket", "buy", &s(&later["event"])]);
    out.refused(
        1,
        &format!(
            "SaleNotStarted: The sale has not started (it opens at {}, in ",
            rfc3339(&later["config"]["sale_start"])
        ),
    );
    // an hour from the creation, by the chain's clock: still the whole hour within the same
    // second, else 59 minutes and some
    assert!(
        out.stderr.contains("in 1h)") || out.stderr.contains("in 59m"),
        "{}",
        out.stderr
    );

    // the wallet's limit, and resale locked until its time
    let one_each = create(
        "One each",
        &[
            "--sale-end",
            "+1h",
            "--max-per-wallet",
            "1",
            "--resale-unlock",
            "+30m",
        ],
    );
    let event = s(&one_each["event"]);
    let mint = s(&w.json(&buyer, &["ticket", "buy", &event])["mint"]);
    w.run(&buyer, &["ticket", "buy", &event]).refused(
        1,
        "WalletLimitReached: This wallet has reached the per-wallet ticket limit (at most 1 ticket(s) per wallet for this event)",
    );
    w.run(
        &buyer,
        &["ticket", "transfer", &mint, &Keypair::new().pubkey().to_string()],
    )
    .refused(
        1,
        &format!(
            "ResaleLocked: Tickets cannot be resold before the resale unlock time (transfers open at {}, in ",
            rfc3339(&one_each["config"]["resale_unlock"])
        ),
    );

    // a wallet with some SOL, but less than the price
    let (_, poor) = w.wallet("poor", SOL / 100);
    let out = w.run(&poor, &["ticket", "buy", &event]);
    out.refused(
        1,
        &format!(
            "has only 0.01 SOL on {}, not enough for this transaction: fund it with `bitticket airdrop 1",
            rpc_url()
        ),
    );

    // ended: when
    let short = create("Short", &["--sale-end", "+2s"]);
    let end = short["config"]["sale_end"].as_i64().expect("sale end");
    wait_for_chain_time(end);
    w.run(&buyer, &["ticket", "buy", &s(&short["event"])])
        .refused(
            1,
            &format!(
                "SaleEnded: The sale has ended (it closed at {}, ",
                rfc3339(&short["config"]["sale_end"])
            ),
        );
}

#[test]
fn governance_refusals_say_the_role_the_time_lock_and_what_was_done() {
    let w = World::new("governance");
    let (_, admin) = w.wallet("admin", 10 * SOL);
    let org = s(&w.json(&admin, &["organizer", "create", "--name", "Lagoon Nights"])["organizer"]);
    // a door member is no event manager, an event manager no admin
    let (door, door_path) = w.wallet("door", SOL);
    let (manager, manager_path) = w.wallet("manager", SOL);
    for (who, roles) in [(&door, "gatekeeper"), (&manager, "event_manager")] {
        w.json(
            &admin,
            &[
                "organizer",
                "add-member",
                &org,
                &who.pubkey().to_string(),
                "--roles",
                roles,
            ],
        );
    }
    w.run(
        &door_path,
        &[
            "event", "create", &org, "--name", "No", "--price", "0.1", "--supply", "1",
            "--sale-end", "+1h",
        ],
    )
    .refused(1, "MissingPermission: The signer lacks the permission this action needs (this needs the event_manager role");
    w.run(
        &manager_path,
        &[
            "organizer",
            "add-member",
            &org,
            &Keypair::new().pubkey().to_string(),
            "--roles",
            "gatekeeper",
        ],
    )
    .refused(1, "(this needs the admin role");
    w.run(&door_path, &["vault", "propose", &org, "threshold", "1"])
        .refused(1, "(this needs the propose role");

    // an hour's time-lock: executing early says how long is left
    w.json(&admin, &["vault", "propose", &org, "time-lock", "3600"]);
    w.json(&admin, &["vault", "approve", &org, "1"]);
    w.json(&admin, &["vault", "execute", &org, "1"]);
    w.run(&admin, &["vault", "execute", &org, "1"])
        .refused(1, &format!("proposal 1 of {org} was already executed at "));
    w.run(&admin, &["vault", "approve", &org, "1"]).refused(
        1,
        "ProposalNotActive: The proposal is not open for votes (it was executed at ",
    );
    let dest = Keypair::new().pubkey().to_string();
    w.json(
        &admin,
        &[
            "vault", "propose", &org, "withdraw", "--amount", "0.001", "--to", &dest,
        ],
    );
    w.json(&admin, &["vault", "approve", &org, "2"]);
    let out = w.run(&admin, &["vault", "execute", &org, "2"]);
    out.refused(
        1,
        "TimeLockNotElapsed: The time-lock since approval has not elapsed (approved at ",
    );
    assert!(
        out.stderr.contains("the time-lock of 3600 s leaves ")
            && out.stderr.contains(" s: executable from "),
        "{}",
        out.stderr
    );
}
