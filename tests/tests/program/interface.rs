//! The IDL is an interface: every account type, event, error and constant the program
//! declares is in `idl/bitticket.json`, so a standard client can use all of it. The
//! program's declarations are read from its sources, so a new one cannot be forgotten.
use std::path::{Path, PathBuf};

use anchor_lang::Space;
use anchor_lang_idl::types::{Idl, IdlInstructionAccountItem};
use bitticket_tests::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn idl() -> Idl {
    let text = std::fs::read_to_string(root().join("idl/bitticket.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn sources(dir: &Path) -> Vec<String> {
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(std::fs::read_to_string(path).unwrap());
        }
    }
    out
}

/// Names of the items declared right after `attribute` (skipping other attributes and
/// doc lines), e.g. the structs marked `#[account]`.
fn declared_after(attribute: &str, item: &str) -> Vec<String> {
    let mut names = vec![];
    for src in sources(&root().join("programs/bitticket/src")) {
        let lines: Vec<&str> = src.lines().map(str::trim).collect();
        for (i, line) in lines.iter().enumerate() {
            if *line != attribute {
                continue;
            }
            let decl = lines[i + 1..]
                .iter()
                .find(|l| !l.starts_with("#[") && !l.starts_with("///"))
                .unwrap();
            let rest = decl.strip_prefix(item).unwrap_or_else(|| panic!("{decl}"));
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            names.push(name);
        }
    }
    names.sort();
    names
}

#[test]
fn every_account_type_is_in_the_idl() {
    let idl = idl();
    let accounts = declared_after("#[account]", "pub struct ");
    assert!(accounts.contains(&"BuyerRecord".to_string()));
    for name in &accounts {
        assert!(
            idl.accounts.iter().any(|a| &a.name == name),
            "account {name} is missing from the IDL"
        );
        assert!(idl.types.iter().any(|t| &t.name == name), "type {name}");
    }
    assert_eq!(idl.accounts.len(), accounts.len());
}

#[test]
fn every_event_is_in_the_idl() {
    let idl = idl();
    let events = declared_after("#[event]", "pub struct ");
    for name in &events {
        assert!(
            idl.events.iter().any(|e| &e.name == name),
            "event {name} is missing from the IDL"
        );
    }
    assert_eq!(idl.events.len(), events.len());
}

#[test]
fn every_constant_is_in_the_idl() {
    let idl = idl();
    let constants = declared_after("#[constant]", "pub const ");
    // every pub const of constants.rs and of the role bits is marked
    let src = |f: &str| std::fs::read_to_string(root().join("programs/bitticket/src").join(f));
    let organizer = src("state/organizer.rs").unwrap();
    let roles = organizer
        .split("pub mod permission {")
        .nth(1)
        .and_then(|rest| rest.split("\n}\n").next())
        .unwrap()
        .to_string();
    let all: usize = [src("constants.rs").unwrap(), roles]
        .iter()
        .map(|text| {
            text.lines()
                .filter(|l| l.trim_start().starts_with("pub const "))
                .count()
        })
        .sum();
    assert_eq!(constants.len(), all, "a pub const without #[constant]");
    for name in &constants {
        assert!(
            idl.constants.iter().any(|c| &c.name == name),
            "constant {name} is missing from the IDL"
        );
    }
    let gatekeeper = idl
        .constants
        .iter()
        .find(|c| c.name == "GATEKEEPER")
        .unwrap();
    assert_eq!(gatekeeper.value, permission::GATEKEEPER.to_string());
}

#[test]
fn every_error_is_in_the_idl_with_its_code() {
    let idl = idl();
    let src = std::fs::read_to_string(root().join("programs/bitticket/src/errors.rs")).unwrap();
    let variants: Vec<&str> = src
        .lines()
        .map(str::trim)
        .filter(|l| l.ends_with(',') && !l.starts_with("#[") && !l.starts_with("//"))
        .map(|l| l.trim_end_matches(','))
        .collect();
    assert_eq!(idl.errors.len(), variants.len());
    for (i, (e, name)) in idl.errors.iter().zip(&variants).enumerate() {
        assert_eq!(e.code, 6000 + i as u32);
        assert_eq!(e.name, *name);
        assert!(e.msg.as_deref().is_some_and(|m| !m.is_empty()), "{name}");
    }
    // codes are part of the interface: pinned for a few
    let code = |name: &str| idl.errors.iter().find(|e| e.name == name).unwrap().code;
    assert_eq!(
        code("NotAMember"),
        program_error(BitTicketError::NotAMember)
    );
    assert_eq!(
        code("PriceAboveMaximum"),
        program_error(BitTicketError::PriceAboveMaximum)
    );
}

