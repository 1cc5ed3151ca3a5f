#!/usr/bin/env bash
# The issue 21 reference table (docs/BENCHMARKS.md): every scenario of the table, the jar of this checkout
# ("after") and an older jar ("before") back to back, on SQLite, then on a throwaway PostgreSQL cluster on
# port 55433 (run as root: the cluster runs as user postgres). Both jars get this checkout's server/jvm.options.
# Every row runs as a pair on both databases, the idle server too (bench/start-idle.sh with each jar's own
# AOT cache, trained once beside the jar).
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
idle() { local name=$1 jar=$2 dburl=${3:-}; [ -f "$jar.aot" ] || bin/lib/aot-train.sh "$jar" "$jar.aot"
  echo "=== $name $(date +%T) load $(cut -d' ' -f1 /proc/loadavg): bench/start-idle.sh $name $jar" | tee -a "$out/index.txt"
  IDLE_DBURL=$dburl bench/start-idle.sh "$name" "$jar" @server/jvm.options -XX:AOTCache="$jar.aot" > "$out/$name.txt" 2>&1
  head -1 "$out/$name.txt" >> "$out/index.txt"; }
idlepair() { local name=$1; idle "$name-after" "$A"; idle "$name-before" "$B"; }
if [ "$only" != pg ]; then
  pair ircrelay2000 irc-relay --rate 2000
  pair ircrelay20000 irc-relay --rate 20000
  pair fed federation
  pair ingest ingest
  pair fanout fanout
  pair ircfanout irc-fanout --receivers 1000 --rate 20
  pair fed2000 federation --rate 2000
  idlepair idle
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
  pair pg-fanout fanout "${PG[@]}"
  pair pg-ircfanout irc-fanout --receivers 1000 --rate 20 "${PG[@]}"
  pair pg-ircrelay20000 irc-relay --rate 20000 "${PG[@]}"
  pair pg-fed2000 federation --rate 2000 "${PG[@]}"
  # Debian's psql is a wrapper in /usr/bin, not beside initdb.
  for side in after before; do
    runuser -u postgres -- "$(command -v psql || echo "$pg_bin/psql")" -q -h "$pg_dir" -p 55433 -c "CREATE DATABASE idle_$side" postgres
  done
  idle pg-idle-after "$A" 'jdbc:postgresql://127.0.0.1:55433/idle_after?user=postgres'
  idle pg-idle-before "$B" 'jdbc:postgresql://127.0.0.1:55433/idle_before?user=postgres'
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null; rm -rf "$pg_dir"
fi
echo "=== done $(date +%T)" >> "$out/index.txt"
