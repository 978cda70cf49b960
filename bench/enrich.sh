#!/usr/bin/env bash
# Enrichment benchmarks (BENCHMARKS.md, "Enrichment").
#   bench/enrich.sh            JMH: the index-side chain, stage by stage (parse, GeoIP, UA, bots, threats, JSON),
#                              and the cache comparison
#   bench/enrich.sh ua-libs    YAUAA against uap-java on the corpus: start-up, heap, parse cost, unknowns
# After "jmh", an optional benchmark pattern and JMH options (bench/enrich.sh jmh EnrichBenchmark.chain -i 10).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-jmh}"
[ $# -gt 0 ] && shift

mvn -B -q -DskipTests test-compile
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"

case "$mode" in
  ua-libs)
    for lib in uap yauaa; do
      java -Xmx2g -cp "$cp" caravan.bench.EnrichUserAgentLibraries "$lib"
    done
    ;;
  jmh)
    include='caravan.bench.Enrich.*'
    if [ $# -gt 0 ] && [[ "$1" != -* ]]; then include="$1"; shift; fi
    java -cp "$cp" org.openjdk.jmh.Main "$include" "$@"
    ;;
  *)
    echo "usage: bench/enrich.sh [jmh [pattern] [JMH options] | ua-libs]" >&2
    exit 2
    ;;
esac
