// The door page. Door staff sign in with their wallet (Sign-In With Solana, through the
// SDK), point the phone's camera at holders' QR codes, and see ADMIT or DENY with the
// reason. On admit, the staff wallet signs the check-in transaction the API built (the
// holder's consent is the pass inside the code, so only the gatekeeper signs) and the page
// sends it to the Solana node and waits for it to be confirmed.
//
// The API serves this page at /door/ (same origin: the API is `location.origin`) and the
// node's address at /door/config.json.
import jsQR from 'jsqr';
import { ApiError, BitTicketApi, GateDecision, IDL, MessageSigner, programError } from '@bitticket/sdk';
import type { Refusal } from '@bitticket/sdk';
import { Connection, PublicKey, Transaction } from '@solana/web3.js';

/** A Phantom-style wallet, as `window.solana`. */
interface BrowserWallet {
  publicKey?: { toString(): string } | null;
  connect(): Promise<{ publicKey?: { toString(): string } } | void>;
  disconnect?(): Promise<void>;
  signMessage(message: Uint8Array, display?: string): Promise<{ signature: Uint8Array } | Uint8Array>;
  signTransaction(tx: Transaction): Promise<Transaction>;
}

declare global {
  interface Window {
    solana?: BrowserWallet;
  }
}

/**
 * A code read again is the same scan unless it was out of sight for this many ms: frames
 * were read without it and it was last seen that long ago. While the page reads no frame
 * at all (a machine too busy to run the scan loop or deliver the video), nothing left the
 * camera's view, so however long that lasts the code in view is not checked again.
 */
const REREAD_MS = 5_000;
/** A code whose check failed for want of a connection is tried again after this long. */
const RETRY_MS = 3_000;
/** How long the page waits for the node to confirm a check-in. */
const CONFIRM_MS = 60_000;
const ORGANIZER_KEY = 'bitticket-door-organizer';

const NO_SERVER = 'No connection to the BitTicket server';
const NO_NODE = 'The Solana node does not answer: the check-in is not recorded';

/** Each reason the API gives, in plain words (every refusal: the compiler checks). */
const REASONS: Record<Refusal | 'ok', string> = {
  ok: 'Valid ticket',
  malformed: 'Not a BitTicket code',
  other_organizer: "A ticket of another organizer's event",
  unknown_key: 'The code is too old: ask the holder to show it again',
  forged: 'The code has been tampered with',
  expired: 'The code has expired: ask the holder to show it again',
  not_found: 'No such ticket for this organizer',
  not_on_chain: 'The ticket does not exist on chain',
  checked_in: 'The ticket is already checked in',
  refunded: 'The ticket was refunded',
  holder_changed: 'The ticket has changed hands since this code was made',
  wrong_event: 'A ticket of another event',
  event_cancelled: 'The event is cancelled',
  outside_check_in: 'Check-in is not open now',
  not_a_gatekeeper: 'This wallet is not a gatekeeper of this organizer',
  already_admitted: 'Already admitted',
  no_pass: "The code carries no holder pass: ask the holder to show it from their wallet",
};

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  who: $<HTMLParagraphElement>('who'),
  setup: $<HTMLElement>('setup'),
  organizer: $<HTMLInputElement>('organizer'),
  signIn: $<HTMLButtonElement>('sign-in'),
  scanner: $<HTMLElement>('scanner'),
  video: $<HTMLVideoElement>('video'),
  hint: $<HTMLParagraphElement>('scan-hint'),
  camera: $<HTMLButtonElement>('camera'),
  result: $<HTMLElement>('result'),
  verdict: $<HTMLParagraphElement>('verdict'),
  reason: $<HTMLParagraphElement>('reason'),
  details: $<HTMLDListElement>('details'),
  checkIn: $<HTMLParagraphElement>('check-in'),
  notice: $<HTMLParagraphElement>('notice'),
  signOut: $<HTMLButtonElement>('sign-out'),
};

let api = new BitTicketApi(location.origin);
let organizer: PublicKey | null = null;
let wallet: BrowserWallet | null = null;
let rpc: Connection | null = null;
let stream: MediaStream | null = null;
let busy = false;
let last: { payload: string; at: number; failed: boolean; missed: boolean } | null = null;
const canvas = document.createElement('canvas');

