//! Allow-lists as Merkle roots: a phase stores 32 bytes however many wallets it admits,
//! and a buyer proves their place with the sibling hashes on the way to the root.
//!
//! - A leaf is `sha256(0x00 || event || tier || phase || wallet)`: bound to one phase of
//!   one tier of one event, so a proof made for another list never verifies here, even for
//!   a wallet that is on both.
//! - A node is `sha256(0x01 || min(a, b) || max(a, b))`: pairs are sorted, so a proof is
//!   only the siblings (no left/right flags), and the prefixes keep a node from passing as
//!   a leaf (the second-preimage attack on Merkle trees).
//! - An odd node out is carried up unchanged.
//!
//! The program only verifies (`verify`, with the sha256 syscall); clients and the API build
//! the tree with `root` and `proof`, which this module also provides so that both sides
//! hash the same bytes.
use anchor_lang::prelude::Pubkey;
use solana_sha256_hasher::hashv;

pub type Hash = [u8; 32];

const LEAF: &[u8] = &[0];
const NODE: &[u8] = &[1];

/// The leaf of `wallet` on the allow-list of phase `phase` of tier `tier` of `event`.
pub fn leaf(event: &Pubkey, tier: u8, phase: u8, wallet: &Pubkey) -> Hash {
    hashv(&[LEAF, event.as_ref(), &[tier], &[phase], wallet.as_ref()]).to_bytes()
}

fn node(a: &Hash, b: &Hash) -> Hash {
    let (low, high) = if a <= b { (a, b) } else { (b, a) };
    hashv(&[NODE, low, high]).to_bytes()
}

/// Whether `proof` leads from `leaf` to `root`.
pub fn verify(root: &Hash, leaf: Hash, proof: &[Hash]) -> bool {
    proof.iter().fold(leaf, |acc, sibling| node(&acc, sibling)) == *root
}

/// The levels of the tree over `leaves`, leaves first, root last; `None` when empty.
fn levels(leaves: Vec<Hash>) -> Option<Vec<Vec<Hash>>> {
    if leaves.is_empty() {
        return None;
    }
    let mut levels = vec![leaves];
    while let Some(level) = levels.last().filter(|l| l.len() > 1) {
        let up = level
            .chunks(2)
            .map(|pair| match pair {
                [a, b] => node(a, b),
                [a] => *a,
                _ => unreachable!("chunks(2) yields one or two"),
            })
            .collect();
        levels.push(up);
    }
    Some(levels)
}

/// The root over `leaves` (in the order given); `None` for an empty list.
pub fn root(leaves: &[Hash]) -> Option<Hash> {
    levels(leaves.to_vec()).and_then(|l| l.last().and_then(|top| top.first().copied()))
}

/// The proof of `leaves[index]`; `None` when out of range.
pub fn proof(leaves: &[Hash], index: usize) -> Option<Vec<Hash>> {
    if index >= leaves.len() {
        return None;
    }
    let levels = levels(leaves.to_vec())?;
    let mut proof = Vec::new();
    let mut i = index;
    for level in &levels[..levels.len() - 1] {
        if let Some(sibling) = level.get(i ^ 1) {
            proof.push(*sibling);
        }
        i /= 2;
    }
    Some(proof)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_member_proves_its_place_and_nobody_else_does() {
        let event = Pubkey::new_unique();
        for n in [1usize, 2, 3, 7, 8, 33] {
            let wallets: Vec<Pubkey> = (0..n).map(|_| Pubkey::new_unique()).collect();
            let leaves: Vec<Hash> = wallets.iter().map(|w| leaf(&event, 1, 0, w)).collect();
            let root = root(&leaves).unwrap();
            for (i, w) in wallets.iter().enumerate() {
                let p = proof(&leaves, i).unwrap();
                assert!(p.len() <= n.next_power_of_two().trailing_zeros() as usize);
                assert!(verify(&root, leaf(&event, 1, 0, w), &p));
                // the same wallet on another phase, tier or event is another leaf
                assert!(!verify(&root, leaf(&event, 1, 1, w), &p));
                assert!(!verify(&root, leaf(&event, 2, 0, w), &p));
                assert!(!verify(&root, leaf(&Pubkey::new_unique(), 1, 0, w), &p));
            }
            let stranger = Pubkey::new_unique();
            let p = proof(&leaves, 0).unwrap();
            assert!(!verify(&root, leaf(&event, 1, 0, &stranger), &p));
        }
        assert_eq!(root(&[]), None);
        assert_eq!(proof(&[[0; 32]], 1), None);
    }
}
