// Every instruction, built as an app developer would with @anchor-lang/core's typed
// `.accounts()` from the IDL alone: only the signers, the arguments and the accounts a user
// knows are passed; everything else is derived from seeds, or read from accounts on chain
// (relations, seeds on another account's field). The chain here is a stub connection that
// serves encoded accounts, so no node is needed. The TypeScript compiler checks that each
// call passes nothing the IDL marks as derived (those are typed `never`) and omits
// nothing it cannot derive; the test checks every resolved key against the program's
// own derivation (the SDK's pda.ts, mirrored from the Rust client).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnchorProvider, BN, Program, Wallet } from '@anchor-lang/core';
import {
  AccountInfo,
  Commitment,
  Connection,
  GetAccountInfoConfig,
  Keypair,
  PublicKey,
  RpcResponseAndContext,
  SYSVAR_INSTRUCTIONS_PUBKEY,
  SystemProgram,
  TransactionInstruction,
} from '@solana/web3.js';

import {
  ASSOCIATED_TOKEN_PROGRAM_ID,
  BitTicket,
  Bitticket,
  CONSTANTS,
  IDL,
  PROGRAM_ID,
  TICKET_TOKEN_PROGRAM_ID,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  associatedTokenAddress,
  currencyAccount,
  buyerRecordPda,
  eventPda,
  listingPda,
  organizerPda,
  proposalPda,
  shardPda,
  ticketMint,
  ticketPda,
  ticketTokenAccount,
  tierPda,
  vaultPda,
} from '../src';

/**
 * A connection that answers getAccountInfo (one or several, with or without a context,
 * as Anchor's account clients ask) from a map, and nothing else.
 */
class StubChain extends Connection {
  readonly accounts = new Map<string, AccountInfo<Buffer>>();
  constructor() {
    super('http://127.0.0.1:9');
  }
  override async getAccountInfo(
    key: PublicKey,
    _c?: Commitment | GetAccountInfoConfig,
  ): Promise<AccountInfo<Buffer> | null> {
    return this.accounts.get(key.toBase58()) ?? null;
  }
  override async getAccountInfoAndContext(
    key: PublicKey,
    _c?: Commitment | GetAccountInfoConfig,
  ): Promise<RpcResponseAndContext<AccountInfo<Buffer> | null>> {
    return { context: { slot: 0 }, value: this.accounts.get(key.toBase58()) ?? null };
  }
  override async getMultipleAccountsInfo(
    keys: PublicKey[],
    _c?: Commitment | GetAccountInfoConfig,
  ): Promise<(AccountInfo<Buffer> | null)[]> {
    return keys.map((k) => this.accounts.get(k.toBase58()) ?? null);
  }
}

const chain = new StubChain();
// a wallet that signs nothing here: every signer is passed by name
const provider = new AnchorProvider(chain, new Wallet(Keypair.generate()), {});
const program = new Program<Bitticket>(IDL as unknown as Bitticket, provider);
// the SDK's own builders, which name every account, over the same chain
const sdk = new BitTicket(provider);
const key = () => Keypair.generate().publicKey;

const creator = key();
const [organizer, organizerBump] = organizerPda(creator, 7);
const [event] = eventPda(organizer, 0);
const shard = shardPda(event, 1)[0];
const mint = key();
const holder = key();
const proposer = key();
const opener = key();
const [ticket] = ticketPda(mint);

async function put(address: PublicKey, name: string, value: unknown) {
  const data = await program.coder.accounts.encode(name, value);
  chain.accounts.set(address.toBase58(), {
    data,
    owner: PROGRAM_ID,
    lamports: 1_000_000_000,
    executable: false,
    rentEpoch: 0,
  });
}

const version = CONSTANTS.ACCOUNT_VERSION;
const n = (x: number) => new BN(x);
const tierConfig = {
  name: 'VIP',
  supply: 2,
  maxPerWallet: 1,
  phases: [{ start: n(0), end: n(1), price: n(5), maxPerWallet: 1, allowList: Array(32).fill(0) }],
};

