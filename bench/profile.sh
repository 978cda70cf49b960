#!/usr/bin/env bash
# CPU profile of a running Caravan, every thread, Java and native and kernel frames: async-profiler (from Maven
# Central) attached for a while, then a summary per thread and, for one thread, its hottest frames.
#   bench/profile.sh record PID SECONDS OUT.collapsed   attach, sample every 1 ms of CPU, detach, write collapsed stacks
#   bench/profile.sh threads OUT.collapsed              share of the samples per thread (digits folded)
#   bench/profile.sh frames OUT.collapsed THREAD [N]    for threads whose name holds THREAD: top N self and inclusive frames
# With bench/e2e.sh: find the `run --config /tmp/caravan-e2e-...` java process once its burst is over, then record
# (session 36 recorded 120 s from 100 s into a 240 s steady phase). Kernel frames need kernel.perf_event_paranoid <= 1
# (set by `record` when run as root); without them the profiler falls back to its timer.
set -euo pipefail
VERSION=4.1
case "${1:-}" in
record)
  pid=$2 secs=$3 out=$4
  jar=~/.m2/repository/tools/profiler/async-profiler/$VERSION/async-profiler-$VERSION.jar
  [ -f "$jar" ] || mvn -B -q dependency:get -Dartifact=tools.profiler:async-profiler:$VERSION >/dev/null
  tmp=$(mktemp -d)
  lib=$tmp/linux-x64/libasyncProfiler.so
  unzip -q -o "$jar" 'linux-x64/*' -d "$tmp"
  [ "$(id -u)" = 0 ] && sysctl -q -w kernel.perf_event_paranoid=1 kernel.kptr_restrict=0 || true
  # jcmd's JVMTI.agent_load splits the options at '=': attach through the API instead (a one-file program).
  attach=$tmp/ProfilerAttach.java
  cat > "$attach" <<'JAVA'
public class ProfilerAttach {
    public static void main(String[] a) throws Exception {
        var vm = com.sun.tools.attach.VirtualMachine.attach(a[0]);
        try { vm.loadAgentPath(a[1], a[2]); } finally { vm.detach(); }
    }
}
JAVA
  java "$attach" "$pid" "$lib" "start,event=cpu,interval=1ms,threads"
  sleep "$secs"
  java "$attach" "$pid" "$lib" "stop,file=$out,collapsed"
  echo "$out: $(wc -l < "$out") stacks"
  ;;
threads|frames)
  python3 - "$@" <<'PY'
import collections, re, sys
mode, path = sys.argv[1], sys.argv[2]
want = sys.argv[3] if mode == "frames" else None
top = int(sys.argv[4]) if len(sys.argv) > 4 else 30
per_thread, own, incl, total, n = collections.Counter(), collections.Counter(), collections.Counter(), 0, 0
for line in open(path):
    stack, _, count = line.rstrip().rpartition(" ")
    count, frames = int(count), stack.split(";")
    total += count
    per_thread[re.sub(r"\d+", "#", re.sub(r" tid=\d+\]$", "]", frames[0]))] += count
    if want and want in frames[0]:
        n += count
        own[frames[-1]] += count
        for f in set(frames[1:]):
            incl[f] += count
if mode == "threads":
    for t, c in per_thread.most_common(top):
        print(f"{100 * c / total:5.1f}% {c:8d} {t}")
else:
    print(f"{n} samples of threads named *{want}*")
    print("-- self")
    for f, c in own.most_common(top):
        print(f"{100 * c / n:5.1f}% {f}")
    print("-- inclusive")
    for f, c in incl.most_common(2 * top):
        print(f"{100 * c / n:5.1f}% {f}")
PY
  ;;
*)
  sed -n '2,9p' "$0"; exit 2 ;;
esac
