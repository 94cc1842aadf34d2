export * from './client';
export * from './pda';
export { IDL } from './idl';
export type { Bitticket } from './idl';
