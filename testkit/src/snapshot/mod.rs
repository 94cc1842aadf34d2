//! JSON snapshots: an answer, its per-run values redacted (`Redactor`), compared with a
//! checked-in file of pretty JSON; `BITTICKET_BLESS=1` rewrites the file instead, and a
//! mismatch is told as a line diff of the two.
mod diff;
mod redact;

use std::path::Path;

pub use diff::line_diff;
pub use redact::{Order, Redactor};

/// The variable that rewrites snapshots (as it rewrites the API's openapi.json).
pub const BLESS: &str = "BITTICKET_BLESS";

/// `value` as a snapshot file holds it: pretty JSON and a final newline.
pub fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{e}"));
    text.push('\n');
    text
}

/// Compares `value` with `dir/{name}.json` (equal as JSON values, so a map's key order
/// does not matter), or writes the file when `BITTICKET_BLESS` is set. The error says
/// what differs, as a line diff, and how to bless.
pub fn check(dir: &Path, name: &str, value: &serde_json::Value) -> Result<(), String> {
    let path = dir.join(format!("{name}.json"));
    let actual = pretty(value);
    if std::env::var_os(BLESS).is_some() {
        std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(&path, &actual))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        return Ok(());
    }
    let bless = format!("{BLESS}=1 rewrites it");
    let expected = std::fs::read_to_string(&path)
        .map_err(|e| format!("{name}: no snapshot at {} ({e}); {bless}", path.display()))?;
    let checked_in: serde_json::Value = serde_json::from_str(&expected)
        .map_err(|e| format!("{name}: {} is not JSON ({e}); {bless}", path.display()))?;
    if checked_in == *value {
        return Ok(());
    }
    Err(format!(
        "{name}: the answer differs from {} (- snapshot, + answer; {bless}):\n{}",
        path.display(),
        line_diff(&pretty(&checked_in), &actual)
    ))
}
