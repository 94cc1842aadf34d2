//! Human output by default, `--output json` for scripts: every command returns both.
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// What a command did: a JSON value and the lines a person reads.
#[derive(Debug)]
pub struct Report {
    pub json: Value,
    pub human: Vec<String>,
}

impl Report {
    pub fn new(json: Value) -> Self {
        Self {
            json,
            human: Vec::new(),
        }
    }
    pub fn line(mut self, line: impl Into<String>) -> Self {
        self.human.push(line.into());
        self
    }
    pub fn print(&self, format: Format) {
        match format {
            Format::Human => {
                for l in &self.human {
                    println!("{l}");
                }
            }
            Format::Json => println!("{}", self.json),
        }
    }
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

#[cfg(test)]
mod tests {
    #[test]
    fn sol_and_time() {
        assert_eq!(super::sol(1_500_000_000), "1.5");
        assert_eq!(super::sol(2_000_000_000), "2");
        assert_eq!(super::sol(1), "0.000000001");
        assert_eq!(super::time(0), "1970-01-01T00:00:00Z");
    }
}
