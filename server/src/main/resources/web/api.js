// HTTP+JSON access to the chatd API (SPEC §3–§6). No UI code here.

const API = '/api/v1';

/** An HTTP-level failure: `status` 0 means the network itself failed. */
export class ApiError extends Error {
  constructor(status, body, message) {
    super(message || (body && body.error) || `HTTP ${status}`);
    this.status = status;
    this.code = body && body.code;
    this.numeric = body && body.numeric;
    this.body = body || {};
    this.retryAfter = 0;
  }
  /** Worth retrying with backoff: network loss, restarts, overload. */
  get transient() {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

let token = null;
export function setToken(t) { token = t; }

/**
 * One request. `timeoutMs` aborts requests that hang (a dead TCP
 * connection would otherwise stall the long-poll forever).
 */
export async function request(method, path, body, timeoutMs = 15000) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  let res;
  try {
    res = await fetch(API + path, {
      method, headers, signal: ctl.signal, cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, null, navigator.onLine === false ? 'offline' : 'server unreachable');
  } finally {
    clearTimeout(timer);
  }
  let data = null;
  try { data = await res.json(); } catch { /* empty or non-JSON body */ }
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    err.retryAfter = Number(res.headers.get('Retry-After')) || 0;
    throw err;
  }
  return data;
}

export const serverInfo = () => request('GET', '/server');
export const getState = () => request('GET', '/state');
export const createSession = (nick, hashcash) =>
  request('POST', '/session', hashcash ? { nick, hashcash } : { nick });
export const register = (nick, password, hashcash) =>
  request('POST', '/register', hashcash ? { nick, password, hashcash } : { nick, password });
export const login = (nick, password) => request('POST', '/login', { nick, password });
export const logout = () => request('POST', '/logout', {});

/** Long-poll: the server holds the request up to `timeout` seconds. */
export const poll = (after, timeout = 25) =>
  request('GET', `/messages?after=${encodeURIComponent(after)}&timeout=${timeout}`, undefined,
    (timeout + 15) * 1000);

export function history(target, { before, limit = 200 } = {}) {
  const q = new URLSearchParams({ target, limit: String(limit) });
  if (before != null) q.set('before', String(before));
  return request('GET', `/history?${q}`);
}

export const members = (channel) =>
  request('GET', `/channels/${encodeURIComponent(channel.replace(/^#/, ''))}/members`);

/**
 * Send a command envelope. The client-chosen `id` makes a retry after a
 * network failure idempotent (SPEC §5), so retrying cannot double-post.
 */
export async function send(envelope, attempts = 4) {
  const env = envelope.id ? envelope : { id: uuid(), ...envelope };
  let delay = 500;
  for (let i = 1; ; i++) {
    try {
      return await request('POST', '/messages', env);
    } catch (e) {
      if (!(e instanceof ApiError) || !e.transient || i >= attempts) throw e;
      await sleep(e.retryAfter ? e.retryAfter * 1000 : delay);
      delay *= 2;
    }
  }
}

export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

/** RFC 4122 v4; crypto.randomUUID needs a secure context, plain http on a LAN is not. */
export function uuid() {
  if (crypto.randomUUID && window.isSecureContext) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
