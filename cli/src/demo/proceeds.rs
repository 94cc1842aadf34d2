//! Act 7: after the event, the proceeds swept into the vault and 3 SOL out through the
//! 2-of-3, refused before its time-lock, executed after.
use anyhow::Result;
use bitticket::state::{ProposalAction, Vote};
use bitticket_client as client;
use solana_signer::Signer;

use super::event::Sale;
use super::{refused, say, Cast, Demo, SOL, TIME_LOCK};
use crate::commands::vault;
use crate::output::Render;

/// The withdrawal's proposal index.
pub(super) async fn act(d: &Demo, cast: &Cast, sale: &Sale) -> Result<u64> {
    let (boss, ben_ctx, org) = (d.ctx(&cast.creator), d.ctx(&cast.ben), cast.org);
    d.wait_until(sale.t0 + 56).await?;
    let swept = vault::sweep(&boss, &sale.event, None).await?;
    say(swept.human().first().cloned().unwrap_or_default());
    let withdraw = ProposalAction::WithdrawSol {
        destination: cast.creator.pubkey(),
        amount: 3 * SOL,
    };
    let index = vault::propose(&ben_ctx, &org, withdraw).await?.what.index;
    for (k, ctx) in [(&cast.ben, &ben_ctx), (&cast.cleo, &d.ctx(&cast.cleo))] {
        ctx.send(
            &[client::ix_vote(&org, index, &k.pubkey(), Vote::Approve)],
            &[],
        )
        .await?;
    }
    say(format!(
        "proposal {index}: withdraw 3 SOL to the creator, approved by ben and cleo (2 of 3)"
    ));
    refused(
        "executing before the time-lock",
        vault::execute(&ben_ctx, &org, index).await,
    )?;
    // the time-lock runs on the chain's clock, which may lag the wall clock under load: wait
    // for it (approved before this reading, so executable once the chain passes it + TIME_LOCK)
    let now = ben_ctx.now().await?;
    d.wait_until(now + i64::from(TIME_LOCK) + 1).await?;
    vault::execute(&ben_ctx, &org, index).await?;
    say(format!(
        "proposal {index} executed after its {TIME_LOCK} s time-lock"
    ));
    Ok(index)
}
