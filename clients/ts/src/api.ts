// The BitTicket API for apps: Sign-In With Solana with any wallet that signs messages, the
// public catalogue, a wallet's tickets, a ticket by either of its ids. Node 18+ and
// browsers (the global `fetch`).
import { utils } from '@anchor-lang/core';
import { PublicKey } from '@solana/web3.js';

import type { Pass } from './pass';

/** What a wallet adapter offers for Sign-In With Solana: its key and `signMessage`. */
export interface MessageSigner {
  publicKey: PublicKey;
  signMessage(message: Uint8Array): Promise<Uint8Array>;
}

/** An API answer other than 2xx: its status and the API's error code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(`${status} ${code}: ${message}`);
    this.name = 'ApiError';
  }
}

/** A page of rows and the cursor of the next one (absent on the last page). */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** Where an event's sale stands now (the first that holds, in the program's order). */
export type SaleStatus =
  | 'cancelled'
  | 'not_approved'
  | 'paused'
  | 'not_started'
  | 'ended'
  | 'sold_out'
  | 'on_sale';

/** An event as the API lists it (times in unix seconds). */
export interface EventView {
  pubkey: string;
  organizer: string;
  event_id: string;
  name: string;
  uri: string;
  price_lamports: number;
  supply: number;
  sale_start: number;
  sale_end: number;
  resale_unlock: number;
  max_per_wallet: number;
  check_in_start: number;
  check_in_end: number;
  paused: boolean;
  cancelled: boolean;
  approved: boolean;
  availability: { status: SaleStatus; sold: number; remaining: number };
  /** Its ticket tiers, each with its phases and where its sale stands. */
  tiers: TierView[];
  [more: string]: unknown;
}

/** A tier of an event, as the API shows it. */
export interface TierView {
  index: number;
  name: string;
  supply: number;
  max_per_wallet: number;
  /** What its prices and sales count in: SOL (no mint) or an SPL mint with its decimals. */
  currency: Currency;
  sold: number;
  remaining: number;
  status: SaleStatus | 'between_phases';
  open_phase: number | null;
  phases: {
    index: number;
    start: number;
    end: number;
    /** In the tier's currency's smallest unit (lamports for SOL). */
    price: number;
    max_per_wallet: number;
    allow_listed: boolean;
    allow_list_root: string | null;
    status: 'upcoming' | 'open' | 'ended';
  }[];
  /** Its sales in its currency's smallest unit (`currency`: `SOL`, or the mint). */
  sales: { currency: string; revenue: number; refunded: number; swept: number };
}

/** What a price counts in, as the API names it. */
export interface Currency {
  /** `SOL`, `USDC` for USDC's mint, else the mint's first four characters and `…`. */
  symbol: string;
  mint: string | null;
  decimals: number;
}

export interface EventsQuery {
  organizer?: string;
  onSale?: boolean;
  upcoming?: boolean;
  limit?: number;
  cursor?: string;
}

/** A ticket's QR code: the sealed `payload` (`BT2.`...) to show at the door. */
export interface QrCode {
  payload: string;
  kid: string;
  /** Unix seconds: the door refuses the code from then on (`expired`). */
  expires_at: number;
  [more: string]: unknown;
}

/** A transaction the API built, for the named wallets to sign and send. */
export interface BuiltTransaction {
  /** Base64 of a legacy transaction (wire format), its recent blockhash set. */
  transaction: string;
  blockhash: string;
  /** The wallets whose signatures it needs, the fee payer first. */
  signers: string[];
  mint?: string | null;
  ticket?: string | null;
}

/** The door's answer to a scanned code. */
export interface GateDecision {
  admit: boolean;
  /** `ok`, or the refusal's name (`REFUSALS` in gate.ts, or `no_pass`). */
  reason: string;
  ticket: string | null;
  holder: string | null;
  event: string | null;
  /** On `already_admitted`: who admitted the ticket first, and when (Unix seconds). */
  admitted_by: string | null;
  admitted_at: number | null;
  /** On admit, for a gatekeeper wallet whose code carries a pass: the check-in, which
   * needs only the gatekeeper's signature. */
  check_in: BuiltTransaction | null;
}

