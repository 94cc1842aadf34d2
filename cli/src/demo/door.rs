//! Act 6: the door: each holder's wallet signs a pass and gets its QR code from the API;
//! the API verifies the code and the door's wallet alone checks the ticket in on chain; the
//! same code again and a second check-in are refused.
use anyhow::{bail, Context, Result};
use bitticket_client as client;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_transaction::Transaction;

use super::event::Sale;
use super::{refused, say, Cast, Demo};

pub(super) async fn act(
    d: &Demo,
    cast: &Cast,
    sale: &Sale,
    gate_list: &[(Keypair, Address)],
) -> Result<()> {
    let (org, door, event) = (cast.org, &cast.door, sale.event);
    let boss = d.ctx(&cast.creator);
    let door_token = d.token(door).await?;
    let verify = format!("/v1/organizers/{org}/gate/verify");
    for (holder, mint) in gate_list {
        let t = client::ticket_pda(mint);
        let holder_token = d.token(holder).await?;
        // the mirror has the ticket with its current holder within a few slots
        d.api_until(&holder_token, &format!("/v1/tickets/{t}"), |v| {
            v["holder"].as_str() == Some(&holder.pubkey().to_string())
        })
        .await?;
        // the holder's wallet signs its pass as it shows the code
        let now = boss.now().await?;
        let pass = client::pass::Pass::sign(holder, mint, now + 120);
        let qr = d
            .api_post(
                &holder_token,
                &format!("/v1/tickets/{t}/qr"),
                serde_json::json!({
                    "expires_at": pass.expires_at,
                    "signature": pass.signature_base58(),
                }),
            )
            .await?;
        let payload = qr["payload"].as_str().context("QR payload")?.to_string();
        let decision = d.verify(&door_token, &verify, &payload).await?;
        if decision["admit"] != true {
            bail!("the gate refused a valid ticket: {decision}");
        }
        let b64 = decision["check_in"]["transaction"]
            .as_str()
            .context("check-in transaction")?;
        let mut tx: Transaction = bincode::deserialize(&base64::Engine::decode(
            &base64::engine::general_purpose::STANDARD,
            b64,
        )?)?;
        let blockhash = tx.message.recent_blockhash;
        tx.try_sign(&[door], blockhash)?;
        boss.send_signed(&tx).await?;
        say(format!(
            "admitted {} with ticket {mint} (QR with the holder's pass verified by the API; the door alone signed the check-in)",
            holder.pubkey()
        ));
        if mint == &gate_list[0].1 {
            // the same QR again: the API refuses it once the mirror has the check-in
            let again = d.api_until_post(&door_token, &verify, &payload).await?;
            say(format!(
                "refused: the same QR again: {}",
                again["reason"].as_str().unwrap_or("?")
            ));
            let ixs = client::pass::ix_check_in_with_pass(&door.pubkey(), &pass, &org, &event);
            refused(
                "a second check-in on chain",
                d.ctx(door).send(&ixs, &[]).await,
            )?;
        }
    }
    Ok(())
}
