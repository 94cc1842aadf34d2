//! A newcomer without the Solana CLI: a keypair file, SOL from the faucet, a balance; a
//! wallet without SOL and a cluster that cannot be reached, each named plainly.
use crate::*;

#[test]
fn a_newcomer_makes_a_keypair_funds_it_and_reads_its_balance() {
    let w = World::new("newcomer");
    let path = w.dir.join("me.json");
    // no keypair yet: the hint names the CLI's own command
    w.run(&path, &["balance"])
        .refused(2, "create one with `bitticket keygen`");
    // keygen writes the keypair the CLI uses (here --keypair), as the Solana CLI writes it
    let made = w.json(&path, &["keygen"]);
    let me = s(&made["pubkey"]);
    assert_eq!(s(&made["outfile"]), path.display().to_string());
    let read = solana_keypair::read_keypair_file(&path).expect("a keypair file");
    assert_eq!(read.pubkey().to_string(), me);
    let bytes: Vec<u8> =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("a JSON array");
    assert_eq!(bytes.len(), 64);
    // it never overwrites a keypair unless told
    w.run(&path, &["keygen"])
        .refused(2, "refusing to overwrite it; pass --force");
    assert_eq!(
        solana_keypair::read_keypair_file(&path)
            .expect("kept")
            .pubkey()
            .to_string(),
        me
    );
    let other = w.dir.join("keys/other.json");
    let other_out = w
        .run(
            &path,
            &["keygen", "--outfile", other.to_str().unwrap_or_default()],
        )
        .ok();
    assert!(
        other_out.stdout.starts_with("pubkey "),
        "{}",
        other_out.stdout
    );
    // --force replaces the file with a new one of mode 0600, whatever the old one's mode
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let replaced = w.json(&path, &["keygen", "--force"]);
    assert_ne!(replaced["pubkey"], me);
    let me = s(&replaced["pubkey"]);
    let mode = std::fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // a symlink is never written through, even a dangling one
    let elsewhere = w.dir.join("elsewhere.json");
    let link = w.dir.join("link.json");
    std::os::unix::fs::symlink(&elsewhere, &link).expect("symlink");
    let through = w.run(
        &path,
        &["keygen", "--outfile", link.to_str().unwrap_or_default()],
    );
    assert_ne!(through.code, 0, "{}", through.stdout);
    assert!(!elsewhere.exists());

    // a wallet without SOL is named as such, with what to do
    let balance = w.json(&path, &["balance"]);
    assert_eq!(s(&balance["address"]), me);
    assert_eq!(balance["lamports"], 0);
    let cluster = rpc_url();
    let unfunded = w.run(&path, &["organizer", "create", "--name", "Lagoon Nights"]);
    unfunded.refused(
        1,
        &format!(
            "wallet {me} has no SOL on {cluster}: fund it with `bitticket airdrop 1 --url {cluster}`"
        ),
    );
    assert!(
        !unfunded.stderr.contains("no record of a prior credit"),
        "{}",
        unfunded.stderr
    );
    let json = w.run(
        &path,
        &[
            "--output",
            "json",
            "organizer",
            "create",
            "--name",
            "Lagoon Nights",
        ],
    );
    assert_eq!(json.json()["error"]["kind"], "unfunded");

    // the faucet: for yourself, then for another wallet
    let dropped = w.json(&path, &["airdrop", "2"]);
    assert_eq!(dropped["lamports"], 2 * SOL);
    assert_eq!(dropped["balance_lamports"], 2 * SOL);
    assert!(s(&dropped["signature"]).len() > 60);
    let human = w.run(&path, &["balance"]).ok();
    assert_eq!(human.stdout.trim(), format!("{me}: 2 SOL on {cluster}"));
    let friend = Keypair::new().pubkey().to_string();
    w.json(&path, &["airdrop", "0.5", &friend]);
    assert_eq!(w.json(&path, &["balance", &friend])["sol"], "0.5");
    // now it pays
    w.json(&path, &["organizer", "create", "--name", "Lagoon Nights"]);

    // no faucet on mainnet; a faucet that refuses says so
    let typed = ["--url", "mainnet-beta", "airdrop", "1"].map(String::from);
    w.run_as_typed(&path, &typed)
        .refused(2, "mainnet-beta has no faucet");
    w.run(&path, &["airdrop", "1000000000"]).refused(
        1,
        &format!("{cluster} refused the airdrop: the faucet holds less than 1000000000 SOL"),
    );
    let json = w.run(&path, &["--output", "json", "airdrop", "1000000000"]);
    assert_eq!(json.json()["error"]["kind"], "airdrop_refused");
    w.run(&path, &["airdrop", "0"])
        .refused(2, "the amount must be above 0");
}

#[test]
fn a_cluster_that_cannot_be_reached_is_named() {
    let w = World::new("unreachable");
    let (_, path) = w.unfunded("me");
    // a port nothing listens on
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let url = format!("http://127.0.0.1:{port}");
    for args in [
        vec!["balance"],
        vec!["organizer", "create", "--name", "Lagoon Nights"],
        vec!["ticket", "mine"],
    ] {
        let mut typed = vec!["--url".to_string(), url.clone()];
        typed.extend(args.iter().map(|a| a.to_string()));
        let out = w.run_as_typed(&path, &typed);
        out.refused(1, &format!("cannot reach the cluster at {url}: "));
        assert!(
            !out.stderr.contains("error sending request"),
            "{}",
            out.stderr
        );
    }
    let typed = ["--output", "json", "--url", &url, "balance"].map(String::from);
    let out = w.run_as_typed(&path, &typed);
    assert_eq!(out.json()["error"]["kind"], "unreachable");
}
