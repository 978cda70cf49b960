#!/usr/bin/env bash
# A line's wait between its write and its delivery, with and without another writer on the same disk
# (BENCHMARKS.md, "Checkpoint writes off the reader thread"): TailStallBench, RUNS rounds, alternating.
#   bench/tail-stall.sh [seconds] [lines-per-second]      RUNS=3  DIR=/tmp (the disk under test)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_=${1:-20}
RATE=${2:-20000}
mvn -B -q -o -DskipTests test-compile 2>/dev/null || mvn -B -q -DskipTests test-compile
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), disk of ${DIR:-/tmp}: $(df -h "${DIR:-/tmp}" | awk 'NR==2 {print $1}')"
for r in $(seq 1 "${RUNS:-3}"); do
  for pressure in true false; do
    echo -n "round $r load $(cut -d' ' -f1 /proc/loadavg): "
    java -Xmx1g -Ddir="${DIR:-/tmp}" -cp "$cp" caravan.ship.tail.TailStallBench "$SECONDS_" "$RATE" "$pressure" 2>&1 | grep -a '^RESULT'
  done
done
