// The SDK against the local validator that scripts/test.sh starts (BITTICKET_TEST_RPC):
// build, sign and send a purchase (a Token-2022 NFT with its metadata), a transfer and a
// check-in by the holder's pass; a cancelled event's refund, burn and buyer record's close;
// events parsed from the logs; refusals read by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnchorProvider, BN, Wallet } from '@anchor-lang/core';
import {
  Connection,
  Keypair,
  LAMPORTS_PER_SOL,
  PublicKey,
  SystemProgram,
  Transaction,
  TransactionInstruction,
  sendAndConfirmTransaction,
} from '@solana/web3.js';
import { createPrivateKey, sign } from 'node:crypto';
import {
  AllowList,
  BitTicket,
  MessageSigner,
  Pass,
  Role,
  checkInInstructions,
  decodePass,
  encodePass,
  passInstruction,
  passMessage,
  signPass,
  organizerPda,
  buyerRecordPda,
  programError,
  ticketBumps,
  ticketMint,
  ticketPda,
  tierPda,
  allowListLeaf,
  PROGRAM_ID,
  IDL,
  CONSTANTS,
  ASSOCIATED_TOKEN_PROGRAM_ID,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  TokenCurrency,
  currencyAccount,
  openTokenAccount,
  shardPda,
  ticketTokenAccount,
} from '../src';

const url = process.env.BITTICKET_TEST_RPC;
const connection = url ? new Connection(url, 'confirmed') : undefined;

async function funded(sol: number): Promise<Keypair> {
  const k = Keypair.generate();
  const c = connection!;
  const sig = await c.requestAirdrop(k.publicKey, sol * LAMPORTS_PER_SOL);
  const { blockhash, lastValidBlockHeight } = await c.getLatestBlockhash();
  await c.confirmTransaction({ signature: sig, blockhash, lastValidBlockHeight }, 'confirmed');
  return k;
}

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

/** The program's refusal of a second check-in. */
const ALREADY_CHECKED_IN = 'AlreadyCheckedIn';

async function send(ixs: TransactionInstruction[], signers: Keypair[]): Promise<string> {
  return sendAndConfirmTransaction(connection!, new Transaction().add(...ixs), signers, {
    commitment: 'confirmed',
  });
}

async function logsOf(signature: string): Promise<string[]> {
  const tx = await connection!.getTransaction(signature, {
    commitment: 'confirmed',
    maxSupportedTransactionVersion: 0,
  });
  return tx?.meta?.logMessages ?? [];
}

/** The fee a transaction's payer paid, in lamports. */
async function feeOf(signature: string): Promise<number> {
  const tx = await connection!.getTransaction(signature, {
    commitment: 'confirmed',
    maxSupportedTransactionVersion: 0,
  });
  return tx!.meta!.fee;
}

/**
 * A ticket's NFT as a wallet reads it: its mint (owned by Token-2022) with the token
 * metadata inside it (name, symbol, URI), and `holder`'s balance of it.
 */
async function ticketNft(mint: PublicKey, holder: PublicKey) {
  const info = await connection!.getAccountInfo(mint);
  assert.ok(info, `the mint ${mint.toBase58()} exists`);
  const data = info.data;
  let metadata: { name: string; symbol: string; uri: string } | null = null;
  // the extensions after the base mint padded to 165 bytes and the account type, in TLV
  // (u16 type, u16 length); the token metadata's (19) starts with its update authority
  // and mint, then Borsh strings
  for (let at = 166; at + 4 <= data.length && !metadata; at += 4 + data.readUInt16LE(at + 2)) {
    if (data.readUInt16LE(at) !== 19) continue;
    let p = at + 4 + 64;
    const text = () => {
      const n = data.readUInt32LE(p);
      p += 4 + n;
      return data.subarray(p - n, p).toString('utf8');
    };
    metadata = { name: text(), symbol: text(), uri: text() };
  }
  const balance = await connection!.getTokenAccountBalance(ticketTokenAccount(holder, mint));
  return { owner: info.owner, metadata, balance: balance.value.amount };
}

