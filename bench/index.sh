#!/usr/bin/env bash
# Indexing benchmark (BENCHMARKS.md, "Indexing (Kafka -> Elasticsearch)"): the index route, Kafka to
# Elasticsearch, against raw _bulk of the same pre-rendered documents into the same node, same run.
# Starts its own devstack (Kafka + Elasticsearch child JVMs) in a temporary directory.
#   bench/index.sh [lines] [rounds] [caravan.key=value ...]
#   bench/index.sh 200000 3 caravan.index.bulk.concurrency=2
#   JAVA_OPTS=-XX:StartFlightRecording=filename=target/index.jfr bench/index.sh   (profile)
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -o -DskipTests test-compile 2>/dev/null || mvn -B -q -DskipTests test-compile
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
# Elasticsearch gets CPU 1 to itself, this JVM (raw client and Caravan) and Kafka CPU 0, so that the
# pipeline's own work does not slow down the node it is measured against. PIN=0 shares all CPUs.
if [ "${PIN:-1}" = 1 ] && [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  exec taskset -c 0 java -Xmx2g ${JAVA_OPTS:-} -Dcaravan.bench.es-cpus=1 -Dcaravan.bench.bench-cpus=0 -cp "$cp" \
    caravan.bench.IndexBench "$@"
fi
exec java -Xmx2g ${JAVA_OPTS:-} -cp "$cp" caravan.bench.IndexBench "$@"
