#!/usr/bin/env python3
"""Where did the slow probes of a bench/e2e.sh run wait? Reads the OUT directory of that run
(probes-t<N>.tsv, metrics.txt, and gc.log if FLAGS wrote one there with -Xlog:gc:file=OUT/gc.log)
and prints, for every probe slower than a limit from write to rendered or rendered to searchable,
what Caravan's meters saw meanwhile: time its consumer was held by a full window of batches
(back-pressure from the search engine), the _bulk requests' mean time, and the JVM's GC pauses.

Usage: bench/e2e-stalls.py OUT [limit_ms=1000]
"""
import collections, glob, os, re, sys

out = sys.argv[1]
limit = float(sys.argv[2]) / 1000 if len(sys.argv) > 2 else 1.0

# Per scrape (one a second): cumulative sums and counts of the meters we need.
series = collections.defaultdict(dict)   # name -> {t: value}
want = {"caravan_index_consumer_held_seconds_sum", "caravan_index_consumer_held_seconds_count",
        "caravan_elasticsearch_bulk_seconds_sum", "caravan_elasticsearch_bulk_seconds_count",
        "jvm_gc_pause_seconds_sum", "jvm_gc_pause_seconds_count"}
for line in open(os.path.join(out, "metrics.txt")):
    parts = line.split()
    if len(parts) < 3:
        continue
    name = re.split(r"[{ ]", parts[1], 1)[0]
    if name in want:
        t = float(parts[0])
        series[name][t] = series[name].get(t, 0) + float(parts[-1])   # jvm_gc_pause: summed over its tags

def delta(name, t0, t1):
    """How much a cumulative meter grew between the scrapes around [t0, t1]."""
    pts = sorted(series.get(name, {}).items())
    before = [v for t, v in pts if t <= t0]
    after = [v for t, v in pts if t >= t1]
    if not before or not after:
        return float("nan")
    return after[0] - before[-1]

gc = []   # (end epoch, pause seconds) from a unified GC log with the time decoration
gcfile = os.path.join(out, "gc.log")
if os.path.exists(gcfile):
    from datetime import datetime
    for line in open(gcfile):
        m = re.match(r"\[(\S+?)\].*\bPause .* ([\d.]+)ms$", line.strip())
        if m:
            ts = datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
            gc.append((ts, float(m.group(2)) / 1000))

def gc_in(t0, t1):
    ps = [p for t, p in gc if t0 <= t <= t1]
    return sum(ps), max(ps, default=0.0)

for tsv in sorted(glob.glob(os.path.join(out, "probes-t*.tsv"))):
    rows = [l.split("\t") for l in open(tsv).read().split("\n")[1:] if l]
    rows = [(int(r[0]), *map(float, r[1:])) for r in rows]
    slow = [r for r in rows if r[3] - r[1] > limit or r[4] - r[3] > limit]
    print(f"{os.path.basename(tsv)}: {len(slow)} of {len(rows)} probes over {limit * 1000:.0f} ms from write to rendered"
          " or from rendered to searchable")
    print("  probe  write->read read->rendered rendered->searchable | while it waited: consumer held, "
          "_bulk mean, GC pauses sum/max (s)")
    for n, w, rd, rn, s in slow[:60]:
        h = delta("caravan_index_consumer_held_seconds_sum", w, s)
        bs = delta("caravan_elasticsearch_bulk_seconds_sum", w, s)
        bc = delta("caravan_elasticsearch_bulk_seconds_count", w, s)
        gsum, gmax = gc_in(w, s) if gc else (delta("jvm_gc_pause_seconds_sum", w, s), float("nan"))
        print(f"  {n:6d} {(rd - w) * 1000:9.0f} {(rn - rd) * 1000:13.0f} {(s - rn) * 1000:17.0f}     |"
              f" {h:6.2f} s, {bs / bc if bc else float('nan'):5.2f} s over {bc:.0f}, {gsum:5.2f} / {gmax:4.2f}")
