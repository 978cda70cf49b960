#!/usr/bin/env bash
# End to end on the devstack (real Kafka + Elasticsearch): lines written to a file -> documents
# searchable, through one `caravan run` (tail -> Kafka -> index -> Elasticsearch) with the launcher's
# flags. Three phases:
#   start:  one line waits in the file; launch -> it is on Kafka (kcat) -> its document is searchable.
#   burst:  BURST lines written at once; throughput = lines / (first write -> last document counted),
#           and Caravan's CPU per line (utime + stime of its process over the phase, /proc).
#   steady: `generate --realtime` at RATE lines/s for SECONDS, while a probe appends one marked line
#           (url.path /e2e-probe/<n>) every 100 ms to a second file of the same route and polls
#           Elasticsearch every 50 ms: freshness = write -> first seen by a search, p50/p99 (ms), split by the
#           document's own stamps: write -> read (event.created, the tailer's), -> rendered (event.ingested,
#           set as the indexer renders its batch) -> searchable. Caravan's part from the read to the bulk
#           acknowledgement is measured for every line (caravan_log_delivery_seconds, scraped before and after the
#           trial); plus the probes' write -> read p99 it bounds Caravan's part from the write.
#           TRIALS repeats the steady phase; more than one prints the median and worst p99 over the trials.
# VmRSS of the Caravan process is sampled every second over both phases (median/max, MiB).
#
# Usage: flock /tmp/caravan-it.lock bench/e2e.sh      (it starts servers: take the lock)
#   BURST=500000 RATE=5000 SECONDS_STEADY=60 TRIALS=1 FLAGS='<jvm flags>' (default: the launcher's index flags)
#   JAVA=/usr/lib/jvm/<jdk>/bin/java runs Caravan (only Caravan, not the servers) on another JDK (default: java on PATH)
#   BURST=0 leaves the burst out. BURST_WARM=500000 adds a second burst after the steady phase, into the
#   warm process (a new file, another seed): the first burst pays the JIT of a cold JVM, this one does not.
#   EXTRA='caravan.index.template.refresh=1s'   more properties for Caravan, one per word
#   TAIL='pollDelay: 10'   more tail: parameters for the route, YAML flow-map entries
#   OUT=<dir>  keeps, per trial, every probe's times (probes-t<N>.tsv: n, written, read = event.created,
#              rendered = event.ingested, searchable; epoch seconds), Caravan's log, the devstack's logs and a
#              scrape of Caravan's metrics every SCRAPE_EVERY seconds (metrics.txt), to find where a slow probe waited.
#   SCRAPE_EVERY=1  seconds between those scrapes (default 15, as prometheus/prometheus.yml scrapes). Each is a
#              request to Caravan's HTTP server: at 1 s its threads took 1.0-1.1 us a line at 5,000 lines/s, and
#              the whole 240 s cost 0.3-3.0 us a line more in each of three pairs (BENCHMARKS.md, session 39).
set -euo pipefail
cd "$(dirname "$0")/.."
BURST=${BURST:-500000}; RATE=${RATE:-5000}; SECONDS_STEADY=${SECONDS_STEADY:-60}; TRIALS=${TRIALS:-1}
OUT=${OUT:-}
[ -z "$OUT" ] || mkdir -p "$OUT"
keep() { [ -z "$OUT" ] || { cp "$W/caravan.log" "$W/rss.txt" "$OUT/" 2>/dev/null; find "$W/stack" -name '*.log' -size -200M -exec cp --parents {} "$OUT/" \; 2>/dev/null; }; }
ON_EXIT=keep
# shellcheck source=bench/devstack.sh
. bench/devstack.sh
bench_devstack e2e run

mkdir -p "$W/routes" "$W/logs"
HTTP_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
METRICS="http://127.0.0.1:$HTTP_PORT/observe/metrics"
cat > "$W/routes/access.yaml" <<YAML
- route:
    id: access
    from:
      uri: "tail:$W/logs/access*.log"
      parameters: {format: combined, startPosition: beginning, checkpointDir: "$W/checkpoints"${TAIL:+, $TAIL}}
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
  echo "caravan.http.port=$HTTP_PORT"
  echo "caravan.alert.enabled=false"
  echo "caravan.enrich.geoip.city-db=$PWD/src/test/resources/geoip/GeoLite2-City-Test.mmdb"
  echo "caravan.enrich.geoip.asn-db=$PWD/src/test/resources/geoip/GeoLite2-ASN-Test.mmdb"
  for kv in ${EXTRA:-}; do echo "$kv"; done
} > "$W/app.properties"

