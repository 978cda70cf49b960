#!/usr/bin/env bash
# Long runs of the blind mutation fuzzer of the CRS engine, its transformations and the rule-file
# reader (caravan.enrich.crs.MutationFuzzer): deterministic by seed, NOT coverage-guided (Jazzer's
# targets in bench/fuzz.sh are), but fast enough for millions of inputs up to 64 KiB.
#
# Usage: bench/mutate.sh [inputs per target, default 1000000] [target ...] (default: all three)
#        env SEED (default 1), MAX_BYTES (default 65536), GROW (inputs grown towards MAX_BYTES, per mille:
#        default 10 for the engine, 30 otherwise), K (linearity factor, default 4), NICE (default 10),
#        SKIP_BUILD=1 (no test-compile: for several runs side by side)
# Example: SEED=7 bench/mutate.sh 2000000 transformations
#
# Per target it prints inputs, wall time, rate, and CPU ns per byte by input size; a crash, a slow
# input or a hang is written to target/mutate/ (keep it as a Jazzer seed under
# src/test/resources/caravan/enrich/crs/CrsFuzzTestInputs/<target>/). Summaries accumulate in
# target/mutate/summary.txt. The exit status is non-zero when any target has a finding.
set -uo pipefail
cd "$(dirname "$0")/.."

INPUTS=${1:-1000000}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(engine transformations ruleReader)

mkdir -p target/mutate
if [ ! -s target/mutate/classpath ] || [ pom.xml -nt target/mutate/classpath ]; then
  mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/mutate/classpath >/dev/null || exit 1
fi
[ -n "${SKIP_BUILD:-}" ] || mvn -B -o -q test-compile || exit 1

failed=0
for t in "${TARGETS[@]}"; do
  # The reader's documented worst case: RE2/J parses a pattern in time quadratic in its length up to
  # ParseCostGuard's cap, at most ~20 us per byte (see BENCHMARKS.md); the other targets get no allowance.
  allow=0
  [ "$t" = ruleReader ] && allow=20000
  # A copy of the classes, so that a build during a long run does not change them under it.
  snap="target/mutate/snapshot-$t"
  rm -rf "$snap" && mkdir -p "$snap" && cp -r target/classes target/test-classes "$snap"/
  nice -n "${NICE:-10}" java -Xmx1g -XX:+UseParallelGC -Dcaravan.fuzz.linear-k="${K:-4}" \
    -Dcaravan.fuzz.allow-ns-per-byte="$allow" \
    -cp "$snap/test-classes:$snap/classes:$(cat target/mutate/classpath)" \
    caravan.enrich.crs.MutationFuzzer "$INPUTS" "$t" "${SEED:-1}" "${MAX_BYTES:-65536}" ${GROW:-} 2> "target/mutate/$t.err" \
    | tee "target/mutate/$t.log" || failed=1
  grep -h '^FINDING' "target/mutate/$t.err" || true
done
exit $failed
