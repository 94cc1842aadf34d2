// A typed client over @anchor-lang/core: fetchers, instruction builders with every account
// named (no resolution left to chance), events and errors by name.
import {
  AnchorError,
  AnchorProvider,
  BN,
  BorshCoder,
  EventParser,
  IdlAccounts,
  IdlTypes,
  Program,
} from '@anchor-lang/core';
import {
  Keypair,
  PublicKey,
  SYSVAR_INSTRUCTIONS_PUBKEY,
  SystemProgram,
  TransactionInstruction,
} from '@solana/web3.js';

import { Bitticket, IDL } from './idl';
import type { Pass } from './pass';
import { SOL_CURRENCY, TokenCurrency, currencyAccount, openTokenAccount } from './currency';
import {
  ASSOCIATED_TOKEN_PROGRAM_ID,
  TICKET_TOKEN_PROGRAM_ID,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  buyerRecordPda,
  eventPda,
  listingPda,
  organizerPda,
  shardPda,
  ticketBumps,
  ticketMint,
  ticketPda,
  ticketTokenAccount,
  tierPda,
  vaultPda,
} from './pda';

export type Event = IdlAccounts<Bitticket>['event'];
export type Ticket = IdlAccounts<Bitticket>['ticket'];
export type Organizer = IdlAccounts<Bitticket>['organizer'];
export type Shard = IdlAccounts<Bitticket>['shard'];
export type Proposal = IdlAccounts<Bitticket>['proposal'];
export type BuyerRecord = IdlAccounts<Bitticket>['buyerRecord'];
export type EventConfig = IdlTypes<Bitticket>['eventConfig'];
export type Tier = IdlAccounts<Bitticket>['tier'];
export type TierConfig = IdlTypes<Bitticket>['tierConfig'];
export type Phase = IdlTypes<Bitticket>['phase'];
export type OrganizerSetup = IdlTypes<Bitticket>['organizerSetup'];
export type Listing = IdlAccounts<Bitticket>['listing'];
export type ResaleTerms = IdlTypes<Bitticket>['resaleTerms'];

/** Role bits of a member (the program's `permission` module). */
export const Role = {
  ADMIN: 1 << 0,
  EVENT_MANAGER: 1 << 1,
  FINANCE: 1 << 2,
  GATEKEEPER: 1 << 3,
  PROPOSE: 1 << 4,
  VOTE: 1 << 5,
  EXECUTE: 1 << 6,
} as const;

/** A program error by name, as the IDL declares it. */
export interface ProgramErrorInfo {
  name: string;
  code: number;
  message: string;
}

/** The program's error in `e` (a failed send or simulation), by name; null if none. */
export function programError(e: unknown): ProgramErrorInfo | null {
  const err = e as { logs?: string[]; transactionLogs?: string[]; message?: string };
  const logs = err?.logs ?? err?.transactionLogs;
  if (Array.isArray(logs)) {
    const parsed = AnchorError.parse(logs);
    if (parsed) {
      return {
        name: parsed.error.errorCode.code,
        code: parsed.error.errorCode.number,
        message: parsed.error.errorMessage,
      };
    }
  }
  const m = /custom program error: 0x([0-9a-f]+)/i.exec(String(err?.message ?? e));
  if (m) {
    const code = parseInt(m[1], 16);
    const found = IDL.errors.find((x) => x.code === code);
    if (found) return { name: found.name, code, message: found.msg };
  }
  return null;
}

export class BitTicket {
  readonly program: Program<Bitticket>;
  private readonly events: EventParser;

  constructor(readonly provider: AnchorProvider) {
    this.program = new Program<Bitticket>(IDL as unknown as Bitticket, provider);
    this.events = new EventParser(this.program.programId, new BorshCoder(this.program.idl));
  }

  get programId(): PublicKey {
    return this.program.programId;
  }

