// The web client's signing code (server/src/main/resources/web/signing.js) against the shared
// test vectors, the file protocol's ClientSignatureTest and the terminal client also check.
//   cd e2e && node --test signing.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { webcrypto } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as signing from '../server/src/main/resources/web/signing.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VECTORS = JSON.parse(fs.readFileSync(path.join(ROOT, 'protocol/src/test/resources/signing-vectors.json'), 'utf8'));
const { subtle } = webcrypto;

/** WebCrypto has no raw private import for Ed25519: wrap the 32-byte seed in its PKCS#8 header. */
async function privateKey(name) {
  const seed = Buffer.from(VECTORS.keys[name].seed, 'base64');
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  return subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, ['sign']);
}

/** A trust store in memory, the shape app.js keeps in localStorage. */
function memoryTrust() {
  const m = new Map();
  return { keys: (id) => m.get(id) || [], add: (id, k) => m.set(id, [...(m.get(id) || []), k]) };
}

for (const c of VECTORS.cases) {
  test(`canonical bytes and signature: ${c.name}`, async () => {
    assert.equal(signing.canonicalize(signing.signedForm(c.sent)), c.canonical);
    const keys = { privateKey: await privateKey(c.signer), publicB64: VECTORS.keys[c.signer].public };
    const signed = await signing.sign(subtle, c.sent, keys);
    assert.equal(signed.meta.sig, c.sig);
    assert.equal(signed.meta.key, VECTORS.keys[c.signer].public);
  });
  test(`deliveries verify as the vectors say: ${c.name}`, async () => {
    for (const d of c.deliveries) {
      assert.equal(await signing.verifies(subtle, d.envelope, VECTORS.keys[d.key].public, d.local_server), d.verifies, d.note);
    }
  });
}

test('trust on first use, then key changed for a valid signature by another key', async () => {
  const trust = memoryTrust();
  const first = VECTORS.cases[0].deliveries[0];
  const byAlice = await signing.judge(subtle, first.envelope, trust, 'alpha');
  assert.deepEqual([byAlice.verdict, byAlice.firstUse], [signing.VERIFIED, true]);
  assert.deepEqual(trust.keys('alice@alpha'), [VECTORS.keys.alice.public]);
  assert.equal((await signing.judge(subtle, first.envelope, trust, 'alpha')).verdict, signing.VERIFIED);

  const mallory = { privateKey: await privateKey('bob'), publicB64: VECTORS.keys.bob.public };
  const forged = { ...(await signing.sign(subtle, { command: 'PRIVMSG', to: '#test', body: ['hi'] }, mallory)), from: 'alice' };
  assert.equal((await signing.judge(subtle, forged, trust, 'alpha')).verdict, signing.KEY_CHANGED);
  assert.equal((await signing.judge(subtle, { ...first.envelope, body: ['altered'] }, trust, 'alpha')).verdict, signing.BAD);
  assert.equal((await signing.judge(subtle, { ...first.envelope, meta: undefined }, trust, 'alpha')).verdict, signing.UNSIGNED);
  const noKey = { ...first.envelope, from: 'carol', meta: { alg: 'ed25519', sig: first.envelope.meta.sig } };
  assert.equal((await signing.judge(subtle, noKey, trust, 'alpha')).verdict, signing.UNKNOWN_KEY);
});

// The fallback for browsers without WebCrypto Ed25519: the vendored TweetNaCl behind the same calls.
// A UMD script: node loads it as CommonJS (its exports), the browser as a module (it sets self.nacl).
const tweetnacl = (await import('../server/src/main/resources/web/vendor/tweetnacl-1.0.3/nacl-fast.min.js')).default;
const { naclSubtle } = await import('../server/src/main/resources/web/keys.js');
const nacl = naclSubtle(tweetnacl);

for (const c of VECTORS.cases) {
  test(`TweetNaCl fallback agrees byte for byte: ${c.name}`, async () => {
    const pair = tweetnacl.sign.keyPair.fromSeed(Buffer.from(VECTORS.keys[c.signer].seed, 'base64'));
    assert.equal(Buffer.from(pair.publicKey).toString('base64'), VECTORS.keys[c.signer].public);
    const signed = await signing.sign(nacl, c.sent, { privateKey: { secretKey: pair.secretKey }, publicB64: VECTORS.keys[c.signer].public });
    assert.equal(signed.meta.sig, c.sig);
    for (const d of c.deliveries) {
      assert.equal(await signing.verifies(nacl, d.envelope, VECTORS.keys[d.key].public, d.local_server), d.verifies, d.note);
    }
  });
}
