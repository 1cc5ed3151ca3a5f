// Browser end-to-end test of the chatd web client.
//
// Starts two real, linked chatd servers (server/target/chatd-server.jar),
// alpha and beta, on free ports with fresh SQLite databases, drives Debian's
// chromium through playwright-core and checks what the users see: chat, DMs,
// invitations and mode lists, signed messages verified across the link, a changed key flagged, a message
// typed while the server is down delivered once, the phone-sized layout.
//
//   cd e2e && npm install && node web.test.mjs
//
// Environment: CHATD_JAR (jar path); JAVA (java binary; else $JAVA_HOME/bin/java,
// else the JDK 21+ that bin/lib/jdk.sh finds, else `java`); CHROMIUM (default
// /usr/bin/chromium); HASHCASH_BITS (default 8, so the login goes through the
// hashcash Web Worker); E2E_TIMEOUT_MS (per UI expectation, default 30000).
// Screenshots and server logs go to target/e2e/ (never over tracked files).

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { JAR, JAVA, freePort } from './chatd-server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const ARTIFACTS = path.join(ROOT, 'target/e2e');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const HASHCASH_BITS = process.env.HASHCASH_BITS ?? '8';
const STARTUP_DEADLINE_MS = 90_000;
// Generous: a loaded CI machine can make the first JIT-cold requests slow.
const UI_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS) || 30_000;

const servers = {}; // name → {name, port, url, dir, proc, log}
let browser;

// ------------------------------------------------------------------ servers