  // --- accounts ---------------------------------------------------------------------------
  fetchOrganizer(address: PublicKey): Promise<Organizer> {
    return this.program.account.organizer.fetch(address);
  }
  fetchEvent(address: PublicKey): Promise<Event> {
    return this.program.account.event.fetch(address);
  }
  /** Tier `index` of `event`. */
  fetchTier(event: PublicKey, index: number): Promise<Tier> {
    return this.program.account.tier.fetch(tierPda(event, index)[0]);
  }
  fetchShard(address: PublicKey): Promise<Shard> {
    return this.program.account.shard.fetch(address);
  }
  fetchProposal(address: PublicKey): Promise<Proposal> {
    return this.program.account.proposal.fetch(address);
  }
  fetchBuyerRecord(address: PublicKey): Promise<BuyerRecord | null> {
    return this.program.account.buyerRecord.fetchNullable(address);
  }
  /**
   * A ticket by either of its ids: its ticket account or its NFT mint. Answers both
   * addresses with the account.
   */
  async resolveTicket(
    ticketOrMint: PublicKey,
  ): Promise<{ ticket: PublicKey; mint: PublicKey; account: Ticket }> {
    // both candidates in one request: `ticketOrMint` itself when the program owns it (the
    // discriminator is checked on decoding), else the ticket of the mint `ticketOrMint`
    const ticket = ticketPda(ticketOrMint)[0];
    const [direct, derived] = await this.provider.connection.getMultipleAccountsInfo([
      ticketOrMint,
      ticket,
    ]);
    const decode = (data: Buffer): Ticket => this.program.coder.accounts.decode('ticket', data);
    if (direct?.owner.equals(this.programId)) {
      const account = decode(direct.data);
      return { ticket: ticketOrMint, mint: account.mint, account };
    }
    if (derived?.owner.equals(this.programId)) {
      return { ticket, mint: ticketOrMint, account: decode(derived.data) };
    }
    throw new Error(`${ticketOrMint.toBase58()} is neither a ticket nor a ticket's mint`);
  }
  /** The ticket of an NFT mint, or at a ticket account. */
  async fetchTicket(ticketOrMint: PublicKey): Promise<Ticket> {
    return (await this.resolveTicket(ticketOrMint)).account;
  }
  /** Every event of the program (of one organizer if given), by getProgramAccounts. */
  listEvents(organizer?: PublicKey): Promise<{ publicKey: PublicKey; account: Event }[]> {
    return this.program.account.event.all(
      // after the discriminator and the layout version
      organizer ? [{ memcmp: { offset: 8 + 1, bytes: organizer.toBase58() } }] : [],
    );
  }
  /** A wallet's tickets (the holder field, by getProgramAccounts). */
  async ticketsOf(holder: PublicKey): Promise<{ publicKey: PublicKey; account: Ticket }[]> {
    return this.program.account.ticket.all([
      // after the discriminator, the layout version, the event and the mint
      { memcmp: { offset: 8 + 1 + 32 + 32, bytes: holder.toBase58() } },
    ]);
  }

  /** Anchor events in a transaction's logs (only those our program emitted). */
  parseEvents(logs: string[]): { name: string; data: Record<string, unknown> }[] {
    return [...this.events.parseLogs(logs)];
  }

  // --- organizers and events ---------------------------------------------------------------
  /**
   * Creates the organizer `id` of `creator` with its name and, unless given otherwise, the
   * creator alone with every role, 1-of-1, no time-lock (`setup`'s members, threshold and
   * time-lock are the multisig from the start).
   */
  createOrganizer(
    creator: PublicKey,
    id: number,
    setup: Partial<OrganizerSetup> & { name: string },
  ): Promise<TransactionInstruction> {
    const [organizer] = organizerPda(creator, id);
    return this.program.methods
      .createOrganizer(new BN(id), { members: [], threshold: 1, timeLock: 0, ...setup })
      .accountsStrict({
        organizer,
        vault: vaultPda(organizer)[0],
        creator,
        systemProgram: SystemProgram.programId,
      })
      .instruction();
  }

  addMember(
    organizer: PublicKey,
    admin: PublicKey,
    member: PublicKey,
    permissions: number,
  ): Promise<TransactionInstruction> {
    return this.program.methods
      .addMember(member, permissions)
      .accountsStrict({ organizer, admin })
      .instruction();
  }

