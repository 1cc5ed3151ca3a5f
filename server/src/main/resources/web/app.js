// chatd web client: IRC-style UI over the HTTP+JSON API.
// Flow: boot() → login screen or resumed session → enterChat() → pollLoop().
// Every line carries its envelope `id`; a tab never shows the same id twice,
// so history, re-delivered polls and reloads can overlap safely.

import * as api from './api.js';
import * as signing from './signing.js';
import { ed25519, signingKey, trustStore } from './keys.js';
import {
  fold, isChannel, bodyLines, bodyText, target, newNick, describe, clock,
  isError, isNumeric, prefixOf, parseName,
} from './format.js';

const SERVER_KEY = '*server*';
const HISTORY_PAGE = 200;
const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------- storage
// Token and cursor survive reloads so the same client resumes its queue.
const store = {
  get(k, dflt) {
    try { const v = localStorage.getItem(`chatd.${k}`); return v == null ? dflt : JSON.parse(v); } catch { return dflt; }
  },
  set(k, v) { try { localStorage.setItem(`chatd.${k}`, JSON.stringify(v)); } catch { /* quota/private mode */ } },
  clear() { for (const k of ['token', 'cursor', 'dms', 'active', 'outbox']) localStorage.removeItem(`chatd.${k}`); },
};

// ---------------------------------------------------------------- state
const S = {
  server: { name: 'server', hashcash_bits: 0 },
  nick: '',
  cursor: 0,
  tabs: new Map(),        // fold(name) → tab
  active: SERVER_KEY,
  pollGen: 0,             // bumping it stops the running poll loop
  pendingJoin: new Set(), // channels the user asked to /join: activate their tab on JOIN
  names: new Map(),       // channel → names collected from 353 until 366
  inputHistory: [],
  historyPos: 0,
  draft: '',
  subtle: null,           // Ed25519 for verifying (WebCrypto, else TweetNaCl), or null
  key: null,              // {privateKey, publicB64}: this identity's signing key
  trust: trustStore(),
  announced: new Set(),   // channels and DM partners told our PUBKEY since the page loaded
  pending: new Map(),     // message id → {env, row, posted}: typed, not yet back from the server
  loginInfo: null,        // the server tab's folded block of login numerics
  loginFolding: false,    // a new client's welcome burst is coming: fold it (a later /motd is shown as usual)
};

const isMe = (name) => fold(name) === fold(S.nick);
const activeTab = () => S.tabs.get(S.active);

/** A message from the server itself (numerics, server NOTICEs), not from a user. */
function fromServer(env) {
  const f = env.from;
  return !f || f === '*' || f === S.server.name || (env.origin && f === env.origin);
}

// ---------------------------------------------------------------- tabs
function ensureTab(name, kind) {
  const key = kind === 'server' ? SERVER_KEY : fold(name);
  let tab = S.tabs.get(key);
  if (tab) return tab;
  tab = {
    key, name, kind, unread: 0, highlight: false, topic: '',
    lines: [], ids: new Set(), members: new Map(), days: new Set(),
    joined: kind === 'channel', historyLoaded: false, oldestSeq: null,
  };
  tab.logEl = el('div', { class: 'log', 'data-testid': 'log', 'data-tab': name, role: 'log', hidden: '' });
  tab.olderEl = el('button', { class: 'load-older link', 'data-testid': 'load-older', hidden: '' }, 'load older messages');
  tab.olderEl.addEventListener('click', () => loadHistory(tab, true));
  tab.logEl.append(tab.olderEl);
  $('logs').append(tab.logEl);

  tab.tabEl = el('button', { class: `tab tab-${kind}`, 'data-testid': 'tab', 'data-tab': name, role: 'tab' });
  tab.labelEl = el('span', { class: 'tab-label' }, kind === 'server' ? S.server.name : name);
  tab.badgeEl = el('span', { class: 'badge', 'data-testid': 'unread', hidden: '' });
  tab.tabEl.append(tab.labelEl, tab.badgeEl);
  if (kind !== 'server') {
    const x = el('span', { class: 'tab-close', title: kind === 'channel' ? 'Leave channel' : 'Close', 'data-testid': 'tab-close' }, '×');
    x.addEventListener('click', (e) => { e.stopPropagation(); closeTab(tab, true); });
    tab.tabEl.append(x);
  }
  tab.tabEl.addEventListener('click', () => activate(tab.key));
  insertTabButton(tab);
  S.tabs.set(key, tab);
  if (kind === 'dm') rememberDms();
  return tab;
}

/** Server tab first, then channels, then DMs; each group in creation order. */
function insertTabButton(tab) {
  const rank = { server: 0, channel: 1, dm: 2 };
  const after = [...$('tabs').children].find((b) => rank[b.dataset.kind] > rank[tab.kind]);
  tab.tabEl.dataset.kind = tab.kind;
  $('tabs').insertBefore(tab.tabEl, after || null);
}

function closeTab(tab, byUser) {
  if (tab.kind === 'server') return;
  if (byUser && tab.kind === 'channel' && tab.joined) {
    command({ command: 'PART', to: tab.name }); // the PART echo removes the tab
    return;
  }
  tab.logEl.remove();
  tab.tabEl.remove();
  S.tabs.delete(tab.key);
  if (tab.kind === 'dm') rememberDms();
  if (S.active === tab.key) activate(SERVER_KEY);
  updateTitle();
}

function renameTab(tab, name) {
  const wasActive = S.active === tab.key;
  S.tabs.delete(tab.key);
  tab.key = fold(name);
  tab.name = name;
  tab.labelEl.textContent = name;
  tab.tabEl.dataset.tab = name;
  tab.logEl.dataset.tab = name;
  S.tabs.set(tab.key, tab);
  if (wasActive) S.active = tab.key;
  rememberDms();
}

function activate(key) {
  const tab = S.tabs.get(key) || S.tabs.get(SERVER_KEY);
  S.active = tab.key;
  store.set('active', tab.name);
  for (const t of S.tabs.values()) {
    const on = t === tab;
    t.logEl.hidden = !on;
    t.tabEl.classList.toggle('active', on);
    t.tabEl.setAttribute('aria-selected', String(on));
  }
  markNewMessages(tab);
  tab.unread = 0;
  tab.highlight = false;
  renderBadge(tab);
  renderTopic();
  renderMembers();
  $('input-target').textContent = tab.kind === 'server' ? '' : tab.name;
  scrollToEnd(tab);
  if (tab.kind === 'channel') refreshMembersSoon(tab);
  $('input').focus();
}