# --- start-up: one line waits in the file; launch -> that line on Kafka -> its document searchable ---
count() { curl -s "$ES/logs-*/_count" | sed -n 's/.*"count":\([0-9]*\).*/\1/p'; }
echo "10.9.8.7 - - [$(date -u '+%d/%b/%Y:%H:%M:%S +0000')] \"GET /e2e-start HTTP/1.1\" 200 12 \"-\" \"e2e-probe\"" > "$W/logs/access.log"
ms() { echo $(( $(date +%s%N) / 1000000 )); }
t_launch=$(ms)
# shellcheck disable=SC2086
"${JAVA:-java}" $FLAGS -jar "$JAR" run --config "$W/app.properties" > "$W/caravan.log" 2>&1 &
PID=$!
(await_first_record e2e > "$W/t_kafka") &
(until [ "$(count)" = 1 ]; do sleep 0.1; done; ms > "$W/t_search") &
for _ in $(seq 600); do [ -s "$W/t_search" ] && break; sleep 0.1; done
grep -q "Caravan started" "$W/caravan.log" || { echo "Caravan did not start:"; tail -20 "$W/caravan.log"; exit 1; }
[ -s "$W/t_search" ] || { echo "the first document was not searchable within 60 s"; exit 1; }
[ -s "$W/t_kafka" ] || { echo "the first line did not reach Kafka"; exit 1; }
sleep 0.2
echo "start   launch -> first line on Kafka (its CreateTime) $(( $(cat "$W/t_kafka") - t_launch )) ms; -> its document searchable" \
  "$(( $(cat "$W/t_search") - t_launch )) ms ($(( $(cat "$W/t_search") - $(cat "$W/t_kafka") )) ms after Kafka); load $(cut -d' ' -f1 /proc/loadavg)"
(while kill -0 $PID 2>/dev/null; do awk '/VmRSS/ {print int($2/1024)}' /proc/$PID/status 2>/dev/null; sleep 1; done) > "$W/rss.txt" &
ticks() { awk '{print $14 + $15}' /proc/$PID/stat; }

# --- burst: N lines appear at once in a new file; CPU per line until all are searchable ---
hz=$(getconf CLK_TCK)
burst() {   # burst NAME LINES SEED FILE
  local name=$1 lines=$2 seed=$3 file=$4 base n last=-1 still=0 c0 c1 t0 t1
  java -cp "$JAR" caravan.ops.Caravan generate --count "$lines" --seed "$seed" -o "$W/gen.log" >/dev/null 2>&1
  base=$(count); until sleep 1; [ "$(count)" = "$base" ]; do base=$(count); done   # what came before has settled
  c0=$(ticks); t0=$(date +%s%N)
  mv "$W/gen.log" "$file"   # all lines appear at once
  n=0
  while [ "${n:-0}" -lt "$lines" ] && [ $still -lt 150 ]; do   # gives up after 30 s without a new document
    sleep 0.2; n=$(count); n=$(( ${n:-$base} - base ))
    if [ "$n" = "$last" ]; then still=$((still + 1)); else still=0; last=$n; fi
  done
  t1=$(date +%s%N); c1=$(ticks)
  awk -v name="$name" -v n="$n" -v b="$lines" -v ns=$((t1 - t0)) -v t=$((c1 - c0)) -v hz="$hz" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN {printf "%-7s %d lines: %d searchable after %.1f s = %.0f lines/s; Caravan CPU %.1f us/line; load %s\n",
            name, b, n, ns / 1e9, n / (ns / 1e9), (n > 0 ? t / hz * 1e6 / n : 0), load}'
}
[ "$BURST" -gt 0 ] && burst burst "$BURST" 14 "$W/logs/access.log"

# --- steady: TRIALS rounds of SECONDS_STEADY each ---
rss0=$(wc -l < "$W/rss.txt")
bucket() { curl -s "$METRICS" | grep -E '^caravan_(elasticsearch_bulk|log_delivery|index_consumer_held)_seconds_bucket' || true; }
for trial in $(seq "$TRIALS"); do
java -cp "$JAR" caravan.ops.Caravan generate --realtime --rate "$RATE" --count $((RATE * SECONDS_STEADY)) \
  -o "$W/logs/access.log" >/dev/null 2>&1 &
GEN=$!
c0=$(ticks)
bucket > "$W/bulk0.txt"
SCRAPE=
if [ -n "$OUT" ]; then   # every SCRAPE_EVERY seconds: the time, then Caravan's own meters and the JVM's pauses
  (while kill -0 $PID 2>/dev/null; do
     curl -s "$METRICS" | grep -E '^(caravan_(elasticsearch_bulk|log_delivery|kafka_consumer_lag|index)|jvm_gc_pause)' \
       | sed "s/^/$(date +%s.%N) /"; sleep "${SCRAPE_EVERY:-15}"; done) >> "$OUT/metrics.txt" &
  SCRAPE=$!
