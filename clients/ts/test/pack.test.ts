// The SDK as an app developer gets it: `npm pack`'s tarball installed into an empty project
// outside the repository, then required by a plain Node.js script that reads the IDL and
// (with BITTICKET_TEST_RPC) the program's events on the validator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { IDL } from '../src';

const pkg = path.join(__dirname, '..', '..');

const APP = `
const { AnchorProvider, Wallet } = require('@anchor-lang/core');
const { Connection, Keypair } = require('@solana/web3.js');
const { BitTicket, BitTicketApi, IDL, PROGRAM_ID, ticketPda } = require('@bitticket/sdk');
(async () => {
  const out = {
    address: IDL.address,
    program: PROGRAM_ID.toBase58(),
    api: typeof new BitTicketApi('http://127.0.0.1:1').signIn,
    ticketPda: ticketPda(PROGRAM_ID)[0].toBase58(),
  };
  if (process.env.BITTICKET_TEST_RPC) {
    const connection = new Connection(process.env.BITTICKET_TEST_RPC, 'confirmed');
    const sdk = new BitTicket(new AnchorProvider(connection, new Wallet(Keypair.generate()), {}));
    out.events = (await sdk.listEvents()).map((e) => typeof e.account.config.name);
  }
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`;

test('npm pack makes a tarball that installs into an empty project and works there', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitticket-sdk-'));
  try {
    // dist is current (npm ci ran prepare): packing must not rebuild it under the other tests
    const name = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', dir], {
      cwd: pkg,
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .pop()!;
    const tarball = path.join(dir, name);
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    // the compiled SDK with the IDL inside, typings, no tests and no sources
    for (const f of ['package.json', 'README.md', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/idl.js', 'dist/src/api.js', 'dist/src/pass.js']) {
      assert.ok(files.includes(`package/${f}`), `${f} is in the tarball: ${files.join(' ')}`);
    }
    assert.ok(!files.some((f) => f.includes('/test/')), 'no tests in the tarball');

    const app = path.join(dir, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
    execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefer-offline', tarball], {
      cwd: app,
      stdio: 'inherit',
    });
    fs.writeFileSync(path.join(app, 'index.js'), APP);
    const out = JSON.parse(execFileSync('node', ['index.js'], { cwd: app, encoding: 'utf8' }));
    assert.equal(out.address, IDL.address);
    assert.equal(out.program, IDL.address);
    assert.equal(out.api, 'function');
    if (process.env.BITTICKET_TEST_RPC) {
      assert.ok(Array.isArray(out.events));
      assert.ok(out.events.every((t: string) => t === 'string'));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
