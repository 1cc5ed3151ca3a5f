// Client message signatures (SPEC §5, docs/SIGNING.md). Pure: no DOM, no storage, so node can test
// it against protocol/src/test/resources/signing-vectors.json, the same file the Java side checks.
// Crypto is WebCrypto Ed25519 (crypto.subtle); the caller passes the `subtle` to use.

export const ALG = 'ed25519';

/** Verdicts shown next to a message. */
export const VERIFIED = 'verified';
export const UNSIGNED = 'unsigned';
export const BAD = 'bad-signature';
export const KEY_CHANGED = 'key-changed';
export const UNKNOWN_KEY = 'unknown-key';

const fold = (s) => String(s).replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * RFC 8785: members sorted by UTF-16 code units (what Array.prototype.sort does with strings),
 * no whitespace; JSON.stringify already writes strings and numbers the way RFC 8785 wants.
 */
export function canonicalize(value) {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('JCS has no form for ' + value);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(',')}]`;
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalize(value[k])}`).join(',')}}`;
}

/** The value that is signed; `to` folded because the server delivers the target's own spelling. */
export function signedForm(env, to = env.to) {
  return {
    body: env.body === undefined ? null : env.body,
    command: env.command,
    params: env.params || [],
    to: to == null ? null : fold(to),
  };
}

export const signedBytes = (env, to) => new TextEncoder().encode(canonicalize(signedForm(env, to)));

/** A DM to nick@server arrives there with the bare nick: try the network-wide name too. */
export function signedTargets(env, localServer) {
  const out = [env.to];
  const remoteSender = String(env.from || '').includes('@');
  const to = env.to;
  if (remoteSender && to && !to.startsWith('#') && !to.includes('@') && localServer) out.push(`${to}@${localServer}`);
  return out;
}

/** Trust-on-first-use identity: nick@server, a bare nick being local. */
export const identity = (from, localServer) => fold(String(from).includes('@') ? from : `${from}@${localServer}`);

export function toBase64(bytes) {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s);
}

export function fromBase64(text) {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** `env` with meta {alg, sig, key}; keys = {privateKey: CryptoKey, publicB64}. */
export async function sign(subtle, env, keys) {
  const sig = await subtle.sign({ name: 'Ed25519' }, keys.privateKey, signedBytes(env));
  return { ...env, meta: { ...(env.meta || {}), alg: ALG, sig: toBase64(sig), key: keys.publicB64 } };
}

/** Whether delivered `env` is signed by `publicB64`; garbage of any kind is just `false`. */
export async function verifies(subtle, env, publicB64, localServer) {
  const meta = env.meta || {};
  if (typeof meta.sig !== 'string' || meta.alg !== ALG || !publicB64) return false;
  try {
    const key = await subtle.importKey('raw', fromBase64(publicB64), { name: 'Ed25519' }, false, ['verify']);
    const sig = fromBase64(meta.sig);
    for (const to of signedTargets(env, localServer)) {
      if (await subtle.verify({ name: 'Ed25519' }, key, sig, signedBytes(env, to))) return true;
    }
  } catch { /* malformed key or signature */ }
  return false;
}

/**
 * The verdict for a delivered PRIVMSG/NOTICE against a trust store (`trust.keys(id)` → array of
 * base64 keys, `trust.add(id, key)`): a first key is trusted on first use; a valid signature by a
 * key not in the store is KEY_CHANGED until the user trusts it (/trust).
 */
export async function judge(subtle, env, trust, localServer) {
  const meta = env.meta || {};
  if (typeof meta.sig !== 'string') return { verdict: UNSIGNED };
  const id = identity(env.from, localServer);
  const known = trust.keys(id);
  for (const k of known) if (await verifies(subtle, env, k, localServer)) return { verdict: VERIFIED, id };
  const attached = typeof meta.key === 'string' ? meta.key : null;
  if (attached && !known.includes(attached) && await verifies(subtle, env, attached, localServer)) {
    if (known.length) return { verdict: KEY_CHANGED, id, key: attached };
    trust.add(id, attached);
    return { verdict: VERIFIED, id, firstUse: true };
  }
  return { verdict: known.length || attached ? BAD : UNKNOWN_KEY, id };
}
