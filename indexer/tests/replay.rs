//! Real transactions, captured once from the validator (`cargo run -p bitticket-testkit
//! --bin capture`, into tests/fixtures/), replayed through the source's parsing and the
//! decoder without a node: every one decodes cleanly, and the events of the scripted sale
//! are exactly what the script did.
use std::collections::HashMap;

use bitticket_indexer::decode::{decode_transaction, Tenant};
use bitticket_indexer::source::transaction_from_json;
use bitticket_testkit::chain::Expected;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Captured {
    signature: String,
    answer: Value,
}

#[derive(Deserialize)]
struct Fixture {
    expected: Expected,
    transactions: Vec<Captured>,
}

fn fixture() -> Fixture {
    let text = include_str!("fixtures/scripted_sale.json");
    serde_json::from_str(text).expect("fixtures/scripted_sale.json")
}

#[test]
fn captured_transactions_decode_to_what_the_scripted_sale_did() {
    let f = fixture();
    let x = &f.expected;
    assert!(!f.transactions.is_empty());
    let mut kinds: HashMap<&'static str, i64> = HashMap::new();
    for c in &f.transactions {
        let raw = transaction_from_json(&c.signature, c.answer.clone()).expect("parses");
        assert_eq!(raw.signature, c.signature);
        let tx = decode_transaction(raw, &bitticket::ID);
        assert!(tx.problems.is_empty(), "{}: {:?}", c.signature, tx.problems);
        if !tx.success {
            continue;
        }
        assert!(tx.invoked, "{}: the program did not run", c.signature);
        for (_, e) in &tx.events {
            let ours = match e.tenant() {
                Tenant::Organizer(o) => o == x.organizer,
                Tenant::Event(ev) => x.events.contains(&ev),
            };
            if ours {
                *kinds.entry(e.name()).or_default() += 1;
            }
        }
    }
    let got = |k: &str| kinds.get(k).copied().unwrap_or(0);
    assert_eq!(got("TicketPurchased"), x.purchases);
    assert_eq!(got("TicketTransferred"), x.transfers);
    assert_eq!(got("TicketCheckedIn"), x.check_ins);
    assert_eq!(got("TicketRefunded"), x.refunds);
    assert_eq!(got("ShardSwept"), x.sweeps);
    assert_eq!(got("SpendingLimitUsed"), x.limit_uses);
    assert_eq!(got("TicketListed"), x.listed);
    assert_eq!(got("ListingSold"), x.resold);
    assert_eq!(got("TicketDelisted"), x.delisted);
    assert_eq!(got("TicketBurned"), x.burned);
    assert_eq!(got("BuyerRecordClosed"), x.records_closed);
    assert_eq!(got("ShardClosed"), x.shards_closed);
    assert_eq!(got("ProposalExecuted"), x.executions);
    assert_eq!(got("OrganizerCreated"), 1);
    assert_eq!(got("EventConfigured"), 2);
    assert_eq!(got("EventCancelled"), 1);
}

#[test]
fn a_captured_answer_with_a_bad_key_or_shape_is_refused_with_its_signature() {
    let f = fixture();
    let c = &f.transactions[0];
    let mut bad = c.answer.clone();
    bad["transaction"]["message"]["accountKeys"][0] = Value::from("not-base58!");
    let e = transaction_from_json(&c.signature, bad).expect_err("bad key");
    assert!(e.to_string().contains("not-base58!"), "{e}");
    let e = transaction_from_json(&c.signature, Value::from(42)).expect_err("bad shape");
    assert!(e.to_string().contains(&c.signature), "{e}");
}