/** A "new messages" line above the first line that arrived while the tab was not shown. */
function markNewMessages(tab) {
  if (tab.newEl) tab.newEl.remove();
  tab.newEl = null;
  if (!tab.unread || !tab.firstUnread || !tab.firstUnread.isConnected) return;
  tab.newEl = el('div', { class: 'new-messages', 'data-testid': 'new-messages' }, 'new messages');
  tab.firstUnread.before(tab.newEl);
  tab.firstUnread = null;
}

function renderBadge(tab) {
  tab.badgeEl.hidden = tab.unread === 0;
  tab.badgeEl.textContent = String(tab.unread);
  tab.tabEl.classList.toggle('highlight', tab.highlight);
  updateTitle();
}

function updateTitle() {
  let n = 0;
  for (const t of S.tabs.values()) n += t.unread;
  document.title = n ? `(${n}) chatd` : 'chatd';
}

function rememberDms() {
  store.set('dms', [...S.tabs.values()].filter((t) => t.kind === 'dm').map((t) => t.name));
}

// ---------------------------------------------------------------- lines
/**
 * Adds an envelope's lines to a tab, ordered by `ts`. Returns false for a
 * duplicate id. `live` lines count as unread in an inactive tab.
 */
function addEnvelope(tab, env, live) {
  if (env.id) {
    if (tab.ids.has(env.id)) return false;
    tab.ids.add(env.id);
  }
  if (env.seq != null && (tab.oldestSeq == null || env.seq < tab.oldestSeq)) tab.oldestSeq = env.seq;
  settlePending(env.id);
  const t = Date.parse(env.ts) || Date.now();
  const rows = describe(env, S.nick).map((d) => lineEl(env.ts, d));
  for (const row of rows) insertLine(tab, t, row);
  const message = ['PRIVMSG', 'NOTICE'].includes(env.command);
  if (message && rows.length && !fromServer(env)) markSignature(tab, env, rows);
  if (live && message && !isMe(env.from)) {
    const forMe = tab.kind === 'dm' || mentionsMe(bodyText(env));
    if (S.active !== tab.key) {
      if (tab.unread === 0) tab.firstUnread = rows[0];
      tab.unread++;
      if (forMe) tab.highlight = true;
      renderBadge(tab);
    }
    if (forMe) notify(tab, env);
  }
  return true;
}

// ---------------------------------------------------------------- signatures
const VERDICT_MARK = {
  [signing.VERIFIED]: ['✓', 'signature verified'],
  [signing.UNSIGNED]: ['·', 'unsigned'],
  [signing.UNKNOWN_KEY]: ['?', 'signed, but no key is known for the sender'],
  [signing.BAD]: ['✗', 'BAD SIGNATURE: not signed by the key you trust for this sender'],
  [signing.KEY_CHANGED]: ['⚠', 'KEY CHANGED: signed by a key you have not trusted for this sender'],
};

/** Verifies a message after it is shown: a missing or bad signature never holds up or hides a line. */
async function markSignature(tab, env, rows) {
  let verdict = signing.UNSIGNED;
  let judged = {};
  if (S.subtle) {
    try { judged = await signing.judge(S.subtle, env, S.trust, S.server.name); verdict = judged.verdict; } catch { verdict = signing.BAD; }
  } else if (env.meta && env.meta.sig) {
    verdict = signing.UNKNOWN_KEY;
  }
  const [mark, title] = VERDICT_MARK[verdict];
  for (const row of rows) {
    row.dataset.sig = verdict;
    const ts = row.querySelector('.ts');
    ts.after(' ', el('span', { class: `sig sig-${verdict}`, 'data-testid': 'sig', title }, mark));
  }
  if (verdict === signing.KEY_CHANGED) keyChanged(tab, judged.id, judged.key);
}

function keyChanged(tab, id, key) {
  if (S.trust.offered(id) === key) return; // warned already
  S.trust.offer(id, key);
  for (const t of new Set([tab, serverTab()])) {
    addLocal(t, 'keywarn', `KEY CHANGED: ${id} now signs with key ${key.slice(0, 16)}…, not the one you trusted. `
      + `Someone may be impersonating them. If they told you (new device), accept it with /trust ${id}`);
  }
}

/** PUBKEY: the first key of an identity is trusted quietly; a different one is a loud warning. */
function onPubkey(env, tab) {
  const b = env.body || {};
  if (isMe(env.from) || typeof b.key !== 'string' || (b.alg && b.alg !== signing.ALG)) return;
  const id = signing.identity(env.from, S.server.name);
  const known = S.trust.keys(id);
  if (!known.length) S.trust.add(id, b.key);
  else if (!known.includes(b.key)) keyChanged(tab || serverTab(), id, b.key);
}

/** Tells a channel or DM partner our public key, once per page load. */
function announce(to) {
  if (!S.key || !to || S.announced.has(fold(to))) return;
  S.announced.add(fold(to));
  api.send({ command: 'PUBKEY', to, body: { alg: signing.ALG, key: S.key.publicB64 } }).catch(() => S.announced.delete(fold(to)));
}

async function setupSigning() {
  S.subtle = await ed25519();
  const me = signing.identity(S.nick, S.server.name);
  S.key = await signingKey(me);
  if (S.key) S.trust.add(me, S.key.publicB64);
  else addLocal(serverTab(), 'error', 'This browser cannot keep a signing key (no IndexedDB or Ed25519): your messages go out unsigned.');
}

// ---------------------------------------------------------------- notifications
/** Desktop notification for a DM or mention the user is not looking at (permission is asked on a user action). */
function notify(tab, env) {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  if (!document.hidden && document.hasFocus() && S.active === tab.key) return;
  try {
    const n = new Notification(tab.kind === 'dm' ? `${env.from} (private)` : `${env.from} in ${tab.name}`, { body: bodyText(env), tag: tab.key });
    n.onclick = () => { window.focus(); activate(tab.key); n.close(); };
  } catch { /* some browsers only notify from a service worker */ }
}

function askNotificationPermission() {
  if ('Notification' in window && Notification.permission === 'default') Notification.requestPermission().catch(() => {});
}

/** A line made by the client itself (help, local errors). */
function addLocal(tab, kind, text, t = Date.now()) {
  insertLine(tab, t, lineEl(null, { kind, text }));
}

function mentionsMe(text) {
  return S.nick && new RegExp(`(^|\\W)${S.nick.replace(/[^\w]/g, '\\$&')}(\\W|$)`, 'i').test(text);
}

