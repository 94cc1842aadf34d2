//! The main job for now: a scripted sale on the real sBPF program in LiteSVM, printed
//! step by step. Later issues grow it (vault withdrawals, indexer, API).
use anyhow::{anyhow, Result};
use bitticket_tests::*;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;

fn step(h: &mut Harness, what: &str, ixs: &[Instruction], signers: &[&Keypair]) -> Result<()> {
    let meta = h
        .send(ixs, signers)
        .map_err(|e| anyhow!("{what}: {:?}\n{}", e.err, e.meta.logs.join("\n")))?;
    println!("ok    {what} ({} CU)", meta.compute_units_consumed);
    Ok(())
}

fn refused(h: &mut Harness, what: &str, ixs: &[Instruction], signers: &[&Keypair]) -> Result<()> {
    match h.send(ixs, signers) {
        Ok(_) => Err(anyhow!("{what}: expected a refusal, but it succeeded")),
        Err(e) => {
            let reason = e
                .meta
                .logs
                .iter()
                .find_map(|l| l.split("Error Message: ").nth(1))
                .unwrap_or("refused by the runtime");
            println!("no    {what}: {reason}");
            Ok(())
        }
    }
}

fn main() -> Result<()> {
    let mut h = Harness::new()?;
    let cfg = config(5, SOL / 2, 2);
    println!("BitTicket scripted sale (program {PROGRAM_ID}, real sBPF in LiteSVM)");
    println!(
        "event: {:?}, {} tickets at {} SOL, 2 shards",
        cfg.name,
        cfg.supply,
        cfg.price_lamports as f64 / SOL as f64
    );
    let treasury = Treasury::new(&mut h, cfg.clone(), 2);
    let s = &treasury.sale;
    println!(
        "ok    organizer {} created, gatekeeper added, event {} with 2 shards opened",
        s.organizer, s.event
    );
    println!(
        "ok    vault {} governed 2-of-3 (the creator and members ben and cleo) with a {} s time-lock, set up by proposals",
        vault_pda(&s.organizer),
        Treasury::TIME_LOCK
    );

    let (alice, bob, carol) = (h.wallet(5 * SOL), h.wallet(5 * SOL), h.wallet(SOL));
    // mint keypairs picked as a client does (ticket_mint), for the cheapest purchase
    let mints: Vec<Keypair> = [&alice, &alice, &bob]
        .iter()
        .map(|buyer| ticket_mint(&buyer.pubkey()))
        .collect();
    refused(
        &mut h,
        "alice buys before the sale starts",
        &[ix_purchase(
            &alice.pubkey(),
            &s.event,
            0,
            &mints[0].pubkey(),
        )],
        &[&alice, &mints[0]],
    )?;
    h.set_time(cfg.sale_start);
    println!("clock -> sale start");
    step(
        &mut h,
        "alice buys through shard 0",
        &[ix_purchase(
            &alice.pubkey(),
            &s.event,
            0,
            &mints[0].pubkey(),
        )],
        &[&alice, &mints[0]],
    )?;
    step(
        &mut h,
        "alice buys through shard 1",
        &[ix_purchase(
            &alice.pubkey(),
            &s.event,
            1,
            &mints[1].pubkey(),
        )],
        &[&alice, &mints[1]],
    )?;
    refused(
        &mut h,
        "alice buys a third",
        &[ix_purchase(
            &alice.pubkey(),
            &s.event,
            0,
            &mints[2].pubkey(),
        )],
        &[&alice, &mints[2]],
    )?;
    step(
        &mut h,
        "bob buys through shard 1",
        &[ix_purchase(&bob.pubkey(), &s.event, 1, &mints[2].pubkey())],
        &[&bob, &mints[2]],
    )?;
    refused(
        &mut h,
        "alice resells to carol before the resale unlock",
        &[ix_transfer_ticket(
            &alice.pubkey(),
            &carol.pubkey(),
            &s.event,
            &mints[0].pubkey(),
        )],
        &[&alice],
    )?;
    h.set_time(cfg.resale_unlock);
    println!("clock -> resale unlock");
    step(
        &mut h,
        "alice transfers a ticket to carol",
        &[ix_transfer_ticket(
            &alice.pubkey(),
            &carol.pubkey(),
            &s.event,
            &mints[0].pubkey(),
        )],
        &[&alice],
    )?;
    h.set_time(cfg.check_in_start);
    println!("clock -> check-in opens");
    let gk = s.gatekeeper.pubkey();
    let ixs = check_in_ixs(&h, &gk, &alice, &s.organizer, &s.event, &mints[0].pubkey());
    refused(
        &mut h,
        "alice enters with the ticket she gave away",
        &ixs,
        &[&s.gatekeeper],
    )?;
    let ixs = check_in_ixs(&h, &gk, &carol, &s.organizer, &s.event, &mints[0].pubkey());
    step(&mut h, "carol checks in", &ixs, &[&s.gatekeeper])?;
    let ixs = check_in_ixs(&h, &gk, &carol, &s.organizer, &s.event, &mints[0].pubkey());
    refused(&mut h, "carol checks in again", &ixs, &[&s.gatekeeper])?;
    let ixs = check_in_ixs(&h, &gk, &bob, &s.organizer, &s.event, &mints[2].pubkey());
    step(&mut h, "bob checks in", &ixs, &[&s.gatekeeper])?;

    println!("state:");
    let mut proceeds = 0;
    for (i, key) in s.shards().iter().enumerate() {
        let sh: Shard = h.account(key)?;
        proceeds += sh.revenue - sh.refunded;
        println!(
            "  shard {i}: sold {}, revenue {} lamports, vault holds {} lamports",
            sh.sold,
            sh.revenue,
            h.lamports(key)
        );
    }
    for (name, m) in [
        ("ticket #0", &mints[0]),
        ("ticket #1", &mints[1]),
        ("ticket #2", &mints[2]),
    ] {
        let t: Ticket = h.account(&ticket_pda(&m.pubkey()))?;
        println!(
            "  {name}: serial {}, holder {}, {:?}",
            t.serial, t.holder, t.state
        );
    }
    println!("proceeds held in the event's shard vaults: {proceeds} lamports");

    // after the event: proceeds move to the organizer's vault, then out through 2-of-3
    h.set_time(cfg.check_in_end);
    println!("clock -> check-in closes; the event is over");
    let org = s.organizer;
    for shard in 0..2 {
        step(
            &mut h,
            &format!("anyone sweeps shard {shard} into the organizer vault"),
            &[ix_sweep_shard(&org, &s.event, shard)],
            &[&carol],
        )?;
    }
    let payout = Keypair::new().pubkey();
    let held = h.vault_funds(&org);
    println!(
        "vault holds {held} lamports above its rent reserve of {}",
        h.vault_reserve()
    );
    let (bob_m, carol_m) = (&treasury.bob, &treasury.carol);
    let i = h.next_proposal(&org);
    let action = ProposalAction::WithdrawSol {
        destination: payout,
        amount: held,
    };
    step(
        &mut h,
        &format!("member ben proposes withdrawing {held} lamports to the payout wallet"),
        &[ix_create_proposal(&org, &bob_m.pubkey(), i, action)],
        &[bob_m],
    )?;
    step(
        &mut h,
        "member ben approves (1 of 2)",
        &[ix_vote(&org, i, &bob_m.pubkey(), Vote::Approve)],
        &[bob_m],
    )?;
    refused(
        &mut h,
        "member ben executes with one approval",
        &[ix_execute(&org, i, &bob_m.pubkey(), Outflow::sol(payout))],
        &[bob_m],
    )?;
    step(
        &mut h,
        "member cleo approves (2 of 2)",
        &[ix_vote(&org, i, &carol_m.pubkey(), Vote::Approve)],
        &[carol_m],
    )?;
    refused(
        &mut h,
        "member ben executes before the time-lock",
        &[ix_execute(&org, i, &bob_m.pubkey(), Outflow::sol(payout))],
        &[bob_m],
    )?;
    let now = h.now();
    h.set_time(now + i64::from(Treasury::TIME_LOCK));
    println!("clock -> time-lock elapsed");
    step(
        &mut h,
        "member ben executes the withdrawal",
        &[ix_execute(&org, i, &bob_m.pubkey(), Outflow::sol(payout))],
        &[bob_m],
    )?;
    refused(
        &mut h,
        "member ben executes it again",
        &[ix_execute(&org, i, &bob_m.pubkey(), Outflow::sol(payout))],
        &[bob_m],
    )?;
    println!(
        "payout wallet received {} lamports; vault now holds {} above its reserve",
        h.lamports(&payout),
        h.vault_funds(&org)
    );
    Ok(())
}
