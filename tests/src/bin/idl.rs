//! Generates the program's IDL on the host, without the Anchor CLI: anchor-lang-idl's
//! `IdlBuilder` runs the same `cargo test __anchor_private_print_idl --features idl-build`
//! that `anchor idl build` runs, then `complete_idl` adds what Anchor cannot see.
//!
//! `idl` writes idl/bitticket.json; `idl --check` fails if the checked-in file differs.
use std::path::PathBuf;

use anyhow::{bail, Context, Result};

fn main() -> Result<()> {
    let check = std::env::args().any(|a| a == "--check");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut idl = anchor_lang_idl::build::IdlBuilder::new()
        .program_path(root.join("programs/bitticket"))
        .build()
        .context("build the IDL (cargo test __anchor_private_print_idl --features idl-build)")?;
    bitticket_tests::idl::complete_idl(&mut idl)?;
    let json = serde_json::to_string_pretty(&idl)? + "\n";
    let path = root.join("idl/bitticket.json");
    if check {
        let current =
            std::fs::read_to_string(&path).with_context(|| format!("read {}", path.display()))?;
        if current != json {
            bail!(
                "{} is out of date: run `cargo run -p bitticket-tests --bin idl`",
                path.display()
            );
        }
        println!("idl: {} is up to date", path.display());
    } else {
        std::fs::write(&path, json).with_context(|| format!("write {}", path.display()))?;
        println!("idl: wrote {}", path.display());
    }
    Ok(())
}
