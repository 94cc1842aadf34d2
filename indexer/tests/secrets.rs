//! Secrets stay out of what the indexer prints: `--help` shows neither the database
//! password nor an RPC key, whether they come from the environment or from `--config`.
use std::process::Command;

const SECRET: &str = "s3cr3t-Pa55";

fn help(envs: &[(&str, String)], args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_bitticket-indexer"))
        .args(args)
        .arg("--help")
        .env_remove("DATABASE_URL")
        .env_remove("BITTICKET_RPC_URLS")
        .env_remove("BITTICKET_WS_URLS")
        .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .expect("run bitticket-indexer --help");
    assert!(out.status.success(), "--help failed");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn help_never_prints_a_password_or_an_rpc_key() {
    let db = format!("postgres://indexer:{SECRET}@127.0.0.1:5432/bitticket");
    let rpc = format!("https://rpc.example/?api-key={SECRET}");
    let text = help(
        &[
            ("DATABASE_URL", db.clone()),
            ("BITTICKET_RPC_URLS", rpc.clone()),
            ("BITTICKET_WS_URLS", format!("wss://rpc.example/{SECRET}")),
        ],
        &[],
    );
    assert!(text.contains("DATABASE_URL"), "{text}");
    assert!(!text.contains(SECRET), "{text}");
    // the same from a --config file
    let dir = std::env::temp_dir().join(format!("bt-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("indexer.env");
    std::fs::write(
        &file,
        format!("DATABASE_URL={db}\nBITTICKET_RPC_URLS={rpc}\n"),
    )
    .expect("file");
    let path = file.to_string_lossy().to_string();
    let text = help(&[], &["--config", &path]);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!text.contains(SECRET), "{text}");
}