test('PDAs, bumps and the mint choice match the program', () => {
  const buyer = Keypair.generate().publicKey;
  assert.equal(PROGRAM_ID.toBase58(), IDL.address);
  const mint = ticketMint(buyer);
  const bumps = ticketBumps(PublicKey.default, buyer, mint.publicKey);
  assert.equal(bumps.ticket, 255);
  assert.equal(ticketPda(mint.publicKey)[1], 255);
  // the buyer's token account of the mint: associated under Token-2022, bump 255 too
  const [account, accountBump] = PublicKey.findProgramAddressSync(
    [buyer.toBuffer(), TOKEN_2022_PROGRAM_ID.toBuffer(), mint.publicKey.toBuffer()],
    ASSOCIATED_TOKEN_PROGRAM_ID,
  );
  assert.equal(accountBump, 255);
  assert.ok(ticketTokenAccount(buyer, mint.publicKey).equals(account));
  const [org, bump] = organizerPda(buyer, 7);
  assert.ok(PublicKey.isOnCurve(buyer.toBuffer()) && !PublicKey.isOnCurve(org.toBuffer()));
  assert.ok(bump <= 255);
});

test('a purchase, a transfer and a check-in on the validator', async () => {
  assert.ok(url, 'BITTICKET_TEST_RPC (a validator) is not set: run scripts/test.sh');
  const creator = await funded(10);
  const provider = new AnchorProvider(connection!, new Wallet(creator), { commitment: 'confirmed' });
  const sdk = new BitTicket(provider);
  const [organizer] = organizerPda(creator.publicKey, 0);
  const gatekeeper = await funded(1);
  await send(
    [
      await sdk.createOrganizer(creator.publicKey, 0, { name: 'SDK & Co' }),
      await sdk.addMember(organizer, creator.publicKey, gatekeeper.publicKey, Role.GATEKEEPER),
    ],
    [creator],
  );
  const now = (await connection!.getBlockTime(await connection!.getSlot()))!;
  const { event, instructions } = await sdk.createEvent(
    organizer,
    creator.publicKey,
    {
      priceLamports: new BN(LAMPORTS_PER_SOL / 10),
      supply: 10,
      saleStart: new BN(now - 5),
      saleEnd: new BN(now + 3600),
      resaleUnlock: new BN(now - 5),
      maxPerWallet: 2,
      checkInStart: new BN(now - 5),
      checkInEnd: new BN(now + 3600),
      name: 'SDK night',
      uri: '',
    },
    2,
  );
  await send(instructions, [creator]);

  // the buyer signs its own purchase, with the mint keypair the SDK chose
  const buyer = await funded(1);
  const { instruction, mint } = await sdk.purchase(buyer.publicKey, event);
  const bought = await send([instruction], [buyer, mint]);
  const events = sdk.parseEvents(await logsOf(bought));
  assert.deepEqual(
    events.map((e) => e.name),
    ['ticketPurchased'],
  );
  let t = await sdk.fetchTicket(mint.publicKey);
  assert.ok(t.holder.equals(buyer.publicKey));
  assert.equal(t.event.toBase58(), event.toBase58());
  // the NFT is a Token-2022 mint with the metadata wallets show, in the buyer's account
  const nft = await ticketNft(mint.publicKey, buyer.publicKey);
  assert.equal(nft.owner.toBase58(), TOKEN_2022_PROGRAM_ID.toBase58());
  assert.deepEqual(nft.metadata, {
    name: `SDK night #${t.serial}`,
    symbol: CONSTANTS.TICKET_SYMBOL,
    uri: `${t.serial}`,
  });
  assert.equal(nft.balance, '1');
  assert.equal((await sdk.ticketsOf(buyer.publicKey)).length, 1);
  // either id names the ticket: its account or its mint
  const byAccount = await sdk.resolveTicket(ticketPda(mint.publicKey)[0]);
  assert.equal(byAccount.mint.toBase58(), mint.publicKey.toBase58());
  const byMint = await sdk.resolveTicket(mint.publicKey);
  assert.equal(byMint.ticket.toBase58(), ticketPda(mint.publicKey)[0].toBase58());
  // the organizer's catalogue on chain: exactly its one event
  assert.deepEqual(
    (await sdk.listEvents(organizer)).map((e) => [e.publicKey.toBase58(), e.account.config.name]),
    [[event.toBase58(), 'SDK night']],
  );
  assert.ok((await sdk.listEvents()).some((e) => e.publicKey.equals(event)));

  // above the price the buyer agreed to: refused, by name
  const { instruction: tooCheap, mint: m2 } = await sdk.purchase(buyer.publicKey, event, {
    maxPrice: new BN(1),
  });
  await assert.rejects(send([tooCheap], [buyer, m2]), (e) => {
    assert.equal(programError(e)?.name, 'PriceAboveMaximum');
    return true;
  });

  // resale is open: the ticket moves to a friend
  const friend = await funded(1);
  await send([await sdk.transfer(buyer.publicKey, friend.publicKey, mint.publicKey)], [buyer]);
  t = await sdk.fetchTicket(mint.publicKey);
  assert.ok(t.holder.equals(friend.publicKey));
  assert.equal((await ticketNft(mint.publicKey, friend.publicKey)).balance, '1');

  // the holder signs a pass (its wallet signs a message, nothing else); the check-in is
  // the pass's Ed25519 instruction, then check_in, signed by the gatekeeper alone
  const clock = async () => (await connection!.getBlockTime(await connection!.getSlot()))!;
  const holder = signer(friend);
  const refused = async (ixs: TransactionInstruction[], name: string) =>
    assert.rejects(send(ixs, [gatekeeper]), (e) => {
      assert.equal(programError(e)?.name, name, String(e));
      return true;
    });
  // refusals first, by name: no pass before check_in, a pass past its expiry, one that
  // names another expiry than check_in's, one valid for longer than ten minutes
  const pass = await signPass(holder, mint.publicKey, { now: await clock() });
  const checkIn = await sdk.checkIn(gatekeeper.publicKey, pass);
  await refused([checkIn], 'PassMissing');
  const stale = await signPass(holder, mint.publicKey, { now: (await clock()) - 121 });
  await refused(await checkInInstructions(sdk, gatekeeper.publicKey, stale), 'PassExpired');
  await refused(
    [passInstruction(pass), await sdk.checkIn(gatekeeper.publicKey, { ...pass, expiresAt: pass.expiresAt + 1 })],
    'PassMismatch',
  );
  const far = (await clock()) + 3_600;
  const tooLong: Pass = {
    mint: mint.publicKey,
    holder: friend.publicKey,
    expiresAt: far,
    signature: await holder.signMessage(passMessage(mint.publicKey, far)),
  };
  await refused(await checkInInstructions(sdk, gatekeeper.publicKey, tooLong), 'PassTooLong');
  // a pass by another wallet than the holder's (its own, valid signature)
  const stranger = await signPass(signer(Keypair.generate()), mint.publicKey, { now: await clock() });
  await assert.rejects(send(await checkInInstructions(sdk, gatekeeper.publicKey, stranger), [gatekeeper]), (e) => {
    assert.ok(programError(e), `refused by the program: ${e}`);
    return true;
  });
  t = await sdk.fetchTicket(mint.publicKey);
  assert.ok('valid' in t.state, 'no refused check-in changed the ticket');

  // the pass through its text form, as the CLI takes it
  const checked = await send(
    await checkInInstructions(sdk, gatekeeper.publicKey, decodePass(encodePass(pass))),
    [gatekeeper],
  );
  assert.deepEqual(
    sdk.parseEvents(await logsOf(checked)).map((e) => e.name),
    ['ticketCheckedIn'],
  );
  t = await sdk.fetchTicket(mint.publicKey);
  assert.ok('checkedIn' in t.state);
  // a second check-in, with a fresh pass: refused
  const again = await signPass(holder, mint.publicKey, { now: await clock() });
  await refused(await checkInInstructions(sdk, gatekeeper.publicKey, again), ALREADY_CHECKED_IN);

  // used, the ticket burns only once the event's check-in has ended (in an hour: not
  // waited for here), and the buyer's record closes only then
  await assert.rejects(send([await sdk.burnTicket(friend.publicKey, mint.publicKey)], [friend]), (e) => {
    assert.equal(programError(e)?.name, 'EventNotOver', String(e));
    return true;
  });
  await assert.rejects(send([await sdk.closeBuyerRecord(event, buyer.publicKey)], [gatekeeper]), (e) => {
    assert.equal(programError(e)?.name, 'EventNotOver', String(e));
    return true;
  });
});

