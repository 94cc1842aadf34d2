// The door page in a real browser against scripts/run.sh's stack (BITTICKET_API serving
// the page at /door/, BITTICKET_RPC the validator): nothing is mocked. On the validator, a
// fresh organizer with a gatekeeper, an event on sale and open for check-in, and two
// tickets bought by a holder; the holder signs a pass and gets the sealed QR code from the
// API; the code is shown to Debian's Chromium as its camera (a Y4M video of the code). The
// page signs the gatekeeper in with an injected wallet (signing in Node with the
// gatekeeper's key), reads the code, shows ADMIT, has the wallet sign the check-in and
// sends it: the ticket is checked in on chain. A second scan is refused, and so is a code
// without the holder's pass. Then, with the API's gate and the node cut off by request
// interception, the page says so, and the second ticket stays valid on chain. Each state
// is screenshot into $BITTICKET_DATA/door/ (or a temporary directory, printed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import QRCode from 'qrcode';

const require = createRequire(import.meta.url);
const sdk = require('@bitticket/sdk');
// the SDK's own copies, so that its classes are the ones its functions check
const fromSdk = createRequire(require.resolve('@bitticket/sdk'));
const { AnchorProvider, BN, Wallet } = fromSdk('@anchor-lang/core');
const {
  Connection,
  Ed25519Program,
  Keypair,
  LAMPORTS_PER_SOL,
  Message,
  Transaction,
  sendAndConfirmTransaction,
} = fromSdk('@solana/web3.js');

const API = process.env.BITTICKET_API;
const RPC = process.env.BITTICKET_RPC;
const CHROMIUM = process.env.BITTICKET_CHROMIUM ?? '/usr/bin/chromium';
const shots = process.env.BITTICKET_DATA
  ? join(process.env.BITTICKET_DATA, 'door')
  : mkdtempSync(join(tmpdir(), 'bitticket-door-'));