  /** Creates the organizer's next event and opens its shards (one instruction each). */
  async createEvent(
    organizer: PublicKey,
    manager: PublicKey,
    config: EventConfig,
    shardCount: number,
  ): Promise<{ event: PublicKey; instructions: TransactionInstruction[] }> {
    const o = await this.fetchOrganizer(organizer);
    const [event] = eventPda(organizer, o.nextEventId);
    const instructions = [
      await this.program.methods
        .createEvent(config, shardCount)
        .accountsStrict({ organizer, event, manager, systemProgram: SystemProgram.programId })
        .instruction(),
    ];
    for (let i = 0; i < shardCount; i++) {
      instructions.push(
        await this.program.methods
          .openShard(i)
          .accountsStrict({
            organizer,
            event,
            shard: shardPda(event, i)[0],
            manager,
            systemProgram: SystemProgram.programId,
          })
          .instruction(),
      );
    }
    return { event, instructions };
  }

  /**
   * Adds the event's next tier (before its sale starts) and opens its `shardCount` shards,
   * which take the event's next shard indexes.
   */
  async createTier(
    organizer: PublicKey,
    event: PublicKey,
    manager: PublicKey,
    config: TierConfig,
    shardCount: number,
    opts: { currency?: PublicKey; payer?: PublicKey } = {},
  ): Promise<{ tier: PublicKey; index: number; instructions: TransactionInstruction[] }> {
    const e = await this.fetchEvent(event);
    const index = e.tierCount;
    const [tier] = tierPda(event, index);
    const currency = opts.currency ? await this.tokenCurrency(opts.currency) : null;
    const instructions = [
      await this.program.methods
        .createTier(config, shardCount)
        .accountsStrict({
          organizer,
          event,
          tier,
          manager,
          systemProgram: SystemProgram.programId,
          currency: currency?.mint ?? null,
        })
        .instruction(),
    ];
    for (let k = 0; k < shardCount; k++) {
      const shard = e.shardsReserved + k;
      instructions.push(
        await this.program.methods
          .openTierShard(shard)
          .accountsStrict({
            organizer,
            event,
            tier,
            shard: shardPda(event, shard)[0],
            manager,
            systemProgram: SystemProgram.programId,
          })
          .instruction(),
      );
      // a token tier's shard keeps its proceeds in its till, its associated account
      if (currency) {
        instructions.push(openTokenAccount(opts.payer ?? manager, shardPda(event, shard)[0], currency));
      }
    }
    return { tier, index, instructions };
  }

  /** The token program that owns `mint` (SPL Token or Token-2022), as the chain says. */
  async tokenCurrency(mint: PublicKey): Promise<TokenCurrency> {
    const info = await this.provider.connection.getAccountInfo(mint);
    const program = info?.owner;
    if (!program || !(program.equals(TOKEN_PROGRAM_ID) || program.equals(TOKEN_2022_PROGRAM_ID))) {
      throw new Error(`${mint.toBase58()} is not a mint of a token program`);
    }
    return { mint, program };
  }

  /** The currency of a tier or shard's `currency` field: null for SOL. */
  async currencyOf(currency: PublicKey): Promise<TokenCurrency | null> {
    return currency.equals(SOL_CURRENCY) ? null : this.tokenCurrency(currency);
  }

