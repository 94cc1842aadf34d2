// The program's constants with their own types. The IDL carries every constant as a string
// (a u8 as "8", an i64 as "2592000", a seed as "[116, 105, ...]", text quoted as "\"TIX\""),
// and @anchor-lang/core parses none of them; these are the parsed values, by the Rust names.
import { PublicKey } from '@solana/web3.js';

import { IDL } from './idl';

type RawConstants = (typeof IDL)['constants'];
type ConstValue<T> = T extends 'bytes'
  ? Buffer
  : T extends 'string'
  ? string
  : T extends 'pubkey'
    ? PublicKey
    : T extends 'i64' | 'u64' | 'i128' | 'u128'
    ? bigint
    : number;

/**
 * Every IDL constant by its Rust name: numbers up to u32, bigints for 64 bits, seeds as
 * bytes, addresses as public keys, text as strings.
 */
export type Constants = {
  [C in RawConstants[number] as C['name']]: ConstValue<C['type']>;
};

function parse(type: string, value: string): number | bigint | string | Buffer | PublicKey {
  if (type === 'bytes') return Buffer.from(JSON.parse(value) as number[]);
  if (type === 'string') return JSON.parse(value) as string;
  if (type === 'pubkey') return new PublicKey(value);
  if (/^[iu](64|128)$/.test(type)) return BigInt(value);
  if (/^[iu](8|16|32)$/.test(type)) return Number(value);
  throw new Error(`constant of unknown type ${type}`);
}

export const CONSTANTS = Object.fromEntries(
  IDL.constants.map((c) => [c.name, parse(c.type, c.value)]),
) as Constants;
