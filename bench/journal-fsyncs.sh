#!/usr/bin/env bash
# Who waits for the disk: runs `bin/bench irc-relay` with the given jar and, 40 s in (after the warm-up),
# counts beta's fsyncs for 10 s by thread, with their total and longest time (strace, run as root).
#   bench/journal-fsyncs.sh <server.jar> <out-prefix> [more bin/bench irc-relay options]
# <out-prefix>.txt is the bench's table, <out-prefix>.strace the raw trace.
set -u
cd "$(dirname "$0")/.."
jar=$1 out=$2; shift 2
bin/bench irc-relay --rate 2000 --warmup 30 "$@" --server-jar "$jar" > "$out.txt" 2>&1 &
sleep 40
beta=$(pgrep -f "chatd-bench-.*/bench" | tail -1)   # the second server started: beta
timeout 10 strace -f --seccomp-bpf -T -e trace=fsync,fdatasync -p "$beta" -o "$out.strace" 2>/dev/null
for t in $(awk '{print $1}' "$out.strace" | sort -u); do
  echo "thread $(cat /proc/"$beta"/task/"$t"/comm 2>/dev/null): $(grep -c "^$t " "$out.strace") fsyncs, $(grep "^$t " "$out.strace" \
    | sed 's/.*<\(.*\)>/\1/' | awk '{s+=$1; if ($1>m) m=$1} END {printf "%.1f ms in all, longest %.1f ms", s*1000, m*1000}')"
done
wait
grep -E "p50 /" "$out.txt"
