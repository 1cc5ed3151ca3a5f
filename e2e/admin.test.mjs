// Browser test of the operator's page (/admin): a real chatd with an admin token and a federation
// link to a peer that is not there, a little traffic through the API, then Debian's chromium opens the
// page, gives the token and checks what an operator would read: sessions, message rate, queues, the
// database, the link's row, and charts that grow. A wrong token is refused on the page.
//
//   cd e2e && npm ci && node admin.test.mjs
//
// Environment: CHATD_JAR, JAVA (see chatd-server.mjs), CHROMIUM, E2E_TIMEOUT_MS. The screenshot goes to
// server/target/e2e-admin/ (never a tracked file).

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, startChatd } from './chatd-server.mjs';

const OUT = path.join(ROOT, 'server/target/e2e-admin');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const UI_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS) || 30_000;
const ADMIN_TOKEN = 'operator-secret';

let server;
let baseUrl;
let browser;

async function api(method, pathname, body, token) {
  const r = await fetch(baseUrl + pathname, {
    method, body: body && JSON.stringify(body),
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  return { status: r.status, body: await r.json() };
}

const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);

/** Waits until the element's text satisfies `ok` (the page refreshes every 2 s). */
async function textMatching(locator, ok, what) {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  let text = '';
  while (Date.now() < deadline) {
    text = (await locator.textContent()) ?? '';
    if (ok(text)) return text;
    await new Promise((r) => setTimeout(r, 100)); // poll interval, not a wait for an outcome
  }
  throw new Error(`timed out waiting for ${what}; last text: "${text}"`);
}

before(async () => {
  server = await startChatd({
    SERVER_NAME: 'alpha', ADMIN_TOKEN, FEDERATION_KEY: 'k', FEDERATION_PEERS: 'beta=http://127.0.0.1:9',
  }, path.join(OUT, 'server.log'));
  baseUrl = server.url;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server && server.process.exitCode === null) server.process.kill('SIGTERM');
});

test('the overview endpoint needs the admin token', async () => {
  assert.equal((await api('GET', '/api/v1/admin/overview')).status, 401);
  const wrong = await api('GET', '/api/v1/admin/overview', null, 'nope');
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.code, 'unauthorized');
  const ok = await api('GET', '/api/v1/admin/overview', null, ADMIN_TOKEN);
  assert.equal(ok.status, 200);
  assert.equal(ok.body.server, 'alpha');
  assert.equal(ok.body.federation.peers[0].name, 'beta');
});

test('an operator reads the server at a glance on /admin', async () => {
  const alice = (await api('POST', '/api/v1/session', { nick: 'alice' })).body.token;
  const bob = (await api('POST', '/api/v1/session', { nick: 'bob' })).body.token;
  await api('POST', '/api/v1/messages', { command: 'JOIN', to: '#ops' }, alice);
  await api('POST', '/api/v1/messages', { command: 'JOIN', to: '#ops' }, bob);

  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(baseUrl + '/admin');
  assert.match(page.url(), /\/admin\.html$/);

  await byTestId(page, 'token').fill('wrong');
  await byTestId(page, 'token').press('Enter');
  await textMatching(byTestId(page, 'error'), (t) => t.includes('admin token required (401)'), 'the refusal');

  await byTestId(page, 'token').fill(ADMIN_TOKEN);
  await byTestId(page, 'token').press('Enter');
  await byTestId(page, 'overview').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  assert.equal(await byTestId(page, 'server-name').textContent(), 'alpha');
  await textMatching(byTestId(page, 'sessions'), (t) => t === '2', 'two sessions');
  await textMatching(byTestId(page, 'db-state'), (t) => t === 'ok', 'the database ok');
  assert.match(await byTestId(page, 'db-info').textContent(), /^sqlite, SELECT 1 in [\d.]+ ms$/);

  // bob parks a long-poll; alice's line answers it, and the page shows a delivery latency.
  const welcome = (await api('GET', '/api/v1/messages?after=0&timeout=0', null, bob)).body.last_id;
  const parked = api('GET', `/api/v1/messages?after=${welcome}&timeout=30`, null, bob);
  await textMatching(byTestId(page, 'polls'), (t) => t === '1', 'the parked poll');
  await api('POST', '/api/v1/messages', { command: 'PRIVMSG', to: '#ops', body: ['for the waiting poll'] }, alice);
  assert.equal((await parked).body.messages.at(-1).body[0], 'for the waiting poll');
  await textMatching(byTestId(page, 'delivery-latency'), (t) => /^[\d.,]+ ms$/.test(t), 'a delivery latency');

  // Traffic while the page watches: the rate and the totals move, and queues fill (nobody reads).
  for (let i = 0; i < 20; i++) {
    await api('POST', '/api/v1/messages', { command: 'PRIVMSG', to: '#ops', body: [`line ${i}`] }, alice);
  }
  await textMatching(byTestId(page, 'msgs-total'), (t) => Number(t.replace(/,/g, '')) >= 23, 'the messages sent');
  await textMatching(byTestId(page, 'queue-entries'), (t) => Number(t.replace(/,/g, '')) >= 20, 'queued entries');
  await textMatching(byTestId(page, 'msgs-rate'), (t) => /^[\d.,]+$/.test(t), 'a message rate');
  assert.match(await byTestId(page, 'ack-latency').textContent(), /^[\d.,]+ ms$/);

  const link = page.locator('[data-testid="link"][data-peer="beta"]');
  await link.waitFor({ timeout: UI_TIMEOUT_MS });
  const cells = await link.locator('td').allTextContents();
  assert.equal(cells[0], 'beta');
  assert.notEqual(cells[1], 'up', 'a peer that is not there is not shown up');
  assert.equal(cells[3], 'never');
  assert.equal(cells[5], '0', 'no events refused from beta');
  assert.equal(await byTestId(page, 'refused-head').isVisible(), true);
  assert.equal(cells.at(-1), 'http://127.0.0.1:9');

  const deadline = Date.now() + UI_TIMEOUT_MS;
  while (Number(await page.locator('svg[data-chart="msgs"]').getAttribute('data-points')) < 3 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200)); // poll interval, not a wait for an outcome
  }
  assert.ok(Number(await page.locator('svg[data-chart="msgs"]').getAttribute('data-points')) >= 3, 'the message chart grows');
  assert.equal(await page.locator('svg[data-chart="queue"] polyline').count(), 1);

  await page.screenshot({ path: path.join(OUT, 'admin.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});
