#!/usr/bin/env bash
# Before/after in one benchmark run (issue 11's "no slowdown"): one bench/ script at an older commit and
# at this checkout's HEAD, alternating, ROUNDS times, so both sides see the same machine and load.
# Each side is a detached worktree under target/before-after/, built by the script itself.
#   bench/before-after.sh REV SCRIPT [args]
#   bench/before-after.sh e077667 jmh.sh ParsingBenchmark -f 1 -wi 3 -i 5 -w 2s -r 4s
#   ROUNDS=3 bench/before-after.sh e077667 index.sh 200000 1
# Output: target/before-after/<script>-<before|after>-<round>.txt, and each side's summary lines at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: bench/before-after.sh REV SCRIPT [args]" >&2; exit 2; }
rev=$1 script=$2
shift 2
out=target/before-after
mkdir -p "$out"
declare -A tree=([before]="$out/tree-$(git rev-parse --short "$rev")" [after]="$out/tree-$(git rev-parse --short HEAD)")
declare -A commit=([before]="$rev" [after]=HEAD)
for side in before after; do
  if [ ! -d "${tree[$side]}" ]; then
    git worktree add -q --detach "${tree[$side]}" "${commit[$side]}"
  fi
  # ../shared beside the tree, as beside the project
  [ -e "${tree[$side]}/../shared" ] || [ ! -d ../shared ] || ln -s "$(cd ../shared && pwd)" "$out/shared"
done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "before: $(git log -1 --format='%h %s' "$rev" | cut -c1-100)"
echo "after:  $(git log -1 --format='%h %s' HEAD | cut -c1-100)"
for round in $(seq 1 "${ROUNDS:-3}"); do
  for side in before after; do
    f="$out/${script%.sh}-$side-$round.txt"
    echo "== round $round, $side, load $(cut -d' ' -f1-3 /proc/loadavg)"
    (cd "${tree[$side]}" && bash "bench/$script" "$@") > "$f" 2>&1 || { echo "failed: see $f"; exit 1; }
    grep -E ' = |ratio|ops/s|lines/s|docs/s|Benchmark|^caravan|^raw|^[A-Za-z]+Benchmark\.' "$f" | tail -25
  done
done
