#!/usr/bin/env bash
# The issue 21 reference table (docs/BENCHMARKS.md): every scenario of the table, the jar of this checkout
# ("after") and an older jar ("before") back to back, on SQLite, then on a throwaway PostgreSQL cluster on
# port 55433 (run as root: the cluster runs as user postgres). Both jars get this checkout's server/jvm.options.
#   bench/reference-run.sh <before.jar> <out-dir> [all|sqlite|pg]
# Each run's full table is in <out-dir>/<name>.txt, a digest in <out-dir>/index.txt. Run it on a quiet machine.
set -u
cd "$(dirname "$0")/.."
B=$1 out=$2 only=${3:-all}
mkdir -p "$out"
A=$out/after.jar
cp server/target/chatd-server.jar "$A"
run() { local name=$1; shift; echo "=== $name $(date +%T) load $(cut -d' ' -f1 /proc/loadavg): bin/bench $*" | tee -a "$out/index.txt"
  bin/bench "$@" > "$out/$name.txt" 2>&1; echo "rc=$?" >> "$out/$name.txt"
  grep -iE "p50|p99|msgs/s|µs|RSS|lost|target|ceiling|unavailable" "$out/$name.txt" | head -30 >> "$out/index.txt"; }
pair() { local name=$1; shift; run "$name-after" "$@" --server-jar "$A"; run "$name-before" "$@" --server-jar "$B"; }
if [ "$only" != pg ]; then
  pair ircrelay2000 irc-relay --rate 2000
  pair ircrelay20000 irc-relay --rate 20000
  pair fed federation
  pair ingest ingest
  pair fanout fanout
  pair ircfanout irc-fanout --receivers 1000 --rate 20
  run fed2000-after federation --rate 2000 --server-jar "$A"
fi
if [ "$only" != sqlite ]; then
  pg_dir=$(mktemp -d /tmp/bench-pg.XXXXXX); chown -R postgres "$pg_dir"
  pg_bin=$(dirname "$(command -v initdb)")
  runuser -u postgres -- "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust >/dev/null
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
    -o "-p 55433 -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
  PG=(--db postgres --pg-url 'jdbc:postgresql://127.0.0.1:55433/postgres?user=postgres')
  pair pg-fed federation "${PG[@]}"
  pair pg-ircrelay2000 irc-relay --rate 2000 "${PG[@]}"
  pair pg-ingest ingest "${PG[@]}"
  run pg-fanout-after fanout "${PG[@]}" --server-jar "$A"
  run pg-ircfanout-after irc-fanout --receivers 1000 --rate 20 "${PG[@]}" --server-jar "$A"
  run pg-ircrelay20000-after irc-relay --rate 20000 "${PG[@]}" --server-jar "$A"
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null; rm -rf "$pg_dir"
fi
echo "=== done $(date +%T)" >> "$out/index.txt"