test.before(async () => {
  await put(organizer, 'organizer', {
    version,
    creator,
    organizerId: n(7),
    nextEventId: n(1),
    bump: organizerBump,
    vaultBump: vaultPda(organizer)[1],
    threshold: 1,
    timeLock: 0,
    transactionIndex: n(3),
    staleTransactionIndex: n(0),
    members: [{ key: creator, permissions: 127 }],
    spendingLimits: [],
    outflowCaps: [],
    name: 'Door & Co',
  });
  await put(event, 'event', {
    version,
    organizer,
    eventId: n(0),
    bump: 255,
    shardCount: 2,
    shardsOpened: 2,
    paused: false,
    cancelled: false,
    approved: true,
    config: {
      priceLamports: n(1),
      supply: 10,
      saleStart: n(0),
      saleEnd: n(1),
      resaleUnlock: n(1),
      maxPerWallet: 2,
      checkInStart: n(0),
      checkInEnd: n(2),
      name: 'Fest',
      uri: '',
    },
    cancelledAt: n(0),
    tierCount: 1,
    shardsReserved: 3,
    tierSerialStart: 10,
    tierSerialEnd: 12,
    tiersChangedAtProposal: n(0),
    resale: { capBps: 12_000, royaltyBps: 1_000, transfersLocked: false },
  });
  await put(tierPda(event, 0)[0], 'tier', {
    version,
    event,
    index: 0,
    bump: tierPda(event, 0)[1],
    serialBase: 10,
    serialSpan: 2,
    firstShard: 2,
    shardCount: 1,
    shardsOpened: 0,
    config: tierConfig,
  });
  await put(shard, 'shard', {
    version,
    event,
    index: 1,
    bump: 255,
    sold: 1,
    revenue: n(1),
    refunded: n(0),
    swept: n(0),
    reserve: n(0),
    tier: 255,
    currency: PublicKey.default,
    openedBy: opener,
  });
  await put(ticket, 'ticket', {
    version,
    event,
    mint,
    holder,
    serial: 1,
    shardIndex: 1,
    pricePaid: n(1),
    state: { valid: {} },
    checkedInAt: n(0),
    bump: 255,
    tier: 255,
  });
  await put(proposalPda(organizer, 3)[0], 'proposal', {
    version,
    organizer,
    index: n(3),
    proposer,
    action: { setTimeLock: { seconds: 60 } },
    status: { executed: { at: n(1) } },
    bump: 255,
    approved: [],
    rejected: [],
    cancelled: [],
  });
});

/** The instruction's accounts in order, as base58. */
const keys = (ix: TransactionInstruction) => ix.keys.map((k) => k.pubkey.toBase58());
const b58 = (...ks: PublicKey[]) => ks.map((k) => k.toBase58());
// a SOL tier's instruction leaves its optional token accounts out: null each, and Anchor
// puts the program's id in their places
const noToken = <K extends string>(...names: K[]) =>
  Object.fromEntries(names.map((k) => [k, null])) as Record<K, null>;
const none = (count: number): PublicKey[] => Array(count).fill(PROGRAM_ID);

const config = {
  priceLamports: n(1),
  supply: 10,
  saleStart: n(0),
  saleEnd: n(1),
  resaleUnlock: n(1),
  maxPerWallet: 2,
  checkInStart: n(0),
  checkInEnd: n(2),
  name: 'Fest',
  uri: '',
};

test('organizers, members and freezing resolve from the organizer and the signer', async () => {
  const ix = await program.methods
    .createOrganizer(n(7), { name: 'Door & Co', members: [], threshold: 1, timeLock: 0 })
    .accounts({ creator })
    .instruction();
  assert.deepEqual(keys(ix), b58(organizer, vaultPda(organizer)[0], creator, SystemProgram.programId));
  const admin = creator;
  for (const ix of [
    await program.methods.addMember(key(), 8).accounts({ organizer, admin }).instruction(),
    await program.methods.removeMember(key()).accounts({ organizer, admin }).instruction(),
    await program.methods.freezeSpendingLimit(1).accounts({ organizer, member: admin }).instruction(),
  ]) {
    assert.deepEqual(keys(ix), b58(organizer, admin));
  }
});

