// The holder's pass without a node: its message byte for byte, the text form there and
// back, bad text refused with a reason, a real Ed25519 signature checked by Node's crypto,
// and the Ed25519 precompile instruction's layout (what the program reads from the
// instructions sysvar), followed by `check_in` with only the gatekeeper signing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { AnchorProvider, BN, BorshCoder, Program, Wallet } from '@anchor-lang/core';
import {
  AccountInfo,
  Connection,
  Ed25519Program,
  Keypair,
  PublicKey,
  SYSVAR_INSTRUCTIONS_PUBKEY,
} from '@solana/web3.js';

import {
  BitTicket,
  Bitticket,
  CONSTANTS,
  IDL,
  MessageSigner,
  PASS_PREFIX,
  PROGRAM_ID,
  Pass,
  checkInInstructions,
  decodePass,
  encodePass,
  passInstruction,
  passMessage,
  signPass,
  ticketPda,
  ticketTokenAccount,
} from '../src';

/** A wallet that signs messages with a keypair, through Node's own Ed25519. */
function signer(k: Keypair): MessageSigner {
  const pkcs8 = Buffer.concat([
    Buffer.from('302e020100300506032b657004220420', 'hex'),
    Buffer.from(k.secretKey.slice(0, 32)),
  ]);
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return {
    publicKey: k.publicKey,
    signMessage: async (m) => new Uint8Array(sign(null, Buffer.from(m), key)),
  };
}

function verifies(holder: PublicKey, message: Uint8Array, signature: Uint8Array): boolean {
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), holder.toBuffer()]);
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  return verify(null, Buffer.from(message), key, Buffer.from(signature));
}

const mint = new PublicKey('5ZWj7a1f8tWkjBESHKgrLmXshuXxqeY9SYcfbshpAqPG');

test('the message the holder signs, byte for byte', () => {
  const m = passMessage(mint, 1_750_000_120);
  assert.deepEqual(
    Buffer.from(m),
    Buffer.from(
      'BitTicket check-in\nticket: 5ZWj7a1f8tWkjBESHKgrLmXshuXxqeY9SYcfbshpAqPG\nvalid until: 1750000120',
      'utf8',
    ),
  );
  assert.throws(() => passMessage(mint, 1.5), /whole number/);
});

test('a signed pass goes to text and back; the signature verifies', async () => {
  const holder = Keypair.generate();
  const pass = await signPass(signer(holder), mint, { now: 1_750_000_000 });
  assert.equal(pass.expiresAt, 1_750_000_120, 'valid for 120 s by default');
  assert.ok(pass.holder.equals(holder.publicKey));
  assert.ok(verifies(holder.publicKey, passMessage(mint, pass.expiresAt), pass.signature));

  const text = encodePass(pass);
  assert.ok(text.startsWith(PASS_PREFIX));
  assert.match(text.slice(PASS_PREFIX.length), /^[A-Za-z0-9_-]{182}$/, '136 bytes, no padding');
  const back = decodePass(text);
  assert.ok(back.mint.equals(mint));
  assert.ok(back.holder.equals(holder.publicKey));
  assert.equal(back.expiresAt, pass.expiresAt);
  assert.deepEqual(Buffer.from(back.signature), Buffer.from(pass.signature));
  assert.equal(encodePass(back), text);

  // the layout: mint, holder, expires_at (i64 LE), signature
  const raw = Buffer.from(text.slice(PASS_PREFIX.length), 'base64url');
  assert.equal(raw.length, 136);
  assert.deepEqual(raw.subarray(0, 32), mint.toBuffer());
  assert.deepEqual(raw.subarray(32, 64), holder.publicKey.toBuffer());
  assert.equal(raw.readBigInt64LE(64), 1_750_000_120n);
  assert.deepEqual(raw.subarray(72), Buffer.from(pass.signature));

  const later = await signPass(signer(holder), mint, { now: 100, validFor: 600 });
  assert.equal(later.expiresAt, 700);
});

test('a bad pass is refused, saying why', async () => {
  const pass = await signPass(signer(Keypair.generate()), mint, { now: 1_000 });
  const text = encodePass(pass);
  const body = text.slice(PASS_PREFIX.length);
  const cases: [string, string, RegExp][] = [
    ['no prefix', body, /does not start with BTP1\./],
    ['another version', `BTP2.${body}`, /does not start with BTP1\./],
    ['padded', `${text}==`, /not base64url/],
    ['standard base64', `${PASS_PREFIX}${body.replace(/-/g, '+').replace(/_/g, '/')}+`, /not base64url/],
    ['a byte short', `${PASS_PREFIX}${Buffer.from(body, 'base64url').subarray(1).toString('base64url')}`, /135 bytes, not 136/],
    ['a byte long', `${PASS_PREFIX}${Buffer.concat([Buffer.from(body, 'base64url'), Buffer.from([0])]).toString('base64url')}`, /137 bytes, not 136/],
    ['cut mid-character', `${PASS_PREFIX}${body}AAA`, /cut short/],
    ['stray bits at the end', `${PASS_PREFIX}${body.slice(0, -1)}_`, /stray bits/],
    ['empty', '', /does not start/],
  ];
  for (const [what, bad, why] of cases) {
    assert.throws(() => decodePass(bad), why, what);
  }
  const negative = Buffer.from(body, 'base64url');
  negative.writeBigInt64LE(-1n, 64);
  assert.throws(() => decodePass(PASS_PREFIX + negative.toString('base64url')), /expiry -1 is out of range/);
  await assert.rejects(signPass(signer(Keypair.generate()), mint, { validFor: 601 }), /1 to 600 seconds/);
  await assert.rejects(signPass(signer(Keypair.generate()), mint, { validFor: 0 }), /1 to 600 seconds/);
  const short: MessageSigner = { publicKey: mint, signMessage: async () => new Uint8Array(63) };
  await assert.rejects(signPass(short, mint), /63 bytes, not 64/);
  assert.throws(() => encodePass({ ...pass, signature: new Uint8Array(10) }), /64 bytes, not 10/);
});