test('a shard on the validator: swept after a short event, then closed with its rent to its opener', async () => {
  assert.ok(url, 'BITTICKET_TEST_RPC (a validator) is not set: run scripts/test.sh');
  const creator = await funded(10);
  const provider = new AnchorProvider(connection!, new Wallet(creator), { commitment: 'confirmed' });
  const sdk = new BitTicket(provider);
  const [organizer] = organizerPda(creator.publicKey, 0);
  await send([await sdk.createOrganizer(creator.publicKey, 0, { name: 'Short & Co' })], [creator]);
  const now = (await connection!.getBlockTime(await connection!.getSlot()))!;
  const end = now + 15;
  const { event, instructions } = await sdk.createEvent(
    organizer,
    creator.publicKey,
    {
      priceLamports: new BN(LAMPORTS_PER_SOL / 10),
      supply: 10,
      saleStart: new BN(now - 5),
      saleEnd: new BN(end),
      resaleUnlock: new BN(end),
      maxPerWallet: 2,
      checkInStart: new BN(now - 5),
      checkInEnd: new BN(end),
      name: 'Short night',
      uri: 'https://example.com/s/',
    },
    1,
  );
  await send(instructions, [creator]);
  const buyer = await funded(1);
  const { instruction, mint } = await sdk.purchase(buyer.publicKey, event);
  await send([instruction], [buyer, mint]);
  const cranker = await funded(1);
  // not before the event is over
  await assert.rejects(send([await sdk.closeShard(event, 0)], [cranker]), (e) => {
    assert.equal(programError(e)?.name, 'EventNotOver', String(e));
    return true;
  });
  while ((await connection!.getBlockTime(await connection!.getSlot()))! <= end) {
    await new Promise((r) => setTimeout(r, 500));
  }
  // over, but holding the sale's proceeds: swept first
  await assert.rejects(send([await sdk.closeShard(event, 0)], [cranker]), (e) => {
    assert.equal(programError(e)?.name, 'ShardHoldsProceeds', String(e));
    return true;
  });
  const sweep = await sdk.program.methods
    .sweepShard(0)
    .accounts({ event, till: null, currencyMint: null, vaultCurrency: null, currencyProgram: null })
    .instruction();
  await send([sweep], [cranker]);
  const [shard] = shardPda(event, 0);
  assert.ok((await sdk.program.account.shard.fetch(shard)).openedBy.equals(creator.publicKey));
  const rent = (await connection!.getAccountInfo(shard))!.lamports;
  const before = await connection!.getBalance(creator.publicKey);
  const closed = await send([await sdk.closeShard(event, 0)], [cranker]);
  const [c] = sdk.parseEvents(await logsOf(closed));
  assert.equal(c.name, 'shardClosed');
  assert.equal((c.data.rent as BN).toNumber(), rent);
  assert.ok((c.data.rentTo as PublicKey).equals(creator.publicKey));
  assert.equal((await connection!.getBalance(creator.publicKey)) - before, rent);
  assert.equal(await connection!.getAccountInfo(shard), null);
});

