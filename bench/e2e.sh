#!/usr/bin/env bash
# End to end on the devstack (real Kafka + Elasticsearch): lines written to a file -> documents
# searchable, through one `caravan run` (tail -> Kafka -> index -> Elasticsearch) with the launcher's
# flags. Two phases:
#   burst:  BURST lines written at once; throughput = lines / (first write -> last document counted),
#           and Caravan's CPU per line (utime + stime of its process over the phase, /proc).
#   steady: `generate --realtime` at RATE lines/s for SECONDS, while a probe appends one marked line
#           (url.path /e2e-probe/<n>) every 100 ms to a second file of the same route and polls
#           Elasticsearch every 50 ms: freshness = write -> first seen by a search, p50/p99 (ms).
# VmRSS of the Caravan process is sampled every second over both phases (median/max, MiB).
#
# Usage: flock /tmp/caravan-it.lock bench/e2e.sh      (it starts servers: take the lock)
#   BURST=500000 RATE=5000 SECONDS_STEADY=60 FLAGS='<jvm flags>' (default: the launcher's index flags)
#   EXTRA='caravan.index.template.refresh=1s'   more properties for Caravan, one per word
set -euo pipefail
cd "$(dirname "$0")/.."
BURST=${BURST:-500000}; RATE=${RATE:-5000}; SECONDS_STEADY=${SECONDS_STEADY:-60}
JAR=${JAR:-target/caravan.jar}
FLAGS=${FLAGS:-$(sed -n 's/^JAVA_HEAP_INDEX=//p' caravan | tr -d '"')}
[ -f "$JAR" ] || mvn -B -q -o -DskipTests package
W=$(mktemp -d /tmp/caravan-e2e-XXXX)
STACK=
PID=
trap 'kill $PID $STACK 2>/dev/null; wait $STACK 2>/dev/null; rm -rf "$W"' EXIT
# shellcheck source=bench/devstack.sh
. bench/devstack.sh
start_devstack "$W"

mkdir -p "$W/routes" "$W/logs"
cat > "$W/routes/access.yaml" <<YAML
- route:
    id: access
    from:
      uri: "tail:$W/logs/access*.log"
      parameters: {format: combined, startPosition: beginning, checkpointDir: "$W/checkpoints"}
      steps:
        - to: "direct:ship"
YAML
{
  echo "caravan.kafka.brokers=$BROKERS"
  echo "caravan.elasticsearch.urls=$ES"
  echo "caravan.kafka.topic.raw=e2e"
  echo "caravan.kafka.create-topics=true"
  echo "caravan.kafka.topic.replication=1"
  echo "caravan.kafka.topic.partitions=1"
  echo "caravan.index.group=e2e"
  echo "caravan.index.template.replicas=0"
  echo "caravan.routes.dir=$W/routes"
  echo "caravan.http.port=0"
  echo "caravan.alert.enabled=false"
  echo "caravan.enrich.geoip.city-db=$PWD/src/test/resources/geoip/GeoLite2-City-Test.mmdb"
  echo "caravan.enrich.geoip.asn-db=$PWD/src/test/resources/geoip/GeoLite2-ASN-Test.mmdb"
  for kv in ${EXTRA:-}; do echo "$kv"; done
} > "$W/app.properties"

# shellcheck disable=SC2086
java $FLAGS -jar "$JAR" run --config "$W/app.properties" > "$W/caravan.log" 2>&1 &
PID=$!
for _ in $(seq 300); do grep -q "Caravan started" "$W/caravan.log" && break; sleep 0.2; done
grep -q "Caravan started" "$W/caravan.log" || { echo "Caravan did not start:"; tail -20 "$W/caravan.log"; exit 1; }
(while kill -0 $PID 2>/dev/null; do awk '/VmRSS/ {print int($2/1024)}' /proc/$PID/status 2>/dev/null; sleep 1; done) > "$W/rss.txt" &
ticks() { awk '{print $14 + $15}' /proc/$PID/stat; }
count() { curl -s "$ES/logs-*/_count" | sed -n 's/.*"count":\([0-9]*\).*/\1/p'; }

