#!/usr/bin/env bash
# What an idle Caravan costs: the CPU of `caravan ship` (or `run`) on the devstack with one tailed file and
# nothing written, per thread group, in ms of CPU per second, over WIN seconds once SETTLE seconds have passed
# since launch (the start-up's JIT has mostly settled). Each flag set is one round, in a fresh JVM.
#
# Usage: flock /tmp/caravan-it.lock bench/idle.sh [ship|run]      (it starts servers: take the lock)
#   FLAGS='<set>;<set>'  JVM flag sets (default: the launcher's for the command); a set may start with @<jar>
#                        to run that jar instead of JAR (a build from before a change): '@/tmp/old.jar <flags>;<flags>'
#   SETTLE=90 WIN=60 JAR=target/caravan.jar
#   PROBES=5 GAP=3   after the window, PROBES lines, each written GAP seconds after the one before, and how long
#                    each took from its write to the shipper's send (the record's CreateTime): a line after a silence
set -euo pipefail
cd "$(dirname "$0")/.."
CMD=${1:-ship}
SETTLE=${SETTLE:-90}; WIN=${WIN:-60}; PROBES=${PROBES:-5}; GAP=${GAP:-3}
# shellcheck source=bench/devstack.sh
. bench/devstack.sh
bench_devstack idle "$CMD"
hz=$(getconf CLK_TCK)

# CPU between two snapshots: the total and by thread group (digits dropped), in ms per second
report() {
  awk -v hz="$hz" -v s="$WIN" 'NR == FNR { a[$1] = $3; next }
    { d = $3 - a[$1]; if (d > 0) { g = $2; gsub(/[0-9]+/, "#", g); grp[g] += d; total += d } }
    END { printf "  %.1f ms of CPU a second\n", total / hz * 1000 / s
          for (g in grp) if (grp[g] / hz * 1000 / s >= 0.1) printf "    %-24s %5.1f\n", g, grp[g] / hz * 1000 / s | "sort -k2 -rn" }' "$1" "$2"
}

round=0
IFS=';' read -ra SETS <<< "$FLAGS"
for flags in "${SETS[@]}"; do
  round=$((round + 1)); R="$W/r$round"
  jar=$JAR
  if [[ $flags == @* ]]; then jar=${flags%% *}; jar=${jar#@}; flags=${flags#* }; fi
  tail_route "$R"
  head -100 src/test/resources/corpus/apache_combined_10k.log > "$R/logs/access.log"
  { devstack_settings "$R"
    printf 'caravan.kafka.topic.raw=idle-%s\ncaravan.kafka.create-topics=true\ncaravan.index.group=idle-%s\n' "$round" "$round"
  } > "$R/app.properties"
  # shellcheck disable=SC2086
  CARAVAN_LOG_LEVEL=warn java $flags -jar "$jar" "$CMD" --config "$R/app.properties" > "$R/caravan.log" 2>&1 &
  PID=$!
  sleep "$SETTLE"
  kill -0 "$PID" 2>/dev/null || { echo "round $round: $CMD exited:"; tail -20 "$R/caravan.log"; exit 1; }
  bench/thread-cpu.sh snapshot "$PID" > "$R/before"; sleep "$WIN"; bench/thread-cpu.sh snapshot "$PID" > "$R/after"
  echo "round $round, $CMD idle ${SETTLE}-$((SETTLE + WIN)) s after launch, VmRSS $(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$PID/status") MiB," \
    "load $(cut -d' ' -f1 /proc/loadavg); $jar $flags"
  report "$R/before" "$R/after"
  if [ "$PROBES" -gt 0 ]; then
    for i in $(seq "$PROBES"); do sleep "$GAP"; echo "caravan-idle-probe $(date +%s%3N)" >> "$R/logs/access.log"; done
    sleep 2
    kcat -C -b "$BROKERS" -t "idle-$round" -o beginning -e -q -f '%T %s\n' 2>/dev/null \
      | sed -n 's/^\([0-9]*\) .*caravan-idle-probe \([0-9]*\).*/\1 \2/p' \
      | awk -v n="$PROBES" '{ d[NR] = $1 - $2 } END { printf "  a line after %s s of silence, write -> send (ms):", '"$GAP"'
          for (i = 1; i <= NR; i++) printf " %d", d[i]; printf " (%d of %d probes on Kafka)\n", NR, n }'
  fi
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
done
