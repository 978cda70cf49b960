#!/usr/bin/env bash
# Caravan's CRS engine against the reference, libmodsecurity3 (BENCHMARKS.md, "CRS against libmodsecurity").
#
# Both engines get the same requests: the corpus's 10,000 access-log lines and the access-log lines
# CrsRegressionTest makes of CRS's regression tests, parsed once by Caravan's parser into
# target/crs-bench/requests.tsv (method, URI, protocol, User-Agent, Referer, Host). Same CRS rules,
# same paranoia level, each engine on one thread. Caravan: caravan.bench.CrsEngineBench.
# libmodsecurity3: bench/crs/modsec_harness.c, built here against Debian's libmodsecurity-dev, with
# crs-setup.conf.example's values, SecRuleEngine DetectionOnly and the paranoia level as tx.blocking/
# detection_paranoia_level (anomaly scoring, CRS's default thresholds).
#
# Reported: per line, whether both fired the same set of CRS rule ids, leaving out the rules that
# only evaluate the anomaly scores (949xxx, 959xxx, 980xxx: 949110, 959100, 980170 ...). A second
# figure also leaves out 920180 and 920300, which look for headers an access log does not record
# (Content-Length/Transfer-Encoding, Accept): libmodsecurity sees them missing, Caravan skips them.
# And events per second per core (requests / thread CPU seconds), the median pass of each.
#
# Usage: bench/crs.sh [paranoia level, default 1] [CRS rules dir, default src/test/resources/crs/rules]
# Env:   CARAVAN_PASSES (default 3): passes over the requests; each starts with empty verdict caches,
#        the first also warms the JIT and is left out of the median when there are more.
#        MODSEC_PASSES (default 1): passes of the libmodsecurity3 harness (C: nothing to warm up).
# Output: target/crs-bench/ (requests.tsv, lines.log, *.ids, disagreements-pl<N>.txt, report-pl<N>.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
PL=${1:-1}
RULES=$(realpath "${2:-src/test/resources/crs/rules}")
SETUP="$RULES/../crs-setup.conf.example"
CARAVAN_PASSES=${CARAVAN_PASSES:-3}
MODSEC_PASSES=${MODSEC_PASSES:-1}
OUT=target/crs-bench
mkdir -p "$OUT"
[ -f "$SETUP" ] || { echo "bench/crs.sh: no crs-setup.conf.example beside $RULES" >&2; exit 2; }

if ! dpkg -s libmodsecurity-dev libmodsecurity3 gcc > /dev/null 2>&1; then
  apt-cache show libmodsecurity-dev > /dev/null 2>&1 || apt-get update -q
  apt-get install -y -q libmodsecurity3 libmodsecurity-dev gcc
fi
gcc -O2 -Wall -Wextra -o "$OUT/modsec_harness" bench/crs/modsec_harness.c -lmodsecurity

mvn -B -q -o -DskipTests test-compile
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
java -cp "$cp" caravan.enrich.crs.CrsBenchLines "$OUT/requests.tsv" "$OUT/lines.log" 2>/dev/null | grep CrsBenchLines

# The set-up file: crs-setup.conf.example's directives (comments dropped), then what Caravan's settings set.
{
  echo "SecRuleEngine DetectionOnly"
  echo "SecAuditEngine Off"
  grep -v '^[[:space:]]*#' "$SETUP" | grep -v '^[[:space:]]*$'
  echo "SecAction \"id:900000,phase:1,pass,t:none,nolog,setvar:tx.blocking_paranoia_level=$PL,setvar:tx.detection_paranoia_level=$PL\""
  echo "Include $RULES/*.conf"
} > "$OUT/modsec-pl$PL.conf"

load() { echo "load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"; }
report="$OUT/report-pl$PL.txt"
{
  echo "# $(date -u +%FT%TZ) bench/crs.sh PL$PL rules=$RULES passes: Caravan $CARAVAN_PASSES, libmodsecurity $MODSEC_PASSES"
  echo "before: $(load)"
} > "$report"
java -cp "$cp" caravan.bench.CrsEngineBench "$RULES" "$PL" "$OUT/requests.tsv" "$OUT/caravan-pl$PL.ids" "$CARAVAN_PASSES" \
  2>/dev/null | tee "$OUT/caravan-pl$PL.rates"
"$OUT/modsec_harness" "$OUT/modsec-pl$PL.conf" "$OUT/requests.tsv" "$OUT/modsec-pl$PL.ids" "$MODSEC_PASSES" \
  | tee "$OUT/modsec-pl$PL.rates"
echo "after: $(load)" >> "$report"

# Agreement per line; disagreements listed with the rule ids only one side fired and the request.
awk -F'\t' -v dis="$OUT/disagreements-pl$PL.txt" -v req="$OUT/requests.tsv" -v ours="$OUT/caravan-pl$PL.ids" '
  function norm(s, headers,   a, n, i, o) {
    n = split(s, a, " "); o = ""
    for (i = 1; i <= n; i++) {
      if (a[i] ~ /^(949|959|980)/) continue
      if (headers && (a[i] == "920180" || a[i] == "920300")) continue
      o = o (o == "" ? "" : " ") a[i]
    }
    return o
  }
  function only(x, y,   a, n, i, o) {
    n = split(x, a, " "); o = ""
    for (i = 1; i <= n; i++) if ((" " y " ") !~ (" " a[i] " ")) o = o (o == "" ? "" : " ") a[i]
    return o
  }
  FILENAME == req { r[FNR] = $0; next }
  FILENAME == ours { c[$1] = $2; next }
  {
    total++
    if (norm(c[$1], 0) == norm($2, 0)) all++
    a = norm(c[$1], 1); m = norm($2, 1)
    if (a == m) { logged++; next }
    ca = only(a, m); mo = only(m, a)
    print $1 "\tcaravan only [" ca "]\tlibmodsecurity only [" mo "]\t" r[$1] > dis
    n = split(ca, x, " "); for (i = 1; i <= n; i++) byrule["caravan only " x[i]]++
    n = split(mo, x, " "); for (i = 1; i <= n; i++) byrule["libmodsecurity only " x[i]]++
  }
  END {
    printf "rule-id agreement, scoring rules (949xxx 959xxx 980xxx) left out: %d/%d lines = %.2f%%\n", all, total, 100 * all / total
    printf "  also leaving out 920180 and 920300 (headers a log does not record): %d/%d = %.2f%%\n", logged, total, 100 * logged / total
    for (k in byrule) printf "  %-28s on %d lines\n", k, byrule[k] | "sort"
  }' "$OUT/requests.tsv" "$OUT/caravan-pl$PL.ids" "$OUT/modsec-pl$PL.ids" | tee -a "$report"

median() { grep -v "$2" "$1" | grep -o '[0-9]* events/s per core' | awk '{print $1}' | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
c=$(median "$OUT/caravan-pl$PL.rates" "$([ "$CARAVAN_PASSES" -gt 1 ] && echo 'pass 1:' || echo '^$')")
m=$(median "$OUT/modsec-pl$PL.rates" '^$')
{
  cat "$OUT/caravan-pl$PL.rates" "$OUT/modsec-pl$PL.rates"
  echo "events/s per core, median pass (Caravan's warm-up pass aside): Caravan $c, libmodsecurity3 $m, ratio $(awk -v c="$c" -v m="$m" 'BEGIN {printf "%.2f", c / m}')"
} | tee -a "$report" | tail -1
echo "report: $report; disagreements: $OUT/disagreements-pl$PL.txt"