  /**
   * A purchase of a ticket of tier `tier` in the phase open now, for `buyer` to sign with the
   * returned mint keypair: the tier's shard with tickets left, the phase's price as the
   * most the buyer pays (unless `maxPrice`), and the buyer's allow-list proof when the phase
   * has one (`proof`, from `AllowList.proof`).
   */
  async purchaseTier(
    buyer: PublicKey,
    event: PublicKey,
    tier: number,
    opts: { proof?: number[][]; maxPrice?: BN; shard?: number; now?: number } = {},
  ): Promise<{ instruction: TransactionInstruction; mint: Keypair; price: BN }> {
    const t = await this.fetchTier(event, tier);
    const now = opts.now ?? Math.floor(Date.now() / 1000);
    const phase = t.config.phases.find((p: Phase) => p.start.toNumber() <= now && now < p.end.toNumber());
    if (!phase) throw new Error(`no phase of tier ${t.config.name} is open`);
    let shard = opts.shard;
    if (shard === undefined) {
      const keys = Array.from({ length: t.shardsOpened }, (_, k) => shardPda(event, t.firstShard + k)[0]);
      const shards = await this.program.account.shard.fetchMultiple(keys);
      const start = buyer.toBuffer()[0] % Math.max(shards.length, 1);
      for (let j = 0; j < shards.length && shard === undefined; j++) {
        const k = (start + j) % shards.length;
        const s = shards[k];
        if (s && s.sold * t.shardCount + k < t.config.supply) shard = t.firstShard + k;
      }
    }
    if (shard === undefined) throw new Error(`tier ${t.config.name} is sold out`);
    const mint = ticketMint(buyer);
    const accounts = {
      buyer,
      event,
      tier: tierPda(event, tier)[0],
      shard: shardPda(event, shard)[0],
      buyerRecord: buyerRecordPda(event, buyer)[0],
      mint: mint.publicKey,
      buyerToken: ticketTokenAccount(buyer, mint.publicKey),
      ticket: ticketPda(mint.publicKey)[0],
      tokenProgram: TICKET_TOKEN_PROGRAM_ID,
      associatedTokenProgram: ASSOCIATED_TOKEN_PROGRAM_ID,
      systemProgram: SystemProgram.programId,
    };
    const bumps = ticketBumps(event, buyer, mint.publicKey);
    const maxPrice = opts.maxPrice ?? phase.price;
    const currency = await this.currencyOf(t.currency);
    const instruction = currency
      ? // a token tier: the price moves from the buyer's account in its mint to the shard's till
        await this.program.methods
          .purchaseTierToken(bumps, maxPrice, opts.proof ?? [])
          .accountsStrict({
            ...accounts,
            currencyMint: currency.mint,
            buyerCurrency: currencyAccount(buyer, currency),
            till: currencyAccount(accounts.shard, currency),
            currencyProgram: currency.program,
          })
          .instruction()
      : await this.program.methods
          .purchaseTier(bumps, maxPrice, opts.proof ?? [])
          .accountsStrict(accounts)
          .instruction();
    return { instruction, mint, price: phase.price };
  }

  // --- tickets --------------------------------------------------------------------------------
  /** A shard of `event` with tickets left, starting from one picked by the buyer. */
  async shardWithTicketsLeft(event: PublicKey, buyer: PublicKey): Promise<number | null> {
    const e = await this.fetchEvent(event);
    const shards = await this.program.account.shard.fetchMultiple(
      Array.from({ length: e.shardsOpened }, (_, i) => shardPda(event, i)[0]),
    );
    const n = shards.length;
    const start = buyer.toBuffer()[0] % Math.max(n, 1);
    for (let k = 0; k < n; k++) {
      const i = (start + k) % n;
      const s = shards[i];
      if (s && s.sold * e.shardCount + i < e.config.supply) return i;
    }
    return null;
  }

  /**
   * A purchase for `buyer` to sign together with the returned mint keypair: the shard with
   * tickets left, the mint the program prefers, the canonical bumps, and the most the buyer
   * agrees to pay (default: the price now).
   */
  async purchase(
    buyer: PublicKey,
    event: PublicKey,
    opts: { shard?: number; maxPrice?: BN } = {},
  ): Promise<{ instruction: TransactionInstruction; mint: Keypair }> {
    const e = await this.fetchEvent(event);
    const shard = opts.shard ?? (await this.shardWithTicketsLeft(event, buyer));
    if (shard === null) throw new Error(`sold out: all ${e.config.supply} tickets are sold`);
    const mint = ticketMint(buyer);
    const instruction = await this.program.methods
      .purchase(ticketBumps(event, buyer, mint.publicKey), opts.maxPrice ?? e.config.priceLamports)
      .accountsStrict({
        buyer,
        event,
        shard: shardPda(event, shard)[0],
        buyerRecord: buyerRecordPda(event, buyer)[0],
        mint: mint.publicKey,
        buyerToken: ticketTokenAccount(buyer, mint.publicKey),
        ticket: ticketPda(mint.publicKey)[0],
        tokenProgram: TICKET_TOKEN_PROGRAM_ID,
        associatedTokenProgram: ASSOCIATED_TOKEN_PROGRAM_ID,
        systemProgram: SystemProgram.programId,
      })
      .instruction();
    return { instruction, mint };
  }

