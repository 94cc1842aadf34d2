//! Act 1: the organizer, its members and its 2-of-3 vault with a time-lock.
use anyhow::{Context, Result};
use bitticket::state::permission::{EXECUTE, GATEKEEPER, PROPOSE, VOTE};
use bitticket::state::{Member, ProposalAction, Vote};
use bitticket_client as client;
use solana_signer::Signer;

use super::{say, Cast, Demo, SOL, TIME_LOCK};

pub(super) async fn act(d: &Demo) -> Result<Cast> {
    let mut people = d
        .wallets(4, 20 * SOL)
        .await
        .context("funding the organizer")?;
    let (creator, door, ben, cleo) = {
        let cleo = people.pop().context("wallet")?;
        let ben = people.pop().context("wallet")?;
        let door = people.pop().context("wallet")?;
        (people.pop().context("wallet")?, door, ben, cleo)
    };
    let boss = d.ctx(&creator);
    let me = creator.pubkey();
    let org = client::organizer_pda(&me, 0);
    boss.send(&[client::ix_create_organizer(&me, 0)], &[])
        .await?;
    boss.send(
        &[client::ix_add_member(&org, &me, &door.pubkey(), GATEKEEPER)],
        &[],
    )
    .await?;
    // at threshold 1 the creator alone passes the proposals that make the vault 2-of-3;
    // the time-lock comes last, approved by two of the three voters
    let setup = [
        ProposalAction::AddMember {
            member: Member {
                key: ben.pubkey(),
                permissions: PROPOSE | VOTE | EXECUTE,
            },
        },
        ProposalAction::AddMember {
            member: Member {
                key: cleo.pubkey(),
                permissions: VOTE,
            },
        },
        ProposalAction::SetThreshold { threshold: 2 },
        ProposalAction::SetTimeLock { seconds: TIME_LOCK },
    ];
    let ben_ctx = d.ctx(&ben);
    for (i, action) in setup.into_iter().enumerate() {
        let index = i as u64 + 1;
        let two_of_three = matches!(action, ProposalAction::SetTimeLock { .. });
        boss.send(
            &[
                client::ix_create_proposal(&org, &me, index, action),
                client::ix_vote(&org, index, &me, Vote::Approve),
            ],
            &[],
        )
        .await?;
        if two_of_three {
            let ix = client::ix_vote(&org, index, &ben.pubkey(), Vote::Approve);
            ben_ctx.send(&[ix], &[]).await?;
        }
        let ix = client::ix_execute(&org, index, &me, client::Outflow::default());
        boss.send(&[ix], &[]).await?;
    }
    println!("organizer {org}");
    say(format!(
        "members: creator {me} (every role), gatekeeper {}, voters {} and {}",
        door.pubkey(),
        ben.pubkey(),
        cleo.pubkey()
    ));
    say(format!(
        "vault {}: 2-of-3 (creator, ben, cleo), {TIME_LOCK} s time-lock",
        client::vault_pda(&org)
    ));
    Ok(Cast {
        creator,
        door,
        ben,
        cleo,
        org,
    })
}
