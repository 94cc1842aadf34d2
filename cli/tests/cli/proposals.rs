//! A multisig organizer (2-of-2) runs an event's whole life through proposals: its terms
//! changed and approved (`update-event`), a started event cancelled (`cancel-event`) and
//! its holder refunded, and SPL tokens withdrawn from the vault (`withdraw-token`).
use anchor_spl::associated_token::get_associated_token_address;
use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account;
use anchor_spl::token::spl_token::instruction as token_ix;
use anchor_spl::token::ID as TOKEN;
use solana_address::Address;
use solana_commitment_config::CommitmentConfig;
use solana_instruction::{AccountMeta, Instruction};
use solana_transaction::Transaction;

use serde_json::json;

use crate::*;

/// A 2-of-2 organizer set up in one transaction (`vault setup`): its creator (an admin
/// with every role) and a second voter. (organizer, creator's keypair file, the second
/// voter's)
fn two_of_two(w: &World) -> (String, PathBuf, PathBuf) {
    let (_, admin) = w.wallet("admin", 10 * SOL);
    let (second, second_path) = w.wallet("second", SOL);
    let member = format!("{}:multisig", second.pubkey());
    let created = w.json(
        &admin,
        &[
            "vault",
            "setup",
            "--name",
            "Lagoon Nights",
            "--member",
            &member,
            "--threshold",
            "2",
        ],
    );
    assert_eq!(created["name"], "Lagoon Nights");
    assert_eq!(created["threshold"], 2);
    assert_eq!(
        created["members"][1]["roles"],
        json!(["propose", "vote", "execute"])
    );
    let org = s(&created["organizer"]);
    let shown = w.json(&admin, &["vault", "show", &org]);
    assert_eq!(
        (shown["threshold"].clone(), shown["proposals"].clone()),
        (json!(2), json!([]))
    );
    assert_eq!(
        w.json(&admin, &["organizer", "show", &org])["name"],
        "Lagoon Nights"
    );
    (org, admin, second_path)
}

/// A setup the program would refuse is explained with the option to change.
#[test]
fn vault_setup_refusals_name_the_option() {
    let w = World::new("setup");
    let (_, admin) = w.wallet("admin", 10 * SOL);
    let voter = format!("{}:vote", Keypair::new().pubkey());
    w.run(
        &admin,
        &[
            "vault",
            "setup",
            "--name",
            "Lagoon Nights",
            "--member",
            &voter,
            "--threshold",
            "3",
        ],
    )
    .refused(
        1,
        "--threshold: at least 1 and at most the members who vote",
    );
    w.run(
        &admin,
        &["vault", "setup", "--name", "", "--threshold", "1"],
    )
    .refused(1, "--name: 1 to 64 bytes");
    w.run(
        &admin,
        &["vault", "setup", "--name", "x", "--time-lock", "91d"],
    )
    .refused(1, "--time-lock: at most 90d");
    w.run(
        &admin,
        &["vault", "setup", "--name", "x", "--member", "nobody"],
    )
    .refused(2, "member");
    // a time-lock with a 2-of-2, in the same one transaction
    let member = format!("{}:multisig", Keypair::new().pubkey());
    let created = w.json(
        &admin,
        &[
            "vault",
            "setup",
            "--name",
            "Locked",
            "--member",
            &member,
            "--threshold",
            "2",
            "--time-lock",
            "1h",
        ],
    );
    assert_eq!(created["time_lock_seconds"], 3600);
}

/// Proposals queued behind a configuration change read `stale` once it executes, and a
/// vote on one says what to do.
#[test]
fn queued_proposals_read_stale_after_a_configuration_change() {
    let w = World::new("stale");
    let (org, admin, second) = two_of_two(&w);
    w.json(&admin, &["vault", "propose", &org, "threshold", "1"]);
    w.json(&admin, &["vault", "propose", &org, "threshold", "2"]);
    approve_and_execute(&w, &org, "1", [&admin, &second]);
    let shown = w.json(&admin, &["vault", "show", &org]);
    let status: Vec<_> = shown["proposals"]
        .as_array()
        .map(|ps| ps.iter().map(|p| s(&p["status"])).collect())
        .unwrap_or_default();
    assert_eq!(status, ["executed", "stale"]);
    let vote = w.run(&admin, &["vault", "approve", &org, "2"]);
    vote.refused(1, "ProposalStale");
    vote.refused(1, &format!("`bitticket vault close {org} 2`"));
}

