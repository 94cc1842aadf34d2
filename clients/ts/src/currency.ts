// A tier's currency: SOL, or one SPL mint of SPL Token or Token-2022 (the program refuses
// mints with fees, hooks or other extensions that could move or hold back its tokens).
import { PublicKey, SystemProgram, TransactionInstruction } from '@solana/web3.js';

import { CONSTANTS } from './constants';
import { ASSOCIATED_TOKEN_PROGRAM_ID, associatedTokenAddress } from './pda';

/** A tier's currency when it is SOL: the program's `SOL_CURRENCY`, the all-zero address. */
export const SOL_CURRENCY: PublicKey = CONSTANTS.SOL_CURRENCY;

/**
 * An SPL currency: its mint and the token program that owns it, `TOKEN_PROGRAM_ID` or
 * `TOKEN_2022_PROGRAM_ID` (the tickets' own mints are Token-2022 whatever the currency).
 */
export interface TokenCurrency {
  mint: PublicKey;
  program: PublicKey;
}

/** `owner`'s associated account in `currency` (a shard's is its till). */
export const currencyAccount = (owner: PublicKey, currency: TokenCurrency): PublicKey =>
  associatedTokenAddress(owner, currency.mint, currency.program);

/**
 * Opens `owner`'s associated account in `currency`, paid by `payer`; nothing if it is open
 * (the associated token program's `CreateIdempotent`).
 */
export function openTokenAccount(
  payer: PublicKey,
  owner: PublicKey,
  currency: TokenCurrency,
): TransactionInstruction {
  return new TransactionInstruction({
    programId: ASSOCIATED_TOKEN_PROGRAM_ID,
    keys: [
      { pubkey: payer, isSigner: true, isWritable: true },
      { pubkey: currencyAccount(owner, currency), isSigner: false, isWritable: true },
      { pubkey: owner, isSigner: false, isWritable: false },
      { pubkey: currency.mint, isSigner: false, isWritable: false },
      { pubkey: SystemProgram.programId, isSigner: false, isWritable: false },
      { pubkey: currency.program, isSigner: false, isWritable: false },
    ],
    data: Buffer.from([1]),
  });
}