fi
python3 - "$ES" "$W/logs/access-probe.log" "$SECONDS_STEADY" "$trial" "$W/probes.tsv" "${OUT:+$OUT/probes-t$trial.tsv}" <<'PY'
import json, sys, threading, time, urllib.request
from datetime import datetime
es, path, seconds, trial, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5]
dump = sys.argv[6] if len(sys.argv) > 6 else ""
prefix = f"/e2e-probe/t{trial}/"
written, seen, stamps, created = {}, {}, {}, {}
def epoch(iso):
    return datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
def poll():
    body = json.dumps({"size": 10000, "_source": ["url.path", "event.ingested", "event.created"],
                       "query": {"prefix": {"url.path": prefix}}}).encode()
    while not stop.is_set() or len(seen) < len(written):
        req = urllib.request.Request(es + "/logs-*/_search", body, {"Content-Type": "application/json"})
        try:
            hits = json.load(urllib.request.urlopen(req, timeout=5))["hits"]["hits"]
        except Exception:
            hits = []
        now = time.time()
        for h in hits:
            src = h["_source"]
            n = int(src["url"]["path"].rsplit("/", 1)[1])
            if n not in seen:
                seen[n] = now
                stamps[n] = epoch(src["event"]["ingested"])
                # event.created (the tailer's read) is in documents from 2026-12-03 on
                created[n] = epoch(src["event"]["created"]) if "created" in src["event"] else float("nan")
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
        f.write(f'10.9.8.7 - - [{stamp}] "GET {prefix}{n} HTTP/1.1" 200 12 "-" "e2e-probe"\n')
        f.flush()
        written[n] = time.time(); n += 1
        time.sleep(0.1)
deadline = time.time() + 30; stop.set(); t.join()
def q(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))] if xs else float("nan")
got = [k for k in written if k in seen]
total = [(seen[k] - written[k]) * 1000 for k in got]
rendered = [(stamps[k] - written[k]) * 1000 for k in got]   # write -> the indexer rendered it (event.ingested)
after = [(seen[k] - stamps[k]) * 1000 for k in got]         # rendered -> searchable (bulk + refresh)
read = [(created[k] - written[k]) * 1000 for k in got]       # write -> the tailer read it (event.created)
shipped = [(stamps[k] - created[k]) * 1000 for k in got]     # read -> rendered (Kafka both ways, the poll's batch)
print(f"steady  trial {trial}: probes {len(got)}/{len(written)} searchable: write -> searchable p50 {q(total, .5):.0f} ms, "
      f"p99 {q(total, .99):.0f} ms, max {max(total) if total else float('nan'):.0f} ms")
print(f"        write -> rendered p50 {q(rendered, .5):.0f} / "
      f"p99 {q(rendered, .99):.0f} ms; rendered -> searchable p50 {q(after, .5):.0f} / p99 {q(after, .99):.0f} ms")
print(f"        of write -> rendered: write -> read p50 {q(read, .5):.0f} / p99 {q(read, .99):.0f} ms; "
      f"read -> rendered p50 {q(shipped, .5):.0f} / p99 {q(shipped, .99):.0f} ms")
if dump:
    with open(dump, "w") as f:
        f.write("n\twritten\tread\trendered\tsearchable\n")
        for k in sorted(got):
            f.write(f"{k}\t{written[k]:.3f}\t{created[k]:.3f}\t{stamps[k]:.3f}\t{seen[k]:.3f}\n")
with open(out, "a") as f:
    f.write(f"{trial}\t{q(total, .5):.0f}\t{q(total, .99):.0f}\t{q(rendered, .99):.0f}\t{q(read, .99):.0f}\n")
PY
wait $GEN || true
[ -z "$SCRAPE" ] || kill $SCRAPE 2>/dev/null || true
c1=$(ticks)
bucket > "$W/bulk1.txt"
# This trial's share of two histograms, the difference of their snapshots: the _bulk requests, and Caravan's
# part per line from the tailer's read to the bulk acknowledgement (caravan_log_delivery_seconds); p50/p99
# interpolated within their bucket. Caravan's part from the write adds the probes' write -> read p99.
python3 - "$W/bulk0.txt" "$W/bulk1.txt" "$W/probes.tsv" <<'PY'
import re, sys
def read(p):
    d = {}
    for line in open(p):
        m = re.search(r'^(\w+)_seconds_bucket\{.*le="([^"]+)"[^}]*}\s+(\S+)', line)
        if m:
            h = d.setdefault(m.group(1), {})
            h[float(m.group(2))] = h.get(float(m.group(2)), 0) + float(m.group(3))
    return d
