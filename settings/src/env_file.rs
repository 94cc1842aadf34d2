//! The env file, one rule for every service:
//!
//! * one `KEY=value` per line, split at the first `=`; the key and the value are trimmed;
//! * blank lines and lines starting with `#` (after leading blanks) are skipped;
//! * a value wrapped in matching double quotes (`"..."`) or single quotes (`'...'`)
//!   loses them, and nothing else is unescaped (`KEY="a b"` is `a b`, `KEY="a` is `"a`);
//! * any other line, and a line with an empty key, is refused with its number.
//!
//! Reading the file says nothing of precedence: `Vars` and its callers let the process
//! environment win over the file.
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum EnvFileError {
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("line {line}: expected KEY=value")]
    Line { line: usize },
}

/// The `(key, value)` pairs of an env file's text, in order.
pub fn parse(text: &str) -> Result<Vec<(String, String)>, EnvFileError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (k, v) = line
            .split_once('=')
            .filter(|(k, _)| !k.trim().is_empty())
            .ok_or(EnvFileError::Line { line: n + 1 })?;
        out.push((k.trim().to_string(), unquote(v.trim()).to_string()));
    }
    Ok(out)
}

/// `value` without one pair of matching surrounding quotes, if it has them.
fn unquote(v: &str) -> &str {
    v.strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
        .unwrap_or(v)
}

/// The pairs of the env file at `path`.
pub fn read(path: impl AsRef<Path>) -> Result<Vec<(String, String)>, EnvFileError> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|source| EnvFileError::Read {
        path: path.display().to_string(),
        source,
    })?;
    parse(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        parse(text).expect("parse")
    }

    #[test]
    fn lines_comments_and_quotes() {
        assert_eq!(
            pairs("# a comment\n\n  A = 1 \nB=\"two words\"\nC='3'\nD=x=y\n   # indented\n"),
            vec![
                ("A".to_string(), "1".to_string()),
                ("B".to_string(), "two words".to_string()),
                ("C".to_string(), "3".to_string()),
                ("D".to_string(), "x=y".to_string()),
            ]
        );
    }

    #[test]
    fn only_matching_quotes_are_stripped() {
        for (line, value) in [
            ("K=\"a", "\"a"),
            ("K=a\"", "a\""),
            ("K=\"a'", "\"a'"),
            ("K=\"\"", ""),
            ("K=''", ""),
            ("K=\"", "\""),
            ("K=\"a\"b\"", "a\"b"),
            ("K=", ""),
        ] {
            assert_eq!(
                pairs(line),
                vec![("K".to_string(), value.to_string())],
                "{line}"
            );
        }
    }

    #[test]
    fn a_line_without_a_key_is_refused_with_its_number() {
        for text in ["A=1\nno equals sign", "A=1\n=value"] {
            match parse(text) {
                Err(EnvFileError::Line { line }) => assert_eq!(line, 2, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_missing_file_names_its_path() {
        let e = read("/nonexistent/bitticket.env").expect_err("missing");
        assert!(
            e.to_string().starts_with("/nonexistent/bitticket.env: "),
            "{e}"
        );
    }
}
