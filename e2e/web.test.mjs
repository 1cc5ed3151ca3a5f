// Browser end-to-end test of the chatd web client.
//
// Starts a real chatd server (server/target/chatd-server.jar) on a free port
// with a fresh SQLite database, drives Debian's chromium through
// playwright-core and checks what two users, alice and bob, see.
//
//   cd e2e && npm install && node web.test.mjs
//
// Environment: CHATD_JAR (jar path); JAVA (java binary; else $JAVA_HOME/bin/java,
// else the JDK 21+ that bin/lib/jdk.sh finds, else `java`); CHROMIUM (default
// /usr/bin/chromium); CHATD_URL (test an already running server instead of
// starting one); HASHCASH_BITS (default 8, so the login goes through the
// hashcash Web Worker); E2E_TIMEOUT_MS (per UI expectation, default 30000).

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const ARTIFACTS = path.join(HERE, 'artifacts');
const JAR = process.env.CHATD_JAR || path.join(ROOT, 'server/target/chatd-server.jar');
const JAVA = process.env.JAVA || (process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin/java') : projectJava());
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const HASHCASH_BITS = process.env.HASHCASH_BITS ?? '8';
const STARTUP_DEADLINE_MS = 90_000;
// Generous: a loaded CI machine can make the first JIT-cold requests slow.
const UI_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS) || 30_000;

/** No JAVA/JAVA_HOME: ask the project's own JDK finder (bin/lib/jdk.sh picks a JDK 21+). */
function projectJava() {
  try {
    const home = execFileSync('bash', ['-c', '. bin/lib/jdk.sh && printf %s "$JAVA_HOME"'], { cwd: ROOT, encoding: 'utf8' });
    if (home) return path.join(home, 'bin/java');
  } catch { /* fall back to PATH */ }
  return 'java';
}

let server;     // child process, when we started one
let serverLog;  // its stdout+stderr
let baseUrl;
let browser;

// ------------------------------------------------------------------ server

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function startServer() {
  if (process.env.CHATD_URL) return process.env.CHATD_URL.replace(/\/$/, '');
  assert.ok(fs.existsSync(JAR), `server jar not found at ${JAR}; build it with ./mvnw -DskipTests package or set CHATD_JAR`);
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chatd-e2e-'));
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  serverLog = fs.createWriteStream(path.join(ARTIFACTS, 'server.log'));
  server = spawn(JAVA, ['--enable-native-access=ALL-UNNAMED', '-jar', JAR], {
    env: {
      ...process.env,
      PORT: String(port), BIND: '127.0.0.1', SERVER_NAME: 'alpha',
      DBURL: `jdbc:sqlite:${path.join(dir, 'chatd.db')}`,
      HASHCASH_BITS, MOTD: 'Welcome to the e2e test server', FEDERATION_POLICY: 'disabled',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.pipe(serverLog);
  server.stderr.pipe(serverLog);
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url);
  return url;
}

/** Polls the health endpoint until it answers ok, the server dies, or the deadline passes. */
async function waitForHealth(url) {
  const deadline = Date.now() + STARTUP_DEADLINE_MS;
  let exited = null;
  server.once('exit', (code, signal) => { exited = signal ? `signal ${signal}` : `code ${code}`; });
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`server exited (${exited}) during start-up; see e2e/artifacts/server.log`);
    try {
      const r = await fetch(`${url}/.well-known/healthcheck.json`, { signal: AbortSignal.timeout(2000) });
      if (r.ok && (await r.json()).status === 'ok') return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200)); // poll interval, not a wait for an outcome
  }
  throw new Error(`server not healthy within ${STARTUP_DEADLINE_MS} ms`);
}

function stopServer() {
  if (server && server.exitCode === null) server.kill('SIGKILL');
}
process.on('exit', stopServer); // also on assertion failures and crashes

// ------------------------------------------------------------------ page helpers