function lineEl(ts, d) {
  const row = el('div', { class: `line kind-${d.kind}`, 'data-testid': 'line' });
  row.append(el('span', { class: 'ts' }, `[${clock(ts)}]`), ' ');
  if (d.kind === 'msg') row.append(nickEl(d.nick, `<${d.nick}>`), ' ');
  else if (d.kind === 'action') row.append(el('span', { class: 'star' }, '*'), ' ', nickEl(d.nick, d.nick), ' ');
  else if (d.kind === 'notice') row.append(nickEl(d.nick, `-${d.nick}-`), ' ');
  else row.append(el('span', { class: 'mark' }, d.kind === 'error' ? '!!!' : '-!-'), ' ');
  const text = el('span', { class: 'text' });
  text.append(...linkify(d.text));
  row.append(text);
  if (d.nick && isMe(d.nick)) row.classList.add('mine');
  else if (d.text && (d.kind === 'msg' || d.kind === 'action') && mentionsMe(d.text)) row.classList.add('mention');
  return row;
}

function nickEl(nick, text) {
  const s = el('span', { class: 'nick' }, text);
  s.style.setProperty('--hue', String(hue(nick)));
  return s;
}

/** Stable colour per nick so speakers are easy to tell apart. */
function hue(nick) {
  let h = 0;
  for (const c of fold(nick)) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h % 360;
}