/// Proposal `index` approved by both voters and executed; the execution's JSON.
fn approve_and_execute(w: &World, org: &str, index: &str, voters: [&PathBuf; 2]) -> Value {
    for v in voters {
        w.json(v, &["vault", "approve", org, index]);
    }
    w.json(voters[0], &["vault", "execute", org, index])
}

#[test]
fn a_multisig_organizer_approves_changes_and_cancels_a_started_event_by_proposal() {
    let w = World::new("multisig");
    let (org, admin, second) = two_of_two(&w);
    let created = w.json(
        &admin,
        &[
            "event",
            "create",
            &org,
            "--name",
            "Gig",
            "--price",
            "0.1",
            "--supply",
            "3",
            "--sale-end",
            "+1h",
        ],
    );
    let event = s(&created["event"]);
    assert_eq!(created["approved"], false);

    // its terms, changed and approved by a proposal: the price applied over the event's
    // configuration on chain, every other field kept
    let p = w.json(
        &admin,
        &[
            "vault",
            "propose",
            &org,
            "update-event",
            &event,
            "--price",
            "0.2",
        ],
    );
    assert_eq!(p["index"], 1);
    let action = s(&p["action"]);
    assert!(
        action.starts_with(&format!(
            "update event {event} and approve its terms: \"Gig\", 0.2 SOL, 3 tickets"
        )),
        "{action}"
    );
    // one approval of the two it needs: the refusal counts them
    w.json(&admin, &["vault", "approve", &org, "1"]);
    w.run(&admin, &["vault", "execute", &org, "1"]).refused(
        1,
        "ProposalNotApproved: The proposal is not approved (proposal 1 has 1 of the 2 approval(s) it needs",
    );
    w.json(&second, &["vault", "approve", &org, "1"]);
    w.json(&admin, &["vault", "execute", &org, "1"]);
    let shown = w.json(&admin, &["event", "show", &event]);
    assert_eq!(shown["approved"], true);
    assert_eq!(shown["config"]["price_lamports"], 200_000_000u64);
    assert_eq!(shown["config"]["supply"], 3);

    // the sale has started; a holder buys
    let (_, holder) = w.wallet("holder", SOL);
    let bought = w.json(&holder, &["ticket", "buy", &event]);
    let ticket = s(&bought["ticket"]);

    // one key alone can neither cancel nor change it: the error names the proposal to make
    w.run(&admin, &["event", "cancel", &event]).refused(
        1,
        &format!("MultisigRequired: Once the threshold is above one, this change needs a proposal (its sale has started: propose it instead: `bitticket vault propose {org} cancel-event {event}`"),
    );
    w.run(&admin, &["event", "update", &event, "--price", "0.3"])
        .refused(
            1,
            &format!("`bitticket vault propose {org} update-event {event}` with the same options"),
        );

    let p = w.json(&admin, &["vault", "propose", &org, "cancel-event", &event]);
    assert_eq!(
        p["action"],
        format!("cancel event {event} (its holders can then claim refunds)")
    );
    let index = p["index"].to_string();
    let executed = approve_and_execute(&w, &org, &index, [&admin, &second]);
    assert_eq!(executed["status"], "executed");
    assert_eq!(
        w.json(&admin, &["event", "show", &event])["state"],
        "cancelled"
    );
    // executing it again: said as already executed, not as "not approved"
    let again = w.run(&second, &["vault", "execute", &org, &index]);
    again.refused(
        1,
        &format!("proposal {index} of {org} was already executed at "),
    );
    let again = w.run(
        &second,
        &["--output", "json", "vault", "execute", &org, &index],
    );
    assert_eq!(again.json()["error"]["kind"], "already_executed");
    // proposing to cancel it once more is refused before anything is sent
    w.run(&admin, &["vault", "propose", &org, "cancel-event", &event])
        .refused(2, "is cancelled already");

    // the holder gets the price back, naming the ticket by its account
    let refunded = w.json(&holder, &["ticket", "refund", &ticket]);
    assert_eq!(refunded["refunded"], 200_000_000u64);
    assert_eq!(refunded["mint"], bought["mint"]);
    assert_eq!(refunded["ticket"], ticket);
    let shown = w.json(&admin, &["vault", "show", &org]);
    let statuses: Vec<_> = shown["proposals"]
        .as_array()
        .map(|ps| ps.iter().map(|p| s(&p["status"])).collect())
        .unwrap_or_default();
    assert_eq!(statuses, ["executed"; 2]);
}

