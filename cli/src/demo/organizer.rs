//! Act 1: the organizer, its members and its 2-of-3 vault with a time-lock, in one
//! transaction.
use anyhow::{Context, Result};
use bitticket::state::permission::{EXECUTE, GATEKEEPER, PROPOSE, VOTE};
use bitticket::state::Member;
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
    // one transaction: the organizer, its vault, its gatekeeper and its 2-of-3 multisig
    // with the time-lock (creator, ben and cleo vote)
    let member = |key, permissions| Member { key, permissions };
    let setup = client::OrganizerSetup {
        name: "Lagoon Nights".into(),
        members: vec![
            member(door.pubkey(), GATEKEEPER),
            member(ben.pubkey(), PROPOSE | VOTE | EXECUTE),
            member(cleo.pubkey(), VOTE),
        ],
        threshold: 2,
        time_lock: TIME_LOCK,
    };
    boss.send(&[client::ix_create_organizer_with(&me, 0, setup)], &[])
        .await?;
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
