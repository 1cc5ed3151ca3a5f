#!/usr/bin/env bash
# A fresh server's first seconds and its memory at rest (docs/BENCHMARKS.md, Memory and warm-up): starts
# the jar with the given JVM options on a scratch SQLite database and a free port, measures the time to
# the first healthy answer, the first session, JOIN, message and poll, 500 sends over one keep-alive
# connection, then after SETTLE seconds (default 20) the RSS (anonymous and file-backed), thread count,
# CPU and the JIT compilers' CPU, and Native Memory Tracking's summary; then the time a SIGTERM takes.
#   bench/start-idle.sh <label> <jar> [JVM options...]
#   e.g. bench/start-idle.sh new server/target/chatd-server.jar @server/jvm.options -XX:AOTCache=server/target/chatd.aot
# An AOT cache is only used with the jar path it was trained with (bin/lib/aot-train.sh <jar> <cache>).
# IDLE_DBURL=<jdbc url> uses that (empty) database instead of a scratch SQLite file.
set -uo pipefail
label=$1 jar=$2; shift 2
. "$(dirname "$0")/../bin/lib/jdk.sh"
work=$(mktemp -d /tmp/chatd-start-idle.XXXXXX)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
now_ms() { date +%s%3N; }
start=$(now_ms)
PORT=$port BIND=127.0.0.1 SERVER_NAME=idle DBURL="${IDLE_DBURL:-jdbc:sqlite:$work/idle.db}" HASHCASH_BITS=0 \
  "$JAVA_HOME/bin/java" -XX:NativeMemoryTracking=summary "$@" -jar "$jar" >"$work/log" 2>&1 &
pid=$!
url=http://127.0.0.1:$port
until curl -sf "$url/.well-known/healthcheck.json" >/dev/null; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
  sleep 0.02
done
healthy=$(now_ms)
t0=$(now_ms)
token=$(curl -sf -X POST "$url/api/v1/session" -d '{"nick":"u1"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
auth="Authorization: Bearer $token"
t1=$(now_ms)
curl -sf -H "$auth" "$url/api/v1/messages" -d '{"command":"JOIN","to":"#x"}' >/dev/null
t2=$(now_ms)
curl -sf -H "$auth" "$url/api/v1/messages" -d '{"command":"PRIVMSG","to":"#x","body":["hi"]}' >/dev/null
t3=$(now_ms)
curl -sf -H "$auth" "$url/api/v1/messages?after=0&timeout=0" >/dev/null
t4=$(now_ms)
curl -s -H "$auth" -d '{"command":"PRIVMSG","to":"#x","body":["hello"]}' $(printf "$url/api/v1/messages %.0s" $(seq 500)) >/dev/null
t5=$(now_ms)
sleep "${SETTLE:-20}"
jit=$(for t in /proc/$pid/task/*; do case "$(cat "$t/comm")" in C1*|C2*) awk '{print $14+$15}' "$t/stat";; esac; done | awk '{s+=$1} END {print s/100}')
cpu=$(awk '{print ($14+$15)/100}' "/proc/$pid/stat")
mib() { awk -v k="$1:" '$1==k {print int($2/1024)}' "/proc/$pid/status"; }
threads=$(ls "/proc/$pid/task" | wc -l)
rss=$(mib VmRSS) anon=$(mib RssAnon) file=$(mib RssFile)
jcmd "$pid" VM.native_memory summary >"$work/nmt.txt" 2>&1
t6=$(now_ms); kill -TERM "$pid"; wait "$pid"; stopped=$(( $(now_ms) - t6 )); pid=""
printf '%s: healthy %d ms; first session %d, JOIN %d, message %d, poll %d ms; 500 sends %d ms; after %s s: RSS %d MiB (anon %d, file %d), %d threads, CPU %.2f s (JIT %.2f s); stop %d ms; load %s\n' \
  "$label" $((healthy-start)) $((t1-t0)) $((t2-t1)) $((t3-t2)) $((t4-t3)) $((t5-t4)) "${SETTLE:-20}" \
  "$rss" "$anon" "$file" "$threads" "$cpu" "$jit" "$stopped" "$(cut -d' ' -f1 /proc/loadavg)"
grep -E '^(Total|-)' "$work/nmt.txt" | sed -E 's/ *\(reserved=[0-9]+KB, /  (/'
