#!/usr/bin/env bash
# Issue 14 and 16's goals in one quiet sequence (BENCHMARKS.md "Where the goals stand"): the JSON step and
# the index chain with and without CRS (alternating with a BEFORE commit, three times), then bench/e2e.sh
# (start-up, 500k burst, 5 freshness trials, RSS), bench/memory.sh ship (4 rounds with the AppCDS archive),
# bench/first-line.sh (run's start-up with the servers up) and bench/index.sh. Run it on a quiet machine; it starts servers, so take the lock:
#   flock /tmp/caravan-it.lock bench/goals.sh [BEFORE]      (BEFORE: a commit to compare with, default HEAD~1)
# Work trees of HEAD and BEFORE are cloned into a temporary directory; ../shared is linked beside them.
set -u
BEFORE=${1:-HEAD~1}
SRC=$(cd "$(dirname "$0")/.." && pwd)
R=$(mktemp -d /tmp/caravan-goals-XXXX)
git clone -q "$SRC" "$R/main" && git -C "$R/main" checkout -q "$(git -C "$SRC" rev-parse HEAD)"
git clone -q "$SRC" "$R/before" && git -C "$R/before" checkout -q "$(git -C "$SRC" rev-parse "$BEFORE")"
[ -d "$SRC/../shared" ] && ln -s "$(cd "$SRC/../shared" && pwd)" "$R/shared"
log() { echo "=== $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg): $*"; }
for t in before main; do
  (cd "$R/$t" && mvn -B -q -o -DskipTests package >/dev/null 2>&1 && mvn -B -q -o test-compile >/dev/null 2>&1 \
    && mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt >/dev/null 2>&1)
done
# The chains run at the indexer's heap flags (./caravan's JAVA_HEAP_INDEX): under the JVM's default G1 the CRS
# chain's figure swings between JVMs on its own (BENCHMARKS.md "CRS chain at the launcher's flags, session 13").
HEAP_INDEX=$(sed -n 's/^JAVA_HEAP_INDEX=//p' "$SRC/caravan" | tr -d '"')
# shellcheck disable=SC2086
bench() { (cd "$R/$1" && java $HEAP_INDEX -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" "caravan.bench.$2" "${@:3}" 2>/dev/null | grep -v "^\[\|INFO\|WARN"); }
cd "$R/main"
log "HEAD $(git log --oneline -1), BEFORE $(git -C "$R/before" log --oneline -1)"
for i in 1 2 3; do
  for t in before main; do
    log "chain $t $i"; bench $t ChainCpuBench 15
    log "crs chain $t $i"; bench $t CrsChainCpuBench 7 0
  done
done
log "e2e, launcher flags, 5 trials"
TRIALS=5 SECONDS_STEADY=30 bench/e2e.sh 2>&1 | grep -v "^\[\|Traceback\|  File "
log "memory ship, 4 rounds (the first writes the archive)"
L=$(sed -n 's/^JAVA_HEAP_SHIP=//p' caravan | tr -d '"'); C="-Xlog:cds=off -Xlog:cds+dynamic=off"; J=$R/main/target/caravan.jar
FLAGS="@$J $L -XX:ArchiveClassesAtExit=$R/ship.jsa $C;@$J $L -XX:SharedArchiveFile=$R/ship.jsa $C;@$J $L -XX:SharedArchiveFile=$R/ship.jsa $C;@$J $L -XX:SharedArchiveFile=$R/ship.jsa $C" \
  bench/memory.sh ship 2>&1 | grep -v "^\["
log "start-up of run with the servers up, 5 rounds with and 5 without the archive"
ROUNDS=5 bench/first-line.sh 2>&1 | grep -v "^\["
log "index vs raw bulk"
bench/index.sh 100000 3 2>&1 | tail -6
log "done"
rm -rf "$R"
