// The IDL as an app developer's client sees it: @anchor-lang/core (Anchor 1.x) loads
// idl/bitticket.json, decodes every account type and resolves every PDA from the IDL's
// seeds alone. No node is contacted.
const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const anchor = require('@anchor-lang/core');
const { Keypair, PublicKey, Connection } = require('@solana/web3.js');

const idl = require(path.join(__dirname, '../../idl/bitticket.json'));
// every ticket's mint is a Token-2022 mint: its holders' accounts are Token-2022 ATAs
const TOKEN = new PublicKey('TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb');
const ATA = new PublicKey('ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL');

const wallet = new anchor.Wallet(Keypair.generate());
const program = new anchor.Program(
  idl,
  new anchor.AnchorProvider(new Connection('http://127.0.0.1:9'), wallet, {}),
);
const pid = program.programId;
const me = wallet.publicKey;
const le = (n, bytes) => new anchor.BN(n).toArrayLike(Buffer, 'le', bytes);
const pda = (seeds, id = pid) => PublicKey.findProgramAddressSync(seeds, id)[0];
const org = pda([Buffer.from('organizer'), me.toBuffer(), le(7, 8)]);
const event = pda([Buffer.from('event'), org.toBuffer(), le(0, 8)]);

test('every account type has a decoder, BuyerRecord included', async () => {
  assert.deepStrictEqual(Object.keys(program.account).sort(), [
    'buyerRecord', 'event', 'listing', 'organizer', 'proposal', 'shard', 'ticket', 'tier',
  ]);
  const tiers = Array.from({ length: 8 }, (_, i) => ({ bought: i === 2 ? 1 : 0, phase: 0, inPhase: i === 2 ? 1 : 0 }));
  const record = { version: 1, event, buyer: me, purchased: 3, bump: 254, tiers };
  const data = await program.coder.accounts.encode('buyerRecord', record);
  const back = program.coder.accounts.decode('buyerRecord', data);
  assert.ok(back.event.equals(event) && back.buyer.equals(me));
  assert.strictEqual(back.purchased, 3);
  assert.strictEqual(back.tiers[2].bought, 1);
});

test('list_ticket resolves the ticket, the seller\'s token account and the listing from the mint', async () => {
  const mint = Keypair.generate().publicKey;
  const keys = await program.methods
    .listTicket(new anchor.BN(1e8))
    .accounts({ seller: me, event, mint })
    .pubkeys();
  const ticket = pda([Buffer.from('ticket'), mint.toBuffer()]);
  assert.ok(keys.ticket.equals(ticket));
  assert.ok(keys.listing.equals(pda([Buffer.from('listing'), ticket.toBuffer()])));
  assert.ok(keys.sellerToken.equals(pda([me.toBuffer(), TOKEN.toBuffer(), mint.toBuffer()], ATA)));
});

test('create_proposal resolves its proposal from the index argument', async () => {
  const keys = await program.methods
    .createProposal(new anchor.BN(5), { setTimeLock: { seconds: 60 } })
    .accounts({ organizer: org, proposer: me })
    .pubkeys();
  assert.ok(keys.proposal.equals(pda([Buffer.from('proposal'), org.toBuffer(), le(5, 8)])));
});

test('open_shard resolves its shard from the index argument', async () => {
  const keys = await program.methods
    .openShard(3)
    .accounts({ organizer: org, event, manager: me })
    .pubkeys();
  assert.ok(keys.shard.equals(pda([Buffer.from('shard'), event.toBuffer(), Buffer.from([3])])));
});

test('purchase resolves the buyer record, the ticket and the buyer token account', async () => {
  const mint = Keypair.generate().publicKey;
  const shard = pda([Buffer.from('shard'), event.toBuffer(), Buffer.from([0])]);
  const keys = await program.methods
    .purchase({ ticket: 255, buyerRecord: 255 }, new anchor.BN(1e9))
    .accounts({ buyer: me, event, shard, mint })
    .pubkeys();
  assert.ok(keys.buyerRecord.equals(pda([Buffer.from('buyer'), event.toBuffer(), me.toBuffer()])));
  assert.ok(keys.ticket.equals(pda([Buffer.from('ticket'), mint.toBuffer()])));
  assert.ok(keys.buyerToken.equals(pda([me.toBuffer(), TOKEN.toBuffer(), mint.toBuffer()], ATA)));
});

test('constants and errors are there by name', () => {
  const constant = (name) => idl.constants.find((c) => c.name === name);
  assert.strictEqual(constant('GATEKEEPER').value, '8');
  assert.ok(constant('REFUND_PERIOD') && constant('MAX_TIME_LOCK'));
  const error = idl.errors.find((e) => e.name === 'PriceAboveMaximum');
  assert.ok(error && error.code >= 6000 && error.msg);
  for (const ix of idl.instructions) assert.ok(ix.docs && ix.docs.length, ix.name);
});
