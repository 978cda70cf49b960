#!/usr/bin/env bash
# Parsing benchmarks (JMH): Caravan's compiled combined scanner vs a grok-style java.util.regex
# baseline, line -> LogEvent and line -> JSON bytes, on the real corpus, one thread (= one core).
#
# Usage: bench/jmh.sh [JMH options]     default: ParsingBenchmark -f 1 -wi 3 -i 5 -w 2s -r 4s -t 1
# Builds the test classes (the JMH annotation processor generates the harness), then runs
# org.openjdk.jmh.Main on the test classpath. Results: target/jmh-result.csv and, printed at the end,
# each Caravan figure next to its regex baseline with the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q test-compile
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"

if [ $# -eq 0 ]; then
  set -- ParsingBenchmark -f 1 -wi 3 -i 5 -w 2s -r 4s -t 1
fi
java -cp "$CP" org.openjdk.jmh.Main "$@" -rf csv -rff target/jmh-result.csv

echo
echo "== $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(java -version 2>&1 | head -1)"
awk -F, 'NR > 1 {
           gsub(/"/, ""); n = $1; sub(/.*\./, "", n); score[n] = $5; err[n] = $6
         }
         END {
           for (n in score) printf "%-24s %14.0f ops/s  (+/- %.0f)\n", n, score[n], err[n]
           if (score["regexLineToEvent"] > 0 && score["caravanLineToEvent"] > 0)
             printf "line -> LogEvent: caravan / regex = %.1fx\n", score["caravanLineToEvent"] / score["regexLineToEvent"]
           if (score["regexLineToJson"] > 0 && score["caravanLineToJson"] > 0)
             printf "line -> JSON:     caravan / regex = %.1fx\n", score["caravanLineToJson"] / score["regexLineToJson"]
         }' target/jmh-result.csv | sort