test('events resolve from the organizer (its next id read on chain) or the event', async () => {
  const manager = creator;
  const ix = await program.methods
    .createEvent(config, 2)
    .accounts({ organizer, manager })
    .instruction();
  assert.deepEqual(
    keys(ix),
    b58(organizer, eventPda(organizer, 1)[0], manager, SystemProgram.programId),
  );
  // the organizer comes from the event (a relation, read on chain)
  for (const ix of [
    await program.methods.updateEvent(config).accounts({ event, manager }).instruction(),
    await program.methods.setPaused(true).accounts({ event, manager }).instruction(),
    await program.methods.cancelEvent().accounts({ event, manager }).instruction(),
  ]) {
    assert.deepEqual(keys(ix), b58(organizer, event, manager));
  }
  const ix2 = await program.methods.openShard(1).accounts({ event, manager }).instruction();
  assert.deepEqual(keys(ix2), b58(organizer, event, shard, manager, SystemProgram.programId));
  // a SOL shard: its token side is left out (null: the program's id in each place)
  const ix3 = await program.methods
    .sweepShard(1)
    .accounts({ event, ...noToken('till', 'currencyMint', 'currencyProgram', 'vaultCurrency') })
    .instruction();
  assert.deepEqual(
    keys(ix3),
    b58(organizer, event, shard, vaultPda(organizer)[0], ...none(4)),
  );
});

test('a shard\'s close resolves from the event and the index, its rent to its opener', async () => {
  const ix = await program.methods
    .closeShard(1)
    .accounts({ event, ...noToken('till', 'currencyMint', 'currencyProgram', 'vaultCurrency') })
    .instruction();
  // the shard from its seeds, the organizer from the event, the opener from the shard
  // (both read on chain), the vault from the organizer
  assert.deepEqual(
    keys(ix),
    b58(organizer, event, shard, opener, vaultPda(organizer)[0], ...none(4)),
  );
  // nobody signs (anyone sends it); the shard and its opener, paid its rent, are written
  assert.ok(ix.keys.every((k) => !k.isSigner));
  assert.deepEqual(
    ix.keys.filter((k) => k.isWritable).map((k) => k.pubkey.toBase58()),
    b58(shard, opener),
  );
  assert.deepEqual(keys(await sdk.closeShard(event, 1)), keys(ix));
});

test('a purchase resolves from the buyer, the shard and the mint', async () => {
  const buyer = key();
  const ix = await program.methods
    .purchase({ ticket: 255, buyerRecord: 255 }, n(1))
    .accounts({ buyer, shard, mint })
    .instruction();
  assert.deepEqual(
    keys(ix),
    b58(
      buyer,
      event,
      shard,
      buyerRecordPda(event, buyer)[0],
      mint,
      ticketTokenAccount(buyer, mint),
      ticket,
      TICKET_TOKEN_PROGRAM_ID,
      ASSOCIATED_TOKEN_PROGRAM_ID,
      SystemProgram.programId,
    ),
  );
});

