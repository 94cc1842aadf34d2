//! The indexer handles exactly the events and accounts the program declares: a new kind
//! in the program (and so in the IDL) fails this test until the decoder and the sink,
//! which match on the kinds exhaustively, handle it.
use bitticket_indexer::decode::{ProgramAccount, ProgramEvent};

fn idl_names(list: &str) -> Vec<String> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../idl/bitticket.json"
    ))
    .expect("read the IDL");
    let idl: serde_json::Value = serde_json::from_str(&text).expect("parse the IDL");
    let mut names: Vec<String> = idl[list]
        .as_array()
        .expect("a list in the IDL")
        .iter()
        .map(|e| e["name"].as_str().expect("a name").to_string())
        .collect();
    names.sort();
    names
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

#[test]
fn every_event_of_the_idl_is_decoded() {
    assert_eq!(sorted(ProgramEvent::NAMES), idl_names("events"));
}

#[test]
fn every_account_of_the_idl_is_decoded() {
    assert_eq!(sorted(ProgramAccount::NAMES), idl_names("accounts"));
}