/// Sends `ixs` paid and signed by `payer` (plus `others`) to the validator.
fn send(payer: &Keypair, others: &[&Keypair], ixs: &[Instruction]) {
    let rpc = RpcClient::new(rpc_url());
    let mut signers = vec![payer];
    signers.extend_from_slice(others);
    let blockhash = rpc.get_latest_blockhash().expect("blockhash");
    let tx = Transaction::new_signed_with_payer(ixs, Some(&payer.pubkey()), &signers, blockhash);
    rpc.send_and_confirm_transaction(&tx).expect("token setup");
}

/// The system program's `create_account` of `space` bytes owned by `owner`.
fn create_account(from: &Keypair, to: &Keypair, space: u64, owner: &Address) -> Instruction {
    let rent = RpcClient::new(rpc_url())
        .get_minimum_balance_for_rent_exemption(space as usize)
        .expect("rent");
    let mut data = vec![0u8; 4];
    data.extend_from_slice(&rent.to_le_bytes());
    data.extend_from_slice(&space.to_le_bytes());
    data.extend_from_slice(owner.as_ref());
    Instruction {
        program_id: solana_sdk_ids::system_program::ID,
        accounts: vec![
            AccountMeta::new(from.pubkey(), true),
            AccountMeta::new(to.pubkey(), true),
        ],
        data,
    }
}

#[test]
fn a_multisig_organizer_withdraws_tokens_by_proposal() {
    let w = World::new("tokens");
    let (org, admin, second) = two_of_two(&w);
    let vault: Address = s(&w.json(&admin, &["vault", "show", &org])["vault"])
        .parse()
        .expect("vault");
    // a 6-decimal mint; 5 tokens in the vault's associated token account, and a
    // recipient's token account
    let (issuer, _) = w.wallet("issuer", SOL);
    let mint = Keypair::new();
    let recipient = Keypair::new().pubkey();
    let m = mint.pubkey();
    let vault_tokens = get_associated_token_address(&vault, &m);
    let to = get_associated_token_address(&recipient, &m);
    let i = issuer.pubkey();
    send(
        &issuer,
        &[&mint],
        &[
            create_account(&issuer, &mint, 82, &TOKEN),
            token_ix::initialize_mint2(&TOKEN, &m, &i, None, 6).expect("init mint"),
            create_associated_token_account(&i, &vault, &m, &TOKEN),
            create_associated_token_account(&i, &recipient, &m, &TOKEN),
            token_ix::mint_to(&TOKEN, &m, &vault_tokens, &i, &[], 5_000_000).expect("mint"),
        ],
    );
    let (mint_s, to_s) = (m.to_string(), to.to_string());
    // a wallet where its token account belongs, and more decimals than the mint has
    let withdraw = |amount: &str, dest: &str| {
        w.run(
            &admin,
            &[
                "vault",
                "propose",
                &org,
                "withdraw-token",
                "--mint",
                &mint_s,
                "--amount",
                amount,
                "--to",
                dest,
            ],
        )
    };
    withdraw("1", &recipient.to_string()).refused(2, "is not a token account of");
    withdraw("0.0000001", &to_s).refused(2, "with at most 6 decimal(s)");
    withdraw("lots", &to_s).refused(2, "expected an amount of tokens");
    let p = w.json(
        &admin,
        &[
            "vault",
            "propose",
            &org,
            "withdraw-token",
            "--mint",
            &mint_s,
            "--amount",
            "1.5",
            "--to",
            &to_s,
        ],
    );
    assert_eq!(
        p["action"],
        format!("withdraw 1500000 base units of the token {m} to the token account {to}")
    );
    let index = p["index"].to_string();
    approve_and_execute(&w, &org, &index, [&admin, &second]);
    // at the commitment the CLI waits for (`RpcClient::new` reads finalized state)
    let rpc = RpcClient::new_with_commitment(rpc_url(), CommitmentConfig::confirmed());
    let balance = |a: &Address| {
        rpc.get_token_account_balance(a)
            .expect("token balance")
            .amount
    };
    assert_eq!(balance(&to), "1500000");
    assert_eq!(balance(&vault_tokens), "3500000");
}