/** Two servers that know each other as federation peers. */
async function startLinkedServers() {
  assert.ok(fs.existsSync(JAR), `server jar not found at ${JAR}; build it with ./mvnw -DskipTests package or set CHATD_JAR`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  for (const name of ['alpha', 'beta']) {
    servers[name] = { name, port: await freePort(), dir: fs.mkdtempSync(path.join(os.tmpdir(), `chatd-e2e-${name}-`)) };
    servers[name].url = `http://127.0.0.1:${servers[name].port}`;
  }
  await Promise.all(Object.values(servers).map(start));
  await Promise.all(Object.values(servers).map(waitForLink));
}

/** Starts (or restarts, same port and database) one server. */
async function start(srv) {
  const peer = Object.values(servers).find((s) => s !== srv);
  srv.log = fs.createWriteStream(path.join(ARTIFACTS, `${srv.name}.log`), { flags: 'a' });
  srv.proc = spawn(JAVA, ['--enable-native-access=ALL-UNNAMED', '-jar', JAR], {
    env: {
      ...process.env,
      PORT: String(srv.port), BIND: '127.0.0.1', SERVER_NAME: srv.name,
      DBURL: `jdbc:sqlite:${path.join(srv.dir, 'chatd.db')}`,
      HASHCASH_BITS, MOTD: `Welcome to the e2e test server ${srv.name}`,
      FEDERATION_KEY: 'e2e-shared-key', FEDERATION_PEERS: `${peer.name}=${peer.url}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  srv.proc.stdout.pipe(srv.log);
  srv.proc.stderr.pipe(srv.log);
  await waitFor(srv, async () => (await getJson(`${srv.url}/.well-known/healthcheck.json`)).status === 'ok', 'healthy');
}

async function stop(srv) {
  if (!srv.proc || srv.proc.exitCode !== null) return;
  const exited = new Promise((r) => srv.proc.once('exit', r));
  srv.proc.kill('SIGKILL');
  await exited;
}

async function getJson(url) {
  const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return r.json();
}

/** Federation status shows the link to the peer up. */
function waitForLink(srv) {
  return waitFor(srv, async () => JSON.stringify(await getJson(`${srv.url}/api/v1/federation/status`)).includes('"state":"up"'), 'linked');
}

/** Polls `check` until it is true, the server dies, or the start-up deadline passes. */
async function waitFor(srv, check, what) {
  const deadline = Date.now() + STARTUP_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (srv.proc.exitCode !== null) throw new Error(`${srv.name} exited (code ${srv.proc.exitCode}); see ${ARTIFACTS}/${srv.name}.log`);
    try { if (await check()) return; } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200)); // poll interval, not a wait for an outcome
  }
  throw new Error(`${srv.name} not ${what} within ${STARTUP_DEADLINE_MS} ms`);
}

function killServers() {
  for (const srv of Object.values(servers)) if (srv.proc && srv.proc.exitCode === null) srv.proc.kill('SIGKILL');
}
process.on('exit', killServers); // also on assertion failures and crashes

// ------------------------------------------------------------------ page helpers

/** A chat user on `server`: one browser context (own localStorage and IndexedDB) and page. */
async function openUser(nick, server = 'alpha', viewport = { width: 1100, height: 640 }, initScript = null) {
  const context = await browser.newContext({ viewport });
  if (initScript) await context.addInitScript(initScript);
  // Desktop notifications are recorded instead of shown; the permission is granted up front.
  await context.addInitScript(() => {
    window.notified = [];
    window.Notification = class {
      static permission = 'granted';
      static requestPermission() { return Promise.resolve('granted'); }
      constructor(title, options) { window.notified.push({ title, body: options && options.body }); }
      close() {}
    };
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[${nick} page error]`, e.message));
  await page.goto(servers[server].url + '/');
  const user = { nick, server, context, page };
  users.push(user);
  return user;
}

const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);
const tab = (page, name) => page.locator(`[data-testid="tab"][data-tab="${name}"]`);
const log = (page, name) => page.locator(`[data-testid="log"][data-tab="${name}"]`);
const line = (page, name, text) => log(page, name).locator('[data-testid="line"]', { hasText: text });
const visible = (locator) => locator.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
const attached = (locator) => locator.first().waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
/** A message line once its signature has been judged: data-sig is verified, unsigned, bad-signature, key-changed… */
const judged = (page, name, text, verdict) => log(page, name).locator(`[data-testid="line"][data-sig="${verdict}"]`, { hasText: text });

async function connected(page) {
  await visible(page.locator('[data-testid="conn-state"][data-state="connected"]'));
}

async function loginAnonymously({ page, nick }) {
  await byTestId(page, 'login-nick').fill(nick);
  await byTestId(page, 'login-anon').click();
  await connected(page);
  await page.locator('[data-testid="me"]', { hasText: nick }).waitFor({ timeout: UI_TIMEOUT_MS });
}

async function type(page, text) {
  const input = byTestId(page, 'input');
  await input.fill(text);
  await input.press('Enter');
}

/** Waits until `locator` matches exactly `n` elements (e.g. a line shown once, not twice). */
async function expectCount(locator, n) {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  let c;
  while ((c = await locator.count()) !== n && Date.now() < deadline) {
    await locator.page().waitForTimeout(100); // re-check interval
  }
  assert.equal(c, n, `expected ${n} match(es) for ${locator}, got ${c}`);
}

// ------------------------------------------------------------------ scenario

before(async () => {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} missing: apt-get install -y chromium`);
  await startLinkedServers();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  try { if (browser) await browser.close(); } finally {
    killServers();
    for (const srv of Object.values(servers)) if (srv.log) srv.log.end();
  }
});

const users = [];

/** Runs a scenario; on failure keeps what each browser showed. */
async function withScreenshots(fn) {
  try {
    await fn();
  } catch (e) {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    for (const u of users) {
      try { await u.page.screenshot({ path: path.join(ARTIFACTS, `${u.nick}-failure.png`) }); } catch { /* page gone */ }
    }
    console.error(`screenshots and server logs: ${ARTIFACTS}`);
    throw e;
  }
}

let alice; let bob; // both on alpha, from the first scenario on

test('two users chat in a channel and by DM; a reload resumes the session', () => withScreenshots(async () => {
  alice = await openUser('alice');
  bob = await openUser('bob');
  await loginAnonymously(alice);
  await loginAnonymously(bob);

  // The welcome numerics and the MOTD are folded into one block of the server tab.
  await visible(tab(alice.page, 'alpha'));
  await attached(log(alice.page, 'alpha').locator('[data-testid="login-info"]', { hasText: 'Welcome to the e2e test server alpha' }));
  await expectCount(log(alice.page, 'alpha').locator(':scope > [data-testid="line"]', { hasText: 'Welcome to the e2e test server' }), 0);

  // Both join #test; the tab opens and the member list shows both, alice as op.
  await type(alice.page, '/join #test');
  await visible(tab(alice.page, '#test'));
  await type(bob.page, '/join #test');
  await visible(tab(bob.page, '#test'));
  await visible(line(alice.page, '#test', 'bob has joined #test'));
  await visible(bob.page.locator('[data-testid="member"][data-nick="alice"]', { hasText: '@alice' }));
  await visible(alice.page.locator('[data-testid="member"][data-nick="bob"]'));
  await visible(log(alice.page, '#test').locator('[data-testid="day"]')); // today's day separator

  // Channel chat: each sees the other's line as "<nick> text", signed and verified.
  await type(alice.page, 'hello from alice');
  await visible(judged(bob.page, '#test', '<alice> hello from alice', 'verified'));
  await type(bob.page, 'hi alice, bob here');
  await visible(judged(alice.page, '#test', '<bob> hi alice, bob here', 'verified'));
  await visible(judged(alice.page, '#test', '<alice> hello from alice', 'verified')); // her own, echoed

  // /me is a CTCP ACTION, shown as "* nick text".
  await type(alice.page, '/me waves');
  await visible(line(bob.page, '#test', '* alice waves'));

  // Topic bar follows /topic.
  await type(alice.page, '/topic testing the web client');
  await visible(bob.page.locator('[data-testid="topic"]', { hasText: 'testing the web client' }));

  // DM: bob gets a DM tab with an unread badge and a desktop notification; the new-messages line
  // sits above the line he had not seen.
  await type(alice.page, '/msg bob psst, a private word');
  const dmTab = tab(bob.page, 'alice');
  await visible(dmTab);
  await visible(dmTab.locator('[data-testid="unread"]', { hasText: '1' }));
  assert.deepEqual(await bob.page.evaluate(() => window.notified.map((n) => n.body)), ['psst, a private word']);
  await dmTab.click();
  await visible(judged(bob.page, 'alice', '<alice> psst, a private word', 'verified'));
  await visible(log(bob.page, 'alice').locator('[data-testid="new-messages"] + [data-testid="line"]', { hasText: 'psst, a private word' }));
  await tab(bob.page, '#test').click();

  // An unknown nick is an error numeric (401): shown in the active tab and kept in the server tab.
  await type(alice.page, '/msg nosuchnick anyone?');
  await visible(log(alice.page, '#test').locator('.kind-error', { hasText: '401' }));
  await attached(log(alice.page, 'alpha').locator('.kind-error', { hasText: '401' }));
  await visible(line(alice.page, '#test', 'anyone?').locator('[data-testid="send-state"]', { hasText: 'not delivered' }));

  // A /motd asked for later is shown, not folded away.
  await type(alice.page, '/motd');
  await visible(log(alice.page, 'alpha').locator(':scope > [data-testid="line"]', { hasText: 'Welcome to the e2e test server alpha' }));
  await tab(alice.page, '#test').click();

  // /help lists every command the client knows.
  await type(alice.page, '/help');
  for (const cmd of ['/join', '/part', '/msg', '/query', '/me', '/notice', '/nick', '/topic', '/away', '/whois', '/names', '/list',
    '/mode', '/kick', '/invite', '/lusers', '/motd', '/ping', '/quote', '/trust', '/key', '/close', '/clear', '/quit', '/help']) {
    await visible(line(alice.page, '#test', `${cmd} `));
  }

  // Reload: same nick, same channels, the conversation back from history, no duplicates.
  await alice.page.reload();
  await connected(alice.page);
  await visible(alice.page.locator('[data-testid="me"]', { hasText: 'alice' }));
  await tab(alice.page, '#test').click();
  await visible(judged(alice.page, '#test', '<bob> hi alice, bob here', 'verified'));
  await visible(alice.page.locator('[data-testid="topic"]', { hasText: 'testing the web client' }));
  // The resumed long-poll still delivers new lines, and the key survived the reload.
  await type(bob.page, '/msg #test welcome back');
  await visible(line(alice.page, '#test', '<bob> welcome back'));
  await type(alice.page, 'same key after a reload');
  await visible(judged(bob.page, '#test', '<alice> same key after a reload', 'verified'));
  await expectCount(line(alice.page, '#test', '<alice> hello from alice'), 1);
  await expectCount(line(alice.page, '#test', '<bob> hi alice, bob here'), 1);
  await expectCount(line(alice.page, '#test', '<bob> welcome back'), 1);
  // The DM tab is restored with its history.
  await visible(tab(alice.page, 'bob'));
  await tab(alice.page, 'bob').click();
  await visible(line(alice.page, 'bob', '<alice> psst, a private word'));
  await tab(alice.page, '#test').click();
  await visible(alice.page.locator('[data-testid="member"][data-nick="bob"]'));

  await alice.page.screenshot({ path: path.join(ARTIFACTS, 'alice.png') });
  await bob.page.screenshot({ path: path.join(ARTIFACTS, 'bob.png') });
}));

test('an operator reads another user\'s invitation as news, the invited user as an invitation; the exception lists read as sentences', () => withScreenshots(async () => {
  const frank = await openUser('frank');
  await loginAnonymously(frank);
  await tab(alice.page, '#test').click();
  await tab(bob.page, '#test').click();
  // bob (a member, #test is not +i) invites frank: alice operates #test and is told (invite-notify)
  await type(bob.page, '/invite frank #test');
  await visible(line(alice.page, '#test', 'bob invited frank to #test'));
  await visible(line(frank.page, 'alpha', 'bob invites you to #test'));
  await expectCount(line(alice.page, '#test', 'invites you'), 0);
  await expectCount(line(alice.page, 'alpha', 'invites you'), 0);

  await type(alice.page, '/mode #test +eI friend!*@* *!*@beta');
  await visible(line(bob.page, '#test', 'alice sets mode +eI friend!*@* *!*@beta on #test'));
  await type(alice.page, '/mode #test e');
  await visible(line(alice.page, '#test', 'Ban exception on #test: friend!*@*'));
  await type(alice.page, '/mode #test I');
  await visible(line(alice.page, '#test', 'Invite exception on #test: *!*@beta'));
  await type(alice.page, '/mode #test b');
  await visible(line(alice.page, '#test', 'End of channel ban list'));
}));

test('users on two linked servers see each other\'s messages verified; a changed key is flagged', () => withScreenshots(async () => {
  const carol = await openUser('carol', 'beta');
  await loginAnonymously(carol);
  await type(alice.page, '/join #fed');
  await visible(tab(alice.page, '#fed'));
  await type(carol.page, '/join #fed');
  await visible(line(alice.page, '#fed', 'carol@beta has joined #fed'));

  await type(carol.page, 'hello from beta');
  await visible(judged(alice.page, '#fed', '<carol@beta> hello from beta', 'verified'));
  await type(alice.page, 'hello from alpha');
  await visible(judged(carol.page, '#fed', '<alice@alpha> hello from alpha', 'verified'));

  // A DM across the link arrives with the bare nick and still verifies.
  await type(carol.page, '/msg alice@alpha a signed private word');
  await visible(tab(alice.page, 'carol@beta'));
  await tab(alice.page, 'carol@beta').click();
  await visible(judged(alice.page, 'carol@beta', '<carol@beta> a signed private word', 'verified'));
  await tab(alice.page, '#fed').click();

  // carol@beta comes back from a new browser: a new key. Alice is warned, loudly.
  await byTestId(carol.page, 'logout').click();
  await visible(byTestId(carol.page, 'login-nick'));
  const carol2 = await openUser('carol', 'beta');
  await loginAnonymously(carol2);
  await type(carol2.page, '/join #fed');
  await visible(tab(carol2.page, '#fed'));
  await type(carol2.page, 'it is me, honest');
  await visible(judged(alice.page, '#fed', '<carol@beta> it is me, honest', 'key-changed'));
  await visible(log(alice.page, '#fed').locator('.kind-keywarn', { hasText: 'KEY CHANGED: carol@beta' }));

  // Alice accepts the new key; the next message verifies.
  await type(alice.page, '/trust carol@beta');
  await visible(line(alice.page, '#fed', 'Now trusting carol@beta'));
  await type(carol2.page, 'trusted now');
  await visible(judged(alice.page, '#fed', '<carol@beta> trusted now', 'verified'));
  await alice.page.screenshot({ path: path.join(ARTIFACTS, 'alice-federated.png') });
}));

test('a message typed while the server is down shows as sending and is delivered once', () => withScreenshots(async () => {
  await tab(alice.page, '#test').click();
  await stop(servers.alpha);
  await visible(alice.page.locator('[data-testid="conn-state"][data-state="reconnecting"]'));
  await type(alice.page, 'typed while the server was down');
  await visible(line(alice.page, '#test', 'typed while the server was down').locator('[data-testid="send-state"]', { hasText: 'sending…' }));

  await start(servers.alpha);
  await visible(judged(bob.page, '#test', '<alice> typed while the server was down', 'verified'));
  await visible(judged(alice.page, '#test', '<alice> typed while the server was down', 'verified'));
  await expectCount(line(alice.page, '#test', 'typed while the server was down'), 1);
  await expectCount(line(bob.page, '#test', 'typed while the server was down'), 1);
  await expectCount(alice.page.locator('[data-testid="send-state"]', { hasText: 'sending…' }), 0);
}));

test('after a stale-cursor answer (409 cursor_reset) the client resumes and fills the gap from history', () => withScreenshots(async () => {
  await connected(bob.page);
  let reset = false;
  await bob.page.route(/\/api\/v1\/messages\?after=/, async (route) => {
    if (reset) { await route.continue(); return; }
    const res = await route.fetch({ timeout: 60_000 });
    const body = await res.json();
    if (!(body.messages || []).some((m) => JSON.stringify(m.body || '').includes('lost in the gap'))) {
      await route.fulfill({ response: res, json: body });
      return;
    }
    reset = true; // the server's answer is thrown away: only history can bring the line back
    await route.fulfill({ status: 409, json: { error: 'cursor reset', code: 'cursor_reset', last_id: body.last_id } });
  });
  await type(alice.page, 'trigger a fresh poll');
  await visible(line(bob.page, '#test', '<alice> trigger a fresh poll'));
  await type(alice.page, 'lost in the gap');
  await visible(line(bob.page, '#test', '<alice> lost in the gap'));
  assert.ok(reset, 'the fake 409 was served');
  await type(alice.page, 'after the reset');
  await visible(line(bob.page, '#test', '<alice> after the reset'));
  await expectCount(line(bob.page, '#test', 'lost in the gap'), 1);
  await bob.page.unrouteAll({ behavior: 'ignoreErrors' });
}));

test('a browser without WebCrypto Ed25519 signs and verifies with the vendored TweetNaCl', () => withScreenshots(async () => {
  const withoutEd25519 = () => {
    const subtle = crypto.subtle;
    for (const fn of ['generateKey', 'importKey', 'sign', 'verify']) {
      const real = subtle[fn].bind(subtle);
      subtle[fn] = (...args) => (JSON.stringify(args).includes('Ed25519') ? Promise.reject(new DOMException('unsupported', 'NotSupportedError')) : real(...args));
    }
  };
  const erin = await openUser('erin', 'alpha', undefined, withoutEd25519);
  await loginAnonymously(erin);
  await type(erin.page, '/join #test');
  await visible(tab(erin.page, '#test'));
  await type(erin.page, 'signed without WebCrypto');
  await visible(judged(bob.page, '#test', '<erin> signed without WebCrypto', 'verified'));
  await type(bob.page, 'and verified without it');
  await visible(judged(erin.page, '#test', '<bob> and verified without it', 'verified'));
}));

test('on a phone-sized screen the member list opens from the bar', () => withScreenshots(async () => {
  const dave = await openUser('dave', 'alpha', { width: 390, height: 844 });
  await loginAnonymously(dave);
  await type(dave.page, '/join #test');
  await visible(tab(dave.page, '#test'));
  const member = dave.page.locator('[data-testid="member"][data-nick="alice"]');
  assert.equal(await member.isVisible(), false, 'the member list is folded away at 390 px');
  await byTestId(dave.page, 'members-toggle').click();
  await visible(member);
  await dave.page.screenshot({ path: path.join(ARTIFACTS, 'dave-390x844.png') });
}));