test('a ticket is a Token-2022 token: its account is the holder\'s associated one under it', () => {
  assert.ok(TICKET_TOKEN_PROGRAM_ID.equals(TOKEN_2022_PROGRAM_ID));
  const ata = (owner: PublicKey, m: PublicKey, tokenProgram: PublicKey) =>
    PublicKey.findProgramAddressSync(
      [owner.toBuffer(), tokenProgram.toBuffer(), m.toBuffer()],
      ASSOCIATED_TOKEN_PROGRAM_ID,
    );
  const [under2022] = ata(holder, mint, TOKEN_2022_PROGRAM_ID);
  assert.equal(ticketTokenAccount(holder, mint).toBase58(), under2022.toBase58());
  // unless told otherwise an associated account is the ticket's; a classic one is another
  assert.equal(associatedTokenAddress(holder, mint).toBase58(), under2022.toBase58());
  assert.notEqual(
    associatedTokenAddress(holder, mint, TOKEN_PROGRAM_ID).toBase58(),
    under2022.toBase58(),
  );
  // the mint the SDK picks: bump 255 for its ticket and for the buyer's account under
  // Token-2022 (the one the Associated Token program derives on purchase)
  const picked = ticketMint(holder).publicKey;
  assert.equal(ticketPda(picked)[1], 255);
  assert.equal(ata(holder, picked, TOKEN_2022_PROGRAM_ID)[1], 255);
  // the IDL fixes every ticket instruction's token program to Token-2022; the vault's
  // token instructions take their currency's, whichever it is
  const tokenPrograms = Object.fromEntries(
    IDL.instructions.flatMap((i) =>
      (i.accounts as readonly { name: string; address?: string }[])
        .filter((a) => a.name === 'token_program')
        .map((a) => [i.name, a.address ?? null]),
    ),
  );
  const ticket2022 = TOKEN_2022_PROGRAM_ID.toBase58();
  assert.deepEqual(tokenPrograms, {
    burn_ticket: ticket2022,
    buy_listing: ticket2022,
    execute_token_withdrawal: null,
    list_ticket: ticket2022,
    purchase: ticket2022,
    purchase_tier: ticket2022,
    purchase_tier_token: ticket2022,
    spend_token: null,
    transfer_ticket: ticket2022,
  });
});

test('tiers resolve from the tier (its event, then the organizer, read on chain)', async () => {
  const manager = creator;
  const [tier] = tierPda(event, 0);
  const create = await program.methods
    .createTier(tierConfig, 1)
    .accounts({ event, tier: tierPda(event, 1)[0], manager, currency: null })
    .instruction();
  // the new tier's address takes the event's tier_count (1): the client derives it
  assert.deepEqual(
    keys(create),
    b58(organizer, event, tierPda(event, 1)[0], manager, SystemProgram.programId, ...none(1)),
  );
  const update = await program.methods
    .updateTier(tierConfig)
    .accounts({ tier, manager })
    .instruction();
  assert.deepEqual(keys(update), b58(organizer, event, tier, manager));
  const open = await program.methods
    .openTierShard(2)
    .accounts({ tier, manager })
    .instruction();
  assert.deepEqual(
    keys(open),
    b58(organizer, event, tier, shardPda(event, 2)[0], manager, SystemProgram.programId),
  );
  const buyer = key();
  const buy = await program.methods
    .purchaseTier({ ticket: 255, buyerRecord: 255 }, n(5), [])
    .accounts({ buyer, tier, shard: shardPda(event, 2)[0], mint })
    .instruction();
  assert.deepEqual(
    keys(buy),
    b58(
      buyer,
      event,
      tier,
      shardPda(event, 2)[0],
      buyerRecordPda(event, buyer)[0],
      mint,
      ticketTokenAccount(buyer, mint),
      ticket,
      TICKET_TOKEN_PROGRAM_ID,
      ASSOCIATED_TOKEN_PROGRAM_ID,
      SystemProgram.programId,
    ),
  );
  // a token tier's purchase: the buyer's account in the mint and the shard's till are
  // derived from the mint and its token program, which the caller names
  const usdc = { mint: key(), program: TOKEN_2022_PROGRAM_ID };
  const inToken = await program.methods
    .purchaseTierToken({ ticket: 255, buyerRecord: 255 }, n(5), [])
    .accounts({
      buyer,
      tier,
      shard: shardPda(event, 2)[0],
      mint,
      currencyMint: usdc.mint,
      currencyProgram: usdc.program,
    })
    .instruction();
  assert.deepEqual(
    keys(inToken),
    b58(
      buyer,
      event,
      tier,
      shardPda(event, 2)[0],
      buyerRecordPda(event, buyer)[0],
      mint,
      ticketTokenAccount(buyer, mint),
      ticket,
      TICKET_TOKEN_PROGRAM_ID,
      ASSOCIATED_TOKEN_PROGRAM_ID,
      SystemProgram.programId,
      usdc.mint,
      currencyAccount(buyer, usdc),
      currencyAccount(shardPda(event, 2)[0], usdc),
      usdc.program,
    ),
  );
});

