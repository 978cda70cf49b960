#!/usr/bin/env bash
# Memory and start-up of `caravan ship` / `caravan index` on the devstack (real Kafka + Elasticsearch).
# For each JVM flag set given (separated by ';' in FLAGS): starts the command, records the time until
# the first line of a pre-written file is on Kafka (ship), samples VmRSS every second while idle, under
# a generated load (RATE lines/s for LOAD_SECONDS), and after it (idle again), and prints one line each.
#
# Usage: flock /tmp/caravan-it.lock bench/memory.sh [ship|index|run]
#   FLAGS='-Xmx64m -XX:+UseSerialGC;-Xmx64m -XX:+UseG1GC'   JVM flag sets to compare (default: the launcher's for the command)
#     a set that starts with @path runs that jar instead of JAR (a build from before a change, same run):
#     FLAGS='@/tmp/before.jar -Xmx128m -XX:+UseSerialGC;-Xmx64m -XX:+UseSerialGC'
#     CDS: a set with -XX:ArchiveClassesAtExit=F writes F when its round ends; a later set maps it with
#     -XX:SharedArchiveFile=F (the launcher does both by itself)
#     a set may begin with environment assignments for that JVM: FLAGS='MALLOC_ARENA_MAX=2 -Xmx64m;-Xmx64m'
#   NMT=1   adds -XX:NativeMemoryTracking=summary to every set and prints the NMT summary and the
#           RssAnon/RssFile split half-way through the load (NMT itself costs a few MiB of RSS)
#   RATE=20000 LOAD_SECONDS=30 IDLE_SECONDS=15   JAR=target/caravan.jar
#   index: in the load phase a second JVM (`caravan ship`, not measured) puts FILL=300000 lines on the topic as
#   fast as it can, and the indexer drains them at full speed; RATE does not apply
# The sets share one devstack and run in turn, and the later set of a round held about 6 MiB more and took a tenth
# more CPU than the same jar run first (BENCHMARKS.md, "The GeoIP point kept as bytes, session 31"): to compare two
# builds, run rounds in both orders (FLAGS='A;B', then FLAGS='B;A').
# Take the flock: it starts servers.
set -euo pipefail
cd "$(dirname "$0")/.."
CMD=${1:-ship}
FILL=${FILL:-300000}; RATE=${RATE:-20000}; LOAD_SECONDS=${LOAD_SECONDS:-30}; IDLE_SECONDS=${IDLE_SECONDS:-15}
# shellcheck source=bench/devstack.sh
. bench/devstack.sh
bench_devstack mem "$CMD"

rss() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$1/status" 2>/dev/null || echo 0; }
samples() { local pid=$1 n=$2; for _ in $(seq "$n"); do rss "$pid"; echo; sleep 1; done; } # pid seconds -> MiB, one a line
summary() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)], a[NR]}'; }  # -> "median max"
sample() { samples "$@" | summary; }

round=0
IFS=';' read -ra SETS <<< "$FLAGS"
for flags in "${SETS[@]}"; do
  round=$((round + 1)); R="$W/r$round"; mkdir -p "$R/routes" "$R/logs"
  jar=$JAR
  if [[ $flags == @* ]]; then jar=${flags%% *}; jar=${jar#@}; flags=${flags#* }; fi
  envs=(); while [[ $flags =~ ^\ *([A-Z_]+=[^ ]*)\ *(.*)$ ]]; do envs+=("${BASH_REMATCH[1]}"); flags=${BASH_REMATCH[2]}; done
  run_flags=$flags; [ -n "${NMT:-}" ] && run_flags="$flags -XX:NativeMemoryTracking=summary"
  topic="mem-$round"
  head -1000 src/test/resources/corpus/apache_combined_10k.log > "$R/logs/access.log"
  tail_route "$R"
  { devstack_settings "$R"
    printf 'caravan.kafka.topic.raw=%s\ncaravan.kafka.create-topics=true\ncaravan.index.group=mem-%s\n' "$topic" "$round"
  } > "$R/app.properties"
  if [ "$CMD" = index ]; then  # the backlog the load phase puts on the topic (see below)
    java -cp "$JAR" caravan.ops.Caravan generate --count "$FILL" -o "$R/fill.log" >/dev/null 2>&1
  fi
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  env "${envs[@]}" CARAVAN_LOG_LEVEL=warn java $run_flags -jar "$jar" "$CMD" --config "$R/app.properties" > "$R/caravan.log" 2>&1 &
  PID=$!
  first=-
  if [ "$CMD" != index ]; then
    t=$(await_first_record "$topic"); [ -z "$t" ] || first=$((t - t0 / 1000000))
  fi
  idle=$(sample $PID "$IDLE_SECONDS")
  if [ "$CMD" = index ]; then  # a second JVM ships FILL lines as fast as it can; the indexer drains them at full speed
    mv "$R/fill.log" "$R/logs/access-fill.log"
    java -Xmx128m -jar "$jar" ship --config "$R/app.properties" > "$R/filler.log" 2>&1 &
  else
    java -cp "$JAR" caravan.ops.Caravan generate --realtime --rate "$RATE" --count $((RATE * LOAD_SECONDS)) -o "$R/logs/access.log" >/dev/null 2>&1 &
  fi
  GEN=$!
  cpu0=$(awk '{print $14 + $15}' /proc/$PID/stat)
  if [ -n "${NMT:-}" ]; then
    half=$((LOAD_SECONDS / 2)); loaded1=$(samples $PID "$half")
    echo "-- NMT and RSS split half-way through the load, round $round"
    grep -E '^(RssAnon|RssFile)' /proc/$PID/status | tr -s ' \t' ' ' | tr '\n' ';'; echo
    jcmd $PID VM.native_memory summary | sed 's/^ *//' | grep -E '^(Total|malloc:|-)' | tr -s ' '
    loaded=$( (echo "$loaded1"; samples $PID $((LOAD_SECONDS - half))) | summary)
  else
    loaded=$(sample $PID "$LOAD_SECONDS")
  fi
  cpu1=$(awk '{print $14 + $15}' /proc/$PID/stat)
  if [ "$CMD" = index ]; then
    kill $GEN; wait $GEN 2>/dev/null || true
    echo "-- index: $(curl -s "$ES/logs-*/_count" | sed 's/.*"count":\([0-9]*\).*/\1/') documents after the load phase ($(kcat -C -b "$BROKERS" -t "$topic" -o -1 -c 1 -e -q -f '%o' 2>/dev/null) on the topic)"
  else
    wait $GEN || true
  fi
  after=$(sample $PID "$IDLE_SECONDS")
  kill $PID; wait $PID 2>/dev/null || true
  # the topic's record batches on the broker's disk: what a codec and batch size put on the wire
  onkafka=$(find "$W/stack" -path "*/$topic-*/*.log" -printf '%s\n' 2>/dev/null | awk '{n += $1} END {printf "%.1f", n / 1048576}')
  printf '%-5s first-line-on-kafka %6s ms | RSS MiB median/max: idle %s, at %d lines/s %s, idle after %s | CPU %d ticks | on Kafka %s MiB | load %s | %s\n' \
    "$CMD" "$first" "$idle" "$RATE" "$loaded" "$after" $((cpu1 - cpu0)) "$onkafka" "$(uptime | sed 's/.*load average: //')" "${envs[*]} $flags${jar:+ ($jar)}"
  grep -m3 -E "ERROR|Exception" "$R/caravan.log" || true
done