test('the Ed25519 instruction carries the pass inline, one signature', async () => {
  const holder = Keypair.generate();
  const pass = await signPass(signer(holder), mint, { now: 1_750_000_000 });
  const ix = passInstruction(pass);
  const message = passMessage(mint, pass.expiresAt);
  assert.ok(ix.programId.equals(Ed25519Program.programId));
  assert.equal(ix.programId.toBase58(), 'Ed25519SigVerify111111111111111111111111111');
  assert.deepEqual(ix.keys, []);
  const d = ix.data;
  assert.equal(d[0], 1, 'one signature');
  assert.equal(d[1], 0, 'padding');
  const u16 = (at: number) => d.readUInt16LE(at);
  // offsets into this instruction's own data (index u16::MAX: the instruction itself)
  assert.deepEqual(
    {
      signatureOffset: u16(2),
      signatureIx: u16(4),
      publicKeyOffset: u16(6),
      publicKeyIx: u16(8),
      messageOffset: u16(10),
      messageSize: u16(12),
      messageIx: u16(14),
    },
    {
      signatureOffset: 48,
      signatureIx: 0xffff,
      publicKeyOffset: 16,
      publicKeyIx: 0xffff,
      messageOffset: 112,
      messageSize: message.length,
      messageIx: 0xffff,
    },
  );
  assert.deepEqual(d.subarray(16, 48), holder.publicKey.toBuffer());
  assert.deepEqual(d.subarray(48, 112), Buffer.from(pass.signature));
  assert.deepEqual(d.subarray(112), Buffer.from(message));
  assert.equal(d.length, 112 + message.length);
});

/** A connection that serves encoded accounts from a map, and nothing else. */
class StubChain extends Connection {
  readonly accounts = new Map<string, AccountInfo<Buffer>>();
  constructor() {
    super('http://127.0.0.1:9');
  }
  override async getAccountInfo(key: PublicKey): Promise<AccountInfo<Buffer> | null> {
    return this.accounts.get(key.toBase58()) ?? null;
  }
  override async getAccountInfoAndContext(key: PublicKey) {
    return { context: { slot: 1 }, value: await this.getAccountInfo(key) };
  }
  override async getMultipleAccountsInfo(keys: PublicKey[]) {
    return keys.map((k) => this.accounts.get(k.toBase58()) ?? null);
  }
}

test('checkInInstructions: the pass, then check_in signed by the gatekeeper alone', async () => {
  const chain = new StubChain();
  const sdk = new BitTicket(new AnchorProvider(chain, new Wallet(Keypair.generate()), {}));
  const coder = new Program<Bitticket>(IDL as unknown as Bitticket, sdk.provider).coder.accounts;
  const [organizer, event, gatekeeper] = [0, 0, 0].map(() => Keypair.generate().publicKey);
  const holder = Keypair.generate();
  const put = async (at: PublicKey, name: string, value: unknown) =>
    chain.accounts.set(at.toBase58(), {
      data: await coder.encode(name, value),
      owner: PROGRAM_ID,
      lamports: 1,
      executable: false,
      rentEpoch: 0,
    });
  const [ticket] = ticketPda(mint);
  await put(ticket, 'ticket', {
    version: CONSTANTS.ACCOUNT_VERSION,
    event,
    mint,
    holder: holder.publicKey,
    serial: 0,
    shardIndex: 0,
    pricePaid: new BN(1),
    state: { valid: {} },
    checkedInAt: new BN(0),
    bump: 255,
  });
  await put(event, 'event', {
    version: CONSTANTS.ACCOUNT_VERSION,
    organizer,
    eventId: new BN(0),
    bump: 255,
    config: {
      priceLamports: new BN(1),
      supply: 10,
      saleStart: new BN(0),
      saleEnd: new BN(100),
      resaleUnlock: new BN(50),
      maxPerWallet: 2,
      checkInStart: new BN(50),
      checkInEnd: new BN(200),
      name: 'Fest',
      uri: '',
    },
    shardCount: 1,
    shardsOpened: 1,
    paused: false,
    cancelled: false,
    cancelledAt: new BN(0),
    approved: true,
  });
  const pass: Pass = await signPass(signer(holder), mint, { now: 1_750_000_000 });
  const [ed, ci] = await checkInInstructions(sdk, gatekeeper, pass);
  assert.deepEqual(ed, passInstruction(pass));
  assert.ok(ci.programId.equals(PROGRAM_ID));
  const b58 = (ks: PublicKey[]) => ks.map((k) => k.toBase58());
  assert.deepEqual(
    b58(ci.keys.map((k) => k.pubkey)),
    b58([
      gatekeeper,
      holder.publicKey,
      organizer,
      event,
      mint,
      ticket,
      ticketTokenAccount(holder.publicKey, mint),
      SYSVAR_INSTRUCTIONS_PUBKEY,
    ]),
  );
  assert.deepEqual(
    ci.keys.filter((k) => k.isSigner).map((k) => k.pubkey.toBase58()),
    [gatekeeper.toBase58()],
    'only the gatekeeper signs',
  );
  assert.ok(ci.keys.find((k) => k.pubkey.equals(ticket))?.isWritable, 'the ticket is written');
  // the argument: expires_at as an i64 after the discriminator
  const args = new BorshCoder(sdk.program.idl).instruction.decode(ci.data);
  assert.equal(args?.name, 'checkIn');
  assert.equal((args?.data as { expiresAt: BN }).expiresAt.toNumber(), pass.expiresAt);
});
