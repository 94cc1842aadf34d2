//! A batch Postgres refused for its data (one hostile row) is written again row by row,
//! each account and each transaction under a savepoint of its own: the refused one goes to
//! `ingest_errors` with its address or signature, and the rest and the checkpoint are written.
use sqlx::Acquire;

use super::{
    accounts, finish, history, AccountUpdate, Batch, IngestError, Sink, SinkError, Written,
};

/// Postgres refused the data itself (SQLSTATE classes 22 data exception, 23 integrity
/// constraint, 54 program limit), or it could not be encoded: writing the same rows again
/// would fail the same way, unlike a lost connection.
pub(super) fn refused_data(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => d
            .code()
            .is_some_and(|c| c.starts_with("22") || c.starts_with("23") || c.starts_with("54")),
        sqlx::Error::Encode(_) => true,
        _ => false,
    }
}

/// Why Postgres refused a row, for `ingest_errors`: its code and message, which name the
/// problem and not the value.
pub(super) fn refusal(e: &sqlx::Error) -> String {
    let d = match e {
        sqlx::Error::Database(d) => format!("{}: {}", d.code().unwrap_or_default(), d.message()),
        other => other.to_string(),
    };
    d.chars().take(300).collect()
}

impl Sink {
    /// The batch again, each account (organizers and events first, as in `write_in`) and
    /// each transaction under a savepoint of its own.
    pub(super) async fn write_row_by_row(&self, batch: &Batch) -> Result<Written, SinkError> {
        let mut tx = self.pool.begin().await?;
        let mut written = Written::default();
        let mut errors = Vec::new();
        let mut updates: Vec<&AccountUpdate> = batch.accounts.iter().collect();
        updates.sort_by_key(|u| accounts::write_order(&u.kind));
        for u in updates {
            let mut row = (&mut tx).begin().await?;
            match accounts::write(&mut row, std::slice::from_ref(u), false).await {
                Ok(n) => {
                    row.commit().await?;
                    written.accounts += n;
                }
                Err(SinkError::Db(e)) if refused_data(&e) => {
                    row.rollback().await?;
                    errors.push(IngestError {
                        signature: None,
                        account: Some(u.address),
                        slot: u.slot,
                        kind: "unwritable_account".into(),
                        detail: refusal(&e),
                    });
                }
                Err(e) => return Err(e),
            }
        }
        for x in &batch.txs {
            let mut row = (&mut tx).begin().await?;
            match history::write(&mut row, std::slice::from_ref(x)).await {
                Ok((transactions, events, problems)) => {
                    row.commit().await?;
                    written.transactions += transactions;
                    written.events += events;
                    errors.extend(problems);
                }
                Err(SinkError::Db(e)) if refused_data(&e) => {
                    row.rollback().await?;
                    errors.push(IngestError {
                        signature: Some(x.signature.clone()),
                        account: None,
                        slot: x.slot,
                        kind: "unwritable_transaction".into(),
                        detail: refusal(&e),
                    });
                }
                Err(e) => return Err(e),
            }
        }
        finish(&mut tx, batch, errors).await?;
        tx.commit().await?;
        Ok(written)
    }
}
