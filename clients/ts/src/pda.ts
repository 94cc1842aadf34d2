// Program addresses with their canonical bumps, and the purchase's mint choice, as the
// program derives and checks them (the Rust client library's pda.rs, in TypeScript).
import { BN } from '@anchor-lang/core';
import { Keypair, PublicKey } from '@solana/web3.js';

import { IDL } from './idl';

export const PROGRAM_ID = new PublicKey(IDL.address);
export const TOKEN_PROGRAM_ID = new PublicKey('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA');
/** Token-2022: the token program of every ticket's mint, and one a tier's currency may use. */
export const TOKEN_2022_PROGRAM_ID = new PublicKey('TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb');
/**
 * The token program of every ticket's mint: Token-2022, for the metadata wallets show
 * (a currency's is the one that owns its mint, `TokenCurrency.program`).
 */
export const TICKET_TOKEN_PROGRAM_ID = TOKEN_2022_PROGRAM_ID;
export const ASSOCIATED_TOKEN_PROGRAM_ID = new PublicKey(
  'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL',
);

const text = (s: string) => Buffer.from(s);
const u64 = (n: number | bigint | BN) => new BN(n.toString()).toArrayLike(Buffer, 'le', 8);

/** An address and its canonical bump. */
export type Pda = [PublicKey, number];

export function findPda(seeds: Buffer[], programId: PublicKey = PROGRAM_ID): Pda {
  return PublicKey.findProgramAddressSync(seeds, programId);
}

export const organizerPda = (creator: PublicKey, id: number | bigint | BN): Pda =>
  findPda([text('organizer'), creator.toBuffer(), u64(id)]);
export const eventPda = (organizer: PublicKey, id: number | bigint | BN): Pda =>
  findPda([text('event'), organizer.toBuffer(), u64(id)]);
export const shardPda = (event: PublicKey, index: number): Pda =>
  findPda([text('shard'), event.toBuffer(), Buffer.from([index])]);
export const buyerRecordPda = (event: PublicKey, buyer: PublicKey): Pda =>
  findPda([text('buyer'), event.toBuffer(), buyer.toBuffer()]);
export const ticketPda = (mint: PublicKey): Pda => findPda([text('ticket'), mint.toBuffer()]);
export const tierPda = (event: PublicKey, index: number): Pda =>
  findPda([text('tier'), event.toBuffer(), Buffer.from([index])]);
export const listingPda = (ticket: PublicKey): Pda =>
  findPda([text('listing'), ticket.toBuffer()]);
export const vaultPda = (organizer: PublicKey): Pda =>
  findPda([text('vault'), organizer.toBuffer()]);
export const proposalPda = (organizer: PublicKey, index: number | bigint | BN): Pda =>
  findPda([text('proposal'), organizer.toBuffer(), u64(index)]);
/**
 * The associated token account of `owner` for `mint` of `program` (unless told, the ticket's
 * token program, Token-2022: a currency's account is `currencyAccount`).
 */
export const associatedTokenAddress = (
  owner: PublicKey,
  mint: PublicKey,
  program: PublicKey = TICKET_TOKEN_PROGRAM_ID,
): PublicKey =>
  findPda([owner.toBuffer(), program.toBuffer(), mint.toBuffer()], ASSOCIATED_TOKEN_PROGRAM_ID)[0];
/** `owner`'s token account of the ticket `mint`: its associated account under Token-2022. */
export const ticketTokenAccount = (owner: PublicKey, mint: PublicKey): PublicKey =>
  associatedTokenAddress(owner, mint, TICKET_TOKEN_PROGRAM_ID);


/** The canonical bumps a purchase passes (the program proves them). */
export function ticketBumps(event: PublicKey, buyer: PublicKey, mint: PublicKey) {
  return { ticket: ticketPda(mint)[1], buyerRecord: buyerRecordPda(event, buyer)[1] };
}

/**
 * A fresh mint keypair for `buyer`'s next ticket, picked (about 4 tries) so that the ticket
 * PDA and the buyer's token account (under Token-2022, the ticket's token program) both
 * have bump 255: the cheapest purchase.
 */
export function ticketMint(buyer: PublicKey): Keypair {
  for (;;) {
    const mint = Keypair.generate();
    const ata = findPda(
      [buyer.toBuffer(), TICKET_TOKEN_PROGRAM_ID.toBuffer(), mint.publicKey.toBuffer()],
      ASSOCIATED_TOKEN_PROGRAM_ID,
    );
    if (ticketPda(mint.publicKey)[1] === 255 && ata[1] === 255) return mint;
  }
}
