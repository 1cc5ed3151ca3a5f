#!/usr/bin/env bash
# One IRC connection's own throughput (docs/BENCHMARKS.md, Latency without fixed waits): a fresh server
# (the given jar, server/jvm.options, a scratch SQLite database, free ports, the client exempt from fakelag)
# and one client that writes LINES PRIVMSGs to a channel in one go, then PING, and times the PONG: every
# line committed and answered in order. ROUNDS rounds on the same connection; the first ones warm up.
#   bench/irc-burst.sh <jar> [LINES=20000] [ROUNDS=3]
set -uo pipefail
jar=$1 lines=${2:-20000} rounds=${3:-3}
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/bin/lib/jdk.sh"
work=$(mktemp -d /tmp/chatd-irc-burst.XXXXXX)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
irc=$(free_port) http=$(free_port)
IRC_PORT=$irc PORT=$http BIND=127.0.0.1 SERVER_NAME=burst DBURL="jdbc:sqlite:$work/burst.db" IRC_EXEMPT=127.0.0.0/8 \
  "$JAVA_HOME/bin/java" @"$root/server/jvm.options" -jar "$jar" >"$work/log" 2>&1 &
pid=$!
until grep -q "IRC gateway listening" "$work/log"; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
  sleep 0.1
done
echo "$(basename "$jar"): load average $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$irc" "$lines" "$rounds" <<'PY'
import socket, sys, time
port, n, rounds = (int(a) for a in sys.argv[1:])
s = socket.create_connection(("127.0.0.1", port))
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
buf = b""
def until(token):
    global buf
    while token not in buf:
        data = s.recv(65536)
        if not data:
            sys.exit("connection closed: " + buf[-500:].decode(errors="replace"))
        buf += data
    buf = buf[buf.index(token) + len(token):]
s.sendall(b"NICK burst\r\nUSER burst 0 * :burst\r\n"); until(b" 376 burst ")
s.sendall(b"JOIN #burst\r\n"); until(b" 366 ")
for r in range(rounds):
    data = b"".join(b"PRIVMSG #burst :r%d m%d\r\n" % (r, i) for i in range(n)) + b"PING :round%d\r\n" % r
    start = time.monotonic()
    s.sendall(data)
    until(b" PONG burst :round%d\r\n" % r)
    took = time.monotonic() - start
    print(f"round {r}: {n:,} PRIVMSG then PING, PONG after {took * 1000:,.0f} ms = {n / took:,.0f} lines/s", flush=True)
PY
