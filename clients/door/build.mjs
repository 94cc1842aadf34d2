// Builds the door page into dist/: src/door.ts, type-checked, with the SDK and jsQR bundled for the
// browser (dist/door.js), and index.html and door.css copied as they are: the three files
// the API serves at /door/ (from BITTICKET_API_DOOR_DIR).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
// type-check first (esbuild only strips types), with the SDK's own TypeScript
const tsc = createRequire(join(here, '../ts/package.json')).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', here], { stdio: 'inherit' });
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await build({
  entryPoints: [join(here, 'src/door.ts')],
  outfile: join(dist, 'door.js'),
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020'],
  // the SDK's own dependencies (@solana/web3.js, @anchor-lang/core, buffer), one copy
  nodePaths: [join(here, '../ts/node_modules')],
  // the SDK uses Node's global Buffer; in the browser, the `buffer` package's
  inject: [join(here, 'src/buffer-shim.js')],
  define: { global: 'globalThis', 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
for (const f of ['index.html', 'door.css']) await copyFile(join(here, 'src', f), join(dist, f));
console.log('door: built dist/ (index.html, door.css, door.js)');
