#!/usr/bin/env bash
# The soak (issue 15; BENCHMARKS.md "Soak"): a million lines into four rotating files, one shipper and
# three indexers as separate processes, ten SIGKILLs of each, two SIGTERMs, a 30 s Elasticsearch stop, a
# 20 s Kafka stop and a minute of 429s on 10% of bulk items, all at once; then the set comparison.
# Starts its own devstack under the run's directory. Exits 1 on any missing, doubled or dead-lettered line.
#   bench/soak.sh                      full size, a new seed
#   bench/soak.sh --seed 1234          replay that schedule
#   bench/soak.sh --lines 100000 --rate 1000   smaller (the faults stay; rotation every tenth)
#   RUNS=3 bench/soak.sh               three runs in a row, each with its own seed
# Take the machine's server lock first where others build: flock /tmp/caravan-it.lock bench/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -o -DskipTests test-compile 2>/dev/null || mvn -B -q -DskipTests test-compile
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p target/soak
status=0
for run in $(seq 1 "${RUNS:-1}"); do
  dir="target/soak/run-$(date -u +%Y%m%dT%H%M%SZ)"
  echo "run $run of ${RUNS:-1} in $dir"
  java -Xmx1500m ${JAVA_OPTS:-} -cp "$cp" caravan.soak.Soak --full --dir "$dir" "$@" | tee -a target/soak/report.txt \
    || status=1
done
exit $status
