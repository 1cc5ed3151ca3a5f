// Pure helpers: names, envelope fields and the text shown for each envelope.
// No DOM and no state here, so history and live messages render identically.

/** ASCII casemapping (SPEC §1): names compare case-insensitively. */
export const fold = (s) => String(s || '').replace(/[A-Z]/g, (c) => c.toLowerCase());

export const isChannel = (s) => typeof s === 'string' && s.startsWith('#');

/** Body lines of an envelope; `body` is an array of lines or an object. */
export function bodyLines(env) {
  const b = env.body;
  if (Array.isArray(b)) return b.map(String);
  if (b && typeof b === 'object') return [JSON.stringify(b)];
  if (typeof b === 'string') return [b]; // be liberal in what we accept
  return [];
}

export const bodyText = (env) => bodyLines(env).join(' ');

/** "Be liberal" (SPEC §2): the first IRC parameter may be in `to` or `params[0]`. */
export const target = (env) => env.to || (env.params && env.params[0]) || '';

/** New nick of a NICK message: body, else to/params. */
export const newNick = (env) => bodyLines(env)[0] || target(env);

const ACTION = /^\u0001ACTION ?(.*?)\u0001?$/s;

/** `/me` is CTCP ACTION: "\u0001ACTION text\u0001". Returns text or null. */
export function actionText(line) {
  const m = ACTION.exec(line);
  return m ? m[1] : null;
}

export const isNumeric = (cmd) => /^\d{3}$/.test(cmd || '');
export const isError = (cmd) => isNumeric(cmd) && Number(cmd) >= 400 && Number(cmd) < 600;

/** [HH:MM] in local time. */
export function clock(ts) {
  const d = ts ? new Date(ts) : new Date();
  if (Number.isNaN(d.getTime())) return '--:--';
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** Member modes from the members endpoint ("o", "@", ["o","v"], …) → display prefix. */
export function prefixOf(modes) {
  const m = Array.isArray(modes) ? modes.join('') : String(modes || '');
  if (m.includes('o') || m.includes('@')) return '@';
  if (m.includes('v') || m.includes('+')) return '+';
  return '';
}

/** Splits a 353 name ("@op", "+v", "bob@beta") into prefix and nick. */
export function parseName(name) {
  const m = /^([@+%~&]*)(.*)$/.exec(name);
  return { prefix: m[1].includes('@') ? '@' : m[1].includes('+') ? '+' : '', nick: m[2] };
}

/**
 * Display lines for an envelope: [{kind, nick?, text}]. `kind` is one of
 * msg | action | notice | system | error | info and drives styling. `me` is
 * the user's nick (an INVITE to someone else is an operator's notification).
 */
export function describe(env, me) {
  const from = env.from || '';
  const to = target(env);
  const body = bodyText(env);
  const reason = body ? ` (${body})` : '';
  switch (env.command) {
    case 'PRIVMSG':
      return bodyLines(env).map((line) => {
        const act = actionText(line);
        return act != null ? { kind: 'action', nick: from, text: act } : { kind: 'msg', nick: from, text: line };
      });
    case 'NOTICE':
      return bodyLines(env).map((line) => ({ kind: 'notice', nick: from, text: line }));
    case 'JOIN': return [sys(`${from} has joined ${to}`)];
    case 'PART': return [sys(`${from} has left ${to}${reason}`)];
    case 'QUIT': return [sys(`${from} has quit${reason}`)];
    case 'NICK': return [sys(`${from} is now known as ${newNick(env)}`)];
    case 'KICK': return [sys(`${from} has kicked ${(env.params || [])[0] || '?'} from ${to}${reason}`)];
    case 'TOPIC': return [sys(body ? `${from} changed the topic of ${to} to: ${body}` : `${from} cleared the topic of ${to}`)];
    case 'MODE': return [sys(`${from} sets mode ${(env.params || []).join(' ')} on ${to}`)];
    case 'INVITE': {
      const channel = (env.params || [])[0] || '?';
      return [sys(me && fold(to) !== fold(me) ? `${from} invited ${to} to ${channel}` : `${from} invites you to ${channel}`)];
    }
    case 'AWAY': return [sys(body ? `${from} is away: ${body}` : `${from} is back`)];
    case 'PONG': return [info(`PONG from ${from}${reason}`)];
    case 'PUBKEY': return []; // a signing key: kept by the client, not a line
    case 'TAGMSG': return []; // IRC clients' typing notifications and reactions: nothing to print
    default:
      if (isNumeric(env.command)) return [describeNumeric(env)];
      return [info(`${env.command} ${[to, ...(env.params || [])].filter(Boolean).join(' ')} ${body}`.trim())];
  }
}

const sys = (text) => ({ kind: 'system', text });
const info = (text) => ({ kind: 'info', text });

/** Readable text for a numeric reply; `params` are the middle parameters after our nick. */
function describeNumeric(env) {
  const p = env.params || [];
  const body = bodyText(env);
  switch (env.command) {
    case '332': return sys(`Topic for ${p[0]}: ${body}`);
    case '331': return sys(`No topic is set for ${p[0]}`);
    case '333': return sys(`Topic set by ${p[1] || '?'}${p[2] ? ` at ${topicTime(p[2])}` : ''}`);
    case '353': return info(`Names ${p[p.length - 1] || ''}: ${body}`);
    case '252': case '253': case '254': return info(`${p[0]} ${body}`);
    case '301': return info(`${p[0]} is away: ${body}`);
    case '305': case '306': return info(body || (env.command === '306' ? 'You are now marked as away' : 'You are no longer marked as away'));
    case '311': return info(`${p[0]} is ${p[1] || ''}@${p[2] || ''} (${body})`);
    case '312': return info(`${p[0]} is on server ${p[1] || ''}${body ? ` (${body})` : ''}`);
    case '317': return info(`${p[0]} has been idle ${p[1] || '?'}s`);
    case '319': return info(`${p[0]} is on ${body}`);
    case '320': return info(`${p[0]} ${body}`); // "is online", "is idle", …
    case '322': return info(`${p[0]} (${p[1] || 0} users): ${body}`);
    case '336': return info(`You are invited to ${p[0]}`);
    case '367': return info(`Ban on ${p[0]}: ${p[1]}`);
    case '348': return info(`Ban exception on ${p[0]}: ${p[1]}`);
    case '346': return info(`Invite exception on ${p[0]}: ${p[1]}`);
    case '368': case '349': case '347': return info(body || `End of the list of ${p[0]}`);
    default: {
      const text = [p.join(' '), body].filter(Boolean).join(': ');
      return isError(env.command)
        ? { kind: 'error', text: `Error ${env.command}: ${text}` }
        : info(text || env.command);
    }
  }
}

function topicTime(s) {
  const n = Number(s);
  const d = Number.isFinite(n) ? new Date(n * 1000) : new Date(s);
  return Number.isNaN(d.getTime()) ? s : d.toLocaleString();
}
