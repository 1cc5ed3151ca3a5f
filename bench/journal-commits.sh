#!/usr/bin/env bash
# The journal's cost per commit, for one server jar on one database (bench/JournalCommits.java):
#   bench/journal-commits.sh <server.jar> <jdbc-url> [commits, default 5000]
# A fresh database each time: a jdbc:sqlite: URL names a file that must not exist yet; on PostgreSQL
# give an empty database. Alternate two jars, run by run, to compare builds.
set -eu
cd "$(dirname "$0")/.."
. bin/lib/jdk.sh
exec java --enable-native-access=ALL-UNNAMED -cp "$1" bench/JournalCommits.java "$2" "${3:-5000}" 2>/dev/null
