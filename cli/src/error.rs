//! What can go wrong, said the way a user can act on it. A program error is shown by its
//! name and message (from Anchor's log line, else from the IDL), never as a number alone,
//! with what the command knows added (`explain`: the sale's start, the wallet limit, the
//! time-lock left, the role needed). A node that cannot be reached and a wallet without
//! SOL are named as such, not as the transport's or the runtime's words.
use std::sync::OnceLock;

use bitticket_client::rpc::RpcSendError;
use solana_instruction_error::InstructionError;
use solana_rpc_client_api::client_error::{Error as ClientError, ErrorKind, TransactionError};
use solana_rpc_client_api::request::{RpcError, RpcResponseErrorData};

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("cannot read the keypair file {path}: {reason} (create one with `bitticket keygen`, or pass --keypair)")]
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
    #[error("cannot reach the cluster at {url}: {reason} (is a validator running there? choose the cluster with --url: localhost, devnet, testnet, mainnet-beta or a URL)")]
    Unreachable { url: String, reason: String },
    /// The fee payer has no account (no lamports), or too few for what it pays.
    #[error("wallet {wallet} has {has} on {cluster}{enough}: {fund}")]
    Unfunded {
        wallet: String,
        /// `no SOL`, `only 0.01 SOL`
        has: String,
        cluster: String,
        /// Empty, or why some SOL is not enough.
        enough: &'static str,
        fund: String,
    },
    #[error("{cluster} refused the airdrop: {why}")]
    AirdropRefused { cluster: String, why: String },
    #[error(
        "proposal {index} of {organizer} was already executed at {at}: there is nothing left to do"
    )]
    AlreadyExecuted {
        organizer: String,
        index: u64,
        at: String,
    },
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
            Self::Unreachable { .. } => "unreachable",
            Self::Unfunded { .. } => "unfunded",
            Self::AlreadyExecuted { .. } => "already_executed",
            Self::AirdropRefused { .. } => "airdrop_refused",
        }
    }

    /// The program error's name, if the program refused.
    pub fn program_error(&self) -> Option<&str> {
        match self {
            Self::Program { name, .. } => Some(name),
            _ => None,
        }
    }

    /// Whether this is the program's error `name`.
    pub fn is(&self, name: &str) -> bool {
        self.program_error() == Some(name)
    }

    /// The program error `name` with what the command knows added to its message
    /// (`SaleNotStarted: The sale has not started (it starts at ..., in 4m)`); any other
    /// error as it is.
    pub fn explain(self, name: &str, detail: impl FnOnce() -> String) -> Self {
        match self {
            Self::Program {
                name: n,
                code,
                message,
            } if n == name => Self::Program {
                message: format!("{message} ({})", detail()),
                name: n,
                code,
            },
            other => other,
        }
    }

    /// `MissingPermission` with the role the command needs.
    pub fn needs_role(self, role: &str) -> Self {
        self.explain("MissingPermission", || {
            format!("this needs the {role} role: `bitticket organizer show ORG` lists each member's roles")
        })
    }
}

/// Whether the cluster refused a transaction because its fee payer has too little SOL: no
/// account at all (`AccountNotFound`, "Attempt to debit an account but found no record of
/// a prior credit"), too few lamports for the fee or for its rent, or a transfer it could
/// not afford (the system program's "Transfer: insufficient lamports").
pub fn payer_short_of_sol(e: &RpcSendError) -> bool {
    let RpcSendError::Client(e) = e else {
        return false;
    };
    if let ErrorKind::RpcError(RpcError::RpcResponseError {
        data: RpcResponseErrorData::SendTransactionPreflightFailure(sim),
        ..
    }) = e.kind()
    {
        let logs = sim.logs.as_deref().unwrap_or_default();
        if logs
            .iter()
            .any(|l| l.contains("Transfer: insufficient lamports"))
        {
            return true;
        }
    }
    matches!(
        e.get_transaction_error(),
        Some(
            TransactionError::AccountNotFound
                | TransactionError::InsufficientFundsForFee
                | TransactionError::InsufficientFundsForRent { account_index: 0 }
        )
    )
}

/// The innermost cause of `e` (`Connection refused (os error 111)` rather than `error
/// sending request for url`).
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// A transport failure said as such: a node that cannot be reached, or a URL that answers
/// but is no Solana RPC node.
fn transport(e: &ClientError) -> Option<CliError> {
    let ErrorKind::Reqwest(r) = e.kind() else {
        return None;
    };
    let url = r
        .url()
        .map(|u| bitticket_client::redact_url(u.as_str()))
        .unwrap_or_else(|| "the configured URL".into());
    if r.is_connect() || r.is_timeout() || r.is_request() {
        return Some(CliError::Unreachable {
            url,
            reason: root_cause(r),
        });
    }
    if let Some(status) = r.status() {
        return Some(CliError::Rpc(format!(
            "the node at {url} answered HTTP {status}: is it a Solana RPC URL? (choose the cluster with --url)"
        )));
    }
    if r.is_decode() {
        return Some(CliError::Rpc(format!(
            "the node at {url} did not answer JSON-RPC: is it a Solana RPC URL? (choose the cluster with --url)"
        )));
    }
    None
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
        if let Some(err) = transport(&e) {
            return err;
        }
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

    #[test]
    fn what_the_command_knows_is_added_to_its_program_error_only() {
        let named = |name: &str| {
            from_code(
                idl_errors()
                    .iter()
                    .find(|(_, n, _)| n == name)
                    .map(|(c, _, _)| *c)
                    .unwrap_or_default(),
            )
        };
        let e = named("MissingPermission").needs_role("gatekeeper");
        assert_eq!(e.kind(), "MissingPermission");
        assert!(e
            .to_string()
            .starts_with("MissingPermission: The signer lacks the permission this action needs (this needs the gatekeeper role"));
        let e = named("SaleEnded").explain("SaleNotStarted", || "never".into());
        assert_eq!(e.to_string(), "SaleEnded: The sale has ended");
        let e = CliError::Invalid("x".into()).needs_role("admin");
        assert_eq!(e.to_string(), "x");
    }

    #[test]
    fn a_payer_without_sol_is_told_apart_from_other_refusals() {
        let refused = |e: TransactionError| {
            RpcSendError::Client(ClientError::from(ErrorKind::TransactionError(e)))
        };
        assert!(payer_short_of_sol(&refused(
            TransactionError::AccountNotFound
        )));
        assert!(payer_short_of_sol(&refused(
            TransactionError::InsufficientFundsForFee
        )));
        assert!(!payer_short_of_sol(&refused(
            TransactionError::InsufficientFundsForRent { account_index: 2 }
        )));
        assert!(!payer_short_of_sol(&refused(
            TransactionError::InstructionError(0, InstructionError::Custom(6021))
        )));
        assert!(!payer_short_of_sol(&RpcSendError::NoSigner));
    }
}
