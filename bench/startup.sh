#!/usr/bin/env bash
# Launch -> "Caravan started" (routes running) for `caravan ship`, `index` or `run`, without servers: Kafka
# and the engine point at closed ports, so nothing waits on a server and only Caravan's own start is timed.
# The first round writes an AppCDS archive as ./caravan does; then ROUNDS rounds alternate without and
# with it. Prints one line per round and the load; for `run` also launch -> "Ship half started" (the
# source routes and the producer running, before the index half is built). (With servers, bench/e2e.sh and bench/memory.sh time
# the first line on Kafka.)
#
# Usage: bench/startup.sh [run|ship|index]     ROUNDS=3  JAR=target/caravan.jar  FLAGS='<jvm flags>'
set -euo pipefail
cd "$(dirname "$0")/.."
CMD=${1:-run}
ROUNDS=${ROUNDS:-3}
JAR=${JAR:-target/caravan.jar}
# shellcheck source=bench/launcher-flags.sh
. bench/launcher-flags.sh
FLAGS=${FLAGS:-$(launcher_flags "$CMD")}
[ -f "$JAR" ] || mvn -B -q -DskipTests package
W=$(mktemp -d /tmp/caravan-startup-XXXX)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/logs" "$W/routes" "$W/checkpoints"
cat > "$W/routes/access.yaml" <<YAML
- route:
    id: access
    from:
      uri: "tail:$W/logs/access*.log"
      parameters: {format: combined, checkpointDir: "$W/checkpoints"}
      steps:
        - to: "direct:ship"
YAML
cat > "$W/app.properties" <<EOF
caravan.kafka.brokers=127.0.0.1:9
caravan.elasticsearch.urls=http://127.0.0.1:9
caravan.routes.dir=$W/routes
caravan.http.port=0
caravan.alert.enabled=false
caravan.enrich.geoip.city-db=$PWD/src/test/resources/geoip/GeoLite2-City-Test.mmdb
caravan.enrich.geoip.asn-db=$PWD/src/test/resources/geoip/GeoLite2-ASN-Test.mmdb
EOF
CDS_QUIET="-Xlog:cds=off -Xlog:cds+dynamic=off"
round() { # $1 label, $2 extra flags
  local t0 t1 ts pid
  t0=$(date +%s%N); ts=0
  # shellcheck disable=SC2086
  java $FLAGS $2 -jar "$JAR" "$CMD" --config "$W/app.properties" > "$W/out.log" 2>&1 &
  pid=$!
  for _ in $(seq 1200); do
    if [ "$ts" = 0 ] && grep -q "Ship half started" "$W/out.log"; then ts=$(date +%s%N); fi
    grep -q "Caravan started" "$W/out.log" && break; kill -0 $pid 2>/dev/null || break; sleep 0.02
  done
  t1=$(date +%s%N)
  grep -q "Caravan started" "$W/out.log" || { echo "$CMD did not start:"; tail -20 "$W/out.log"; kill $pid 2>/dev/null; exit 1; }
  kill $pid; wait $pid 2>/dev/null || true
  [ "$ts" = 0 ] && ts=$t1   # one half only: it is the whole start
  printf '%-8s %-18s launch -> ship half started %5d ms, -> started %5d ms   load %s\n' "$CMD" "$1" \
    $(( (ts - t0) / 1000000 )) $(( (t1 - t0) / 1000000 )) "$(cut -d' ' -f1 /proc/loadavg)"
}
round "writes archive" "-XX:ArchiveClassesAtExit=$W/cds.jsa $CDS_QUIET"
for _ in $(seq "$ROUNDS"); do
  round "no archive" ""
  round "archive" "-XX:SharedArchiveFile=$W/cds.jsa $CDS_QUIET"
done
echo "flags: $FLAGS"