const short = (s: string) => (s.length > 12 ? `${s.slice(0, 4)}…${s.slice(-4)}` : s);
const clock = (unix: number) => new Date(unix * 1000).toLocaleTimeString();

function notice(text: string | null) {
  ui.notice.textContent = text ?? '';
  ui.notice.hidden = !text;
}

/** Whether an error is the network failing (fetch rejects with a TypeError). */
function unreachable(e: unknown): boolean {
  const m = String((e as Error)?.message ?? e);
  return e instanceof TypeError || /failed to fetch|network|load failed|ECONNREFUSED/i.test(m);
}

function setState(state: 'signed-out' | 'scanning') {
  const signedIn = state === 'scanning';
  ui.setup.hidden = signedIn;
  ui.scanner.hidden = !signedIn;
  ui.signOut.hidden = !signedIn;
  if (!signedIn) {
    ui.result.hidden = true;
    ui.who.textContent = 'Not signed in';
  }
}

// --- configuration --------------------------------------------------------------------------
async function config(): Promise<Connection | null> {
  if (rpc) return rpc;
  try {
    const r = await fetch('config.json', { headers: { accept: 'application/json' } });
    if (!r.ok) throw new Error(`config.json: ${r.status}`);
    const c = (await r.json()) as { rpc?: string };
    if (!c.rpc) throw new Error('config.json names no rpc');
    rpc = new Connection(c.rpc, { commitment: 'confirmed', disableRetryOnRateLimit: true });
    return rpc;
  } catch (e) {
    notice(unreachable(e) ? NO_SERVER : `The door is not configured: ${(e as Error).message}`);
    return null;
  }
}

// --- sign-in ----------------------------------------------------------------------------------
async function signIn() {
  notice(null);
  let org: PublicKey;
  try {
    org = new PublicKey(ui.organizer.value.trim());
  } catch {
    notice("That is not an organizer's address");
    ui.organizer.focus();
    return;
  }
  const w = window.solana;
  if (!w) {
    notice('No wallet found: open this page in a wallet\'s browser (one that offers window.solana)');
    return;
  }
  ui.signIn.disabled = true;
  ui.signIn.textContent = 'Signing in…';
  try {
    if (!(await config())) return;
    const connected = await w.connect();
    const key = (connected && connected.publicKey) || w.publicKey;
    if (!key) throw new Error('the wallet gave no public key');
    const signer: MessageSigner = {
      publicKey: new PublicKey(key.toString()),
      signMessage: async (m) => {
        const s = await w.signMessage(m, 'utf8');
        return s instanceof Uint8Array ? s : Uint8Array.from(s.signature);
      },
    };
    api = new BitTicketApi(location.origin);
    const session = await api.signIn(signer);
    wallet = w;
    organizer = org;
    localStorage.setItem(ORGANIZER_KEY, org.toBase58());
    ui.who.textContent = `Signed in as ${short(session.wallet)} · organizer ${short(org.toBase58())}`;
    setState('scanning');
    await startCamera();
  } catch (e) {
    if (unreachable(e)) notice(NO_SERVER);
    else if (e instanceof ApiError) notice(`Sign-in refused: ${e.message}`);
    else notice(`Sign-in failed: ${(e as Error).message ?? e}`);
  } finally {
    ui.signIn.disabled = false;
    ui.signIn.textContent = 'Sign in with wallet';
  }
}

async function signOut() {
  stopCamera();
  try {
    await api.signOut();
  } catch {
    // the session ends here either way
  }
  api = new BitTicketApi(location.origin);
  wallet = null;
  last = null;
  notice(null);
  setState('signed-out');
}

// --- the camera -------------------------------------------------------------------------------
async function startCamera() {
  ui.camera.hidden = true;
  if (!navigator.mediaDevices?.getUserMedia) {
    notice('This browser gives the page no camera (the page needs https, or localhost)');
    return;
  }
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: { ideal: 'environment' } },
      audio: false,
    });
  } catch (e) {
    const name = (e as DOMException).name;
    notice(
      name === 'NotAllowedError'
        ? 'The camera is not allowed: allow it for this page, then start it'
        : `No camera: ${(e as Error).message || name}`,
    );
    ui.camera.hidden = false;
    return;
  }
  ui.video.srcObject = stream;
  await ui.video.play().catch(() => undefined);
  ui.hint.textContent = "Point the camera at the QR code";
  scan();
}

