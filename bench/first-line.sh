#!/usr/bin/env bash
# Start-up with the servers up (issue 14): launch of `caravan run` -> the first line of a waiting file
# is on Kafka (its record's CreateTime, read with kcat; see await_first_record in devstack.sh) -> its
# document is searchable (polled every 0.1 s). The devstack starts once; every round is a fresh
# process with its own topic, consumer group and index namespace. The first round writes the AppCDS
# archive as ./caravan does on a new jar; then ROUNDS rounds alternate with and without it.
#
# Usage: flock /tmp/caravan-it.lock bench/first-line.sh      ROUNDS=5  CMD=run|ship  JAR=target/caravan.jar
#   FLAGS='<jvm flags>' (default: the launcher's flags for CMD)   OUT=<dir> keeps each round's log
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
CMD=${CMD:-run}
# shellcheck source=bench/devstack.sh
. bench/devstack.sh
bench_devstack first "$CMD"
CDS_QUIET="-Xlog:cds=off -Xlog:cds+dynamic=off"
ms() { echo $(( $(date +%s%N) / 1000000 )); }

round() { # $1 round number, $2 label, $3 extra JVM flags
  local n=$1 d="$W/r$1" t0 tk ts
  tail_route "$d"
  { devstack_settings "$d"
    printf 'caravan.kafka.topic.raw=first%s\ncaravan.index.group=first%s\ncaravan.index.namespace=first%s\n' "$n" "$n" "$n"
  } > "$d/app.properties"
  echo "10.9.8.7 - - [$(date -u '+%d/%b/%Y:%H:%M:%S +0000')] \"GET /first-line HTTP/1.1\" 200 12 \"-\" \"probe\"" > "$d/logs/access.log"
  t0=$(ms)
  # shellcheck disable=SC2086
  java $FLAGS $3 -jar "$JAR" "$CMD" --config "$d/app.properties" > "$d/caravan.log" 2>&1 &
  PID=$!
  tk=$(await_first_record "first$n")
  ts=
  if [ "$CMD" = run ]; then
    for _ in $(seq 600); do
      if [ "$(curl -s "$ES/logs-*-first$n-*/_count" | sed -n 's/.*"count":\([0-9]*\).*/\1/p')" = 1 ]; then ts=$(ms); break; fi
      sleep 0.1
    done
  fi
  kill $PID; wait $PID 2>/dev/null || true; PID=
  [ -z "${OUT:-}" ] || { mkdir -p "$OUT"; cp "$d/caravan.log" "$OUT/caravan-$n.log"; }
  [ -n "$tk" ] || { echo "round $n: the line did not reach Kafka"; tail -20 "$d/caravan.log"; exit 1; }
  printf '%-4s %-16s launch -> first line on Kafka (its CreateTime) %5d ms%s   load %s\n' "$CMD" "$2" $((tk - t0)) \
    "$([ -n "$ts" ] && echo "; -> its document searchable $((ts - t0)) ms ($((ts - tk)) ms after Kafka)")" \
    "$(cut -d' ' -f1 /proc/loadavg)"
}

round 0 "writes archive" "-XX:ArchiveClassesAtExit=$W/cds.jsa $CDS_QUIET"
for i in $(seq "$ROUNDS"); do
  round "a$i" "archive" "-XX:SharedArchiveFile=$W/cds.jsa $CDS_QUIET"
  round "n$i" "no archive" ""
done
echo "flags: $FLAGS"
