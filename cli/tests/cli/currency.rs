//! A tier priced in a USDC-like mint from the command line: prices typed and shown in the
//! mint's decimals, the purchase paid from the buyer's account in the mint into the shard's
//! till (which `event tier` opens), and the refusals a buyer meets.
use bitticket_client::{
    ix_mint_currency, ix_open_currency_account, ixs_create_currency, shard_pda, TokenCurrency,
    MINT_LEN, TOKEN,
};
use solana_instruction::Instruction;
use solana_transaction::Transaction;

use crate::*;

fn send(rpc: &RpcClient, ixs: &[Instruction], signers: &[&Keypair]) {
    let blockhash = rpc.get_latest_blockhash().expect("blockhash");
    let tx =
        Transaction::new_signed_with_payer(ixs, Some(&signers[0].pubkey()), signers, blockhash);
    rpc.send_and_confirm_transaction(&tx)
        .expect("the transaction lands");
}

/// A 6-decimal mint of SPL Token whose authority is `issuer`.
fn usdc(rpc: &RpcClient, issuer: &Keypair) -> TokenCurrency {
    let mint = Keypair::new();
    let c = TokenCurrency {
        mint: mint.pubkey(),
        program: TOKEN,
    };
    let rent = rpc
        .get_minimum_balance_for_rent_exemption(MINT_LEN as usize)
        .expect("rent");
    let ixs = ixs_create_currency(&issuer.pubkey(), &c, 6, &issuer.pubkey(), rent).expect("ixs");
    send(rpc, &ixs, &[issuer, &mint]);
    c
}

fn balance(rpc: &RpcClient, c: &TokenCurrency, owner: &Keypair) -> String {
    rpc.get_token_account_balance(&c.account(&owner.pubkey()))
        .expect("a token account")
        .amount
}

/// Seconds from the event's creation to its sale: the tier must be added before, and on a
/// loaded 2-core machine the commands in between took over 20 s once.
const SALE_START: i64 = 40;

#[test]
fn a_tier_priced_in_a_usdc_like_mint_is_bought_in_it() {
    let w = World::new("currency");
    let rpc = RpcClient::new_with_commitment(
        rpc_url(),
        solana_commitment_config::CommitmentConfig::confirmed(),
    );
    let (issuer, org_key) = w.wallet("organizer", 10 * SOL);
    let org = s(&w.json(&org_key, &["organizer", "create", "--name", "Stable"])["organizer"]);
    let c = usdc(&rpc, &issuer);
    let (fan, fan_path) = w.wallet("fan", SOL);
    let (_, broke_path) = w.wallet("no-usdc", SOL);
    send(
        &rpc,
        &[
            ix_open_currency_account(&issuer.pubkey(), &fan.pubkey(), &c),
            ix_mint_currency(&c, &fan.pubkey(), &issuer.pubkey(), 100_000_000).expect("mint to"),
        ],
        &[&issuer],
    );
    let t0 = chain_now();
    let at = |secs: i64| (t0 + secs).to_string();
    let event = s(&w.json(
        &org_key,
        &[
            "event",
            "create",
            &org,
            "--name",
            "Stable night",
            "--price",
            "0.1",
            "--supply",
            "2",
            "--sale-start",
            &at(SALE_START),
            "--sale-end",
            &at(3_600),
        ],
    )["event"]);
    let mint = c.mint.to_string();
    // more decimal places than the mint has: refused before anything is sent
    w.run(
        &org_key,
        &[
            "event",
            "tier",
            &event,
            "--name",
            "VIP",
            "--supply",
            "2",
            "--currency",
            &mint,
            "--phase",
            &format!("{},{},0.0000001", at(SALE_START), at(3_600)),
        ],
    )
    .refused(2, "at most 6 decimal places");
    let created = w.json(
        &org_key,
        &[
            "event",
            "tier",
            &event,
            "--name",
            "VIP",
            "--supply",
            "2",
            "--currency",
            &mint,
            "--phase",
            &format!("{},{},25", at(SALE_START), at(3_600)),
        ],
    );
    assert_eq!(
        (
            &created["currency"],
            &created["decimals"],
            &created["phases"][0]["price"]
        ),
        (
            &serde_json::json!(mint),
            &serde_json::json!(6),
            &serde_json::json!(25_000_000u64)
        ),
        "{created}"
    );
    // the shard's till is open, empty
    let till = c.account(&shard_pda(&event.parse().expect("address"), 1));
    assert_eq!(
        rpc.get_token_account_balance(&till).expect("till").amount,
        "0"
    );

    wait_for_chain_time(t0 + SALE_START);
    w.run(
        &fan_path,
        &[
            "ticket",
            "buy",
            &event,
            "--tier",
            "0",
            "--max-price",
            "24.99",
        ],
    )
    .refused(1, "PriceAboveMaximum");
    w.run(&broke_path, &["ticket", "buy", &event, "--tier", "0"])
        .refused(1, "no account in");
    let bought = w.json(
        &fan_path,
        &["ticket", "buy", &event, "--tier", "0", "--max-price", "25"],
    );
    assert_eq!(
        (&bought["price"], &bought["currency"]),
        (&serde_json::json!(25_000_000u64), &serde_json::json!(mint)),
        "{bought}"
    );
    assert_eq!(balance(&rpc, &c, &fan), "75000000");
    assert_eq!(
        rpc.get_token_account_balance(&till).expect("till").amount,
        "25000000"
    );
    let human = w
        .run(&fan_path, &["ticket", "buy", &event, "--tier", "0"])
        .ok();
    assert!(
        human.stdout.contains(&format!("25 {mint}")),
        "{}",
        human.stdout
    );
}
