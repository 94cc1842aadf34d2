//! Human output by default, `--output json` for scripts: every command's result is one
//! typed value (serde for JSON, `Render` for the lines a person reads), printed by `print`.
use serde::{Serialize, Serializer};
use serde_json::Value;
use solana_address::Address;

use crate::error::CliError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// The lines a person reads of a command's result.
pub trait Render {
    fn human(&self) -> Vec<String>;
}

/// A command's result, whatever its type: JSON and lines.
pub trait Output: Render {
    fn json(&self) -> Result<Value, serde_json::Error>;
}

impl<T: Serialize + Render> Output for T {
    fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::to_value(self)
    }
}

/// Prints `value` as `format` says: its lines, or its JSON on one line.
pub fn print(format: Format, value: &dyn Output) -> Result<(), CliError> {
    match format {
        Format::Human => {
            for l in value.human() {
                println!("{l}");
            }
        }
        Format::Json => {
            let json = value
                .json()
                .map_err(|e| CliError::Invalid(format!("output: {e}")))?;
            println!("{json}");
        }
    }
    Ok(())
}

/// A transaction that landed.
#[derive(Debug, Clone, Serialize)]
pub struct Sent {
    pub signature: String,
    pub explorer: String,
}

/// What a transaction that landed did (`what`), then its signature and explorer link;
/// `note` is a line after them.
#[derive(Debug, Serialize)]
pub struct Landed<T> {
    #[serde(flatten)]
    pub what: T,
    #[serde(flatten)]
    pub sent: Sent,
    #[serde(skip)]
    pub note: Option<String>,
}

impl<T> Landed<T> {
    pub fn new(what: T, sent: Sent) -> Self {
        Self {
            what,
            sent,
            note: None,
        }
    }
}

impl<T: Render> Render for Landed<T> {
    fn human(&self) -> Vec<String> {
        let mut lines = self.what.human();
        lines.push(format!("signature {}", self.sent.signature));
        lines.push(self.sent.explorer.clone());
        lines.extend(self.note.clone());
        lines
    }
}

/// An API's answer as it came (`gate verify`), with its lines.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct Answer {
    pub body: Value,
    #[serde(skip)]
    pub lines: Vec<String>,
}

impl Render for Answer {
    fn human(&self) -> Vec<String> {
        self.lines.clone()
    }
}

/// An address as JSON shows it: base58.
pub fn b58<S: Serializer>(a: &Address, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(a)
}

/// Addresses as JSON shows them: base58 strings.
pub fn b58_all<S: Serializer>(all: &[Address], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(all.iter().map(ToString::to_string))
}

/// Lamports as SOL, without trailing zeros.
pub fn sol(lamports: u64) -> String {
    let s = format!(
        "{}.{:09}",
        lamports / 1_000_000_000,
        lamports % 1_000_000_000
    );
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A unix time as RFC 3339 (UTC).
pub fn time(t: i64) -> String {
    u64::try_from(t)
        .map(|s| {
            humantime::format_rfc3339_seconds(
                std::time::UNIX_EPOCH + std::time::Duration::from_secs(s),
            )
            .to_string()
        })
        .unwrap_or_else(|_| t.to_string())
}

/// Seconds as a person reads a span of time (`1h 59m 58s`); none below zero.
pub fn span(secs: i64) -> String {
    let secs = u64::try_from(secs).unwrap_or(0);
    humantime::format_duration(std::time::Duration::from_secs(secs)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sol_and_time() {
        assert_eq!(super::sol(1_500_000_000), "1.5");
        assert_eq!(super::sol(2_000_000_000), "2");
        assert_eq!(super::sol(1), "0.000000001");
        assert_eq!(super::time(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::span(7_198), "1h 59m 58s");
        assert_eq!(super::span(-5), "0s");
    }

    #[derive(Serialize)]
    struct Done {
        #[serde(serialize_with = "b58")]
        who: Address,
    }
    impl Render for Done {
        fn human(&self) -> Vec<String> {
            vec![format!("done by {}", self.who)]
        }
    }

    #[test]
    fn a_landed_result_carries_its_transaction_in_both_forms() {
        let who = Address::new_unique();
        let sent = Sent {
            signature: "sig".into(),
            explorer: "link".into(),
        };
        let mut landed = Landed::new(Done { who }, sent);
        landed.note = Some("note".into());
        let json = landed.json().unwrap();
        assert_eq!(
            json,
            serde_json::json!({"who": who.to_string(), "signature": "sig", "explorer": "link"})
        );
        assert_eq!(
            landed.human(),
            [
                format!("done by {who}"),
                "signature sig".into(),
                "link".into(),
                "note".into()
            ]
        );
    }
}