test('a cancelled event on the validator: refunded, the ticket burned for its rent, the buyer record closed', async () => {
  assert.ok(url, 'BITTICKET_TEST_RPC (a validator) is not set: run scripts/test.sh');
  const creator = await funded(10);
  const provider = new AnchorProvider(connection!, new Wallet(creator), { commitment: 'confirmed' });
  const sdk = new BitTicket(provider);
  const [organizer] = organizerPda(creator.publicKey, 0);
  await send([await sdk.createOrganizer(creator.publicKey, 0, { name: 'Burn & Co' })], [creator]);
  const now = (await connection!.getBlockTime(await connection!.getSlot()))!;
  const price = LAMPORTS_PER_SOL / 10;
  const { event, instructions } = await sdk.createEvent(
    organizer,
    creator.publicKey,
    {
      priceLamports: new BN(price),
      supply: 10,
      saleStart: new BN(now - 5),
      saleEnd: new BN(now + 3600),
      resaleUnlock: new BN(now + 3600),
      maxPerWallet: 2,
      checkInStart: new BN(now + 3600),
      checkInEnd: new BN(now + 7200),
      name: 'Cancelled night',
      uri: 'https://example.com/t/',
    },
    1,
  );
  await send(instructions, [creator]);
  const buyer = await funded(1);
  const { instruction, mint } = await sdk.purchase(buyer.publicKey, event);
  await send([instruction], [buyer, mint]);
  const t = await sdk.fetchTicket(mint.publicKey);
  // its metadata's URI: the event's, followed by the serial
  const { metadata } = await ticketNft(mint.publicKey, buyer.publicKey);
  assert.equal(metadata?.uri, `https://example.com/t/${t.serial}`);

  // a 1-of-1 organizer's manager cancels at once; the refund is owed until claimed, and
  // the ticket does not burn before
  await send(
    [
      await sdk.program.methods
        .cancelEvent()
        .accounts({ event, manager: creator.publicKey })
        .instruction(),
    ],
    [creator],
  );
  await assert.rejects(send([await sdk.burnTicket(buyer.publicKey, mint.publicKey)], [buyer]), (e) => {
    assert.equal(programError(e)?.name, 'RefundStillOwed', String(e));
    return true;
  });
  const refund = await sdk.program.methods
    .claimRefund()
    .accounts({
      holder: buyer.publicKey,
      mint: mint.publicKey,
      holderToken: ticketTokenAccount(buyer.publicKey, mint.publicKey),
      till: null,
      currencyMint: null,
      holderCurrency: null,
      currencyProgram: null,
    })
    .instruction();
  await send([refund], [buyer]);
  assert.ok('refunded' in (await sdk.fetchTicket(mint.publicKey)).state);

  // refunded, it burns: the mint, the token account and the ticket close, all their rent
  // to the holder
  const [ticket] = ticketPda(mint.publicKey);
  const closed = [mint.publicKey, ticketTokenAccount(buyer.publicKey, mint.publicKey), ticket];
  const held = (await connection!.getMultipleAccountsInfo(closed)).reduce(
    (sum, a) => sum + a!.lamports,
    0,
  );
  const before = await connection!.getBalance(buyer.publicKey);
  const burned = await send([await sdk.burnTicket(buyer.publicKey, mint.publicKey)], [buyer]);
  const [b] = sdk.parseEvents(await logsOf(burned));
  assert.equal(b.name, 'ticketBurned');
  assert.equal((b.data.rent as BN).toNumber(), held);
  assert.equal(b.data.serial, t.serial);
  assert.equal((await connection!.getBalance(buyer.publicKey)) - before, held - (await feeOf(burned)));
  assert.deepEqual(await connection!.getMultipleAccountsInfo(closed), [null, null, null]);
  assert.equal((await sdk.ticketsOf(buyer.publicKey)).length, 0);

  // anyone closes the buyer's record (here the organizer's creator pays the fee); its rent
  // goes to the buyer
  const record = buyerRecordPda(event, buyer.publicKey)[0];
  const recordRent = (await connection!.getAccountInfo(record))!.lamports;
  const beforeClose = await connection!.getBalance(buyer.publicKey);
  const closedRecord = await send([await sdk.closeBuyerRecord(event, buyer.publicKey)], [creator]);
  const [c] = sdk.parseEvents(await logsOf(closedRecord));
  assert.equal(c.name, 'buyerRecordClosed');
  assert.equal((c.data.rent as BN).toNumber(), recordRent);
  assert.equal((await connection!.getBalance(buyer.publicKey)) - beforeClose, recordRent);
  assert.equal(await sdk.fetchBuyerRecord(record), null);
});

