// A chatd for the browser tests: server/target/chatd-server.jar on a free loopback port with a fresh
// SQLite database, its output in a log file, killed when the test process exits.
//
// Environment: CHATD_JAR (jar path); JAVA (java binary; else $JAVA_HOME/bin/java, else the JDK 21+
// that bin/lib/jdk.sh finds, else `java`).

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const JAR = process.env.CHATD_JAR || path.join(ROOT, 'server/target/chatd-server.jar');
export const JAVA = process.env.JAVA || (process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin/java') : projectJava());
const STARTUP_DEADLINE_MS = 90_000;

/** No JAVA/JAVA_HOME: ask the project's own JDK finder (bin/lib/jdk.sh picks a JDK 21+). */
function projectJava() {
  try {
    const home = execFileSync('bash', ['-c', '. bin/lib/jdk.sh && printf %s "$JAVA_HOME"'], { cwd: ROOT, encoding: 'utf8' });
    if (home) return path.join(home, 'bin/java');
  } catch { /* fall back to PATH */ }
  return 'java';
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/**
 * Starts a server with these settings (environment variables) and answers {url, process} once its
 * health check answers ok; the log goes to `logFile`.
 */
export async function startChatd(settings, logFile) {
  assert.ok(fs.existsSync(JAR), `server jar not found at ${JAR}; build it with ./mvnw -DskipTests package or set CHATD_JAR`);
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chatd-e2e-'));
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.createWriteStream(logFile);
  const child = spawn(JAVA, ['--enable-native-access=ALL-UNNAMED', '-jar', JAR], {
    env: { ...process.env, PORT: String(port), BIND: '127.0.0.1', DBURL: `jdbc:sqlite:${path.join(dir, 'chatd.db')}`, ...settings },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  process.on('exit', () => { if (child.exitCode === null) child.kill('SIGKILL'); }); // also on failures
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + STARTUP_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (code ${child.exitCode}) during start-up; see ${logFile}`);
    try {
      const r = await fetch(`${url}/.well-known/healthcheck.json`, { signal: AbortSignal.timeout(2000) });
      if (r.ok && (await r.json()).status === 'ok') return { url, process: child };
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200)); // poll interval, not a wait for an outcome
  }
  throw new Error(`server not healthy within ${STARTUP_DEADLINE_MS} ms; see ${logFile}`);
}