test('tickets resolve from the mint: transfer, check-in and refund', async () => {
  const recipient = key();
  const holderToken = ticketTokenAccount(holder, mint);
  const t = await program.methods
    .transferTicket()
    .accounts({ holder, recipient, mint })
    .instruction();
  assert.deepEqual(
    keys(t),
    b58(
      holder,
      recipient,
      event,
      ticket,
      mint,
      holderToken,
      ticketTokenAccount(recipient, mint),
      TICKET_TOKEN_PROGRAM_ID,
      ASSOCIATED_TOKEN_PROGRAM_ID,
      SystemProgram.programId,
    ),
  );
  const gatekeeper = key();
  // the holder's consent is a pass (an Ed25519 instruction before this one), read from the
  // instructions sysvar: the holder does not sign
  const c = await program.methods
    .checkIn(n(1_750_000_120))
    .accounts({ gatekeeper, holder, mint, holderToken })
    .instruction();
  assert.deepEqual(
    keys(c),
    b58(gatekeeper, holder, organizer, event, mint, ticket, holderToken, SYSVAR_INSTRUCTIONS_PUBKEY),
  );
  assert.deepEqual(
    c.keys.filter((k) => k.isSigner).map((k) => k.pubkey.toBase58()),
    [gatekeeper.toBase58()],
  );
  const r = await program.methods
    .claimRefund()
    .accounts({
      holder,
      mint,
      holderToken,
      ...noToken('till', 'currencyMint', 'currencyProgram', 'holderCurrency'),
    })
    .instruction();
  // the shard that sold it, from the index stored on the ticket
  assert.deepEqual(keys(r), b58(holder, event, shard, mint, ticket, holderToken, ...none(4)));
});

test('after the event: a burn resolves from the mint, a buyer record\'s close from the record', async () => {
  const holderToken = ticketTokenAccount(holder, mint);
  const burn = await program.methods
    .burnTicket()
    .accounts({ holder, mint, holderToken })
    .instruction();
  // the event from the ticket (read on chain), the ticket and its listing's address from
  // the seeds, Token-2022 fixed
  assert.deepEqual(
    keys(burn),
    b58(holder, event, mint, ticket, holderToken, listingPda(ticket)[0], TOKEN_2022_PROGRAM_ID),
  );
  // the holder alone signs and takes the rent of what is closed: the mint, its token
  // account and the ticket; the listing's address is only read
  assert.deepEqual(
    burn.keys.filter((k) => k.isSigner).map((k) => k.pubkey.toBase58()),
    b58(holder),
  );
  assert.deepEqual(
    burn.keys.filter((k) => k.isWritable).map((k) => k.pubkey.toBase58()),
    b58(holder, mint, ticket, holderToken),
  );
  // the SDK's builder, by the mint or the ticket account, names the same accounts
  assert.deepEqual(keys(await sdk.burnTicket(holder, mint)), keys(burn));
  assert.deepEqual(keys(await sdk.burnTicket(holder, ticket)), keys(burn));

  const buyer = key();
  const [buyerRecord, bump] = buyerRecordPda(event, buyer);
  await put(buyerRecord, 'buyerRecord', {
    version,
    event,
    buyer,
    purchased: 1,
    bump,
    tiers: Array(8).fill({ bought: 0, phase: 0, inPhase: 0 }),
  });
  // the event and the buyer are the record's seeds and its relations at once: the IDL
  // types all three as derived, so `.accounts()` has nothing to start from; named in
  // part, the rest resolves: the two from the record (read on chain), or the record
  // from its seeds
  const fromRecord = await program.methods
    .closeBuyerRecord()
    .accountsPartial({ buyerRecord })
    .instruction();
  assert.deepEqual(keys(fromRecord), b58(event, buyerRecord, buyer));
  const fromSeeds = await program.methods
    .closeBuyerRecord()
    .accountsPartial({ event, buyer })
    .instruction();
  assert.deepEqual(keys(fromSeeds), keys(fromRecord));
  // nobody signs (anyone sends it); the record and the buyer, paid its rent, are written
  assert.ok(fromRecord.keys.every((k) => !k.isSigner));
  assert.deepEqual(
    fromRecord.keys.filter((k) => k.isWritable).map((k) => k.pubkey.toBase58()),
    b58(buyerRecord, buyer),
  );
  assert.deepEqual(keys(await sdk.closeBuyerRecord(event, buyer)), keys(fromRecord));
});