function stopCamera() {
  stream?.getTracks().forEach((t) => t.stop());
  stream = null;
  ui.video.srcObject = null;
}

function scan() {
  if (!stream) return;
  const v = ui.video;
  if (v.readyState >= v.HAVE_CURRENT_DATA && v.videoWidth > 0) {
    // at most 800 px wide: enough for a code that fills a fair part of the frame
    const scale = Math.min(1, 800 / v.videoWidth);
    const w = Math.round(v.videoWidth * scale);
    const h = Math.round(v.videoHeight * scale);
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (ctx) {
      ctx.drawImage(v, 0, 0, w, h);
      const code = jsQR(ctx.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: 'dontInvert' });
      if (code?.data) void onCode(code.data.trim());
      else if (last) last.missed = true; // a frame read without the code
    }
  }
  setTimeout(scan, 150);
}

// --- a scanned code ---------------------------------------------------------------------------
async function onCode(payload: string) {
  const now = Date.now();
  if (busy) {
    // the code being checked (or checked in) stays in view: the same scan, however long
    // the check takes
    if (last && last.payload === payload) seen(last, now);
    return;
  }
  if (last && last.payload === payload) {
    if (!last.failed && (!last.missed || now - last.at < REREAD_MS)) {
      seen(last, now); // still in view: the same scan
      return;
    }
    if (last.failed && now - last.at < RETRY_MS) return;
  }
  if (!organizer) return;
  busy = true;
  // a retry after a failed check keeps the failure on screen until it has an answer
  const retry = last?.payload === payload && last.failed;
  last = { payload, at: now, failed: false, missed: false };
  if (!retry) {
    notice(null);
    showChecking('Checking…');
  }
  try {
    const decision = await api.gateVerify(organizer, payload);
    last.at = Date.now();
    notice(null);
    show(decision);
    if (decision.admit && decision.check_in) await checkIn(decision.check_in.transaction);
    else if (decision.admit) ui.checkIn.textContent = 'No check-in transaction: admitted at the door only';
  } catch (e) {
    last.failed = true;
    last.at = Date.now();
    ui.result.hidden = true;
    if (unreachable(e)) notice(NO_SERVER);
    else if (e instanceof ApiError && e.status === 503) {
      notice('The BitTicket server cannot reach the Solana node: the ticket is not checked');
    } else if (e instanceof ApiError && e.status === 401) {
      notice('The sign-in has expired: sign in again');
      stopCamera();
      setState('signed-out');
    } else if (e instanceof ApiError && e.status === 403) {
      last.failed = false;
      notice(`This wallet may not use this organizer's door: ${e.message}`);
    } else if (e instanceof ApiError && e.status === 429) {
      notice(`Too many scans: wait ${e.retryAfter ?? 'a few'} seconds`);
    } else notice(`The code could not be checked: ${(e as Error).message ?? e}`);
  } finally {
    // the re-read window runs from the end of the check (and its check-in), however long
    // the page was kept from reading the code meanwhile
    if (last && !last.failed) last.at = Date.now();
    busy = false;
  }
}

/** The code being (or last) checked is in view at `now`. */
function seen(l: { at: number; missed: boolean }, now: number) {
  l.at = now;
  l.missed = false;
}

function showChecking(text: string) {
  ui.result.hidden = false;
  ui.result.className = 'result checking';
  ui.verdict.textContent = '…';
  ui.reason.textContent = text;
  ui.details.replaceChildren();
  ui.checkIn.textContent = '';
  ui.checkIn.dataset.state = '';
}

