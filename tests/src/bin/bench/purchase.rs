//! The purchase's CU distribution over many fresh buyers.
use anyhow::{anyhow, Result};
use bitticket_tests::*;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;

/// CU of 200 purchases of `event` by fresh wallets, each with a mint keypair from `mint_for`;
/// with `second`, each wallet has bought once before. Returns (min, median, p95, max).
pub(crate) fn purchase_sample(
    h: &mut Harness,
    event: &Address,
    shards: u8,
    second: bool,
    mint_for: impl Fn(&Address) -> Keypair,
) -> Result<(u64, u64, u64, u64)> {
    let mut samples = Vec::new();
    for i in 0..200u32 {
        let buyer = h.wallet(SOL);
        let shard = (i % u32::from(shards)) as u8;
        let buy = |h: &mut Harness| -> Result<u64> {
            let mint = mint_for(&buyer.pubkey());
            let ix = ix_purchase(&buyer.pubkey(), event, shard, &mint.pubkey());
            let meta = h
                .send(&[ix], &[&buyer, &mint])
                .map_err(|e| anyhow!("{:?}", e.err))?;
            Ok(meta.compute_units_consumed)
        };
        if second {
            buy(h)?;
        }
        samples.push(buy(h)?);
    }
    Ok(crate::stats(samples))
}
