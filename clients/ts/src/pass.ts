// The holder's pass: the holder's consent to a check-in, a message the holder's wallet
// signs when it shows its QR code. The door's transaction then needs only the gatekeeper's
// signature: the program reads the pass from the Ed25519 precompile instruction placed
// directly before `check_in` (the instructions sysvar), and refuses it once the chain's
// clock reaches `expiresAt` or when it reaches more than 10 minutes ahead.
//
// The pass as text (the CLI, tests): `BTP1.` + base64url without padding of
// mint (32) ‖ holder (32) ‖ expires_at (i64 little endian, 8) ‖ signature (64).
import { Ed25519Program, PublicKey, TransactionInstruction } from '@solana/web3.js';

import type { MessageSigner } from './api';
import type { BitTicket } from './client';

/** A signed pass: the holder's signature of `passMessage(mint, expiresAt)`. */
export interface Pass {
  mint: PublicKey;
  holder: PublicKey;
  /** Unix seconds: the program refuses the pass once the chain's clock reaches it. */
  expiresAt: number;
  /** The holder's 64-byte Ed25519 signature of the message. */
  signature: Uint8Array;
}

/** The text form's prefix. */
export const PASS_PREFIX = 'BTP1.';
/** How far ahead of the chain's clock a pass may expire, at most (seconds). */
export const PASS_MAX_VALIDITY = 600;
/** How long `signPass` makes a pass valid by default (seconds). */
export const PASS_DEFAULT_VALIDITY = 120;

const PASS_BYTES = 32 + 32 + 8 + 64;

/**
 * The message the holder signs, as UTF-8 bytes:
 * `BitTicket check-in\nticket: <mint>\nvalid until: <expiresAt>`.
 */
export function passMessage(mint: PublicKey, expiresAt: number): Uint8Array {
  if (!Number.isSafeInteger(expiresAt)) throw new Error(`pass expiry ${expiresAt} is not a whole number of seconds`);
  return new TextEncoder().encode(
    `BitTicket check-in\nticket: ${mint.toBase58()}\nvalid until: ${expiresAt}`,
  );
}

/**
 * Has the holder's wallet sign a pass for the ticket of `mint`, valid for `validFor`
 * seconds (default 120, at most 600) from `now` (default: this machine's clock).
 */
export async function signPass(
  wallet: MessageSigner,
  mint: PublicKey,
  opts: { validFor?: number; now?: number } = {},
): Promise<Pass> {
  const validFor = opts.validFor ?? PASS_DEFAULT_VALIDITY;
  if (!Number.isSafeInteger(validFor) || validFor <= 0 || validFor > PASS_MAX_VALIDITY) {
    throw new Error(`a pass is valid for 1 to ${PASS_MAX_VALIDITY} seconds, not ${validFor}`);
  }
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const expiresAt = now + validFor;
  const signature = await wallet.signMessage(passMessage(mint, expiresAt));
  if (signature.length !== 64) {
    throw new Error(`the wallet's signature has ${signature.length} bytes, not 64`);
  }
  return { mint, holder: wallet.publicKey, expiresAt, signature: Uint8Array.from(signature) };
}

/** The pass as text: `BTP1.` + base64url (no padding) of its 136 bytes. */
export function encodePass(pass: Pass): string {
  if (pass.signature.length !== 64) {
    throw new Error(`a pass's signature has 64 bytes, not ${pass.signature.length}`);
  }
  const bytes = new Uint8Array(PASS_BYTES);
  bytes.set(pass.mint.toBytes(), 0);
  bytes.set(pass.holder.toBytes(), 32);
  new DataView(bytes.buffer).setBigInt64(64, BigInt(pass.expiresAt), true);
  bytes.set(pass.signature, 72);
  return PASS_PREFIX + base64url(bytes);
}

/** A pass from its text form; an `Error` saying what is wrong with anything else. */
export function decodePass(text: string): Pass {
  const s = text.trim();
  if (!s.startsWith(PASS_PREFIX)) {
    throw new Error(`not a BitTicket pass: it does not start with ${PASS_PREFIX}`);
  }
  const body = s.slice(PASS_PREFIX.length);
  if (!/^[A-Za-z0-9_-]*$/.test(body)) {
    throw new Error('not a BitTicket pass: it is not base64url (A-Z a-z 0-9 - _, no padding)');
  }
  const bytes = fromBase64url(body);
  if (bytes.length !== PASS_BYTES) {
    throw new Error(`not a BitTicket pass: ${bytes.length} bytes, not ${PASS_BYTES}`);
  }
  const expires = new DataView(bytes.buffer, bytes.byteOffset).getBigInt64(64, true);
  if (expires > BigInt(Number.MAX_SAFE_INTEGER) || expires < 0n) {
    throw new Error(`not a BitTicket pass: its expiry ${expires} is out of range`);
  }
  return {
    mint: new PublicKey(bytes.slice(0, 32)),
    holder: new PublicKey(bytes.slice(32, 64)),
    expiresAt: Number(expires),
    signature: bytes.slice(72, 136),
  };
}

/**
 * The Ed25519 precompile instruction that carries the pass (one signature, the public key,
 * signature and message inline), to be placed directly before `check_in`.
 */
export function passInstruction(pass: Pass): TransactionInstruction {
  return Ed25519Program.createInstructionWithPublicKey({
    publicKey: pass.holder.toBytes(),
    message: passMessage(pass.mint, pass.expiresAt),
    signature: pass.signature,
  });
}

/**
 * A check-in by the holder's pass, as the transaction must hold it: the Ed25519
 * instruction with the pass, then `check_in`; only the gatekeeper signs.
 */
export async function checkInInstructions(
  sdk: BitTicket,
  gatekeeper: PublicKey,
  pass: Pass,
): Promise<TransactionInstruction[]> {
  return [passInstruction(pass), await sdk.checkIn(gatekeeper, pass)];
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function base64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 4) / 3));
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

function fromBase64url(s: string): Uint8Array {
  if (s.length % 4 === 1) throw new Error('not a BitTicket pass: its base64url is cut short');
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let j = 0;
  for (const c of s) {
    value = ((value << 6) | ALPHABET.indexOf(c)) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (value >> bits) & 0xff;
    }
  }
  if ((value & ((1 << bits) - 1)) !== 0) {
    throw new Error('not a BitTicket pass: its base64url has stray bits at the end');
  }
  return out;
}