/** The tokens a sign-in gives. */
export interface Session {
  wallet: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export class BitTicketApi {
  private session: Session | null = null;
  private readonly fetch: Fetch;

  /** `baseUrl`: the API's origin, e.g. `http://127.0.0.1:8080`. */
  constructor(
    readonly baseUrl: string,
    opts: { fetch?: Fetch } = {},
  ) {
    this.fetch = opts.fetch ?? ((input, init) => fetch(input, init));
  }

  /** The signed-in wallet, if any. */
  get wallet(): string | null {
    return this.session?.wallet ?? null;
  }

  /**
   * Sign-In With Solana: asks a nonce for the wallet, has the wallet sign the message the
   * API returns (as is), and keeps the tokens for later calls.
   */
  async signIn(wallet: MessageSigner): Promise<Session> {
    const address = wallet.publicKey.toBase58();
    const n = await this.call<{ message: string }>('POST', '/v1/auth/nonce', { address });
    const signature = await wallet.signMessage(new TextEncoder().encode(n.message));
    const t = await this.call<{
      access_token: string;
      refresh_token: string;
      expires_in: number;
      wallet: string;
    }>('POST', '/v1/auth/sign-in', {
      message: n.message,
      signature: utils.bytes.bs58.encode(signature),
    });
    this.session = {
      wallet: t.wallet,
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresIn: t.expires_in,
    };
    return this.session;
  }

  /** Ends the session on the server (the refresh token stops working). */
  async signOut(): Promise<void> {
    if (!this.session) return;
    await this.call('POST', '/v1/auth/sign-out', { refresh_token: this.session.refreshToken });
    this.session = null;
  }

  /** A page of the catalogue. */
  events(q: EventsQuery = {}): Promise<Page<EventView>> {
    const p = new URLSearchParams();
    if (q.organizer) p.set('organizer', q.organizer);
    if (q.onSale) p.set('on_sale', 'true');
    if (q.upcoming) p.set('upcoming', 'true');
    if (q.limit !== undefined) p.set('limit', String(q.limit));
    if (q.cursor) p.set('cursor', q.cursor);
    const qs = p.toString();
    return this.call('GET', `/v1/events${qs ? `?${qs}` : ''}`);
  }

  /** Every event of the catalogue, page after page. */
  async allEvents(q: Omit<EventsQuery, 'cursor'> = {}): Promise<EventView[]> {
    const out: EventView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.events({ ...q, cursor });
      out.push(...page.items);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return out;
  }

  event(address: PublicKey | string): Promise<EventView> {
    return this.call('GET', `/v1/events/${id(address)}`);
  }

  /** The signed-in wallet's tickets. */
  myTickets(): Promise<Page<Record<string, unknown>>> {
    return this.call('GET', '/v1/me/tickets');
  }

  /** A ticket of the signed-in wallet, by its mint or its ticket account. */
  ticket(ticketOrMint: PublicKey | string): Promise<Record<string, unknown>> {
    return this.call('GET', `/v1/tickets/${id(ticketOrMint)}`);
  }

  /**
   * A QR code of the signed-in holder's ticket (by its mint or its account). With the
   * holder's pass (`signPass`), the code carries it and the door can check the ticket in
   * with the gatekeeper's signature alone; without, it only proves the holding.
   */
  ticketQr(ticketOrMint: PublicKey | string, pass?: Pass): Promise<QrCode> {
    const path = `/v1/tickets/${id(ticketOrMint)}/qr`;
    if (!pass) return this.call('GET', path);
    return this.call('POST', path, {
      expires_at: pass.expiresAt,
      signature: utils.bytes.bs58.encode(pass.signature),
    });
  }

  /** The door's decision on a scanned code (the signed-in wallet a gatekeeper of `organizer`). */
  gateVerify(organizer: PublicKey | string, payload: string): Promise<GateDecision> {
    return this.call('POST', `/v1/organizers/${id(organizer)}/gate/verify`, { payload });
  }

  /** Any route: JSON in and out, the session's token when signed in, errors as `ApiError`. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.session) headers.authorization = `Bearer ${this.session.accessToken}`;
    const r = await this.fetch(new URL(path, this.baseUrl).toString(), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!r.ok) {
      const e = ((json ?? {}) as { error?: { code?: string; message?: string } }).error ?? {};
      const retry = r.headers.get('retry-after');
      throw new ApiError(
        r.status,
        e.code ?? 'http_error',
        e.message ?? (text || r.statusText),
        retry === null ? undefined : Number(retry),
      );
    }
    return json as T;
  }
}

function id(k: PublicKey | string): string {
  return encodeURIComponent(typeof k === 'string' ? k : k.toBase58());
}
