// The door's decision over accounts as the SDK decodes them (encoded and decoded by the
// IDL's own coder, so the shapes are the real ones): admitted, then each refusal in turn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnchorProvider, BN, Program, Wallet } from '@anchor-lang/core';
import { Connection, Keypair, PublicKey } from '@solana/web3.js';

import { Bitticket, CONSTANTS, Event, IDL, Organizer, REFUSALS, Role, Seen, Ticket, admit } from '../src';

// the program's own coder (the IDL as @anchor-lang/core reads it); no node is contacted
const provider = new AnchorProvider(new Connection('http://127.0.0.1:9'), new Wallet(Keypair.generate()), {});
const coder = new Program<Bitticket>(IDL as unknown as Bitticket, provider).coder.accounts;
const key = () => Keypair.generate().publicKey;

async function roundTrip<T>(name: string, value: object): Promise<T> {
  const data = await coder.encode(name, value);
  return coder.decode(name, data) as T;
}

async function world() {
  const [organizer, event, mint, holder, gate] = [key(), key(), key(), key(), key()];
  const ticket = await roundTrip<Ticket>('ticket', {
    version: CONSTANTS.ACCOUNT_VERSION,
    event,
    mint,
    holder,
    serial: 0,
    shardIndex: 0,
    pricePaid: new BN(1),
    state: { valid: {} },
    checkedInAt: new BN(0),
    bump: 255,
  });
  const config = {
    priceLamports: new BN(1),
    supply: 10,
    saleStart: new BN(0),
    saleEnd: new BN(100),
    resaleUnlock: new BN(50),
    maxPerWallet: 2,
    checkInStart: new BN(50),
    checkInEnd: new BN(200),
    name: 'Fest',
    uri: 'https://example.com/e.json',
  };
  const ev = await roundTrip<Event>('event', {
    version: CONSTANTS.ACCOUNT_VERSION,
    organizer,
    eventId: new BN(0),
    bump: 255,
    config,
    shardCount: 1,
    shardsOpened: 1,
    paused: false,
    cancelled: false,
    cancelledAt: new BN(0),
    approved: true,
  });
  const org = await roundTrip<Organizer>('organizer', {
    version: CONSTANTS.ACCOUNT_VERSION,
    creator: holder,
    organizerId: new BN(1),
    nextEventId: new BN(1),
    bump: 255,
    vaultBump: 255,
    threshold: 1,
    timeLock: 0,
    transactionIndex: new BN(0),
    staleTransactionIndex: new BN(0),
    members: [{ key: gate, permissions: Role.GATEKEEPER }],
    spendingLimits: [],
    outflowCaps: [],
    name: 'Fest & Co',
  });
  const claim = { organizer, event, mint, holder, gatekeeper: gate };
  const seen: Seen = {
    ticket,
    event: ev,
    holderToken: { mint, owner: holder, amount: 1n },
    organizer: org,
    now: 100,
  };
  return { claim, seen };
}

test('a valid ticket in its window enters; each broken rule is refused by its name', async () => {
  const { claim, seen } = await world();
  assert.equal(admit(claim, seen), null);
  const cases: [string, (s: Seen) => Seen, (typeof REFUSALS)[number]][] = [
    ['no ticket', (s) => ({ ...s, ticket: null }), 'not_on_chain'],
    ['checked in', (s) => ({ ...s, ticket: { ...s.ticket!, state: { checkedIn: {} } } }), 'checked_in'],
    ['refunded', (s) => ({ ...s, ticket: { ...s.ticket!, state: { refunded: {} } } }), 'refunded'],
    ['another event', (s) => ({ ...s, ticket: { ...s.ticket!, event: key() } }), 'wrong_event'],
    ['another holder', (s) => ({ ...s, ticket: { ...s.ticket!, holder: key() } }), 'holder_changed'],
    ['another organizer', (s) => ({ ...s, event: { ...s.event!, organizer: key() } }), 'wrong_event'],
    ['cancelled', (s) => ({ ...s, event: { ...s.event!, cancelled: true } }), 'event_cancelled'],
    ['too early', (s) => ({ ...s, now: 49 }), 'outside_check_in'],
    ['at the end', (s) => ({ ...s, now: 200 }), 'outside_check_in'],
    ['not a gatekeeper', (s) => ({ ...s, organizer: { ...s.organizer!, members: [] } }), 'not_a_gatekeeper'],
    ['token moved', (s) => ({ ...s, holderToken: { ...s.holderToken!, amount: 0n } }), 'holder_changed'],
    ['no token account', (s) => ({ ...s, holderToken: null }), 'holder_changed'],
  ];
  for (const [what, change, want] of cases) {
    assert.equal(admit(claim, change(seen)), want, what);
  }
  // without a scanner to check, the role is not asked
  const noGate = { ...claim, gatekeeper: undefined };
  assert.equal(admit(noGate, { ...seen, organizer: null }), null);
  assert.ok(REFUSALS.includes('already_admitted'));
  assert.ok(new PublicKey(claim.mint).equals(claim.mint));
});