  /** A transfer of the ticket (by its mint or its account) from `holder` to `recipient`. */
  async transfer(
    holder: PublicKey,
    recipient: PublicKey,
    ticketOrMint: PublicKey,
  ): Promise<TransactionInstruction> {
    const { account: t, mint } = await this.resolveTicket(ticketOrMint);
    return this.program.methods
      .transferTicket()
      .accountsStrict({
        holder,
        recipient,
        event: t.event,
        ticket: ticketPda(mint)[0],
        mint,
        fromToken: ticketTokenAccount(holder, mint),
        toToken: ticketTokenAccount(recipient, mint),
        tokenProgram: TICKET_TOKEN_PROGRAM_ID,
        associatedTokenProgram: ASSOCIATED_TOKEN_PROGRAM_ID,
        systemProgram: SystemProgram.programId,
      })
      .instruction();
  }

  // --- the resale market -------------------------------------------------------------------
  /**
   * An event manager sets the event's resale terms (before its sale starts; in the event's
   * creating transaction, say): the cap in basis points of each ticket's face value, the
   * royalty in basis points of each resale, and whether free transfers are off.
   */
  setResaleTerms(
    organizer: PublicKey,
    event: PublicKey,
    manager: PublicKey,
    terms: ResaleTerms,
  ): Promise<TransactionInstruction> {
    return this.program.methods
      .setResaleTerms(terms)
      .accountsStrict({ organizer, event, manager })
      .instruction();
  }
  /** The listing of a ticket (by its mint or its account), or null when it is not listed. */
  async fetchListing(ticketOrMint: PublicKey): Promise<Listing | null> {
    const { ticket } = await this.resolveTicket(ticketOrMint);
    return this.program.account.listing.fetchNullable(listingPda(ticket)[0]);
  }
  /** An event's listings (standing or void), cheapest first. */
  async listingsOf(event: PublicKey): Promise<{ publicKey: PublicKey; account: Listing }[]> {
    const all = await this.program.account.listing.all([
      // after the discriminator and the layout version
      { memcmp: { offset: 8 + 1, bytes: event.toBase58() } },
    ]);
    return all.sort((a, b) => a.account.price.cmp(b.account.price));
  }
  /** The holder lists a ticket at `price` lamports (the royalty included). */
  async listTicket(
    seller: PublicKey,
    ticketOrMint: PublicKey,
    price: BN | number | bigint,
  ): Promise<TransactionInstruction> {
    const { ticket, mint, account: t } = await this.resolveTicket(ticketOrMint);
    return this.program.methods
      .listTicket(new BN(price.toString()))
      .accountsStrict({
        seller,
        event: t.event,
        ticket,
        mint,
        sellerToken: ticketTokenAccount(seller, mint),
        listing: listingPda(ticket)[0],
        tokenProgram: TICKET_TOKEN_PROGRAM_ID,
        systemProgram: SystemProgram.programId,
      })
      .instruction();
  }
  /** Takes a listing down: its seller's, or anyone's (`closer`) once void. */
  async delistTicket(closer: PublicKey, ticketOrMint: PublicKey): Promise<TransactionInstruction> {
    const { ticket, account: t } = await this.resolveTicket(ticketOrMint);
    const listing = listingPda(ticket)[0];
    const l = await this.program.account.listing.fetch(listing);
    return this.program.methods
      .delistTicket()
      .accountsStrict({ closer, seller: l.seller, event: t.event, mint: t.mint, ticket, listing })
      .instruction();
  }
  /**
   * Buys a ticket's listing, paying at most `maxPrice` in its currency's smallest unit
   * (lamports, or its tier's mint's; default: its price now).
   */
  async buyListing(
    buyer: PublicKey,
    ticketOrMint: PublicKey,
    maxPrice?: BN | number | bigint,
  ): Promise<TransactionInstruction> {
    const { ticket, mint, account: t } = await this.resolveTicket(ticketOrMint);
    const listing = listingPda(ticket)[0];
    const shard = shardPda(t.event, t.shardIndex)[0];
    const [l, s] = await Promise.all([
      this.program.account.listing.fetch(listing),
      this.program.account.shard.fetch(shard),
    ]);
    // a token tier's ticket resells in its mint: the seller's share to the seller's account,
    // the royalty to the shard's till
    const c = await this.currencyOf(s.currency);
    return this.program.methods
      .buyListing(maxPrice === undefined ? l.price : new BN(maxPrice.toString()))
      .accountsStrict({
        buyer,
        seller: l.seller,
        event: t.event,
        shard,
        ticket,
        mint,
        listing,
        sellerToken: ticketTokenAccount(l.seller, mint),
        buyerToken: ticketTokenAccount(buyer, mint),
        tokenProgram: TICKET_TOKEN_PROGRAM_ID,
        associatedTokenProgram: ASSOCIATED_TOKEN_PROGRAM_ID,
        systemProgram: SystemProgram.programId,
        currencyMint: c?.mint ?? null,
        buyerCurrency: c ? currencyAccount(buyer, c) : null,
        sellerCurrency: c ? currencyAccount(l.seller, c) : null,
        till: c ? currencyAccount(shard, c) : null,
        currencyProgram: c?.program ?? null,
      })
      .instruction();
  }

