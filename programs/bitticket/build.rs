//! The program's id: this repository's, or the address in `BITTICKET_PROGRAM_ID` when it is
//! set at build time, for deploying your own copy (devnet, a fork) under a program keypair
//! of your own. Everything built with the same variable agrees on it: the sBPF program
//! (`scripts/build-program.sh`), the client library's PDAs, the CLI, the API, the indexer's
//! default, and the IDL the SDK is generated from.
use std::{env, fs, path::Path};

/// This repository's program id (`Anchor.toml`).
const DEFAULT: &str = "2hWCu8my7AeBkGsJ4yeFvFCxod5GDKueM3yS53YrC5rJ";

fn main() {
    println!("cargo:rerun-if-env-changed=BITTICKET_PROGRAM_ID");
    let id = env::var("BITTICKET_PROGRAM_ID")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| DEFAULT.to_string());
    let id = id.trim();
    let base58 = |c: char| c.is_ascii_alphanumeric() && !matches!(c, '0' | 'O' | 'I' | 'l');
    if !(32..=44).contains(&id.len()) || !id.chars().all(base58) {
        panic!(
            "BITTICKET_PROGRAM_ID={id:?} is not a base58 address (a program keypair's public key)"
        );
    }
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("program_id.rs");
    fs::write(out, format!("declare_id!(\"{id}\");\n")).expect("write program_id.rs");
}
