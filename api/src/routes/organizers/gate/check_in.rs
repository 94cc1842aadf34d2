//! The check-in transaction a gatekeeper wallet gets on admit, to sign alone: the holder's
//! pass from the code in an Ed25519 instruction, then the check-in (the program checks the
//! pass, the role and the holder's token again).
use bitticket_client::pass::{ix_check_in_with_pass, Pass};
use solana_transaction::Transaction;

use super::{AppState, Scanned};
use crate::domain::AccountAddress;
use crate::error::ApiError;
use crate::qr::Claim;
use crate::routes::transactions::{encode, BuiltTransaction};

/// The pass a code carries (its signature verified when the code was issued; the program
/// verifies it again).
pub(super) fn pass(
    mint: &AccountAddress,
    claim: &Claim,
    signature: &str,
) -> Result<Pass, ApiError> {
    let signature =
        Pass::signature_from_base58(signature).ok_or_else(|| ApiError::internal("sealed pass"))?;
    Ok(Pass {
        mint: mint.0,
        holder: claim.holder.0,
        expires_at: claim.expires_at,
        signature,
    })
}

pub(super) async fn transaction(
    app: &AppState,
    gatekeeper: &AccountAddress,
    pass: &Pass,
    organizer: &AccountAddress,
    event: &AccountAddress,
    scanned: &Scanned,
) -> Result<BuiltTransaction, ApiError> {
    let ixs = ix_check_in_with_pass(&gatekeeper.0, pass, &organizer.0, &event.0);
    let blockhash = app.chain.latest_blockhash().await?;
    let mut t = Transaction::new_with_payer(&ixs, Some(&gatekeeper.0));
    t.message.recent_blockhash = blockhash;
    Ok(BuiltTransaction {
        transaction: encode(&t)?,
        blockhash: blockhash.to_string(),
        signers: vec![gatekeeper.to_string()],
        mint: Some(pass.mint.to_string()),
        ticket: Some(scanned.ticket.clone()),
    })
}