#[test]
fn every_instruction_is_documented_and_every_pda_has_its_seeds() {
    let idl = idl();
    for ix in &idl.instructions {
        assert!(!ix.docs.is_empty(), "instruction {} has no doc", ix.name);
    }
    let purchase = idl
        .instructions
        .iter()
        .find(|i| i.name == "purchase")
        .unwrap();
    for name in ["buyer_record", "ticket", "buyer_token"] {
        let account = purchase
            .accounts
            .iter()
            .find_map(|a| match a {
                IdlInstructionAccountItem::Single(a) if a.name == name => Some(a),
                _ => None,
            })
            .unwrap();
        assert!(account.pda.is_some(), "purchase.{name} has no seeds");
        assert!(!account.docs.is_empty(), "purchase.{name} has no doc");
    }
    for (ix, account) in [("open_shard", "shard"), ("create_proposal", "proposal")] {
        let i = idl.instructions.iter().find(|i| i.name == ix).unwrap();
        let has_pda = i.accounts.iter().any(|a| {
            matches!(a, IdlInstructionAccountItem::Single(a) if a.name == account && a.pda.is_some())
        });
        assert!(has_pda, "{ix}.{account} has no seeds");
    }
}

/// `BuyerRecord`'s type is written into the IDL by hand (`tests/src/idl.rs`): its fields
/// must add up to the account's size.
#[test]
fn the_idls_buyer_record_has_the_accounts_size() {
    use anchor_lang_idl::types::{IdlDefinedFields, IdlType, IdlTypeDefTy};
    let idl = idl();
    let ty = idl.types.iter().find(|t| t.name == "BuyerRecord").unwrap();
    let IdlTypeDefTy::Struct {
        fields: Some(IdlDefinedFields::Named(fields)),
    } = &ty.ty
    else {
        panic!("BuyerRecord is not a struct with named fields");
    };
    let size: usize = fields
        .iter()
        .map(|f| match f.ty {
            IdlType::Pubkey => 32,
            IdlType::U16 => 2,
            IdlType::U8 => 1,
            // [TierPurchases; MAX_TIERS]: bought u16, phase u8, in_phase u16
            IdlType::Array(_, anchor_lang_idl::types::IdlArrayLen::Value(n)) => n * 5,
            ref other => panic!("unexpected field type {other:?}"),
        })
        .sum();
    assert_eq!(size, BuyerRecord::INIT_SPACE);
}

/// The built program carries a security.txt (solana-security-txt) that explorers show,
/// with SECURITY.md's contact.
#[test]
fn the_program_embeds_its_security_contact() {
    let so = std::fs::read(program_path()).unwrap();
    let text = String::from_utf8_lossy(&so);
    let begin = "=======BEGIN SECURITY.TXT V1=======\0";
    let end = "=======END SECURITY.TXT V1=======\0";
    let start = text.find(begin).expect("no security.txt in the program") + begin.len();
    let body = &text[start..start + text[start..].find(end).expect("unterminated")];
    let fields: Vec<&str> = body.split('\0').collect();
    let field = |name: &str| {
        fields
            .iter()
            .position(|f| *f == name)
            .and_then(|i| fields.get(i + 1))
            .copied()
    };
    assert_eq!(field("name"), Some("BitTicket"));
    assert_eq!(field("contacts"), Some("email:security@bitticket.dev"));
    let policy = std::fs::read_to_string(root().join("SECURITY.md")).unwrap();
    assert!(policy.contains("security@bitticket.dev"));
    assert!(field("policy").is_some_and(|p| p.ends_with("SECURITY.md")));
}

/// The SDK's gate refusals (`clients/ts/src/gate.ts` `REFUSALS`) are the client library's,
/// by name and in order: an app reading the API's `reason` or deciding at its own door
/// uses the same words as the API and the CLI.
#[test]
fn the_sdks_gate_refusals_are_the_client_librarys() {
    use bitticket_client::names::Named;
    let ts = std::fs::read_to_string(root().join("clients/ts/src/gate.ts")).unwrap();
    let list = ts
        .split("export const REFUSALS = [")
        .nth(1)
        .and_then(|rest| rest.split("] as const").next())
        .expect("REFUSALS in gate.ts");
    let sdk: Vec<&str> = list
        .split(',')
        .map(|n| n.trim().trim_matches('\''))
        .filter(|n| !n.is_empty())
        .collect();
    let rust: Vec<&str> = bitticket_client::gate::Refusal::NAMES
        .iter()
        .map(|(_, n)| *n)
        .collect();
    assert_eq!(sdk, rust);
}
