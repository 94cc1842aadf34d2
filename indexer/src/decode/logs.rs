//! Which `Program data:` lines our program logged. The runtime prints an invoke stack:
//! `Program <id> invoke [depth]` ... `Program <id> success|failed: ...`; a data line
//! belongs to the program on top of that stack. Another program (ours called it, or it
//! runs beside ours in the same transaction) can log the very same bytes: only lines whose
//! top of stack is our program count.
use base64::Engine;
use solana_address::Address;

/// What the logs of one transaction hold for our program.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ProgramLogs {
    /// `Program data:` payloads logged by our program, in order.
    pub data: Vec<Vec<u8>>,
    /// The runtime cut the logs short (`Log truncated`): events may be missing, so the
    /// transaction's accounts must be re-read.
    pub truncated: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LogError {
    #[error("log line {line}: `{text}` closes a program that is not on top of the invoke stack")]
    Unbalanced { line: usize, text: String },
    #[error("log line {line}: `Program data:` from our program is not one base64 field")]
    BadData { line: usize },
}

/// Collects our program's data lines from `logs`.
pub fn program_data(logs: &[String], program: &Address) -> Result<ProgramLogs, LogError> {
    let ours = program.to_string();
    let mut stack: Vec<&str> = Vec::new();
    let mut out = ProgramLogs::default();
    for (line, text) in logs.iter().enumerate() {
        if text == "Log truncated" {
            out.truncated = true;
            continue;
        }
        if let Some(data) = text.strip_prefix("Program data: ") {
            if stack.last() != Some(&ours.as_str()) {
                continue;
            }
            let mut fields = data.split(' ');
            let payload = match (fields.next(), fields.next()) {
                (Some(field), None) => base64::engine::general_purpose::STANDARD
                    .decode(field)
                    .map_err(|_| LogError::BadData { line })?,
                _ => return Err(LogError::BadData { line }),
            };
            out.data.push(payload);
            continue;
        }
        let Some(rest) = text.strip_prefix("Program ") else {
            continue;
        };
        let Some((id, what)) = rest.split_once(' ') else {
            continue;
        };
        if what.starts_with("invoke [") {
            stack.push(id);
        } else if what == "success" || what.starts_with("failed") {
            if stack.last() != Some(&id) {
                return Err(LogError::Unbalanced {
                    line,
                    text: text.clone(),
                });
            }
            stack.pop();
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    const OTHER: &str = "Forged1111111111111111111111111111111111111";

    #[test]
    fn only_our_programs_own_lines_count() {
        let ours = bitticket::ID;
        let logs = lines(&[
            &format!("Program {OTHER} invoke [1]"),
            "Program data: AAAA",
            &format!("Program {ours} invoke [2]"),
            "Program data: AQID",
            "Program 11111111111111111111111111111111 invoke [3]",
            "Program data: BAUG",
            "Program 11111111111111111111111111111111 success",
            "Program data: BwgJ",
            &format!("Program {ours} consumed 100 of 200 compute units"),
            &format!("Program {ours} success"),
            "Program data: CgsM",
            &format!("Program {OTHER} success"),
            &format!("Program {ours} invoke [1]"),
            "Program log: hello",
            "Program data: DQ4P",
            &format!("Program {ours} success"),
        ]);
        let got = program_data(&logs, &ours).unwrap();
        assert_eq!(
            got.data,
            vec![vec![1, 2, 3], vec![7, 8, 9], vec![13, 14, 15]]
        );
        assert!(!got.truncated);
    }

    #[test]
    fn truncation_is_flagged_and_bad_data_refused() {
        let ours = bitticket::ID;
        let logs = lines(&[&format!("Program {ours} invoke [1]"), "Log truncated"]);
        assert!(program_data(&logs, &ours).unwrap().truncated);
        let bad = lines(&[&format!("Program {ours} invoke [1]"), "Program data: !!!"]);
        assert_eq!(
            program_data(&bad, &ours),
            Err(LogError::BadData { line: 1 })
        );
        let two = lines(&[
            &format!("Program {ours} invoke [1]"),
            "Program data: AQID AQID",
        ]);
        assert!(program_data(&two, &ours).is_err());
        let unbalanced = lines(&[
            &format!("Program {ours} invoke [1]"),
            &format!("Program {OTHER} success"),
        ]);
        assert!(matches!(
            program_data(&unbalanced, &ours),
            Err(LogError::Unbalanced { line: 1, .. })
        ));
    }
}
