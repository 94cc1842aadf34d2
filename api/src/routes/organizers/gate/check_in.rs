//! The check-in transaction a gatekeeper wallet gets on admit, for it and the holder to
//! sign (the program checks both, and the holder's token, again).
use bitticket_client::ix_check_in;
use solana_transaction::Transaction;

use super::{AppState, Scanned};
use crate::domain::AccountAddress;
use crate::error::ApiError;
use crate::routes::transactions::{encode, BuiltTransaction};

pub(super) async fn transaction(
    app: &AppState,
    gatekeeper: &AccountAddress,
    holder: &AccountAddress,
    organizer: &AccountAddress,
    event: &AccountAddress,
    mint: &AccountAddress,
    scanned: &Scanned,
) -> Result<BuiltTransaction, ApiError> {
    let ix = ix_check_in(&gatekeeper.0, &holder.0, &organizer.0, &event.0, &mint.0);
    let blockhash = app.chain.latest_blockhash().await?;
    let mut t = Transaction::new_with_payer(&[ix], Some(&gatekeeper.0));
    t.message.recent_blockhash = blockhash;
    Ok(BuiltTransaction {
        transaction: encode(&t)?,
        blockhash: blockhash.to_string(),
        signers: vec![gatekeeper.to_string(), scanned.holder.clone()],
        mint: Some(mint.to_string()),
        ticket: Some(scanned.ticket.clone()),
    })
}
