export * from './allowList';
export * from './api';
export * from './client';
export * from './pda';
export * from './constants';
export * from './gate';
export * from './pass';
export { IDL } from './idl';
export type { Bitticket } from './idl';