test('proposals resolve from the organizer and the index; nothing is passed as null', async () => {
  const index = n(3);
  const [proposal] = proposalPda(organizer, 3);
  const member = key();
  const create = await program.methods
    .createProposal(n(4), { setTimeLock: { seconds: 60 } })
    .accounts({ organizer, proposer })
    .instruction();
  assert.deepEqual(
    keys(create),
    b58(organizer, proposalPda(organizer, 4)[0], proposer, SystemProgram.programId),
  );
  for (const ix of [
    await program.methods.approveProposal(index).accounts({ organizer, member }).instruction(),
    await program.methods.rejectProposal(index).accounts({ organizer, member }).instruction(),
    await program.methods.cancelProposal(index).accounts({ organizer, member }).instruction(),
  ]) {
    assert.deepEqual(keys(ix), b58(organizer, proposal, member));
  }
  const executor = member;
  const config = await program.methods
    .executeProposal(index)
    .accounts({ organizer, executor })
    .instruction();
  assert.deepEqual(keys(config), b58(organizer, proposal, executor));
  const onEvent = await program.methods
    .executeEventAction(index)
    .accounts({ organizer, executor, event })
    .instruction();
  assert.deepEqual(keys(onEvent), b58(organizer, proposal, executor, event));
  const destination = key();
  const sol = await program.methods
    .executeWithdrawal(index)
    .accounts({ organizer, executor, destination })
    .instruction();
  assert.deepEqual(
    keys(sol),
    b58(organizer, proposal, executor, vaultPda(organizer)[0], destination, SystemProgram.programId),
  );
  const [vaultToken, destinationToken, tokenMint] = [key(), key(), key()];
  const tokens = await program.methods
    .executeTokenWithdrawal(index)
    .accounts({
      organizer,
      executor,
      vaultToken,
      destinationToken,
      mint: tokenMint,
      tokenProgram: TOKEN_PROGRAM_ID,
    })
    .instruction();
  assert.deepEqual(
    keys(tokens),
    b58(
      organizer,
      proposal,
      executor,
      vaultPda(organizer)[0],
      vaultToken,
      destinationToken,
      tokenMint,
      TOKEN_PROGRAM_ID,
    ),
  );
  // the rent goes back to the proposer the proposal names (read on chain)
  const close = await program.methods.closeProposal(index).accounts({ organizer }).instruction();
  assert.deepEqual(keys(close), b58(organizer, proposal, proposer));
});

test('spending resolves from the organizer, the signer and where it goes', async () => {
  const member = key();
  const destination = key();
  const sol = await program.methods
    .spend(1, n(5))
    .accounts({ organizer, member, destination })
    .instruction();
  assert.deepEqual(
    keys(sol),
    b58(organizer, member, vaultPda(organizer)[0], destination, SystemProgram.programId),
  );
  const [vaultToken, destinationToken, tokenMint] = [key(), key(), key()];
  const tokens = await program.methods
    .spendToken(1, n(5))
    .accounts({
      organizer,
      member,
      vaultToken,
      destinationToken,
      mint: tokenMint,
      tokenProgram: TOKEN_PROGRAM_ID,
    })
    .instruction();
  assert.deepEqual(
    keys(tokens),
    b58(organizer, member, vaultPda(organizer)[0], vaultToken, destinationToken, tokenMint, TOKEN_PROGRAM_ID),
  );
});

