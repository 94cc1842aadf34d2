//! The `bitticket` binary end to end on the validator that scripts/test.sh starts
//! (BITTICKET_TEST_RPC): each command's success and the user errors most likely to
//! happen, by exit code and message. More in `cli/`: a multisig organizer's event through
//! proposals, a newcomer's wallet, refusals with their numbers, either ticket id.

/// The tests in `cli/` (one test binary: they share `World`).
mod cli {
    mod currency;
    mod errors;
    mod market;
    mod proposals;
    mod tickets;
    mod wallet;
}

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use solana_keypair::Keypair;
use solana_rpc_client::rpc_client::RpcClient;
use solana_signer::Signer;

const SOL: u64 = 1_000_000_000;

fn rpc_url() -> String {
    std::env::var("BITTICKET_TEST_RPC")
        .expect("BITTICKET_TEST_RPC (a validator's RPC URL) is not set: run scripts/test.sh")
}

/// A private HOME (no Solana CLI config of the machine leaks in) and keypair files.
struct World {
    dir: PathBuf,
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", self.stdout, self.stderr))
    }
    fn ok(self) -> Self {
        assert_eq!(
            self.code, 0,
            "stdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }
    /// Refused with exit code `code` and `message` on stderr.
    fn refused(&self, code: i32, message: &str) {
        assert_eq!(
            self.code, code,
            "stdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        assert!(
            self.stderr.contains(message),
            "expected {message:?} in stderr: {}",
            self.stderr
        );
    }
}

impl World {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("bitticket-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self { dir }
    }

    /// An unfunded wallet's keypair file.
    fn unfunded(&self, name: &str) -> (Keypair, PathBuf) {
        let k = Keypair::new();
        let path = self.dir.join(format!("{name}.json"));
        solana_keypair::write_keypair_file(&k, &path).expect("write keypair");
        (k, path)
    }

    /// A funded wallet's keypair file.
    fn wallet(&self, name: &str, lamports: u64) -> (Keypair, PathBuf) {
        let (k, path) = self.unfunded(name);
        let rpc = RpcClient::new(rpc_url());
        let sig = rpc.request_airdrop(&k.pubkey(), lamports).expect("airdrop");
        while !rpc.confirm_transaction(&sig).expect("confirm") {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        (k, path)
    }

    /// `address`'s lamports on the test validator.
    fn balance(&self, address: &solana_address::Address) -> u64 {
        RpcClient::new_with_commitment(
            rpc_url(),
            solana_commitment_config::CommitmentConfig::confirmed(),
        )
        .get_balance(address)
        .expect("balance")
    }

    fn run(&self, keypair: &PathBuf, args: &[&str]) -> Out {
        let mut all = vec!["--url".to_string(), rpc_url()];
        all.extend(args.iter().map(|a| a.to_string()));
        self.run_as_typed(keypair, &all)
    }

    /// Exactly `args` (no `--url`), with the keypair.
    fn run_as_typed(&self, keypair: &PathBuf, args: &[String]) -> Out {
        let out = Command::new(env!("CARGO_BIN_EXE_bitticket"))
            .env("HOME", &self.dir)
            .env_remove("BITTICKET_API_TOKEN")
            .arg("--keypair")
            .arg(keypair)
            .args(args)
            .output()
            .expect("run bitticket");
        Out {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn json(&self, keypair: &PathBuf, args: &[&str]) -> Value {
        let mut all = vec!["--output", "json"];
        all.extend_from_slice(args);
        self.run(keypair, &all).ok().json()
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn s(v: &Value) -> String {
    v.as_str().expect("a string").to_string()
}

/// The validator's clock (unix seconds), which the event times follow.
fn chain_now() -> i64 {
    let rpc = RpcClient::new(rpc_url());
    let id = solana_sdk_ids::sysvar::clock::ID;
    let clock = rpc.get_account(&id).expect("the clock sysvar");
    bitticket_client::accounts::clock(&clock.owner, &clock.data)
        .expect("a clock")
        .unix_timestamp
}

/// Waits until the validator's clock has passed `t`.
fn wait_for_chain_time(t: i64) {
    while chain_now() <= t {
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
}

#[test]
fn organizers_and_members() {
    let w = World::new("org");
    // no keypair file: a usage error that says what to do
    let missing = w.dir.join("nobody.json");
    w.run(
        &missing,
        &["organizer", "create", "--name", "Lagoon Nights"],
    )
    .refused(2, "cannot read the keypair file");
    // a bad moniker or address: usage errors too
    let (_, admin) = w.wallet("admin", 10 * SOL);
    let typed = ["--url", "devnett", "organizer", "show", "x"].map(String::from);
    let out = w.run_as_typed(&admin, &typed);
    out.refused(2, "expected a URL or one of localhost");
    w.run(&admin, &["organizer", "show", "not-an-address"])
        .refused(2, "is not a base58 address");

    let created = w.json(&admin, &["organizer", "create", "--name", "Lagoon Nights"]);
    let org = s(&created["organizer"]);
    assert!(s(&created["explorer"]).contains("explorer.solana.com/tx/"));
    // human output names the organizer, the signature and the explorer link
    let (m1, _) = w.wallet("m1", SOL);
    let (m2, _) = w.wallet("m2", SOL);
    let (m3, m3_path) = w.wallet("m3", SOL);
    let human = w
        .run(
            &admin,
            &[
                "organizer",
                "add-member",
                &org,
                &m1.pubkey().to_string(),
                "--roles",
                "gatekeeper",
            ],
        )
        .ok();
    assert!(human.stdout.contains("added to") && human.stdout.contains("signature "));
    w.json(
        &admin,
        &[
            "organizer",
            "add-member",
            &org,
            &m2.pubkey().to_string(),
            "--roles",
            "finance,gatekeeper",
        ],
    );
    w.json(
        &admin,
        &[
            "organizer",
            "add-member",
            &org,
            &m3.pubkey().to_string(),
            "--roles",
            "event-manager",
        ],
    );
    // a wallet that is not a member cannot add one: the program's error, by name
    let (_, stranger) = w.wallet("stranger", SOL);
    w.run(
        &stranger,
        &[
            "organizer",
            "add-member",
            &org,
            &m1.pubkey().to_string(),
            "--roles",
            "admin",
        ],
    )
    .refused(
        1,
        "NotAMember: The signer is not a member of this organizer",
    );
    // an event manager is a member, but not an admin
    w.run(
        &m3_path,
        &[
            "organizer",
            "add-member",
            &org,
            &Keypair::new().pubkey().to_string(),
            "--roles",
            "gatekeeper",
        ],
    )
    .refused(1, "MissingPermission");
    w.run(
        &admin,
        &["organizer", "add-member", &org, "x", "--roles", "root"],
    )
    .refused(2, "is not a base58 address");

    let shown = w.json(&admin, &["organizer", "show", &org]);
    assert_eq!(shown["members"].as_array().map(Vec::len), Some(4));
    w.json(
        &admin,
        &["organizer", "remove-member", &org, &m1.pubkey().to_string()],
    );
    let shown = w.json(&admin, &["organizer", "show", &org]);
    assert_eq!(shown["members"].as_array().map(Vec::len), Some(3));
    // a second organizer of the same wallet is refused unless asked for, then takes the
    // next free id
    w.run(&admin, &["organizer", "create", "--name", "Lagoon Nights"])
        .refused(2, "--another");
    let second = w.json(
        &admin,
        &["organizer", "create", "--name", "Lagoon Days", "--another"],
    );
    assert_eq!(second["id"], 1);
    assert_eq!(second["name"], "Lagoon Days");
}

#[test]
fn a_sale_from_the_command_line() {
    let w = World::new("sale");
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
            "Two seats",
            "--price",
            "0.1",
            "--supply",
            "2",
            "--shards",
            "2",
            "--sale-end",
            "+1h",
            "--resale-unlock",
            "+50m",
            "--max-per-wallet",
            "1",
        ],
    )["event"]);
    let (a, a_path) = w.wallet("a", SOL);
    let (_, b_path) = w.wallet("b", SOL);
    let (_, c_path) = w.wallet("c", SOL);
    let bought = w.json(&a_path, &["ticket", "buy", &event]);
    let mint = s(&bought["mint"]);
    w.run(&a_path, &["ticket", "buy", &event])
        .refused(1, "WalletLimitReached");
    // the most the buyer agrees to pay is below the price
    w.run(&b_path, &["ticket", "buy", &event, "--max-price", "0.05"])
        .refused(1, "PriceAboveMaximum");
    w.json(&b_path, &["ticket", "buy", &event]);
    w.run(&c_path, &["ticket", "buy", &event])
        .refused(1, "sold out: all 2 tickets");
    // before the resale unlock a ticket stays with its buyer
    w.run(
        &a_path,
        &[
            "ticket",
            "transfer",
            &mint,
            &Keypair::new().pubkey().to_string(),
        ],
    )
    .refused(1, "ResaleLocked");

    let shown = w.json(&org_key, &["event", "show", &event]);
    assert_eq!(shown["sold"], 2);
    assert_eq!(shown["revenue_lamports"], 200_000_000u64);
    let listed = w.json(&a_path, &["ticket", "mine"]);
    assert_eq!(listed["tickets"].as_array().map(Vec::len), Some(1));
    assert_eq!(listed["tickets"][0]["mint"], mint);

    // the door: the holder's wallet signs a pass; the organizer's creator, a gatekeeper,
    // checks the ticket in with it, signing alone
    let pass = w.json(&a_path, &["ticket", "pass", &mint, "--valid-for", "5m"]);
    assert_eq!(pass["mint"], mint);
    assert_eq!(pass["holder"], a.pubkey().to_string());
    let pass = s(&pass["pass"]);
    assert!(pass.starts_with("BTP1."));
    // only the holder makes a pass, for at most 10 minutes
    w.run(&b_path, &["ticket", "pass", &mint])
        .refused(2, "not by your wallet");
    w.run(&a_path, &["ticket", "pass", &mint, "--valid-for", "11m"])
        .refused(2, "--valid-for");
    // a pass that has run out
    let short = s(&w.json(&a_path, &["ticket", "pass", &mint, "--valid-for", "1s"])["pass"]);
    std::thread::sleep(std::time::Duration::from_secs(3));
    let expired = w.run(&org_key, &["gate", "check-in", &short]);
    expired.refused(1, "PassExpired");
    expired.refused(1, "the holder makes a fresh one");
    // a pass whose text was changed
    let mut bad = pass.clone();
    bad.replace_range(bad.len() - 4.., "AAAA");
    w.run(&org_key, &["gate", "check-in", &bad])
        .refused(2, "PASS");
    let check_in = |gatekeeper: &PathBuf, output_json: bool| {
        let mut args = vec!["gate", "check-in", &pass];
        if output_json {
            args.splice(0..0, ["--output", "json"]);
        }
        w.run(gatekeeper, &args)
    };
    assert_eq!(check_in(&org_key, true).ok().json()["admitted"], true);
    check_in(&org_key, false).refused(1, "AlreadyCheckedIn");
    let t = w.json(&a_path, &["ticket", "show", &mint]);
    assert_eq!(t["state"], "checked_in");
    assert_eq!(t["holder"], a.pubkey().to_string());
    // a buyer is not a gatekeeper
    check_in(&b_path, false).refused(1, "NotAMember");

    // a sale that has not started yet; pause and resume
    let later = s(&w.json(
        &org_key,
        &[
            "event",
            "create",
            &org,
            "--name",
            "Later",
            "--price",
            "0.1",
            "--supply",
            "5",
            "--sale-start",
            "+1h",
            "--sale-end",
            "+2h",
        ],
    )["event"]);
    w.run(&c_path, &["ticket", "buy", &later])
        .refused(1, "SaleNotStarted");
    w.json(&org_key, &["event", "pause", &later]);
    assert_eq!(
        w.json(&org_key, &["event", "show", &later])["state"],
        "paused"
    );
    w.run(&org_key, &["event", "pause", &later])
        .refused(1, "PauseStateUnchanged");
    w.json(&org_key, &["event", "resume", &later]);
    w.json(&org_key, &["event", "update", &later, "--price", "0.2"]);
    assert_eq!(
        w.json(&org_key, &["event", "show", &later])["config"]["price_lamports"],
        200_000_000u64
    );
    // cancelled before its sale: nothing to refund, and no sale
    w.json(&org_key, &["event", "cancel", &later]);
    w.run(&c_path, &["ticket", "buy", &later])
        .refused(1, "EventCancelled");
}

#[test]
fn the_vault_from_the_command_line() {
    let w = World::new("vault");
    let (admin, admin_path) = w.wallet("admin", 10 * SOL);
    let org = s(&w.json(
        &admin_path,
        &["organizer", "create", "--name", "Lagoon Nights"],
    )["organizer"]);
    let dest = Keypair::new().pubkey().to_string();
    // a 1-of-1 multisig: propose a time-lock, approve, execute at once
    let p = w.json(
        &admin_path,
        &["vault", "propose", &org, "time-lock", "3600"],
    );
    assert_eq!(p["index"], 1);
    w.json(&admin_path, &["vault", "approve", &org, "1"]);
    w.json(&admin_path, &["vault", "execute", &org, "1"]);
    // from now on an approved withdrawal waits an hour
    let vault = s(&w.json(&admin_path, &["vault", "show", &org])["vault"]);
    let rpc = RpcClient::new(rpc_url());
    let vault_key = vault.parse().expect("vault address");
    let sig = rpc
        .request_airdrop(&vault_key, SOL)
        .expect("fund the vault");
    while !rpc.confirm_transaction(&sig).expect("confirm") {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    w.json(
        &admin_path,
        &[
            "vault", "propose", &org, "withdraw", "--amount", "0.5", "--to", &dest,
        ],
    );
    w.run(&admin_path, &["vault", "approve", &org, "3"])
        .refused(1, "AccountNotInitialized");
    w.json(&admin_path, &["vault", "approve", &org, "2"]);
    w.run(&admin_path, &["vault", "approve", &org, "2"])
        .refused(1, "ProposalNotActive");
    w.run(&admin_path, &["vault", "execute", &org, "2"])
        .refused(1, "TimeLockNotElapsed");
    // a wallet without the vote role cannot vote
    let (_, other) = w.wallet("other", SOL);
    w.run(&other, &["vault", "reject", &org, "2"])
        .refused(1, "NotAMember");
    let shown = w.json(&admin_path, &["vault", "show", &org]);
    assert_eq!(shown["time_lock_seconds"], 3600);
    let proposals = shown["proposals"].as_array().cloned().unwrap_or_default();
    assert_eq!(proposals.len(), 2);
    assert_eq!(proposals[0]["status"], "executed");
    assert_eq!(proposals[1]["status"], "approved");
    assert_eq!(
        proposals[1]["action"],
        format!("withdraw 0.5 SOL to {dest}")
    );
    assert!(admin.pubkey().to_string().len() > 30);
    // an organizer's address where an event's belongs; an address with no account
    w.run(&admin_path, &["vault", "sweep", &org])
        .refused(2, "is not a BitTicket event");
    w.run(&admin_path, &["vault", "sweep", &dest])
        .refused(1, "does not exist on this cluster");
}

#[test]
fn a_tier_with_an_allow_listed_presale_from_the_command_line() {
    let w = World::new("tier");
    let (_, org_key) = w.wallet("organizer", 10 * SOL);
    let org = s(&w.json(&org_key, &["organizer", "create", "--name", "Tiers"])["organizer"]);
    let (fan, fan_path) = w.wallet("fan", SOL);
    let (_, other_path) = w.wallet("other", SOL);
    // the sale opens in 25 s: tiers are set before it starts
    let t0 = chain_now();
    let at = |secs: i64| (t0 + secs).to_string();
    let (start, end) = (at(25), at(3_600));
    let event = s(&w.json(
        &org_key,
        &[
            "event",
            "create",
            &org,
            "--name",
            "Gala",
            "--price",
            "0.1",
            "--supply",
            "5",
            "--sale-start",
            &start,
            "--sale-end",
            &end,
        ],
    )["event"]);
    let list = w.dir.join("fans.txt");
    std::fs::write(
        &list,
        format!("# fans\n{}\n{}\n", fan.pubkey(), Keypair::new().pubkey()),
    )
    .expect("write the allow-list");
    let list = list.to_string_lossy().into_owned();
    let presale = format!("{},{},0.05,1,{list}", at(25), at(2_400));
    let public = format!("{},{},0.2", at(2_400), at(3_600));
    let created = w.json(
        &org_key,
        &[
            "event",
            "tier",
            &event,
            "--name",
            "VIP",
            "--supply",
            "3",
            "--max-per-wallet",
            "2",
            "--phase",
            &presale,
            "--phase",
            &public,
        ],
    );
    assert_eq!(
        (created["index"].as_u64(), created["first_shard"].as_u64()),
        (Some(0), Some(1)),
        "{created}"
    );
    assert!(created["phases"][0]["allow_list"].is_string());
    // the root the CLI builds from the file is the one the chain holds
    let fan_key = fan.pubkey().to_string();
    let shown = w.json(
        &org_key,
        &[
            "event",
            "allow-list",
            &event,
            "--tier",
            "0",
            "--phase",
            "0",
            "--wallets",
            &list,
            "--wallet",
            &fan_key,
        ],
    );
    assert_eq!(shown["on_chain"], true, "{shown}");
    assert_eq!(shown["root"], created["phases"][0]["allow_list"]);
    assert_eq!(shown["proof"].as_array().map(Vec::len), Some(1));
    // before the phase opens, the reason and the time
    w.run(
        &fan_path,
        &[
            "ticket",
            "buy",
            &event,
            "--tier",
            "0",
            "--allow-list",
            &list,
        ],
    )
    .refused(1, "no phase of tier \"VIP\" is open");
    wait_for_chain_time(created["phases"][0]["start"].as_i64().expect("start"));
    w.run(&fan_path, &["ticket", "buy", &event, "--tier", "0"])
        .refused(2, "pass --allow-list FILE");
    w.run(
        &other_path,
        &[
            "ticket",
            "buy",
            &event,
            "--tier",
            "0",
            "--allow-list",
            &list,
        ],
    )
    .refused(2, "is not on the allow-list");
    let bought = w.json(
        &fan_path,
        &[
            "ticket",
            "buy",
            &event,
            "--tier",
            "0",
            "--allow-list",
            &list,
        ],
    );
    assert_eq!(bought["price"], 50_000_000u64);
    assert_eq!(bought["shard"], 1);
    w.run(
        &fan_path,
        &[
            "ticket",
            "buy",
            &event,
            "--tier",
            "0",
            "--allow-list",
            &list,
        ],
    )
    .refused(1, "PhaseLimitReached");
    // the event's own sale sells beside it
    w.json(&other_path, &["ticket", "buy", &event]);
}