test('an allow-list built in TypeScript proves each wallet and nobody else', () => {
  const event = Keypair.generate().publicKey;
  const wallets = Array.from({ length: 5 }, () => Keypair.generate().publicKey);
  const list = new AllowList(event, 1, 0, wallets);
  for (const w of wallets) {
    assert.ok(AllowList.verify(list.root(), allowListLeaf(event, 1, 0, w), list.proof(w)));
    // the same wallet in another phase is another leaf
    assert.ok(!AllowList.verify(list.root(), allowListLeaf(event, 1, 1, w), list.proof(w)));
  }
  assert.throws(() => list.proof(Keypair.generate().publicKey), /not on the allow-list/);
});

test('a tier presale bought with the wallet\'s allow-list proof on the validator', async () => {
  assert.ok(url, 'BITTICKET_TEST_RPC (a validator) is not set: run scripts/test.sh');
  const creator = await funded(10);
  const provider = new AnchorProvider(connection!, new Wallet(creator), { commitment: 'confirmed' });
  const sdk = new BitTicket(provider);
  const [organizer] = organizerPda(creator.publicKey, 0);
  await send([await sdk.createOrganizer(creator.publicKey, 0, { name: 'Tiers & Co' })], [creator]);
  const now = (await connection!.getBlockTime(await connection!.getSlot()))!;
  // the sale opens in 8 s: a tier is set before
  const start = now + 8;
  const { event, instructions } = await sdk.createEvent(
    organizer,
    creator.publicKey,
    {
      priceLamports: new BN(LAMPORTS_PER_SOL / 10),
      supply: 4,
      saleStart: new BN(start),
      saleEnd: new BN(now + 3600),
      resaleUnlock: new BN(now + 3600),
      maxPerWallet: 4,
      checkInStart: new BN(start),
      checkInEnd: new BN(now + 7200),
      name: 'Tier night',
      uri: '',
    },
    1,
  );
  await send(instructions, [creator]);
  const fan = await funded(1);
  const list = new AllowList(event, 0, 0, [fan.publicKey, Keypair.generate().publicKey]);
  const tier = await sdk.createTier(
    organizer,
    event,
    creator.publicKey,
    {
      name: 'VIP',
      supply: 2,
      maxPerWallet: 2,
      phases: [
        {
          start: new BN(start),
          end: new BN(now + 3600),
          price: new BN(LAMPORTS_PER_SOL / 20),
          maxPerWallet: 1,
          allowList: list.root(),
        },
      ],
    },
    1,
  );
  await send(tier.instructions, [creator]);
  assert.equal(tier.tier.toBase58(), tierPda(event, 0)[0].toBase58());
  const t = await sdk.fetchTier(event, 0);
  assert.equal(t.firstShard, 1);
  while ((await connection!.getBlockTime(await connection!.getSlot()))! < start) {
    await new Promise((r) => setTimeout(r, 500));
  }
  const { instruction, mint, price } = await sdk.purchaseTier(fan.publicKey, event, 0, {
    proof: list.proof(fan.publicKey),
  });
  assert.equal(price.toNumber(), LAMPORTS_PER_SOL / 20);
  await send([instruction], [fan, mint]);
  const ticket = await sdk.fetchTicket(mint.publicKey);
  assert.equal(ticket.tier, 0);
  assert.equal(ticket.pricePaid.toNumber(), LAMPORTS_PER_SOL / 20);
  // without a proof: refused by name
  const again = await sdk.purchaseTier(fan.publicKey, event, 0);
  await assert.rejects(send([again.instruction], [fan, again.mint]), (e) => {
    assert.ok(['NotAllowListed', 'PhaseLimitReached'].includes(programError(e)?.name ?? ''));
    return true;
  });
});

