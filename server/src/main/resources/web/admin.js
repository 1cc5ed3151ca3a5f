// The operator's view: reads GET /api/v1/admin/overview every 2 s with the admin token (kept in this
// tab's sessionStorage only) and draws the figures, and small charts of the last two minutes.
'use strict';

const REFRESH_MS = 2000;
const POINTS = 60;
const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
const series = {};   // chart name -> recent values
let previous = null; // the last reading, for rates
let timer = null;

function token() { return sessionStorage.getItem('chatd-admin-token'); }

$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem('chatd-admin-token', $('token').value.trim());
  start();
});

function start() {
  if (!token()) return;
  clearTimeout(timer);
  refresh();
}

async function refresh() {
  try {
    const r = await fetch('/api/v1/admin/overview', { headers: { Authorization: `Bearer ${token()}` } });
    const body = await r.json().catch(() => ({ error: `HTTP ${r.status}` }));
    if (!r.ok) {
      showError(`${body.error || 'error'} (${r.status})`);
      if (r.status === 401 || r.status === 403) {
        // A wrong token, or one the server no longer has: ask again instead of polling in vain.
        sessionStorage.removeItem('chatd-admin-token');
        $('token-form').hidden = false;
        return;
      }
    } else {
      showError(null);
      show(body);
    }
  } catch (e) {
    showError(`server unreachable: ${e.message}`);
  }
  timer = setTimeout(refresh, REFRESH_MS);
}

function showError(text) {
  $('error').hidden = !text;
  $('error').textContent = text || '';
}

/** Per-second rate of a counter between the last reading and this one (null on the first). */
function rate(now, before, pick) {
  if (!before) return null;
  const seconds = (now.now_ms - before.now_ms) / 1000;
  return seconds > 0 ? Math.max(0, pick(now) - pick(before)) / seconds : null;
}

/** Mean over the interval: time added / events added; the overall mean when nothing happened since; null before the first. */
function intervalMean(now, before, count, total) {
  const added = before ? count(now) - count(before) : 0;
  if (added > 0) return (total(now) - total(before)) / added;
  return count(now) > 0 ? total(now) / count(now) : null;
}

function millis(value) {
  return value === null ? '–' : `${number(value, 1)} ms`;
}

function show(o) {
  $('token-form').hidden = true;
  $('overview').hidden = false;
  $('server-name').textContent = o.server;
  $('server-info').textContent = `${o.version}, up ${duration(o.uptime_seconds)}`;
  $('updated').textContent = `updated ${new Date(o.now_ms).toLocaleTimeString()}`;

  $('sessions').textContent = number(o.sessions);
  $('clients').textContent = number(o.clients);
  plot('sessions', o.sessions);

  const msgs = rate(o, previous, (x) => x.messages.sent_total);
  $('msgs-rate').textContent = msgs === null ? '…' : number(msgs, 1);
  $('msgs-total').textContent = number(o.messages.sent_total);
  if (msgs !== null) plot('msgs', msgs);

  const deliveries = rate(o, previous, (x) => x.deliveries_total);
  $('deliveries-rate').textContent = deliveries === null ? '…' : number(deliveries, 1);
  $('polls').textContent = number(o.polls_waiting);
  if (deliveries !== null) plot('deliveries', deliveries);

  const ack = intervalMean(o, previous, (x) => x.messages.sent_total, (x) => x.messages.ack_total_ms);
  $('ack-latency').textContent = millis(ack);
  $('ack-max').textContent = `${number(o.messages.ack_max_ms, 1)} ms`;
  if (ack !== null) plot('ack', ack);

  const push = intervalMean(o, previous, (x) => x.delivery_latency.answers_total, (x) => x.delivery_latency.total_ms);
  $('delivery-latency').textContent = millis(push);
  $('delivery-max').textContent = `${number(o.delivery_latency.max_ms, 1)} ms`;
  if (push !== null) plot('delivery', push);

  $('queue-entries').textContent = number(o.queues.entries);
  $('queue-deepest').textContent = number(o.queues.deepest);
  $('queue-dropped').textContent = number(o.queues.dropped_total);
  plot('queue', o.queues.entries);

  const db = o.database;
  $('db-state').textContent = db.ok ? 'ok' : 'failing';
  $('db-state').className = `value ${db.ok ? 'ok' : 'bad'}`;
  $('db-info').textContent = db.ok ? `${db.dialect}, SELECT 1 in ${number(db.query_ms, 1)} ms` : `${db.dialect}: ${db.error}`;
  $('journal').textContent = number(o.journal_backlog);
  if (db.ok) plot('db', db.query_ms);

  $('heap').textContent = bytes(o.heap.used_bytes);
  $('heap-max').textContent = o.heap.max_bytes > 0 ? bytes(o.heap.max_bytes) : 'no cap';
  plot('heap', o.heap.used_bytes);

  showLinks(o.federation, o.now_ms);
  previous = o;
}

function showLinks(federation, nowMs) {
  $('federation-policy').textContent = federation ? `(${federation.policy}, as ${federation.server})` : '';
  const peers = (federation && federation.peers) || [];
  const refused = peers.some((p) => p.refused !== undefined);
  $('refused-head').hidden = !refused;
  const rows = peers.map((p) => {
    const tr = document.createElement('tr');
    tr.dataset.testid = 'link';
    tr.dataset.peer = p.name;
    const lag = p.last_seen ? `${duration(Math.max(0, Math.round((nowMs - Date.parse(p.last_seen)) / 1000)))} ago` : 'never';
    const cells = [p.name, p.state, p.since || '', lag, number(p.queued)];
    if (refused) cells.push(number(p.refused ?? 0));
    cells.push(p.url);
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    tr.children[1].className = p.state === 'up' ? 'ok' : 'bad';
    return tr;
  });
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    td.colSpan = 7;
    td.textContent = federation ? 'no links' : 'federation is disabled';
    tr.append(td);
    rows.push(tr);
  }
  $('links').replaceChildren(...rows);
}

/** Appends a value to a chart's series and redraws it as an SVG polyline scaled to its own range. */
function plot(name, value) {
  const values = (series[name] ||= []);
  values.push(value);
  if (values.length > POINTS) values.shift();
  const svg = document.querySelector(`svg[data-chart="${name}"]`);
  const width = 200, height = 36;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  const max = Math.max(...values), min = Math.min(0, ...values);
  const span = max - min || 1;
  const step = width / (POINTS - 1);
  const offset = (POINTS - values.length) * step;
  const points = values.map((v, i) => `${(offset + i * step).toFixed(1)},${(height - 2 - ((v - min) / span) * (height - 4)).toFixed(1)}`);
  let line = svg.querySelector('polyline');
  if (!line) { line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline'); svg.append(line); }
  line.setAttribute('points', points.join(' '));
  svg.dataset.points = String(values.length);
}

function number(n, digits = 0) {
  return Number(n).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function bytes(n) {
  return n >= 1 << 30 ? `${number(n / (1 << 30), 2)} GiB` : `${number(n / (1 << 20), 1)} MiB`;
}

function duration(s) {
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

start();
