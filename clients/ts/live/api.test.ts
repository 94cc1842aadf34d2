// The SDK's API client against a running stack (scripts/run.sh's, after its demo: test.sh
// runs this through RUN_THEN with BITTICKET_API set): Sign-In With Solana with a wallet
// that only signs messages, the catalogue page by page, a wallet's tickets, and the API's
// errors as ApiError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Keypair, PublicKey } from '@solana/web3.js';

import { ApiError, BitTicketApi, MessageSigner } from '../src';

const url = process.env.BITTICKET_API;

/** A wallet adapter's shape over a keypair: Ed25519 with Node's crypto. */
function signer(k: Keypair): MessageSigner {
  const pkcs8 = Buffer.concat([
    Buffer.from('302e020100300506032b657004220420', 'hex'),
    Buffer.from(k.secretKey.subarray(0, 32)),
  ]);
  const key = crypto.createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return {
    publicKey: k.publicKey,
    signMessage: async (m) => new Uint8Array(crypto.sign(null, Buffer.from(m), key)),
  };
}

test('sign in, read the catalogue and a wallet\'s tickets, and name the API\'s refusals', async () => {
  assert.ok(url, 'BITTICKET_API (a running API) is not set: scripts/test.sh runs this after the main job');
  const api = new BitTicketApi(url);

  // the catalogue is public: no sign-in needed
  assert.ok(Array.isArray((await api.events({ limit: 5 })).items));

  // signed out, a wallet's tickets are refused with the API's own code
  await assert.rejects(api.myTickets(), (e) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.status, 401);
    return true;
  });

  const k = Keypair.generate();
  const session = await api.signIn(signer(k));
  assert.equal(session.wallet, k.publicKey.toBase58());
  assert.equal(api.wallet, k.publicKey.toBase58());
  assert.ok(session.expiresIn > 0);

  // the demo's event, found by walking the catalogue one row per page
  const all = await api.allEvents({ limit: 1 });
  const launch = all.find((e) => e.name === 'BitTicket launch night');
  assert.ok(launch, `the demo's event is in the catalogue: ${all.map((e) => e.name).join(', ')}`);
  // its own sale's 50, sold out, and its VIP tier's 4, of which the demo sells 2
  assert.equal(launch.supply, 50);
  assert.equal(launch.availability.sold, 52);
  assert.equal(launch.availability.remaining, 2);
  assert.equal(launch.tiers[0].name, 'VIP');
  assert.equal(launch.tiers[0].sold, 2);
  // priced in the demo's USDC-like mint: 20 of its 6-decimal units in the presale
  assert.equal(launch.tiers[0].currency.decimals, 6);
  assert.ok(launch.tiers[0].currency.mint);
  assert.equal(launch.tiers[0].phases[0].price, 20_000_000);
  assert.equal(launch.tiers[0].sales.currency, launch.tiers[0].currency.mint);
  // its sale window has closed by now, or it reads as sold out
  assert.ok(['ended', 'sold_out'].includes(launch.availability.status), launch.availability.status);
  assert.equal((await api.event(new PublicKey(launch.pubkey))).pubkey, launch.pubkey);

  // a fresh wallet holds nothing; a ticket nobody has is 404
  assert.deepEqual((await api.myTickets()).items, []);
  await assert.rejects(api.ticket(Keypair.generate().publicKey), (e) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.status, 404);
    assert.equal(e.code, 'not_found');
    return true;
  });

  // a bad signature is refused at sign-in
  const liar = { ...signer(k), signMessage: async () => new Uint8Array(64) };
  await assert.rejects(new BitTicketApi(url).signIn(liar), (e) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.status, 401);
    return true;
  });

  await api.signOut();
  assert.equal(api.wallet, null);
});
