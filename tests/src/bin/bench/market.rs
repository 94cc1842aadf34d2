//! The market's CU distribution: a listing taken by fresh wallets (which get a new token
//! account) and by wallets that held the ticket before (whose emptied account is reused),
//! over 200 rounds with a different seller and buyer each, so that the address bumps the
//! program and the token programs derive vary as they do across real wallets.
use anyhow::{anyhow, Result};
use bitticket_tests::*;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::stats;

type Stats = (u64, u64, u64, u64);

/// 200 rounds on the ticket `mint` of `event` (its shard `shard`), held by `holder` in the
/// market's window: the holder lists, a fresh wallet takes it (new account), lists it, the
/// holder takes it back and lists it, and the fresh wallet takes it again (both reusing
/// their accounts); the fresh wallet is the next round's holder. Ends with the ticket back
/// with `holder`. Returns the CU of taking a listing into a new account and into an
/// existing one.
pub(crate) fn resale_sample(
    h: &mut Harness,
    event: &Address,
    holder: &Keypair,
    mint: &Address,
    shard: u8,
) -> Result<(Stats, Stats)> {
    // every listing at a different price, so that no two transactions are the same
    let mut price = SOL / 10;
    let mut list = |h: &mut Harness, seller: &Keypair| -> Result<u64> {
        price -= 1;
        h.send(
            &[ix_list_ticket(&seller.pubkey(), event, mint, price)],
            &[seller],
        )
        .map_err(|e| anyhow!("list_ticket: {:?}", e.err))?;
        Ok(price)
    };
    let take = |h: &mut Harness, buyer: &Keypair, seller: &Keypair, price: u64| -> Result<u64> {
        let ix = ix_buy_listing(&buyer.pubkey(), &seller.pubkey(), event, mint, shard, price);
        let meta = h
            .send(&[ix], &[buyer])
            .map_err(|e| anyhow!("buy_listing: {:?}", e.err))?;
        Ok(meta.compute_units_consumed)
    };
    let (mut fresh, mut reused) = (Vec::new(), Vec::new());
    let mut current = holder.insecure_clone();
    for _ in 0..200 {
        let newcomer = h.wallet(SOL);
        let p = list(h, &current)?;
        fresh.push(take(h, &newcomer, &current, p)?);
        let p = list(h, &newcomer)?;
        reused.push(take(h, &current, &newcomer, p)?);
        let p = list(h, &current)?;
        reused.push(take(h, &newcomer, &current, p)?);
        current = newcomer;
    }
    let p = list(h, &current)?;
    take(h, holder, &current, p)?;
    Ok((stats(fresh), stats(reused)))
}
