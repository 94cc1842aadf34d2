//! A transaction's outcome by error: the program's (by `BitTicketError`), Anchor's, or any.
use crate::*;

// ---- errors ----------------------------------------------------------------------------

pub fn program_error(e: BitTicketError) -> u32 {
    anchor_lang::error::ERROR_CODE_OFFSET + e as u32
}
pub fn anchor_error(e: anchor_lang::error::ErrorCode) -> u32 {
    e as u32
}

/// The custom error code a failed transaction ended with, if any.
pub fn custom_code(r: &TxResult) -> Option<u32> {
    use solana_instruction_error::InstructionError;
    use solana_transaction_error::TransactionError;
    match r {
        Err(f) => match &f.err {
            TransactionError::InstructionError(_, InstructionError::Custom(c)) => Some(*c),
            _ => None,
        },
        Ok(_) => None,
    }
}

/// Asserts the transaction failed with exactly this custom error code.
#[track_caller]
pub fn assert_code(r: &TxResult, code: u32) {
    match r {
        Ok(_) => panic!("expected error {code}, but the transaction succeeded"),
        Err(f) => assert_eq!(
            custom_code(r),
            Some(code),
            "expected custom error {code}, got {:?}\nlogs:\n{}",
            f.err,
            f.meta.logs.join("\n")
        ),
    }
}

#[track_caller]
pub fn assert_err(r: &TxResult, e: BitTicketError) {
    assert_code(r, program_error(e))
}

#[track_caller]
pub fn assert_anchor(r: &TxResult, e: anchor_lang::error::ErrorCode) {
    assert_code(r, anchor_error(e))
}

/// Asserts a transaction failed (any error) and returns its error, for failures raised by the
/// runtime or another program rather than by ours.
#[track_caller]
pub fn assert_failed(r: &TxResult) -> String {
    match r {
        Ok(_) => panic!("expected the transaction to fail"),
        Err(f) => format!("{:?}", f.err),
    }
}
