// Where the web client keeps its signing key and the keys it trusts (docs/SIGNING.md), and which
// Ed25519 it uses. The key pair lives in IndexedDB, as non-extractable WebCrypto keys where the
// browser has WebCrypto Ed25519. Trusted public keys are plain data in localStorage.

const DB = 'chatd-keys';
const STORE = 'keys';

/** crypto.subtle when this browser has WebCrypto Ed25519 (a secure context: https, or localhost). */
async function webCrypto() {
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  if (!subtle) return null;
  try {
    await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
    return subtle;
  } catch {
    return null;
  }
}

/**
 * The few SubtleCrypto calls signing.js makes, done by TweetNaCl (vendor/tweetnacl-1.0.3, public
 * domain), for browsers without WebCrypto Ed25519 or outside a secure context. Its private keys are
 * plain bytes, so they are extractable: the price of signing at all there.
 */
export function naclSubtle(nacl) {
  return {
    async generateKey() {
      const pair = nacl.sign.keyPair();
      return { privateKey: { secretKey: pair.secretKey }, publicKey: { raw: pair.publicKey } };
    },
    async exportKey(format, key) { return key.raw; },
    async importKey(format, raw) {
      if (raw.length !== nacl.sign.publicKeyLength) throw new Error('an Ed25519 key is 32 bytes');
      return { raw: new Uint8Array(raw) };
    },
    async sign(alg, key, data) { return nacl.sign.detached(new Uint8Array(data), key.secretKey); },
    async verify(alg, key, sig, data) {
      return sig.length === nacl.sign.signatureLength && nacl.sign.detached.verify(new Uint8Array(data), new Uint8Array(sig), key.raw);
    },
  };
}

async function tweetNacl() {
  await import('./vendor/tweetnacl-1.0.3/nacl-fast.min.js'); // a UMD script: it sets self.nacl
  return naclSubtle(self.nacl);
}

/** Which implementation made a stored key, and so must sign with it. */
const BACKENDS = { webcrypto: webCrypto, tweetnacl: tweetNacl };

/** The best Ed25519 at hand, for verifying: WebCrypto, else TweetNaCl; null if neither loads. */
export async function ed25519() {
  try {
    return (await webCrypto()) || (await tweetNacl());
  } catch (e) {
    console.warn('no Ed25519 here', e);
    return null;
  }
}

function openDb() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function tx(db, mode, fn) {
  return new Promise((resolve, reject) => {
    const t = db.transaction(STORE, mode);
    const req = fn(t.objectStore(STORE));
    t.oncomplete = () => resolve(req.result);
    t.onerror = () => reject(t.error);
  });
}

/**
 * The signing key of `identity` (nick@server), made on first use and kept across reloads:
 * {privateKey, publicB64, subtle} where `subtle` is the implementation that made it. Null when
 * the browser can neither sign nor store keys.
 */
export async function signingKey(identity) {
  if (!globalThis.indexedDB) return null;
  try {
    const db = await openDb();
    let entry = await tx(db, 'readonly', (s) => s.get(identity));
    if (!entry) {
      const kind = (await webCrypto()) ? 'webcrypto' : 'tweetnacl';
      const subtle = await BACKENDS[kind]();
      // WebCrypto keys are non-extractable: script can sign with the private key but never read it
      const pair = await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
      const raw = new Uint8Array(await subtle.exportKey('raw', pair.publicKey)); // public keys always export
      entry = { kind, privateKey: pair.privateKey, publicB64: btoa(String.fromCharCode(...raw)) };
      await tx(db, 'readwrite', (s) => s.put(entry, identity));
    }
    db.close();
    const subtle = await BACKENDS[entry.kind || 'webcrypto']();
    return subtle ? { ...entry, subtle } : null;
  } catch (e) {
    console.warn('no signing key', e);
    return null;
  }
}

/** Trust on first use: identity → trusted base64 keys, plus the last differing key seen (for /trust). */
export function trustStore() {
  const load = (k) => { try { return JSON.parse(localStorage.getItem(k)) || {}; } catch { return {}; } };
  const trusted = load('chatd.trust');
  const offered = load('chatd.trust.offered');
  const save = () => {
    try {
      localStorage.setItem('chatd.trust', JSON.stringify(trusted));
      localStorage.setItem('chatd.trust.offered', JSON.stringify(offered));
    } catch { /* quota */ }
  };
  return {
    keys: (id) => trusted[id] || [],
    add(id, key) {
      if (!(trusted[id] || []).includes(key)) trusted[id] = [...(trusted[id] || []), key];
      delete offered[id];
      save();
    },
    /** A key that is not (yet) trusted: remembered so that /trust can accept it. */
    offer(id, key) { offered[id] = key; save(); },
    offered: (id) => offered[id],
  };
}
