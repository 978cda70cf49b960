#!/usr/bin/env bash
# CPU time per thread of the `caravan run` that bench/e2e.sh starts, to see where the CPU per line goes
# (JIT compiler threads, GC, the index consumer, the tailer, the producer and search client I/O).
#   bench/thread-cpu.sh sample FILE      waits for e2e's `caravan run`, then every ~1 s appends
#                                        "epoch tid name ticks" per thread (utime + stime) until it exits
#   bench/thread-cpu.sh sum FILE FROM TO LINES
#                                        CPU per line by thread group between two epoch times
# With e2e (its output lines stamped, so the burst window is known):
#   bench/thread-cpu.sh sample /tmp/threads.txt &
#   flock /tmp/caravan-it.lock bench/e2e.sh | while read -r l; do echo "$(date +%s.%N) $l"; done | tee /tmp/e2e.txt
#   # burst: TO = the stamp of the "burst" line, FROM = TO - its seconds
#   bench/thread-cpu.sh snapshot PID     "tid name ticks" per thread of PID, once (bench/idle.sh)
set -euo pipefail
snapshot() {
  for t in /proc/"$1"/task/*; do
    s=$(cat "$t/stat" 2>/dev/null) || continue
    name=${s#*(}; name=${name%)*}; rest=${s##*) }
    # shellcheck disable=SC2086
    set -- $rest
    echo "${t##*/} ${name// /_} $(( ${12} + ${13} ))"
  done
}
case "${1:-}" in
snapshot)
  snapshot "$2"
  ;;
sample)
  out=$2 pid=
  for _ in $(seq 1500); do
    pid=$(pgrep -f 'run --config /tmp/caravan-e2e-' | head -1 || true)
    [ -n "$pid" ] && break
    sleep 0.2
  done
  [ -n "$pid" ] || { echo "no caravan run from bench/e2e.sh appeared" >&2; exit 1; }
  while kill -0 "$pid" 2>/dev/null; do
    now=$(date +%s.%N)
    snapshot "$pid" | sed "s/^/$now /"
    sleep 1
  done >> "$out"
  ;;
sum)
  file=$2 from=$3 to=$4 lines=$5
  # The snapshot nearest each time (complete ones only), differences per thread, grouped by name
  # with digits dropped (C2_CompilerThre0 and 1 together); the index consumer and the tailer are
  # both "Camel_(camel-N)" to /proc, so Camel threads are listed one by one too.
  awk -v from="$from" -v to="$to" -v lines="$lines" -v hz="$(getconf CLK_TCK)" '
    { n[$1]++; t[$1 " " $2] = $4; name[$2] = $3; if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
    END {
      for (i = 1; i <= k; i++) if (n[order[i]] > max) max = n[order[i]]
      for (i = 1; i <= k; i++) {
        s = order[i]; if (n[s] < max * 0.6) continue
        if (a == "" || (s - from) ^ 2 < (a - from) ^ 2) a = s
        if (b == "" || (s - to) ^ 2 < (b - to) ^ 2) b = s
      }
      for (key in t) {
        split(key, p, " "); if (p[1] != b) continue
        d = t[key] - ((a " " p[2]) in t ? t[a " " p[2]] : 0)
        g = name[p[2]]; gsub(/[0-9]+/, "#", g); grp[g] += d; total += d
        if (g ~ /^Camel/ && d > 0) camel[p[2]] = d
      }
      printf "%.1f s window, %.2f s CPU = %.1f us/line over %d lines\n", b - a, total / hz, total / hz * 1e6 / lines, lines
      for (g in grp) if (grp[g] > 0) printf "  %-20s %7.2f s %6.1f us/line\n", g, grp[g] / hz, grp[g] / hz * 1e6 / lines | "sort -k2 -rn"
      close("sort -k2 -rn")
      for (c in camel) printf "  Camel thread %-7s %7.2f s %6.1f us/line\n", c, camel[c] / hz, camel[c] / hz * 1e6 / lines
    }' "$file"
  ;;
*)
  sed -n '2,12p' "$0"; exit 2 ;;
esac
