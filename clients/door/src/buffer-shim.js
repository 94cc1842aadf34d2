// Node's global `Buffer` for the SDK in the browser (esbuild's `inject`).
export { Buffer } from 'buffer';