def quantile(name, p):
    b, a = after.get(name, {}), before.get(name, {})
    diff = [(le, b[le] - a.get(le, 0)) for le in sorted(b)]
    n = diff[-1][1] if diff else 0
    lo, below = 0.0, 0.0
    for le, c in diff:
        if n and c >= p * n:
            if le == float("inf"):
                return n, lo * 1000
            return n, (lo + (le - lo) * ((p * n - below) / max(c - below, 1))) * 1000
        lo, below = le, c
    return n, float("nan")
before, after = read(sys.argv[1]), read(sys.argv[2])
n, bulk99 = quantile("caravan_elasticsearch_bulk", .99)
lines, d50 = quantile("caravan_log_delivery", .5)
_, d99 = quantile("caravan_log_delivery", .99)
def over(name, le):   # how many were longer than the bucket bound le (seconds)
    b, a = after.get(name, {}), before.get(name, {})
    return (b.get(float("inf"), 0) - a.get(float("inf"), 0)) - (b.get(le, 0) - a.get(le, 0)) if le in b else float("nan")
held_n, held99 = quantile("caravan_index_consumer_held", .99)
slow = min((le for le in after.get("caravan_index_consumer_held", {}) if le >= 1), default=float("nan"))
last = open(sys.argv[3]).read().strip().split("\n")[-1].split("\t")
part = float(last[4]) + d99
print(f"        _bulk requests {n:.0f}, p99 ~{bulk99:.0f} ms; read -> bulk acknowledged ({lines:.0f} lines, "
      f"caravan_log_delivery_seconds) p50 ~{d50:.0f} / p99 ~{d99:.0f} ms")
print(f"        consumer held by a full window {held_n:.0f} times, p99 ~{held99:.0f} ms, "
      f"over {slow:.2f} s: {over('caravan_index_consumer_held', slow):.0f}")
print(f"        Caravan's part (write -> bulk acknowledged) p99 <= {part:.0f} ms (write -> read p99 {float(last[4]):.0f} + read -> acknowledged p99)")
with open(sys.argv[3], "a") as f:
    f.write(f"part\t{part:.0f}\n")
PY
awk -v r="$RATE" -v s="$SECONDS_STEADY" -v t=$((c1 - c0)) -v hz="$hz" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
  'BEGIN {printf "steady  %d lines/s for %d s: Caravan CPU %.1f us/line; load %s\n", r, s, t / hz * 1e6 / (r * s), load}'
done
if [ "$TRIALS" -gt 1 ]; then
  awk -F'\t' '$1 != "part" {p50[++n] = $2; p99[n] = $3} $1 == "part" {part[++m] = $2}
    function med(a, k,   i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return a[int((k + 1) / 2)] }
    function worst(a, k,   i, w) { w = a[1]; for (i = 2; i <= k; i++) if (a[i] > w) w = a[i]; return w }
    END { printf "trials  %d: write -> searchable p99 median %d ms, worst %d ms; Caravan part p99 median %d ms, worst %d ms\n",
          n, med(p99, n), worst(p99, n), med(part, m), worst(part, m) }' "$W/probes.tsv"
fi
# A second burst into a warm process (after the steady phase): what a burst costs once the JIT has compiled the path.
[ "${BURST_WARM:-0}" -gt 0 ] && burst warm "$BURST_WARM" 15 "$W/logs/access-warm.log"
# Growth over the steady phase: the first minute's median against the last minute's.
tail -n +$((rss0 + 1)) "$W/rss.txt" | python3 -c '
import statistics, sys
a = [int(x) for x in sys.stdin.read().split()]
if len(a) >= 120:
    print(f"rss     steady phase, {len(a)} s: first minute median {statistics.median(a[:60]):.0f} MiB, "
          f"last minute median {statistics.median(a[-60:]):.0f} MiB")
if len(a) >= 300:  # a long run: every minute, to tell a climb from a step
    print("rss     per minute (median MiB): " + " ".join(str(round(statistics.median(a[i:i + 60]))) for i in range(0, len(a) - 59, 60)))'
sort -n "$W/rss.txt" | awk '{a[NR]=$1} END {printf "rss     caravan run VmRSS median %d MiB, max %d MiB over %d s\n", a[int((NR+1)/2)], a[NR], NR}'
echo "flags: $FLAGS ${EXTRA:-}"