test('the resale market resolves from the mint, the ticket and its listing', async () => {
  const seller = holder;
  const [listing] = listingPda(ticket);
  await put(listing, 'listing', {
    version,
    event,
    ticket,
    mint,
    seller,
    price: n(5),
    listedAt: n(1),
    bump: 255,
  });
  const t = await program.methods
    .setResaleTerms({ capBps: 12_000, royaltyBps: 1_000, transfersLocked: true })
    .accounts({ event, manager: creator })
    .instruction();
  assert.deepEqual(keys(t), b58(organizer, event, creator));
  const sellerToken = ticketTokenAccount(seller, mint);
  const l = await program.methods
    .listTicket(n(5))
    .accounts({ seller, mint })
    .instruction();
  assert.deepEqual(
    keys(l),
    b58(seller, event, ticket, mint, sellerToken, listing, TICKET_TOKEN_PROGRAM_ID, SystemProgram.programId),
  );
  // anyone may take a void listing down: its seller (paid its rent) comes from the listing
  const closer = key();
  const d = await program.methods.delistTicket().accounts({ closer, mint }).instruction();
  assert.deepEqual(keys(d), b58(closer, seller, event, mint, ticket, listing));
  const buyer = key();
  const b = await program.methods
    .buyListing(n(5))
    .accounts({
      buyer,
      mint,
      ...noToken('till', 'currencyMint', 'buyerCurrency', 'sellerCurrency', 'currencyProgram'),
    })
    .instruction();
  // the royalty goes to the shard that sold the ticket (its index on the ticket)
  assert.deepEqual(
    keys(b),
    b58(
      buyer,
      seller,
      event,
      shard,
      ticket,
      mint,
      listing,
      sellerToken,
      ticketTokenAccount(buyer, mint),
      TICKET_TOKEN_PROGRAM_ID,
      ASSOCIATED_TOKEN_PROGRAM_ID,
      SystemProgram.programId,
      ...none(5),
    ),
  );
});

test('every instruction of the IDL is covered above', () => {
  const covered = new Set([
    'createOrganizer', 'addMember', 'removeMember', 'freezeSpendingLimit', 'createEvent',
    'updateEvent', 'setPaused', 'cancelEvent', 'openShard', 'sweepShard', 'purchase',
    'transferTicket', 'checkIn', 'claimRefund', 'createProposal', 'approveProposal',
    'rejectProposal', 'cancelProposal', 'executeProposal', 'executeEventAction',
    'executeWithdrawal', 'executeTokenWithdrawal', 'closeProposal', 'spend', 'spendToken',
    'createTier', 'updateTier', 'openTierShard', 'purchaseTier', 'purchaseTierToken',
    'setResaleTerms',
    'listTicket', 'delistTicket', 'buyListing', 'burnTicket', 'closeBuyerRecord',
    'closeShard',
  ]);
  const all = program.idl.instructions.map((i) => i.name);
  assert.deepEqual(all.filter((name) => !covered.has(name)), []);
  assert.equal(all.length, covered.size);
});

test('constants come parsed: numbers, 64-bit values as bigints, seeds as bytes, text', () => {
  assert.equal(CONSTANTS.GATEKEEPER, 8);
  assert.equal(CONSTANTS.REFUND_PERIOD, 30n * 86_400n);
  assert.equal(CONSTANTS.SEED_TICKET.toString(), 'ticket');
  assert.equal(typeof CONSTANTS.MAX_MEMBERS, 'number');
  assert.ok(CONSTANTS.SOL_CURRENCY.equals(PublicKey.default));
  assert.equal(CONSTANTS.TICKET_SYMBOL, 'TIX');
});
