//! What can go wrong, said the way a user can act on it. A program error is shown by its
//! name and message (from Anchor's log line, else from the IDL), never as a number alone.
use std::sync::OnceLock;

use solana_instruction_error::InstructionError;
use solana_rpc_client_api::client_error::{Error as ClientError, ErrorKind, TransactionError};
use solana_rpc_client_api::request::{RpcError, RpcResponseErrorData};

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("cannot read the keypair file {path}: {reason} (create one with `solana-keygen new`, or pass --keypair)")]
    Keypair { path: String, reason: String },
    #[error("config file {path}: {reason}")]
    Config { path: String, reason: String },
    #[error("{0}")]
    Invalid(String),
    #[error("{kind} {address} does not exist on this cluster")]
    NotFound { kind: &'static str, address: String },
    #[error("{name}: {message}")]
    Program {
        name: String,
        code: u32,
        message: String,
    },
    #[error("sold out: all {supply} tickets of event {event} are sold")]
    SoldOut { event: String, supply: u32 },
    #[error("the transaction was refused: {0}")]
    Refused(String),
    #[error("RPC: {0}")]
    Rpc(String),
    #[error("not admitted: {0}")]
    NotAdmitted(String),
    #[error("API: {0}")]
    Api(String),
}

impl CliError {
    /// The process exit code: 2 for what the user typed or configured, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Self::Keypair { .. } | Self::Config { .. } | Self::Invalid(_) => 2,
            _ => 1,
        }
    }

    /// A machine-readable name for `--output json`.
    pub fn kind(&self) -> &str {
        match self {
            Self::Keypair { .. } => "keypair",
            Self::Config { .. } => "config",
            Self::Invalid(_) => "invalid",
            Self::NotFound { .. } => "not_found",
            Self::Program { name, .. } => name,
            Self::SoldOut { .. } => "SoldOut",
            Self::Refused(_) => "refused",
            Self::Rpc(_) => "rpc",
            Self::NotAdmitted(_) => "not_admitted",
            Self::Api(_) => "api",
        }
    }
}

/// `(code, name, message)` of every error the program declares, from its IDL.
fn idl_errors() -> &'static [(u32, String, String)] {
    static ERRORS: OnceLock<Vec<(u32, String, String)>> = OnceLock::new();
    ERRORS.get_or_init(|| {
        let idl: serde_json::Value =
            serde_json::from_str(include_str!("../../idl/bitticket.json")).unwrap_or_default();
        idl["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| {
                        Some((
                            u32::try_from(e["code"].as_u64()?).ok()?,
                            e["name"].as_str()?.to_string(),
                            e["msg"].as_str().unwrap_or_default().to_string(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// Anchor's `... Error Code: Name. Error Number: 6003. Error Message: text.` log line.
fn from_logs(logs: &[String]) -> Option<CliError> {
    logs.iter().find_map(|line| {
        let rest = line.split("Error Code: ").nth(1)?;
        let (name, rest) = rest.split_once(". Error Number: ")?;
        let (code, message) = rest.split_once(". Error Message: ")?;
        Some(CliError::Program {
            name: name.to_string(),
            code: code.parse().ok()?,
            message: message.trim_end_matches('.').to_string(),
        })
    })
}

fn from_code(code: u32) -> CliError {
    match idl_errors().iter().find(|(c, _, _)| *c == code) {
        Some((code, name, msg)) => CliError::Program {
            name: name.clone(),
            code: *code,
            message: msg.clone(),
        },
        None => CliError::Refused(format!("custom program error {code}")),
    }
}

impl From<ClientError> for CliError {
    fn from(e: ClientError) -> Self {
        if let ErrorKind::RpcError(RpcError::RpcResponseError {
            data: RpcResponseErrorData::SendTransactionPreflightFailure(sim),
            ..
        }) = e.kind()
        {
            if let Some(err) = sim.logs.as_deref().and_then(from_logs) {
                return err;
            }
        }
        match e.get_transaction_error() {
            Some(TransactionError::InstructionError(_, InstructionError::Custom(code))) => {
                from_code(code)
            }
            Some(other) => CliError::Refused(other.to_string()),
            None => CliError::Rpc(e.to_string()),
        }
    }
}

impl From<bitticket_client::rpc::RpcSendError> for CliError {
    fn from(e: bitticket_client::rpc::RpcSendError) -> Self {
        use bitticket_client::rpc::RpcSendError as E;
        match e {
            E::Client(e) => e.into(),
            E::NotFound(address) | E::WrongOwner { address, .. } => CliError::NotFound {
                kind: "account",
                address: address.to_string(),
            },
            E::NoSigner => CliError::Invalid(e.to_string()),
            E::Decode(address, why) => CliError::Rpc(format!("{address}: {why}")),
            E::BadAnswer(why) => CliError::Rpc(why),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_log_lines_and_idl_codes_give_names() {
        let logs = vec![
            "Program 2hWC invoke [1]".to_string(),
            "Program log: AnchorError occurred. Error Code: ShardSoldOut. Error Number: 6023. Error Message: This shard has sold its share of the supply.".to_string(),
        ];
        match from_logs(&logs) {
            Some(CliError::Program {
                name,
                code,
                message,
            }) => {
                assert_eq!((name.as_str(), code), ("ShardSoldOut", 6023));
                assert_eq!(message, "This shard has sold its share of the supply");
            }
            other => panic!("{other:?}"),
        }
        // every code of the IDL has its name; an unknown one says it is unknown
        assert!(idl_errors().len() >= 50);
        for (code, name, _) in idl_errors() {
            assert!(matches!(from_code(*code), CliError::Program { name: n, .. } if n == *name));
        }
        assert!(matches!(from_code(1), CliError::Refused(_)));
    }
}
