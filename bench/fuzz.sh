#!/usr/bin/env bash
# Long fuzzing runs of the parser, compiler and envelope fuzz tests (Jazzer, coverage-guided, in-process).
#
# The default `mvn test` only replays the seeds in
# src/test/resources/caravan/<package>/<Class>Inputs/<target>/ (Jazzer's regression mode).
# This script sets JAZZER_FUZZ=1, which makes Jazzer fuzz; Jazzer fuzzes one @FuzzTest per JVM, so
# each target gets its own Maven run. A crashing input is saved by Jazzer next to the seeds, where
# the default test run replays it from then on: commit it with the fix.
#
# Usage: bench/fuzz.sh [duration per target, default 5m] [target ...]   (default: every target)
# Example: bench/fuzz.sh 30s combined json LibInjectionFuzzTest#sqli LibInjectionFuzzTest#xss
#
# The generated corpus (.cifuzz-corpus) is kept in target/fuzz between runs, out of the source tree;
# logs and a summary with the input counts go to target/fuzz/.
set -uo pipefail
cd "$(dirname "$0")/.."

DURATION=${1:-5m}
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(combined customLogFormat nginx app json apacheError
           nginxError proxyChain
           apacheCompiler nginxCompiler specCompiler strftimeCompiler appPatternCompiler patternsFile
           EnvelopeFuzzTest#envelope EnvelopeFuzzTest#written)
fi

mvn -B -q test-compile || exit 1
mkdir -p target/fuzz
if [ -d target/fuzz/.cifuzz-corpus ] && [ ! -e .cifuzz-corpus ]; then
  mv target/fuzz/.cifuzz-corpus .cifuzz-corpus   # resume from the corpus of the last run
fi

failed=0
summary=target/fuzz/summary.txt
echo "# $(date -u +%FT%TZ) duration=$DURATION nproc=$(nproc)" >> "$summary"
for t in "${TARGETS[@]}"; do
  log="target/fuzz/$t.log"
  case "$t" in
    *#*) test="$t" ;;                 # Class#method, e.g. LibInjectionFuzzTest#sqli
    *) test="ParserFuzzTest#$t" ;;
  esac
  JAZZER_FUZZ=1 mvn -B -o test -Dtest="$test" -Djazzer.max_duration="$DURATION" > "$log" 2>&1
  rc=$?
  done_line=$(grep -E '^Done [0-9]+ runs in' "$log" | tail -1)
  if [ $rc -ne 0 ]; then
    failed=1
    echo "$t: FAILED (rc=$rc) ${done_line:-} -- see $log" | tee -a "$summary"
  else
    echo "$t: ${done_line:-no fuzzing summary, see $log}" | tee -a "$summary"
  fi
done

if [ -d .cifuzz-corpus ]; then
  rm -rf target/fuzz/.cifuzz-corpus
  mv .cifuzz-corpus target/fuzz/.cifuzz-corpus
fi
exit $failed