test('a capped resale on the validator: listed, refused above the cap, bought with its royalty', async () => {
  assert.ok(url, 'BITTICKET_TEST_RPC (a validator) is not set: run scripts/test.sh');
  const creator = await funded(10);
  const provider = new AnchorProvider(connection!, new Wallet(creator), { commitment: 'confirmed' });
  const sdk = new BitTicket(provider);
  const [organizer] = organizerPda(creator.publicKey, 0);
  await send([await sdk.createOrganizer(creator.publicKey, 0, { name: 'Resale & Co' })], [creator]);
  const clock = async () => (await connection!.getBlockTime(await connection!.getSlot()))!;
  // the terms are set with the event, before its sale starts (seconds from now: room for
  // the transaction to land on a loaded machine)
  const start = (await clock()) + 8;
  const price = LAMPORTS_PER_SOL / 10;
  const { event, instructions } = await sdk.createEvent(
    organizer,
    creator.publicKey,
    {
      priceLamports: new BN(price),
      supply: 10,
      saleStart: new BN(start),
      saleEnd: new BN(start + 3600),
      resaleUnlock: new BN(start),
      maxPerWallet: 2,
      checkInStart: new BN(start),
      checkInEnd: new BN(start + 3600),
      name: 'Resale night',
      uri: '',
    },
    1,
  );
  const terms = { capBps: 12_000, royaltyBps: 1_000, transfersLocked: true };
  await send(
    [...instructions, await sdk.setResaleTerms(organizer, event, creator.publicKey, terms)],
    [creator],
  );
  assert.deepEqual((await sdk.fetchEvent(event)).resale, terms);
  while ((await clock()) < start) await new Promise((r) => setTimeout(r, 400));

  const seller = await funded(1);
  const { instruction, mint } = await sdk.purchase(seller.publicKey, event);
  await send([instruction], [seller, mint]);
  // free transfers are off: the market is the only way
  const friend = await funded(1);
  await assert.rejects(
    send([await sdk.transfer(seller.publicKey, friend.publicKey, mint.publicKey)], [seller]),
    (e) => programError(e)?.name === 'TransfersLocked',
  );
  await assert.rejects(
    send([await sdk.listTicket(seller.publicKey, mint.publicKey, (price * 12) / 10 + 1)], [seller]),
    (e) => programError(e)?.name === 'AboveResaleCap',
  );
  const listed = await send(
    [await sdk.listTicket(seller.publicKey, mint.publicKey, (price * 12) / 10)],
    [seller],
  );
  assert.deepEqual(sdk.parseEvents(await logsOf(listed)).map((e) => e.name), ['ticketListed']);
  const listings = await sdk.listingsOf(event);
  assert.equal(listings.length, 1);
  assert.ok(listings[0].account.seller.equals(seller.publicKey));
  assert.equal(listings[0].account.price.toNumber(), (price * 12) / 10);

  const before = await connection!.getBalance(seller.publicKey);
  const sold = await send([await sdk.buyListing(friend.publicKey, mint.publicKey)], [friend]);
  const [e] = sdk.parseEvents(await logsOf(sold));
  assert.equal(e.name, 'listingSold');
  assert.equal((e.data.royalty as BN).toNumber(), (price * 12) / 100);
  const after = await connection!.getBalance(seller.publicKey);
  // the price less the royalty, and the listing's rent back
  assert.ok(after - before > (price * 12) / 10 - (price * 12) / 100, `${after - before}`);
  assert.ok((await sdk.fetchTicket(mint.publicKey)).holder.equals(friend.publicKey));
  assert.equal(await sdk.fetchListing(mint.publicKey), null);
});