# --- burst ---
java -cp "$JAR" caravan.ops.Caravan generate --count "$BURST" --seed 14 -o "$W/gen.log" >/dev/null 2>&1
c0=$(ticks); t0=$(date +%s%N)
mv "$W/gen.log" "$W/logs/access.log"   # all lines appear at once
n=0; last=-1; still=0
while [ "${n:-0}" -lt "$BURST" ] && [ $still -lt 150 ]; do   # gives up after 30 s without a new document
  sleep 0.2; n=$(count); n=${n:-0}
  if [ "$n" = "$last" ]; then still=$((still + 1)); else still=0; last=$n; fi
done
t1=$(date +%s%N); c1=$(ticks)
hz=$(getconf CLK_TCK)
awk -v n="$n" -v b="$BURST" -v ns=$((t1 - t0)) -v t=$((c1 - c0)) -v hz="$hz" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
  'BEGIN {printf "burst   %d lines: %d searchable after %.1f s = %.0f lines/s; Caravan CPU %.1f us/line; load %s\n",
          b, n, ns / 1e9, n / (ns / 1e9), (n > 0 ? t / hz * 1e6 / n : 0), load}'

# --- steady ---
java -cp "$JAR" caravan.ops.Caravan generate --realtime --rate "$RATE" --count $((RATE * SECONDS_STEADY)) \
  -o "$W/logs/access.log" >/dev/null 2>&1 &
GEN=$!
c0=$(ticks)
python3 - "$ES" "$W/logs/access-probe.log" "$SECONDS_STEADY" <<'PY'
import json, sys, threading, time, urllib.request
es, path, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
written, seen = {}, {}
def poll():
    body = json.dumps({"size": 10000, "_source": ["url.path"],
                       "query": {"prefix": {"url.path": "/e2e-probe/"}}}).encode()
    while not stop.is_set() or len(seen) < len(written):
        req = urllib.request.Request(es + "/logs-*/_search", body, {"Content-Type": "application/json"})
        try:
            hits = json.load(urllib.request.urlopen(req, timeout=5))["hits"]["hits"]
        except Exception:
            hits = []
        now = time.time()
        for h in hits:
            n = int(h["_source"]["url"]["path"].rsplit("/", 1)[1])
            seen.setdefault(n, now)
        if stop.is_set() and time.time() > deadline:
            break
        time.sleep(0.05)
stop = threading.Event(); deadline = 0
t = threading.Thread(target=poll); t.start()
end = time.time() + seconds
with open(path, "a") as f:
    n = 0
    while time.time() < end:
        stamp = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime())
        f.write(f'10.9.8.7 - - [{stamp}] "GET /e2e-probe/{n} HTTP/1.1" 200 12 "-" "e2e-probe"\n')
        f.flush()
        written[n] = time.time(); n += 1
        time.sleep(0.1)
deadline = time.time() + 30; stop.set(); t.join()
lat = sorted((seen[k] - written[k]) * 1000 for k in written if k in seen)
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] if lat else float("nan")
print(f"steady  probes {len(lat)}/{len(written)} searchable: write -> searchable p50 {q(0.5):.0f} ms, "
      f"p99 {q(0.99):.0f} ms, max {lat[-1] if lat else float('nan'):.0f} ms")
PY
wait $GEN || true
c1=$(ticks)
awk -v r="$RATE" -v s="$SECONDS_STEADY" -v t=$((c1 - c0)) -v hz="$hz" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
  'BEGIN {printf "steady  %d lines/s for %d s: Caravan CPU %.1f us/line; load %s\n", r, s, t / hz * 1e6 / (r * s), load}'
sort -n "$W/rss.txt" | awk '{a[NR]=$1} END {printf "rss     caravan run VmRSS median %d MiB, max %d MiB over %d s\n", a[int((NR+1)/2)], a[NR], NR}'
echo "flags: $FLAGS ${EXTRA:-}"