  /**
   * The `check_in` instruction for the holder's pass (`signPass`): only the gatekeeper
   * signs; the holder's consent is the pass, which the program reads from the Ed25519
   * instruction directly before this one (`checkInInstructions` builds both).
   */
  async checkIn(
    gatekeeper: PublicKey,
    pass: Pick<Pass, 'mint' | 'holder' | 'expiresAt'>,
  ): Promise<TransactionInstruction> {
    const { account: t, mint } = await this.resolveTicket(pass.mint);
    const e = await this.fetchEvent(t.event);
    return this.program.methods
      .checkIn(new BN(pass.expiresAt))
      .accountsStrict({
        gatekeeper,
        holder: pass.holder,
        organizer: e.organizer,
        event: t.event,
        mint,
        ticket: ticketPda(mint)[0],
        holderToken: ticketTokenAccount(pass.holder, mint),
        instructions: SYSVAR_INSTRUCTIONS_PUBKEY,
      })
      .instruction();
  }

  // --- after the event ---------------------------------------------------------------------
  /**
   * The holder burns a ticket (by its mint or its account) and takes back the rent of its
   * NFT: its token account, its mint and its ticket account are closed. Once the event's
   * check-in has ended, or at once if the event was cancelled and no refund is owed on the
   * ticket any more (claimed, or its period over); never while it is listed (`delistTicket`
   * first).
   */
  async burnTicket(holder: PublicKey, ticketOrMint: PublicKey): Promise<TransactionInstruction> {
    const { ticket, mint, account: t } = await this.resolveTicket(ticketOrMint);
    return this.program.methods
      .burnTicket()
      .accountsStrict({
        holder,
        event: t.event,
        mint,
        ticket,
        holderToken: ticketTokenAccount(holder, mint),
        listing: listingPda(ticket)[0],
        tokenProgram: TICKET_TOKEN_PROGRAM_ID,
      })
      .instruction();
  }
  /**
   * Closes `buyer`'s record of `event` (what counted their purchases against the wallet
   * limits) once the event's check-in has ended or it was cancelled; anyone may send it, the
   * rent goes back to the buyer.
   */
  closeBuyerRecord(event: PublicKey, buyer: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods
      .closeBuyerRecord()
      .accountsStrict({ event, buyerRecord: buyerRecordPda(event, buyer)[0], buyer })
      .instruction();
  }
  /**
   * Closes shard `index` of `event` once nothing can be owed from it (the event's sale and
   * check-in over, or a cancelled event's refund period) and it holds no proceeds (swept, or
   * refunded); anyone may send it. Its rent, and a token shard's till's, goes back to the
   * manager who opened it; tokens sent to the till beyond its books go to the vault.
   */
  async closeShard(event: PublicKey, index: number): Promise<TransactionInstruction> {
    const shard = shardPda(event, index)[0];
    const [e, s] = await Promise.all([
      this.fetchEvent(event),
      this.program.account.shard.fetch(shard),
    ]);
    const c = await this.currencyOf(s.currency);
    const vault = vaultPda(e.organizer)[0];
    return this.program.methods
      .closeShard(index)
      .accountsStrict({
        organizer: e.organizer,
        event,
        shard,
        openedBy: s.openedBy,
        vault,
        currencyMint: c?.mint ?? null,
        till: c ? currencyAccount(shard, c) : null,
        vaultCurrency: c ? currencyAccount(vault, c) : null,
        currencyProgram: c?.program ?? null,
      })
      .instruction();
  }
}