/** A USDC-like mint of SPL Token (6 decimals, `authority` mints), made the way an issuer does. */
async function newCurrency(authority: Keypair): Promise<TokenCurrency> {
  const mint = Keypair.generate();
  const space = 82;
  const rent = await connection!.getMinimumBalanceForRentExemption(space);
  // InitializeMint2: decimals, the mint authority, no freeze authority
  const init = new TransactionInstruction({
    programId: TOKEN_PROGRAM_ID,
    keys: [{ pubkey: mint.publicKey, isSigner: false, isWritable: true }],
    data: Buffer.concat([Buffer.from([20, 6]), authority.publicKey.toBuffer(), Buffer.from([0])]),
  });
  await send(
    [
      SystemProgram.createAccount({
        fromPubkey: authority.publicKey,
        newAccountPubkey: mint.publicKey,
        lamports: rent,
        space,
        programId: TOKEN_PROGRAM_ID,
      }),
      init,
    ],
    [authority, mint],
  );
  return { mint: mint.publicKey, program: TOKEN_PROGRAM_ID };
}

/** Opens `owner`'s account in `c` and mints `amount` into it. */
async function fund(c: TokenCurrency, authority: Keypair, owner: PublicKey, amount: bigint) {
  const data = Buffer.alloc(9);
  data.writeUInt8(7, 0); // MintTo
  data.writeBigUInt64LE(amount, 1);
  await send(
    [
      openTokenAccount(authority.publicKey, owner, c),
      new TransactionInstruction({
        programId: c.program,
        keys: [
          { pubkey: c.mint, isSigner: false, isWritable: true },
          { pubkey: currencyAccount(owner, c), isSigner: false, isWritable: true },
          { pubkey: authority.publicKey, isSigner: true, isWritable: false },
        ],
        data,
      }),
    ],
    [authority],
  );
}

