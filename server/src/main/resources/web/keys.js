// Where the web client keeps its signing key and the keys it trusts (docs/SIGNING.md).
// The key pair lives in IndexedDB as non-extractable WebCrypto keys: script can sign with it but
// never read the private half. Trusted public keys are plain data in localStorage.

const DB = 'chatd-keys';
const STORE = 'keys';

/** crypto.subtle when this browser has WebCrypto Ed25519 (it needs a secure context, e.g. https or localhost). */
export async function ed25519() {
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  if (!subtle) return null;
  try {
    await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
    return subtle;
  } catch {
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
 * {privateKey, publicB64}. Null when the browser cannot sign or store keys.
 */
export async function signingKey(subtle, identity) {
  if (!subtle || !globalThis.indexedDB) return null;
  try {
    const db = await openDb();
    let entry = await tx(db, 'readonly', (s) => s.get(identity));
    if (!entry) {
      const pair = await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
      const raw = new Uint8Array(await subtle.exportKey('raw', pair.publicKey)); // public keys always export
      entry = { privateKey: pair.privateKey, publicB64: btoa(String.fromCharCode(...raw)) };
      await tx(db, 'readwrite', (s) => s.put(entry, identity));
    }
    db.close();
    return entry;
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