/** Text → nodes with http(s) links; never innerHTML, so message text cannot inject markup. */
function linkify(text) {
  const out = [];
  const re = /\bhttps?:\/\/[^\s<>"]+/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(el('a', { href: m[0], target: '_blank', rel: 'noopener noreferrer' }, m[0]));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Lines sorted by time; the first line of each local day gets a day separator above it. */
function insertLine(tab, t, row) {
  const day = t > 0 ? new Date(t).toDateString() : null;
  if (day && !tab.days.has(day)) {
    tab.days.add(day);
    const midnight = new Date(t).setHours(0, 0, 0, 0);
    insertLine(tab, midnight, el('div', { class: 'day', 'data-testid': 'day' }, new Date(t).toLocaleDateString(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' })));
  }
  const stick = nearBottom(tab.logEl);
  let i = tab.lines.length;
  while (i > 0 && tab.lines[i - 1].t > t) i--; // usually appends; history may land earlier
  const next = tab.lines[i];
  tab.logEl.insertBefore(row, next ? next.el : null);
  tab.lines.splice(i, 0, { t, el: row });
  if (stick) scrollToEnd(tab);
}

const nearBottom = (e) => e.scrollHeight - e.scrollTop - e.clientHeight < 40;
function scrollToEnd(tab) { tab.logEl.scrollTop = tab.logEl.scrollHeight; }

// ---------------------------------------------------------------- members & topic
function renderTopic() {
  const tab = activeTab();
  const bar = $('topic');
  let text = '';
  if (tab.kind === 'channel') text = tab.joined ? (tab.topic || '(no topic set)') : '(you are not on this channel)';
  else if (tab.kind === 'dm') text = `Private conversation with ${tab.name}`;
  else text = `${S.server.name}${S.server.version ? ` — chatd ${S.server.version}` : ''}`;
  bar.textContent = text;
  bar.title = text;
}

function renderMembers() {
  const tab = activeTab();
  const list = $('members');
  list.replaceChildren();
  const ms = tab.kind === 'channel' ? [...tab.members.values()] : [];
  // Whoever is here now first; idle, away and gone members (a closed tab stays a member until its
  // session times out) sink to the bottom instead of crowding the list.
  const rank = { '@': 0, '+': 1, '': 2 };
  const here = (m) => (m.presence === 'online' && !m.away ? 0 : 1);
  ms.sort((a, b) => here(a) - here(b) || rank[a.prefix] - rank[b.prefix] || fold(a.nick).localeCompare(fold(b.nick)));
  for (const m of ms) {
    const presence = m.away && m.presence === 'online' ? 'away' : (m.presence || 'online');
    const li = el('li', {
      class: `member presence-${presence}`, 'data-testid': 'member', 'data-nick': m.nick,
      title: `${m.nick}: ${presence}${m.away ? ` (${m.away})` : ''}`,
    });
    li.append(el('span', { class: 'dot' }), el('span', { class: 'prefix' }, m.prefix), nickEl(m.nick, m.nick));
    li.addEventListener('dblclick', () => activate(ensureTab(m.nick, 'dm').key));
    list.append(li);
  }
  $('member-count').textContent = tab.kind === 'channel' ? `${ms.length} user${ms.length === 1 ? '' : 's'}` : '';
}

function setMember(tab, nick, fields) {
  const k = fold(nick);
  const old = tab.members.get(k) || { nick, prefix: '', presence: 'online' };
  tab.members.set(k, { ...old, nick, ...fields });
  if (tab.key === S.active) renderMembers();
}

function removeMember(tab, nick) {
  if (tab.members.delete(fold(nick)) && tab.key === S.active) renderMembers();
}

/** Members endpoint: `{nick, server, modes, away?, presence}`; remote users become nick@server. */
async function refreshMembers(tab) {
  if (tab.kind !== 'channel' || !tab.joined) return;
  let list;
  try { list = await api.members(tab.name); } catch { return; } // 353 data stays as a fallback
  if (!Array.isArray(list)) list = (list && list.members) || [];
  tab.members.clear();
  for (const m of list) {
    const remote = m.server && m.server !== S.server.name && !String(m.nick).includes('@');
    const nick = remote ? `${m.nick}@${m.server}` : m.nick;
    tab.members.set(fold(nick), { nick, prefix: prefixOf(m.modes), presence: m.presence || 'online', away: m.away || '' });
  }
  if (tab.key === S.active) renderMembers();
}

/** Coalesces bursts (JOIN floods, MODE changes) into one members request. */
function refreshMembersSoon(tab) {
  clearTimeout(tab.refreshTimer);
  tab.refreshTimer = setTimeout(() => refreshMembers(tab), 250);
}

// ---------------------------------------------------------------- history
async function loadHistory(tab, older = false) {
  if (tab.kind === 'server') return;
  if (!older) tab.historyLoaded = true;
  let res;
  try {
    res = await api.history(tab.name, { limit: HISTORY_PAGE, before: older ? tab.oldestSeq : undefined });
  } catch (e) {
    if (e.transient) tab.historyLoaded = false; // retried on the next resync
    else if (e.status !== 404 && e.status !== 403) addLocal(tab, 'error', `Could not load history: ${e.message}`);
    return;
  }
  const msgs = (res && res.messages) || [];
  for (const m of msgs) {
    if (m.command === 'PUBKEY') onPubkey(m, tab);
    else addEnvelope(tab, m, false);
  }
  tab.olderEl.hidden = msgs.length < HISTORY_PAGE;
  if (older) tab.logEl.scrollTop = 0;
}

/** After an outage or a queue overflow: fill gaps from history (dedup makes it safe). */
function resync() {
  for (const tab of S.tabs.values()) {
    if (tab.kind === 'server') continue;
    loadHistory(tab);
    refreshMembersSoon(tab);
  }
}

// ---------------------------------------------------------------- incoming
function handle(env) {
  // Be liberal: a numeric without `to` may carry our nick as its first param.
  if (isNumeric(env.command) && !env.to && env.params && isMe(env.params[0])) {
    env = { ...env, params: env.params.slice(1) };
  }
  const h = HANDLERS[env.command] || (isNumeric(env.command) ? onNumeric : toServerTab);
  h(env);
}

const serverTab = () => S.tabs.get(SERVER_KEY);
const channelTab = (name) => (isChannel(name) ? S.tabs.get(fold(name)) : undefined);
const toServerTab = (env) => addEnvelope(serverTab(), env, false);

/** Channel tabs where `nick` is a member (for QUIT and NICK, which name no channel). */
function tabsWith(nick) {
  return [...S.tabs.values()].filter((t) => t.kind === 'channel' && t.members.has(fold(nick)));
}

const HANDLERS = {
  PRIVMSG: onMessage,
  NOTICE: onMessage,
  JOIN(env) {
    const ch = target(env);
    if (isMe(env.from)) {
      const tab = ensureTab(ch, 'channel');
      tab.joined = true;
      addEnvelope(tab, env, false);
      setMember(tab, env.from, {});
      if (!tab.historyLoaded) loadHistory(tab);
      announce(tab.name);
      if (S.pendingJoin.delete(fold(ch))) activate(tab.key);
      else if (tab.key === S.active) renderTopic();
      refreshMembersSoon(tab);
    } else {
      const tab = channelTab(ch);
      if (!tab) return;
      addEnvelope(tab, env, true);
      setMember(tab, env.from, { presence: 'online' });
    }
  },
  PART(env) {
    const tab = channelTab(target(env));
    if (!tab) return;
    if (isMe(env.from)) { tab.joined = false; closeTab(tab, false); return; }
    addEnvelope(tab, env, true);
    removeMember(tab, env.from);
  },
  KICK(env) {
    const tab = channelTab(target(env));
    if (!tab) return;
    const victim = (env.params || [])[0];
    addEnvelope(tab, env, true);
    if (isMe(victim)) { tab.joined = false; tab.members.clear(); renderTopic(); renderMembers(); } else removeMember(tab, victim);
  },
  QUIT(env) {
    for (const tab of tabsWith(env.from)) { addEnvelope(tab, env, true); removeMember(tab, env.from); }
    const dm = S.tabs.get(fold(env.from));
    if (dm && dm.kind === 'dm') addEnvelope(dm, env, true);
  },
  NICK(env) {
    const nn = newNick(env);
    if (!nn) return;
    const wasMe = isMe(env.from);
    if (wasMe) { S.nick = nn; $('me').textContent = nn; addEnvelope(serverTab(), env, false); }
    for (const tab of tabsWith(env.from)) {
      const m = tab.members.get(fold(env.from));
      addEnvelope(tab, env, true);
      removeMember(tab, env.from);
      setMember(tab, nn, { ...m, nick: nn });
    }
    const dm = S.tabs.get(fold(env.from));
    if (!wasMe && dm && dm.kind === 'dm' && !S.tabs.has(fold(nn))) { addEnvelope(dm, env, true); renameTab(dm, nn); }
  },
  TOPIC(env) {
    const tab = channelTab(target(env));
    if (!tab) return;
    tab.topic = bodyText(env);
    addEnvelope(tab, env, true);
    if (tab.key === S.active) renderTopic();
  },
  MODE(env) {
    const tab = channelTab(target(env));
    if (!tab) { toServerTab(env); return; }
    addEnvelope(tab, env, true);
    applyModes(tab, env.params || []);
    refreshMembersSoon(tab);
  },
  AWAY(env) {
    const away = bodyText(env);
    if (isMe(env.from)) $('away-flag').hidden = !away;
    for (const tab of tabsWith(env.from)) setMember(tab, env.from, { away, presence: away ? 'away' : 'online' });
  },
  INVITE(env) {
    // an invitation for someone else (invite-notify, we operate the channel) belongs in the channel's tab
    const channel = !isMe(target(env)) && channelTab((env.params || [])[0]);
    if (channel) { addEnvelope(channel, env, true); return; }
    toServerTab(env);
    echoToActive(env);
  },
  PUBKEY(env) {
    onPubkey(env, channelTab(target(env)) || S.tabs.get(fold(env.from)));
  },
};

/** Applies "+o alice", "-v bob", "+ov a b" to member prefixes immediately. */
function applyModes(tab, params) {
  const [modes = '', ...args] = params;
  let sign = '+';
  for (const c of modes) {
    if (c === '+' || c === '-') { sign = c; continue; }
    if (c !== 'o' && c !== 'v' && !'klbeI'.includes(c)) continue;
    const arg = args.shift();
    if ((c === 'o' || c === 'v') && arg && tab.members.has(fold(arg))) {
      const m = tab.members.get(fold(arg));
      const prefix = sign === '+' ? (c === 'o' ? '@' : (m.prefix || '+')) : (m.prefix === (c === 'o' ? '@' : '+') ? '' : m.prefix);
      setMember(tab, arg, { prefix });
    }
  }
}

function onMessage(env) {
  const to = target(env);
  if (isChannel(to)) {
    addEnvelope(ensureTab(to, 'channel'), env, true);
    return;
  }
  if (fromServer(env)) { toServerTab(env); return; }
  const partner = isMe(env.from) ? to : env.from;
  const existed = S.tabs.has(fold(partner));
  const tab = ensureTab(partner, 'dm');
  addEnvelope(tab, env, !isMe(env.from));
  if (!existed) loadHistory(tab); // earlier lines of this conversation, e.g. from another device
}

function onNumeric(env) {
  const p = env.params || [];
  const ch = p.find(isChannel);
  const tab = channelTab(ch);
  switch (env.command) {
    case '332': case '331':
      if (tab) { tab.topic = env.command === '332' ? bodyText(env) : ''; addEnvelope(tab, env, false); if (tab.key === S.active) renderTopic(); }
      return;
    case '333':
      if (tab) addEnvelope(tab, env, false);
      return;
    case '353': {
      const acc = S.names.get(fold(ch)) || [];
      acc.push(...bodyLines(env).join(' ').split(/\s+/).filter(Boolean));
      S.names.set(fold(ch), acc);
      if (!tab) toServerTab(env);
      return;
    }
    case '366': {
      const names = S.names.get(fold(ch));
      S.names.delete(fold(ch));
      if (tab && names) {
        tab.members.clear();
        for (const n of names) { const { prefix, nick } = parseName(n); setMember(tab, nick, { prefix }); }
        if (tab.key === S.active) renderMembers();
        refreshMembersSoon(tab); // adds presence, which 353 cannot carry
      }
      return;
    }
    case '305': case '306':
      $('away-flag').hidden = env.command === '305';
      break;
    case '422': // no MOTD: the welcome burst is over
      S.loginFolding = false;
      break;
    default:
      if (S.loginFolding && LOGIN_NUMERICS.has(env.command)) { addLoginInfo(env); return; }
  }
  toServerTab(env);
  if (isError(env.command)) { showErrorElsewhere(env); refusePending(env); }
  else if (ECHO_TO_ACTIVE.has(env.command)) echoToActive(env);
}

/** The welcome burst every new client gets (SPEC §3): folded into one block of the server tab. */
const LOGIN_NUMERICS = new Set(['001', '002', '003', '004', '005', '251', '252', '253', '254', '255', '265', '266', '375', '372', '376']);

function addLoginInfo(env) {
  const tab = serverTab();
  if (!S.loginInfo || !S.loginInfo.isConnected) {
    S.loginInfo = el('details', { class: 'login-info', 'data-testid': 'login-info' });
    S.loginInfo.append(el('summary', {}, `Connected to ${S.server.name}: server details and message of the day`));
    insertLine(tab, Date.parse(env.ts) || Date.now(), S.loginInfo);
  }
  if (env.id && tab.ids.has(env.id)) return;
  if (env.id) tab.ids.add(env.id);
  for (const d of describe(env)) S.loginInfo.append(lineEl(env.ts, d));
  if (env.command === '001') S.loginInfo.querySelector('summary').textContent = `${bodyText(env)} (server details and message of the day)`;
  if (env.command === '376') S.loginFolding = false;
}

/** Replies to what the user just asked (WHOIS, AWAY, INVITE, MODE lists…) also show in the tab they are in. */
const ECHO_TO_ACTIVE = new Set(['221', '301', '305', '306', '311', '312', '313', '317', '318', '319', '324', '329', '330', '341',
  '336', '337', '346', '347', '348', '349', '367', '368']);

function echoToActive(env) {
  const tab = activeTab();
  if (tab.kind !== 'server') addEnvelope(tab, env, false);
}

/** Errors also appear where the user is looking, and in the tab they concern. */
function showErrorElsewhere(env) {
  const shown = new Set([SERVER_KEY]);
  for (const tab of [S.tabs.get(fold((env.params || [])[0])), activeTab()]) {
    if (tab && !shown.has(tab.key)) { shown.add(tab.key); addEnvelope(tab, env, false); }
  }
}

// ---------------------------------------------------------------- long-poll
/**
 * Receives forever. After a failure the next poll uses timeout=0 so the
 * state flips back to "connected" as soon as the server answers.
 */
async function pollLoop(gen) {
  let delay = 1000;
  let resets = 0;        // stale-cursor answers in a row: a server that keeps answering so is not hammered
  let recovering = true; // the first poll is immediate too
  while (gen === S.pollGen) {
    let res;
    try {
      res = await api.poll(S.cursor, recovering ? 0 : 25);
    } catch (e) {
      if (gen !== S.pollGen) return;
      if (e.status === 401) { sessionLost(); return; }
      if (e.status === 409 && e.code === 'cursor_reset' && Number.isInteger(e.body.last_id)) {
        // Our cursor is ahead of the server's queue or points at trimmed entries: resume where the
        // server says and fill whatever was missed from history (dedup by id keeps it clean).
        S.cursor = e.body.last_id;
        store.set('cursor', S.cursor);
        addLocal(serverTab(), 'info', 'The server reset our read position; missed lines are reloaded from history.');
        resync();
        if (resets++ > 0) await waitForRetry(Math.min(delay * 2 ** resets, 30000));
        continue;
      }
      setConn('reconnecting', e.message);
      recovering = true;
      await waitForRetry(e.retryAfter ? e.retryAfter * 1000 : delay);
      delay = Math.min(delay * 2, 30000);
      continue;
    }
    if (gen !== S.pollGen) return;
    if (recovering && $('conn-state').dataset.state === 'reconnecting') resync();
    recovering = false;
    delay = 1000;
    resets = 0;
    setConn('connected');
    flushOutbox();
    for (const env of res.messages || []) {
      try { handle(env); } catch (err) { console.error('bad envelope', env, err); }
    }
    if (res.dropped) {
      addLocal(serverTab(), 'error', `${res.dropped} queued messages were dropped by the server; reloading history.`);
      resync();
    }
    if (res.last_id != null && res.last_id !== S.cursor) {
      S.cursor = res.last_id;
      store.set('cursor', S.cursor);
    }
  }
}

/** Backoff sleep (with jitter) that ends early when the browser comes back online. */
function waitForRetry(ms) {
  return new Promise((resolve) => {
    const done = () => { clearTimeout(t); window.removeEventListener('online', done); resolve(); };
    const t = setTimeout(done, ms * (0.75 + Math.random() * 0.5));
    window.addEventListener('online', done);
  });
}

function setConn(state, why) {
  const c = $('conn-state');
  c.dataset.state = state;
  c.textContent = state;
  c.title = why || '';
}

// ---------------------------------------------------------------- sending
async function command(envelope) {
  try {
    return await api.send(envelope);
  } catch (e) {
    if (e.status === 401) { sessionLost(); return null; }
    addLocal(activeTab(), 'error', `Not sent (${e.message}): ${envelope.command} ${envelope.to || ''}`);
    return null;
  }
}

function say(tab, text, cmd = 'PRIVMSG') {
  if (tab.kind === 'server') {
    addLocal(tab, 'error', 'This is the server tab: /join #channel or /msg nick text first.');
    return;
  }
  sendText(cmd, tab.name, text);
}

// ---------------------------------------------------------------- outbox
/**
 * PRIVMSG and NOTICE go through an outbox: the line shows at once as "sending…", is signed, and is
 * posted with its own id until the server takes it (after an outage too, and across a reload).
 * The id makes the retries idempotent; the server's echo (same id) replaces the line.
 */
async function sendText(cmd, to, text) {
  const id = api.uuid();
  const row = pendingRow({ id, command: cmd, to, body: [text] });
  let env = { id, command: cmd, to, body: [text] };
  if (S.key) {
    try { env = await signing.sign(S.key.subtle, env, S.key); } catch (e) { console.warn('not signed', e); }
  }
  if (!isChannel(to)) announce(to);
  S.pending.set(id, { env, ...row, posted: false });
  saveOutbox();
  post(id);
}

function pendingRow(env) {
  const tab = S.tabs.get(fold(env.to)) || activeTab() || serverTab();
  const rows = describe({ ...env, from: S.nick }).map((d) => lineEl(null, d));
  const state = el('span', { class: 'send-state', 'data-testid': 'send-state' }, 'sending…');
  const row = rows[0];
  row.classList.add('pending');
  row.append(' ', state);
  insertLine(tab, Date.now(), row);
  return { tab, row, state };
}

async function post(id) {
  const p = S.pending.get(id);
  if (!p || p.busy || p.posted) return;
  p.busy = true;
  try {
    await api.send(p.env, 1);
    p.posted = true;
    if (S.pending.get(id) === p) p.state.textContent = ''; // unless already refused (401 came first)
  } catch (e) {
    if (e.status === 401) { sessionLost(); return; }
    if (!e.transient) {
      p.state.textContent = `not sent: ${e.message}`;
      p.row.classList.add('kind-error');
      S.pending.delete(id);
    }
  } finally {
    p.busy = false;
    saveOutbox();
  }
}

function flushOutbox() { for (const id of S.pending.keys()) post(id); }

function saveOutbox() { store.set('outbox', [...S.pending.values()].filter((p) => !p.posted).map((p) => p.env)); }

/** The server's copy of a message arrived: it replaces the "sending…" line. */
function settlePending(id) {
  const p = id && S.pending.get(id);
  if (!p) return;
  S.pending.delete(id);
  p.tab.lines = p.tab.lines.filter((l) => l.el !== p.row);
  p.row.remove();
  saveOutbox();
}

/** An error about a target (401 no such nick, 404 cannot send…): what we sent there was not delivered. */
function refusePending(env) {
  const about = fold((env.params || [])[0]);
  for (const [id, p] of S.pending) {
    if (!(p.posted || p.busy) || fold(p.env.to) !== about) continue; // sent, or on its way
    p.state.textContent = `not delivered: ${describe(env)[0].text}`;
    p.row.classList.add('kind-error');
    S.pending.delete(id);
  }
}

/** After a reload: what was still unsent shows again and goes out once the server answers. */
function restoreOutbox() {
  for (const env of store.get('outbox', [])) S.pending.set(env.id, { env, ...pendingRow(env), posted: false });
}

/** /help: one line per command; every name in COMMANDS appears here (the browser test checks). */
const HELP = [
  ['/join #chan [key]', 'join (or create) a channel (also /j)'],
  ['/part [#chan] [reason]', 'leave a channel'],
  ['/msg nick|#chan text', 'send a message'],
  ['/query nick [text]', 'open a private conversation'],
  ['/me text', 'action in this tab'],
  ['/notice target text', 'send a notice'],
  ['/nick newnick', 'change nick'],
  ['/topic [#chan] [text]', 'show or set the channel topic'],
  ['/away [message]', 'set away; /away alone clears it'],
  ['/whois nick', 'who is that'],
  ['/names [#chan]', 'who is on a channel'],
  ['/list', 'list channels'],
  ['/mode [target] [+/-modes args]', 'show or change modes (o v i m n s t k l b)'],
  ['/kick nick [reason]', 'remove someone from this channel (operators)'],
  ['/invite nick [#chan]', 'invite someone to a channel'],
  ['/lusers', 'user counts'],
  ['/motd', 'message of the day'],
  ['/ping', 'check the server answers'],
  ['/quote COMMAND [target] [params…] [:text]', 'send any command'],
  ['/trust nick[@server]', 'accept the new signing key someone now uses'],
  ['/key', 'show your own signing key'],
  ['/close', 'close this tab'],
  ['/clear', 'clear this tab'],
  ['/quit [reason]', 'end this device'],
  ['/help', 'this list'],
  ['Keys', '↑/↓ input history, Tab completes nicks, Alt+1…9 switch tabs'],
];

/** Slash commands: name → (args string, active tab). */
const COMMANDS = {
  join(rest) {
    const [ch, key] = rest.split(/\s+/);
    if (!ch) return usage('/join #channel [key]');
    const name = isChannel(ch) ? ch : `#${ch}`;
    const existing = channelTab(name);
    if (existing && existing.joined) { activate(existing.key); return; }
    S.pendingJoin.add(fold(name));
    command({ command: 'JOIN', to: name, ...(key ? { params: [key] } : {}) });
  },
  part(rest, tab) {
    let [ch, ...reason] = rest.split(/\s+/).filter(Boolean);
    if (!isChannel(ch)) { if (ch) reason.unshift(ch); ch = tab.kind === 'channel' ? tab.name : ''; }
    if (!ch) { if (tab.kind === 'dm') closeTab(tab, true); else usage('/part #channel [reason]'); return; }
    command({ command: 'PART', to: ch, ...(reason.length ? { body: [reason.join(' ')] } : {}) });
  },
  msg(rest) {
    const m = /^(\S+)\s+(.+)$/.exec(rest);
    if (!m) return usage('/msg nick|#channel text');
    // No tab yet: the server's echo opens the DM tab, so a typo'd nick only yields a 401.
    sendText('PRIVMSG', m[1], m[2]);
  },
  query(rest) {
    const m = /^(\S+)\s*(.*)$/.exec(rest);
    if (!m) return usage('/query nick [text]');
    const tab = ensureTab(m[1], 'dm');
    activate(tab.key);
    if (!tab.historyLoaded) loadHistory(tab);
    if (m[2]) say(tab, m[2]);
  },
  notice(rest) {
    const m = /^(\S+)\s+(.+)$/.exec(rest);
    if (!m) return usage('/notice target text');
    sendText('NOTICE', m[1], m[2]);
  },
  me(rest, tab) {
    if (!rest) return usage('/me text');
    say(tab, `\u0001ACTION ${rest}\u0001`);
  },
  nick(rest) {
    if (!rest.trim()) return usage('/nick newnick');
    command({ command: 'NICK', body: [rest.trim()] });
  },
  topic(rest, tab) {
    let ch = tab.kind === 'channel' ? tab.name : '';
    let text = rest;
    const m = /^(#\S+)\s*(.*)$/.exec(rest);
    if (m) { ch = m[1]; text = m[2]; }
    if (!ch) return usage('/topic [#channel] [new topic]');
    command({ command: 'TOPIC', to: ch, ...(text ? { body: [text] } : {}) });
  },
  away(rest) { command({ command: 'AWAY', ...(rest ? { body: [rest] } : {}) }); },
  whois(rest) {
    if (!rest.trim()) return usage('/whois nick');
    command({ command: 'WHOIS', to: rest.trim() });
  },
  names(rest, tab) { command({ command: 'NAMES', to: rest.trim() || tab.name }); },
  list() { activate(SERVER_KEY); command({ command: 'LIST' }); },
  mode(rest, tab) {
    const args = rest.split(/\s+/).filter(Boolean);
    // "/mode +o bob" in a channel tab means this channel, as in other IRC clients.
    const to = args.length && !/^[+-]/.test(args[0]) ? args.shift() : (tab.kind === 'server' ? S.nick : tab.name);
    command({ command: 'MODE', to, ...(args.length ? { params: args } : {}) });
  },
  kick(rest, tab) {
    const [nick, ...reason] = rest.split(/\s+/).filter(Boolean);
    if (!nick || tab.kind !== 'channel') return usage('/kick nick [reason] (in a channel tab)');
    command({ command: 'KICK', to: tab.name, params: [nick], ...(reason.length ? { body: [reason.join(' ')] } : {}) });
  },
  invite(rest, tab) {
    const [nick, ch] = rest.split(/\s+/).filter(Boolean);
    const chan = ch || (tab.kind === 'channel' ? tab.name : '');
    if (!nick || !chan) return usage('/invite nick [#channel]');
    command({ command: 'INVITE', to: nick, params: [chan] });
  },
  ping() { command({ command: 'PING' }); },
  lusers() { S.loginFolding = false; command({ command: 'LUSERS' }); },
  motd() { S.loginFolding = false; activate(SERVER_KEY); command({ command: 'MOTD' }); },
  close(rest, tab) { closeTab(tab, true); },
  clear(rest, tab) { for (const l of tab.lines) l.el.remove(); tab.lines = []; tab.days.clear(); },
  async quit(rest) {
    await command({ command: 'QUIT', ...(rest ? { body: [rest] } : {}) });
    endSession('You have quit.');
  },
  quote(rest) {
    const m = /^(\S+)\s*([^:]*?)\s*(?::(.*))?$/s.exec(rest);
    if (!m) return usage('/quote COMMAND [target] [params…] [:text]');
    const [to, ...params] = m[2].split(/\s+/).filter(Boolean);
    command({ command: m[1].toUpperCase(), ...(to ? { to } : {}), ...(params.length ? { params } : {}), ...(m[3] != null ? { body: [m[3]] } : {}) });
  },
  trust(rest, tab) {
    if (!rest) return usage('/trust nick[@server]');
    const id = signing.identity(rest, S.server.name);
    const key = S.trust.offered(id);
    if (!key) { addLocal(tab, 'info', `No new key seen for ${id}; nothing to trust.`); return; }
    S.trust.add(id, key);
    addLocal(tab, 'info', `Now trusting ${id}'s key ${key}.`);
  },
  key(rest, tab) {
    addLocal(tab, 'info', S.key ? `Your signing key (${signing.identity(S.nick, S.server.name)}): ${S.key.publicB64}` : 'This browser has no signing key: your messages go out unsigned.');
  },
  help(rest, tab) { for (const [cmd, text] of HELP) addLocal(tab, 'info', `${cmd} — ${text}`); },
};
COMMANDS.j = COMMANDS.join;

function usage(text) { addLocal(activeTab(), 'error', `Usage: ${text}`); }

function runInput(text) {
  const tab = activeTab();
  if (text.startsWith('//') || !text.startsWith('/')) { say(tab, text.startsWith('//') ? text.slice(1) : text); return; }
  const m = /^\/(\S+)\s*(.*)$/s.exec(text);
  const fn = m && COMMANDS[m[1].toLowerCase()];
  if (!fn) { addLocal(tab, 'error', `Unknown command ${m ? m[1] : text}. Try /help`); return; }
  fn(m[2].trim(), tab);
}

// ---------------------------------------------------------------- input box
function setupInput() {
  const input = $('input');
  $('input-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    S.inputHistory.push(text);
    if (S.inputHistory.length > 200) S.inputHistory.shift();
    S.historyPos = S.inputHistory.length;
    input.value = '';
    askNotificationPermission();
    runInput(text);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown') { browseHistory(e.key === 'ArrowUp' ? -1 : 1); e.preventDefault(); }
    else if (e.key === 'Tab' && input.value) { completeNick(); e.preventDefault(); }
  });
  document.addEventListener('keydown', (e) => {
    if (e.altKey && /^[1-9]$/.test(e.key)) {
      const tab = [...$('tabs').children][Number(e.key) - 1];
      if (tab) { activate(fold(tab.dataset.kind === 'server' ? SERVER_KEY : tab.dataset.tab)); e.preventDefault(); }
    }
  });
}

function browseHistory(step) {
  const input = $('input');
  if (S.historyPos === S.inputHistory.length) S.draft = input.value;
  S.historyPos = Math.max(0, Math.min(S.inputHistory.length, S.historyPos + step));
  input.value = S.historyPos === S.inputHistory.length ? S.draft : S.inputHistory[S.historyPos];
  input.setSelectionRange(input.value.length, input.value.length);
}

function completeNick() {
  const input = $('input');
  const m = /(\S+)$/.exec(input.value);
  if (!m) return;
  const tab = activeTab();
  const hit = [...tab.members.values()].map((x) => x.nick).find((n) => fold(n).startsWith(fold(m[1])));
  if (hit) input.value = input.value.slice(0, m.index) + hit + (m.index === 0 ? ': ' : ' ');
}

// ---------------------------------------------------------------- login
function showLogin(message) {
  $('chat').hidden = true;
  $('login').hidden = false;
  $('login-server').textContent = `Server: ${S.server.name}`;
  $('login-error').textContent = message || '';
  $('login-status').textContent = '';
  $('login-nick').value = $('login-nick').value || store.get('nick', '');
  $('login-nick').focus();
}

function setupLogin() {
  const form = $('login-form');
  form.addEventListener('submit', (e) => { e.preventDefault(); doLogin($('login-password').value ? 'login' : 'anon'); });
  $('login-login').addEventListener('click', () => doLogin('login'));
  $('login-register').addEventListener('click', () => doLogin('register'));
}

async function doLogin(mode) {
  const nick = $('login-nick').value.trim();
  const password = $('login-password').value;
  $('login-error').textContent = '';
  if (!nick) { $('login-error').textContent = 'Choose a nick.'; return; }
  if (mode !== 'anon' && password.length < (mode === 'register' ? 8 : 1)) {
    $('login-error').textContent = mode === 'register' ? 'Passwords need at least 8 characters.' : 'Enter your password.';
    return;
  }
  setLoginBusy(true);
  try {
    const res = await authenticate(mode, nick, password);
    $('login-password').value = '';
    startSession(res);
  } catch (e) {
    $('login-status').textContent = '';
    $('login-error').textContent = loginErrorText(e);
  } finally {
    setLoginBusy(false);
  }
}

/** One retry on 402: the stamp may have been spent or dated yesterday (UTC midnight). */
async function authenticate(mode, nick, password) {
  if (mode === 'login') return api.login(nick, password);
  for (let attempt = 1; ; attempt++) {
    const stamp = await hashcashIfNeeded();
    try {
      return mode === 'register' ? await api.register(nick, password, stamp) : await api.createSession(nick, stamp);
    } catch (e) {
      if (e.status !== 402 || attempt >= 2) throw e;
    }
  }
}

function loginErrorText(e) {
  if (e.status === 409) return `The nick is already in use${e.numeric ? ` (${e.numeric})` : ''}.`;
  if (e.status === 401) return 'Wrong nick or password.';
  if (e.status === 429) return `Too many attempts; try again${e.retryAfter ? ` in ${e.retryAfter}s` : ' later'}.`;
  if (e.status === 0) return 'The server is unreachable.';
  return e.message;
}

function setLoginBusy(busy) {
  for (const b of document.querySelectorAll('#login button, #login input')) b.disabled = busy;
}

/** Proof of work in a Web Worker so the page stays responsive; shows progress. */
async function hashcashIfNeeded() {
  try { S.server = { ...S.server, ...(await api.serverInfo()) }; } catch { /* use what we know */ }
  const bits = Number(S.server.hashcash_bits) || 0;
  if (bits <= 0) return undefined;
  const status = $('login-status');
  status.dataset.state = 'hashcash';
  status.textContent = `Computing anti-spam stamp (${bits} bits)…`;
  const worker = new Worker(new URL('./hashcash-worker.js', import.meta.url));
  try {
    return await new Promise((resolve, reject) => {
      worker.onmessage = ({ data }) => {
        if (data.done) { status.textContent = `Stamp found after ${data.tries.toLocaleString()} hashes.`; resolve(data.stamp); return; }
        const pct = Math.min(99, Math.round((100 * data.tries) / data.expected));
        status.textContent = `Computing anti-spam stamp (${bits} bits)… ${data.tries.toLocaleString()} hashes (~${pct}% of expected work)`;
      };
      worker.onerror = (e) => reject(new Error(`hashcash worker failed: ${e.message}`));
      worker.postMessage({ bits, resource: S.server.name });
    });
  } finally {
    worker.terminate();
    delete status.dataset.state;
  }
}

// ---------------------------------------------------------------- session lifecycle
function startSession(res) {
  const sameUser = fold(store.get('nick', '')) === fold(res.nick);
  store.set('token', res.token);
  store.set('cursor', 0); // a new client starts at the beginning of its own queue
  store.set('nick', res.nick);
  if (!sameUser) { store.set('dms', []); store.set('active', null); }
  S.loginFolding = true;
  enterChat();
}

/** Builds the chat screen from GET /state, loads history, starts receiving. */
async function enterChat() {
  const gen = ++S.pollGen;
  api.setToken(store.get('token'));
  S.cursor = store.get('cursor', 0);
  S.nick = store.get('nick', '');
  resetTabs();
  $('login').hidden = true;
  $('chat').hidden = false;
  $('me').textContent = S.nick;
  $('server-name').textContent = S.server.name;
  setConn('connecting');

  const st = await retryUntilUp(api.getState, gen);
  if (!st || gen !== S.pollGen) return;
  S.nick = st.nick || S.nick;
  store.set('nick', S.nick);
  $('me').textContent = S.nick;
  $('away-flag').hidden = !st.away;
  for (const ch of st.channels || []) {
    const tab = ensureTab(ch.name, 'channel');
    tab.topic = ch.topic || '';
  }
  for (const name of store.get('dms', [])) ensureTab(name, 'dm');
  await setupSigning();
  if (gen !== S.pollGen) return;
  restoreOutbox();
  // Reopen the tab the user was on; a new device starts in its first channel.
  const want = store.get('active', null);
  const firstChannel = [...S.tabs.values()].find((t) => t.kind === 'channel');
  activate(want && S.tabs.has(fold(want)) ? fold(want) : (firstChannel ? firstChannel.key : SERVER_KEY));
  setConn('connected');
  for (const tab of S.tabs.values()) {
    if (tab.kind === 'server') continue;
    loadHistory(tab);
    refreshMembers(tab);
    if (tab.kind === 'channel') announce(tab.name);
  }
  pollLoop(gen);
}

/** GET with backoff while the server is down (restart, network loss); null on 401. */
async function retryUntilUp(fn, gen) {
  let delay = 1000;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (gen !== S.pollGen) return null;
      if (e.status === 401) { sessionLost(); return null; }
      setConn('reconnecting', e.message);
      await waitForRetry(delay);
      delay = Math.min(delay * 2, 30000);
    }
  }
}

function resetTabs() {
  for (const t of S.tabs.values()) { t.logEl.remove(); t.tabEl.remove(); }
  S.tabs.clear();
  S.names.clear();
  S.pendingJoin.clear();
  S.pending.clear();
  S.announced.clear();
  S.loginInfo = null;
  const st = ensureTab(S.server.name, 'server');
  addLocal(st, 'info', `Welcome to chatd on ${S.server.name}. Type /help for commands.`, 0); // t=0: stays on top
}

function endSession(message) {
  S.pollGen++;
  api.setToken(null);
  store.clear();
  showLogin(message);
}

function sessionLost() { endSession('Your session has ended (logged out, quit or expired). Connect again.'); }

async function logoutClicked() {
  try { await api.logout(); } catch { /* the token is dropped locally either way */ }
  endSession('Logged out.');
}

// ---------------------------------------------------------------- DOM helper
function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text != null) e.textContent = text;
  return e;
}

// ---------------------------------------------------------------- boot
async function boot() {
  setupLogin();
  setupInput();
  $('logout').addEventListener('click', logoutClicked);
  $('members-toggle').addEventListener('click', () => $('chat').classList.toggle('show-members'));
  window.addEventListener('online', flushOutbox);
  // Idle/offline presence changes with time, not only with events: re-read it now and then.
  setInterval(() => { const t = activeTab(); if (t && !$('chat').hidden) refreshMembers(t); }, 60_000);
  try { S.server = { ...S.server, ...(await api.serverInfo()) }; } catch { /* offline: retried later */ }
  document.title = 'chatd';
  if (store.get('token')) enterChat();
  else showLogin();
}

boot();