function show(d: GateDecision) {
  ui.result.hidden = false;
  ui.result.className = `result ${d.admit ? 'admit' : 'deny'}`;
  ui.verdict.textContent = d.admit ? 'ADMIT' : 'DENY';
  let reason = REASONS[d.reason as Refusal] ?? `Refused: ${d.reason}`;
  if (d.reason === 'already_admitted' && d.admitted_at) reason += ` at ${clock(d.admitted_at)}`;
  ui.reason.textContent = reason;
  ui.reason.dataset.reason = d.reason;
  const rows: [string, string | null][] = [
    ['Ticket', d.ticket],
    ['Holder', d.holder],
    ['By', d.reason === 'already_admitted' ? d.admitted_by : null],
  ];
  ui.details.replaceChildren(
    ...rows
      .filter((r): r is [string, string] => !!r[1])
      .flatMap(([k, v]) => {
        const dt = document.createElement('dt');
        dt.textContent = k;
        const dd = document.createElement('dd');
        dd.textContent = v.startsWith('service:') ? v : short(v);
        dd.title = v;
        return [dt, dd];
      }),
  );
  ui.checkIn.textContent = '';
  ui.checkIn.dataset.state = '';
}

// --- the check-in on chain --------------------------------------------------------------------
async function checkIn(base64: string) {
  const connection = await config();
  if (!connection || !wallet) return;
  const status = (text: string, state?: string) => {
    ui.checkIn.textContent = text;
    ui.checkIn.dataset.state = state ?? '';
  };
  status('Checking in: sign with the wallet…', 'signing');
  let signed: Transaction;
  try {
    const tx = Transaction.from(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    signed = await wallet.signTransaction(tx);
  } catch (e) {
    status(`Not checked in: the wallet did not sign (${(e as Error).message ?? e})`, 'failed');
    return;
  }
  status('Checking in: sending…', 'sending');
  let signature: string;
  try {
    signature = await connection.sendRawTransaction(signed.serialize(), {
      preflightCommitment: 'confirmed',
    });
  } catch (e) {
    status(failure(e), 'failed');
    return;
  }
  status('Checking in: waiting for the node to confirm…', 'confirming');
  const deadline = Date.now() + CONFIRM_MS;
  let misses = 0;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    try {
      const { value } = await connection.getSignatureStatuses([signature]);
      misses = 0;
      const s = value[0];
      if (!s) continue;
      if (s.err) {
        status(`Not checked in: ${customError(s.err)}`, 'failed');
        return;
      }
      if (s.confirmationStatus === 'confirmed' || s.confirmationStatus === 'finalized') {
        status('Checked in', 'done');
        return;
      }
    } catch (e) {
      if (!unreachable(e) || ++misses < 6) continue;
      status('The Solana node does not answer: the check-in is not confirmed', 'failed');
      return;
    }
  }
  status('Not confirmed within a minute: the check-in may not be recorded', 'failed');
}

/** Why a send failed: the program's error by name, the node not answering, or as said. */
function failure(e: unknown): string {
  const p = programError(e);
  if (p) return `Not checked in: ${p.name} (${p.message})`;
  if (unreachable(e)) return NO_NODE;
  const m = String((e as Error)?.message ?? e);
  const custom = /custom program error: 0x([0-9a-f]+)/i.exec(m);
  if (custom) return `Not checked in: ${customError({ InstructionError: [0, { Custom: parseInt(custom[1], 16) }] })}`;
  return `Not checked in: ${m}`;
}

/** A transaction error's program error by name (from the IDL), or as the node says it. */
function customError(err: unknown): string {
  const ie = (err as { InstructionError?: [number, unknown] }).InstructionError;
  const custom = ie && (ie[1] as { Custom?: number })?.Custom;
  if (typeof custom === 'number') {
    const found = IDL.errors.find((x) => x.code === custom);
    if (found) return `${found.name} (${found.msg})`;
  }
  return JSON.stringify(err);
}

// --- start ------------------------------------------------------------------------------------
function start() {
  const fromQuery = new URLSearchParams(location.search).get('organizer');
  ui.organizer.value = fromQuery ?? localStorage.getItem(ORGANIZER_KEY) ?? '';
  ui.signIn.addEventListener('click', () => void signIn());
  ui.signOut.addEventListener('click', () => void signOut());
  ui.camera.addEventListener('click', () => {
    notice(null);
    void startCamera();
  });
  ui.organizer.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') void signIn();
  });
  setState('signed-out');
  void config();
}

start();
