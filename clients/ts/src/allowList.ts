// Allow-lists as Merkle roots, hashed exactly as the program verifies them
// (programs/bitticket/src/allow_list.rs): a leaf is sha256(0x00 || event || tier || phase ||
// wallet), a node sha256(0x01 || min(a, b) || max(a, b)), an odd node carried up unchanged.
// sha256 from @noble/hashes (what @solana/web3.js hashes with), so that it runs in browsers.
import { sha256 as noble } from '@noble/hashes/sha2';
import { PublicKey } from '@solana/web3.js';

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = noble.create();
  for (const p of parts) h.update(p);
  return Buffer.from(h.digest());
};

/** The leaf of `wallet` on the allow-list of phase `phase` of tier `tier` of `event`. */
export function allowListLeaf(event: PublicKey, tier: number, phase: number, wallet: PublicKey): Buffer {
  return sha256(Buffer.from([0]), event.toBuffer(), Buffer.from([tier]), Buffer.from([phase]), wallet.toBuffer());
}

function node(a: Buffer, b: Buffer): Buffer {
  const [low, high] = Buffer.compare(a, b) <= 0 ? [a, b] : [b, a];
  return sha256(Buffer.from([1]), low, high);
}

function levels(leaves: Buffer[]): Buffer[][] {
  if (leaves.length === 0) throw new Error('an allow-list needs at least one wallet');
  const all = [leaves];
  while (all[all.length - 1].length > 1) {
    const level = all[all.length - 1];
    const up: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      up.push(i + 1 < level.length ? node(level[i], level[i + 1]) : level[i]);
    }
    all.push(up);
  }
  return all;
}

/** An allow-list of one phase of one tier: its root (what the chain holds) and each wallet's proof. */
export class AllowList {
  private readonly leaves: Buffer[];
  private readonly tree: Buffer[][];

  constructor(
    readonly event: PublicKey,
    readonly tier: number,
    readonly phase: number,
    readonly wallets: PublicKey[],
  ) {
    this.leaves = wallets.map((w) => allowListLeaf(event, tier, phase, w));
    this.tree = levels(this.leaves);
  }

  /** The 32-byte root for the phase's `allowList`. */
  root(): number[] {
    return [...this.tree[this.tree.length - 1][0]];
  }

  /** `wallet`'s proof (sibling hashes, leaf to root); throws when it is not on the list. */
  proof(wallet: PublicKey): number[][] {
    let i = this.wallets.findIndex((w) => w.equals(wallet));
    if (i < 0) throw new Error(`${wallet.toBase58()} is not on the allow-list`);
    const proof: number[][] = [];
    for (const level of this.tree.slice(0, -1)) {
      const sibling = level[i ^ 1];
      if (sibling) proof.push([...sibling]);
      i = Math.floor(i / 2);
    }
    return proof;
  }

  /** Whether `proof` leads from `wallet`'s leaf to `root`. */
  static verify(root: number[], leaf: Buffer, proof: number[][]): boolean {
    const top = proof.reduce((acc, s) => node(acc, Buffer.from(s)), leaf);
    return Buffer.compare(top, Buffer.from(root)) === 0;
  }
}