test('a tier priced in a USDC-like mint, bought in it on the validator', async () => {
  assert.ok(url, 'BITTICKET_TEST_RPC (a validator) is not set: run scripts/test.sh');
  const creator = await funded(10);
  const provider = new AnchorProvider(connection!, new Wallet(creator), { commitment: 'confirmed' });
  const sdk = new BitTicket(provider);
  const [organizer] = organizerPda(creator.publicKey, 0);
  await send([await sdk.createOrganizer(creator.publicKey, 0, { name: 'Stable & Co' })], [creator]);
  const usdc = await newCurrency(creator);
  const fan = await funded(1);
  await fund(usdc, creator, fan.publicKey, 100_000_000n);
  const now = (await connection!.getBlockTime(await connection!.getSlot()))!;
  const start = now + 8;
  const { event, instructions } = await sdk.createEvent(
    organizer,
    creator.publicKey,
    {
      priceLamports: new BN(LAMPORTS_PER_SOL / 10),
      supply: 4,
      saleStart: new BN(start),
      saleEnd: new BN(now + 3600),
      resaleUnlock: new BN(now + 3600),
      maxPerWallet: 4,
      checkInStart: new BN(start),
      checkInEnd: new BN(now + 7200),
      name: 'Stable night',
      uri: '',
    },
    1,
  );
  await send(instructions, [creator]);
  const price = 25_000_000; // 25 units of the 6-decimal mint
  const phase = { start: new BN(start), end: new BN(now + 3600), price: new BN(price), maxPerWallet: 2 };
  const tier = await sdk.createTier(
    organizer,
    event,
    creator.publicKey,
    { name: 'VIP', supply: 2, maxPerWallet: 2, phases: [{ ...phase, allowList: Array(32).fill(0) }] },
    1,
    { currency: usdc.mint },
  );
  // the tier, its shard, and the shard's till
  await send(tier.instructions, [creator]);
  const t = await sdk.fetchTier(event, 0);
  assert.ok(t.currency.equals(usdc.mint));
  assert.equal(t.currencyDecimals, 6);
  while ((await connection!.getBlockTime(await connection!.getSlot()))! < start) {
    await new Promise((r) => setTimeout(r, 500));
  }
  const { instruction, mint } = await sdk.purchaseTier(fan.publicKey, event, 0);
  await send([instruction], [fan, mint]);
  const balance = async (owner: PublicKey) =>
    Number((await connection!.getTokenAccountBalance(currencyAccount(owner, usdc))).value.amount);
  assert.equal(await balance(fan.publicKey), 100_000_000 - price);
  assert.equal(await balance(shardPda(event, 1)[0]), price, 'the price is in the shard\'s till');
  const ticket = await sdk.fetchTicket(mint.publicKey);
  assert.equal(ticket.pricePaid.toNumber(), price);
  // paid in a classic SPL Token mint, the ticket is still a Token-2022 NFT
  const nft = await ticketNft(mint.publicKey, fan.publicKey);
  assert.equal(nft.owner.toBase58(), TOKEN_2022_PROGRAM_ID.toBase58());
  assert.equal(nft.balance, '1');
  // the SOL purchase refuses a token tier by name
  const wrong = ticketMint(fan.publicKey);
  const sol = await sdk.program.methods
    .purchaseTier(ticketBumps(event, fan.publicKey, wrong.publicKey), new BN(price), [])
    .accounts({ buyer: fan.publicKey, tier: tierPda(event, 0)[0], shard: shardPda(event, 1)[0], mint: wrong.publicKey })
    .instruction();
  await assert.rejects(send([sol], [fan, wrong]), (e) => {
    assert.equal(programError(e)?.name, 'CurrencyMismatch');
    return true;
  });
});