/** A chat user: one browser context (own localStorage) and page. */
async function openUser(nick) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 640 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[${nick} page error]`, e.message));
  await page.goto(baseUrl + '/');
  return { nick, context, page };
}

const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);
const tab = (page, name) => page.locator(`[data-testid="tab"][data-tab="${name}"]`);
const log = (page, name) => page.locator(`[data-testid="log"][data-tab="${name}"]`);
const line = (page, name, text) => log(page, name).locator('[data-testid="line"]', { hasText: text });
const visible = (locator) => locator.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });

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
  baseUrl = await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  try { if (browser) await browser.close(); } finally {
    stopServer();
    if (serverLog) serverLog.end();
  }
});

const users = [];

/** On failure, keep what each browser showed for debugging. */
async function failureScreenshots() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  for (const u of users) {
    try { await u.page.screenshot({ path: path.join(ARTIFACTS, `${u.nick}-failure.png`) }); } catch { /* page gone */ }
  }
}

test('two users chat in a channel and by DM; a reload resumes the session', async () => {
  try {
    await scenario();
  } catch (e) {
    await failureScreenshots();
    if (serverLog) console.error(`server log: ${path.join(ARTIFACTS, 'server.log')}`);
    throw e;
  }
});

async function scenario() {
  const alice = await openUser('alice');
  const bob = await openUser('bob');
  users.push(alice, bob);
  await loginAnonymously(alice);
  await loginAnonymously(bob);

  // The server tab shows the welcome numerics / MOTD.
  await visible(tab(alice.page, 'alpha'));

  // Both join #test; the tab opens and the member list shows both, alice as op.
  await type(alice.page, '/join #test');
  await visible(tab(alice.page, '#test'));
  await type(bob.page, '/join #test');
  await visible(tab(bob.page, '#test'));
  await visible(line(alice.page, '#test', 'bob has joined #test'));
  await visible(bob.page.locator('[data-testid="member"][data-nick="alice"]', { hasText: '@alice' }));
  await visible(alice.page.locator('[data-testid="member"][data-nick="bob"]'));

  // Channel chat: each sees the other's line as "<nick> text".
  await type(alice.page, 'hello from alice');
  await visible(line(bob.page, '#test', '<alice> hello from alice'));
  await type(bob.page, 'hi alice, bob here');
  await visible(line(alice.page, '#test', '<bob> hi alice, bob here'));

  // /me is a CTCP ACTION, shown as "* nick text".
  await type(alice.page, '/me waves');
  await visible(line(bob.page, '#test', '* alice waves'));

  // Topic bar follows /topic.
  await type(alice.page, '/topic testing the web client');
  await visible(bob.page.locator('[data-testid="topic"]', { hasText: 'testing the web client' }));

  // DM: bob gets a DM tab with an unread badge, and sees the line in it.
  await type(alice.page, '/msg bob psst, a private word');
  const dmTab = tab(bob.page, 'alice');
  await visible(dmTab);
  await visible(dmTab.locator('[data-testid="unread"]', { hasText: '1' }));
  await dmTab.click();
  await visible(line(bob.page, 'alice', '<alice> psst, a private word'));

  // An unknown nick is an error numeric (401): shown in the active tab and kept in the server tab.
  await type(alice.page, '/msg nosuchnick anyone?');
  await visible(log(alice.page, '#test').locator('.kind-error', { hasText: '401' }));
  await log(alice.page, 'alpha').locator('.kind-error', { hasText: '401' }).waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });

  // Reload: same nick, same channels, the conversation back from history, no duplicates.
  await alice.page.reload();
  await connected(alice.page);
  await visible(alice.page.locator('[data-testid="me"]', { hasText: 'alice' }));
  await tab(alice.page, '#test').click();
  await visible(line(alice.page, '#test', '<bob> hi alice, bob here'));
  await visible(alice.page.locator('[data-testid="topic"]', { hasText: 'testing the web client' }));
  // The resumed long-poll still delivers new lines.
  await type(bob.page, '/msg #test welcome back');
  await visible(line(alice.page, '#test', '<bob> welcome back'));
  await expectCount(line(alice.page, '#test', '<alice> hello from alice'), 1);
  await expectCount(line(alice.page, '#test', '<bob> hi alice, bob here'), 1);
  await expectCount(line(alice.page, '#test', '<bob> welcome back'), 1);
  // The DM tab is restored with its history.
  await visible(tab(alice.page, 'bob'));
  await tab(alice.page, 'bob').click();
  await visible(line(alice.page, 'bob', '<alice> psst, a private word'));
  await tab(alice.page, '#test').click();
  await visible(alice.page.locator('[data-testid="member"][data-nick="bob"]'));

  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await alice.page.screenshot({ path: path.join(ARTIFACTS, 'alice.png') });
  await bob.page.screenshot({ path: path.join(ARTIFACTS, 'bob.png') });
  fs.copyFileSync(path.join(ARTIFACTS, 'alice.png'), path.join(ROOT, 'docs/web-client.png'));

  await alice.context.close();
  await bob.context.close();
}
