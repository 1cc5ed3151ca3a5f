#!/usr/bin/env bash
# Makes bin/chatd's AOT cache: runs the server once on a scratch database and free ports, sends it a
# session, a JOIN, an IRC client, 1,000 messages and polls (so the classes and profiles of the delivery
# path are in the cache too), stops it, and lets the JVM write the cache.
# Usage: aot-train.sh <jar> <cache> [<jvm options file>] (default: this checkout's server/jvm.options; the
# cache is only used with the options it was made with). One training at a time; the cache appears
# atomically (a start that sees it, sees it whole). Log: <cache>.log.
# Also run by the Dockerfile at build time, on the image's JRE (JAVA_HOME set, no JDK to look for).
set -euo pipefail
jar=$1 cache=$2 options=${3:-$(cd "$(dirname "$0")/../.." && pwd)/server/jvm.options}
exec 9>"$cache.lock"
flock -n 9 || exit 0
[ -f "$cache" ] && [ "$cache" -nt "$jar" ] && [ "$cache" -nt "$options" ] && exit 0
{ [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; } || . "$(dirname "$0")/jdk.sh"
work=$(mktemp -d /tmp/chatd-aot.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
exec >"$cache.log" 2>&1
# Made before the server starts: the wait below reads it at once (the background redirect may come later).
: >"$work/server.log"
# Only what the training needs: none of the operator's settings (ports, peers, database) leak in.
env -i PATH="$PATH" HOME="${HOME:-/tmp}" PORT=0 IRC_PORT=0 BIND=127.0.0.1 SERVER_NAME=aot-training FEDERATION_POLICY=disabled \
    DBURL="jdbc:sqlite:$work/train.db" \
    "$JAVA_HOME/bin/java" @"$options" -XX:AOTCacheOutput="$work/chatd.aot" \
    -jar "$jar" >"$work/server.log" 2>&1 &
pid=$!
url=""
for _ in $(seq 600); do
  url=$(sed -n 's/.* listening on \(http:[^ ]*\) .*/\1/p' "$work/server.log" | head -n 1)
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "the training server did not start"; exit 1; }
token=$(curl -sf -X POST "$url/api/v1/session" -d '{"nick":"trainer"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
auth="Authorization: Bearer $token"
curl -sf -H "$auth" "$url/api/v1/messages" -d '{"command":"JOIN","to":"#training"}' >/dev/null
# The delivery path, often enough that the cache's method profiles (JEP 515) let the JIT start from them:
# an IRC client in the channel gets 1,000 messages sent over one keep-alive HTTP connection, then polls.
irc=$(sed -n 's/.*IRC gateway listening on irc:[^ ]*:\([0-9]*\).*/\1/p' "$work/server.log" | head -n 1)
exec 3<>"/dev/tcp/127.0.0.1/$irc"
timeout 30 cat <&3 >/dev/null &
printf 'NICK ircer\r\nUSER ircer 0 * :training\r\nJOIN #training\r\n' >&3
curl -s -H "$auth" -d '{"command":"PRIVMSG","to":"#training","body":["hello"]}' \
    $(printf "$url/api/v1/messages %.0s" $(seq 1000)) >/dev/null || true
curl -s -H "$auth" $(printf "$url/api/v1/messages?after=0&timeout=0 %.0s" $(seq 200)) >/dev/null || true
printf 'PRIVMSG #training :hello\r\nQUIT :done\r\n' >&3
wait $! || true
exec 3>&-
curl -sf -H "$auth" "$url/api/v1/history?target=%23training" >/dev/null
curl -sf "$url/" >/dev/null
kill -TERM "$pid"
wait "$pid" || true
pid=""
cat "$work/server.log"
mv "$work/chatd.aot" "$cache"
echo "AOT cache written: $cache"