mkdirSync(shots, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'bitticket-door-video-'));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A wallet that signs messages with a keypair, through Node's own Ed25519. */
function signer(k) {
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

/** The QR code of `payload` as a camera would see it: a 640x480 Y4M video (4:2:0) of a few
 * identical frames, the code centred on white with a quiet zone of 4 modules. */
function y4m(payload, file) {
  const qr = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const [W, H] = [640, 480];
  const scale = Math.floor(Math.min(W, H) / (n + 8));
  assert.ok(scale >= 3, `the code (${n} modules) is too dense for 640x480`);
  const x0 = (W - n * scale) >> 1;
  const y0 = (H - n * scale) >> 1;
  const y = Buffer.alloc(W * H, 235); // white (video range)
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let dy = 0; dy < scale; dy++) {
        y.fill(16, (y0 + r * scale + dy) * W + x0 + c * scale, (y0 + r * scale + dy) * W + x0 + (c + 1) * scale);
      }
    }
  }
  const chroma = Buffer.alloc((W * H) / 2, 128); // U and V planes, grey
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  const frames = Array.from({ length: 5 }, () => frame);
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420\n`), ...frames]));
  return file;
}

let connection;
let client; // the SDK on chain
let organizer;
let gatekeeper;
let holder;
let mints;
let rpcForBrowsers;

async function funded(sol) {
  const k = Keypair.generate();
  const sig = await connection.requestAirdrop(k.publicKey, sol * LAMPORTS_PER_SOL);
  const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash();
  await connection.confirmTransaction({ signature: sig, blockhash, lastValidBlockHeight }, 'confirmed');
  return k;
}

const send = (ixs, signers) =>
  sendAndConfirmTransaction(connection, new Transaction().add(...ixs), signers, { commitment: 'confirmed' });
const clock = async () => connection.getBlockTime(await connection.getSlot());

/** The holder's fresh QR code of the ticket of `mint`, carrying a pass (signed now). */
async function qrWithPass(mint) {
  const api = new sdk.BitTicketApi(API);
  const wallet = signer(holder);
  await api.signIn(wallet);
  const pass = await sdk.signPass(wallet, mint, { now: await clock(), validFor: 300 });
  const qr = await api.ticketQr(mint, pass);
  assert.match(qr.payload, /^BT2\./);
  return qr.payload;
}

/** Chromium with the code as its camera, and a page at the door with a wallet injected
 * whose signatures are made here with the gatekeeper's key. */
async function door(video, name) {
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
      '--lang=en-US',
    ],
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const signed = { messages: 0, transactions: 0 };
  const gk = signer(gatekeeper);
  await page.exposeFunction('__doorSign', async (kind, base64) => {
    const bytes = Buffer.from(base64, 'base64');
    if (kind === 'transaction') {
      // what the door asks the gatekeeper to sign: the pass, then check_in, paid and
      // signed by the gatekeeper alone
      const m = Message.from(bytes);
      assert.equal(m.header.numRequiredSignatures, 1, 'only the gatekeeper signs');
      assert.ok(m.accountKeys[0].equals(gatekeeper.publicKey), 'the gatekeeper pays');
      assert.deepEqual(
        m.instructions.map((ix) => m.accountKeys[ix.programIdIndex].toBase58()),
        [Ed25519Program.programId.toBase58(), sdk.PROGRAM_ID.toBase58()],
      );
      signed.transactions++;
    } else {
      assert.match(bytes.toString('utf8'), /wants you to sign in with your Solana account/);
      signed.messages++;
    }
    return Buffer.from(await gk.signMessage(bytes)).toString('base64');
  });
  await page.evaluateOnNewDocument((address) => {
    const b64 = (u8) => btoa(String.fromCharCode(...u8));
    const bytes = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
    const publicKey = { toString: () => address, toBase58: () => address };
    window.solana = {
      isPhantom: true,
      publicKey: null,
      async connect() {
        this.publicKey = publicKey;
        return { publicKey };
      },
      async signMessage(message) {
        return { signature: bytes(await window.__doorSign('message', b64(message))), publicKey };
      },
      async signTransaction(tx) {
        const signature = bytes(await window.__doorSign('transaction', b64(tx.serializeMessage())));
        const slot = tx.signatures.find((s) => s.publicKey.toBase58() === address);
        tx.addSignature(slot.publicKey, signature);
        return tx;
      },
    };
  }, gatekeeper.publicKey.toBase58());
  const verifies = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/gate/verify')) verifies.push(Date.now());
  });
  let n = 0;
  const shot = async (what) => {
    const file = join(shots, `${name}-${++n}-${what}.png`);
    await page.screenshot({ path: file });
    console.log(`door: screenshot ${file}`);
  };
  return { browser, page, errors, signed, verifies, shot };
}

async function signIn(page, shot) {
  await page.goto(`${API}/door/?organizer=${organizer.toBase58()}`, { waitUntil: 'load' });
  assert.equal(await page.$eval('#organizer', (e) => e.value), organizer.toBase58(), '?organizer= fills the field');
  if (shot) await shot('sign-in');
  await page.click('#sign-in');
  await page.waitForFunction(() => document.getElementById('who').textContent.startsWith('Signed in as'), {
    timeout: 20_000,
  });
}

const text = (page, sel) => page.$eval(sel, (e) => e.textContent.trim());
const verdict = (page, want, timeout = 30_000) =>
  page.waitForFunction((v) => document.getElementById('verdict').textContent === v, { timeout }, want);

before(async () => {
  assert.ok(API && RPC, 'BITTICKET_API and BITTICKET_RPC are not set: run under scripts/run.sh (RUN_THEN)');
  connection = new Connection(RPC, 'confirmed');
  const page = await fetch(`${API}/door/`);
  assert.equal(page.status, 200, 'the API serves the door page at /door/');
  assert.match(await page.text(), /<title>BitTicket door<\/title>/);
  rpcForBrowsers = (await (await fetch(`${API}/door/config.json`)).json()).rpc;
  assert.ok(rpcForBrowsers, 'config.json names the node');

  const creator = await funded(10);
  client = new sdk.BitTicket(new AnchorProvider(connection, new Wallet(creator), { commitment: 'confirmed' }));
  [organizer] = sdk.organizerPda(creator.publicKey, 0);
  gatekeeper = await funded(1);
  holder = await funded(2);
  await send(
    [
      await client.createOrganizer(creator.publicKey, 0, { name: 'Door & Co' }),
      await client.addMember(organizer, creator.publicKey, gatekeeper.publicKey, sdk.Role.GATEKEEPER),
    ],
    [creator],
  );
  const now = await clock();
  const { event, instructions } = await client.createEvent(
    organizer,
    creator.publicKey,
    {
      priceLamports: new BN(LAMPORTS_PER_SOL / 100),
      supply: 10,
      saleStart: new BN(now - 5),
      saleEnd: new BN(now + 3600),
      resaleUnlock: new BN(now - 5),
      maxPerWallet: 2,
      checkInStart: new BN(now - 5),
      checkInEnd: new BN(now + 3600),
      name: 'Door night',
      uri: '',
    },
    1,
  );
  await send(instructions, [creator]);
  mints = [];
  for (let i = 0; i < 2; i++) {
    const { instruction, mint } = await client.purchase(holder.publicKey, event);
    await send([instruction], [holder, mint]);
    mints.push(mint.publicKey);
  }
  // the API knows the tickets once the indexer has mirrored them
  const api = new sdk.BitTicketApi(API);
  await api.signIn(signer(holder));
  for (const mint of mints) {
    for (let i = 0; ; i++) {
      try {
        await api.ticket(mint);
        break;
      } catch (e) {
        if (!(e instanceof sdk.ApiError) || e.status !== 404 || i >= 120) throw e;
        await sleep(500);
      }
    }
  }
  console.log(`door: organizer ${organizer.toBase58()}, tickets ${mints.map((m) => m.toBase58()).join(' ')}`);
});

after(() => {
  rmSync(work, { recursive: true, force: true }); // the videos
  console.log(`door: screenshots in ${shots}`);
});

test('the door signs the gatekeeper in, admits the code, checks the ticket in on chain, refuses a second scan', async () => {
  const video = y4m(await qrWithPass(mints[0]), join(work, 'first.y4m'));
  const d = await door(video, 'admit');
  try {
    await signIn(d.page, d.shot);
    assert.equal(d.signed.messages, 1, 'the wallet signed the sign-in message');
    assert.equal(await d.page.$eval('#scanner', (e) => e.hidden), false, 'the camera shows');

    await verdict(d.page, 'ADMIT');
    assert.equal(await text(d.page, '#reason'), 'Valid ticket');
    // the ticket account and the holder, shortened
    const short = (k) => `${k.toBase58().slice(0, 4)}…${k.toBase58().slice(-4)}`;
    assert.equal(
      await text(d.page, '#details'),
      `Ticket${short(sdk.ticketPda(mints[0])[0])}Holder${short(holder.publicKey)}`,
    );
    await d.shot('admit');

    await d.page.waitForFunction(() => document.getElementById('check-in').dataset.state === 'done' ||
      document.getElementById('check-in').dataset.state === 'failed', { timeout: 60_000 });
    assert.equal(await text(d.page, '#check-in'), 'Checked in');
    assert.equal(d.signed.transactions, 1);
    const t = await client.fetchTicket(mints[0]);
    assert.ok('checkedIn' in t.state, `the ticket is checked in on chain (state ${JSON.stringify(t.state)})`);

    // the code stays in front of the camera: re-read, it is the same scan (the screenshot
    // after it: taking one can hold the page's video for seconds on a loaded machine)
    await sleep(6_000);
    assert.equal(d.verifies.length, 1, 'the same code re-read within a few seconds is not checked again');
    assert.equal(await text(d.page, '#verdict'), 'ADMIT');
    await d.shot('checked-in');

    // a second scan (the page opened anew): refused
    await signIn(d.page);
    await verdict(d.page, 'DENY');
    const reason = await d.page.$eval('#reason', (e) => e.dataset.reason);
    assert.ok(['already_admitted', 'checked_in'].includes(reason), `refused as ${reason}`);
    assert.match(await text(d.page, '#reason'), /^(Already admitted|The ticket is already checked in)/);
    assert.equal(d.verifies.length, 2);
    await d.shot('deny-second-scan');
    assert.deepEqual(d.errors, []);
  } finally {
    await d.browser.close();
  }
});

test('a code without the holder\'s pass is denied as no_pass, and leaves the ticket valid', async () => {
  const api = new sdk.BitTicketApi(API);
  await api.signIn(signer(holder));
  const plain = await api.ticketQr(mints[1]); // GET: no pass
  const d = await door(y4m(plain.payload, join(work, 'no-pass.y4m')), 'no-pass');
  try {
    await signIn(d.page);
    await verdict(d.page, 'DENY');
    assert.equal(await d.page.$eval('#reason', (e) => e.dataset.reason), 'no_pass');
    assert.equal(
      await text(d.page, '#reason'),
      'The code carries no holder pass: ask the holder to show it from their wallet',
    );
    assert.equal(d.signed.transactions, 0, 'nothing to sign');
    await d.shot('deny');
    assert.deepEqual(d.errors, []);
  } finally {
    await d.browser.close();
  }
  assert.ok('valid' in (await client.fetchTicket(mints[1])).state);
});

test('the door says when the server or the node cannot be reached', async () => {
  const video = y4m(await qrWithPass(mints[1]), join(work, 'second.y4m'));
  const d = await door(video, 'offline');
  let apiDown = true;
  const rpcOrigin = new URL(rpcForBrowsers).origin;
  let rpcAborted = 0;
  try {
    await d.page.setRequestInterception(true);
    d.page.on('request', (r) => {
      if (apiDown && r.url().includes('/gate/verify')) return r.abort('connectionrefused');
      if (new URL(r.url()).origin === rpcOrigin) {
        rpcAborted++;
        return r.abort('connectionrefused');
      }
      return r.continue();
    });
    await signIn(d.page);
    await d.page.waitForFunction(() => !document.getElementById('notice').hidden, { timeout: 30_000 });
    assert.equal(await text(d.page, '#notice'), 'No connection to the BitTicket server');
    await d.shot('no-server');

    // the server is back: the code in view is tried again and admitted; the node is not
    apiDown = false;
    await verdict(d.page, 'ADMIT');
    await d.page.waitForFunction(() => document.getElementById('check-in').dataset.state === 'failed', {
      timeout: 30_000,
    });
    assert.equal(await text(d.page, '#check-in'), 'The Solana node does not answer: the check-in is not recorded');
    assert.ok(rpcAborted > 0, 'the page tried the node');
    await d.shot('no-node');
    const t = await client.fetchTicket(mints[1]);
    assert.ok('valid' in t.state, 'the ticket is not checked in');
    assert.deepEqual(d.errors, []);
  } finally {
    await d.browser.close();
  }
});
