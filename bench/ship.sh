#!/usr/bin/env bash
# Shipping benchmark: lines/s from a file to Kafka through Caravan's tail: component and ship route,
# next to Kafka's own producer (kafka-producer-perf-test, i.e. org.apache.kafka.tools.ProducerPerformance)
# and rsyslog (imfile -> omkafka, Debian's rsyslog and rsyslog-kafka) on the same broker, in the same
# alternating rounds: the producer sends the envelopes of the same corpus lines, rsyslog reads the same
# file from its beginning and writes an envelope of the same shape (template in ShipBench), all with
# acks=all, idempotence, and Caravan's default codec, linger and batch size (caravan.ship.kafka.*; a
# JAVA_OPTS=-Dcaravan.ship.kafka.<name>=<value> changes it for both). Prints the medians and Caravan's ratio to each.
# rsyslog runs in the foreground with its own config, work directory and pid file under target/bench-ship;
# the system's rsyslog (if any) is not touched. RSYSLOG=off leaves it out.
#
# Usage: bench/ship.sh [lines] [runs]        default: 2000000 lines (the 10k corpus x 200), 3 runs, after an untimed warm-up of both
# Options as environment variables:
#   TAIL_OPTIONS='&maxInflight=20000'   extra tail: endpoint options for Caravan's runs
#   TAIL_OPTIONS_B='&maxBatchLines=500' more Caravan configurations (separated by ';'), run after the first in
#                                       every round; '&jmxStatistics=Default' in one sets its JMX statistics level
#   PRODUCER_EXTRA='batch.size=65536'   extra producer properties for ProducerPerformance
#   JAVA_OPTS='-XX:StartFlightRecording=filename=target/ship.jfr'   JVM options for Caravan's side
#   SHIP_JVM=launcher (default)   Caravan's side runs at the flags ./caravan ship starts with (C1 only, Serial,
#                                 a 64 MB heap); SHIP_JVM=bench gives it the bench's own JVM (C2, G1, 1 GB),
#                                 as every run before session 25 did
#   JMX_STATISTICS=Default              Camel's JMX statistics level for Caravan's runs (default: the product's, RoutesOnly)
# Needs nothing running: it starts its own Kafka broker (the devstack's, from Maven Central jars).
# Take the server lock: flock /tmp/caravan-it.lock bench/ship.sh
set -euo pipefail
cd "$(dirname "$0")/.."

LINES=${1:-2000000}
RUNS=${2:-3}
mvn -B -q -o test-compile 2>/dev/null || mvn -B -q test-compile
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
RSYSLOGD=
if [ "${RSYSLOG:-on}" != off ]; then
  # Debian's rsyslog and its Kafka output module; installed when missing (the package's policy-rc.d, if the
  # machine has one, keeps the system service from starting; this bench never uses it)
  if ! command -v rsyslogd >/dev/null || ! dpkg -s rsyslog-kafka >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] && SUDO= || SUDO=sudo
    apt-cache show rsyslog-kafka >/dev/null 2>&1 || $SUDO apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q rsyslog rsyslog-kafka >&2
  fi
  RSYSLOGD=$(command -v rsyslogd)
fi
CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
WORK=target/bench-ship
rm -rf "$WORK"

echo "== $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
     "$(free -g | awk '/Mem:/ {print $2}') GB RAM, $(java -version 2>&1 | head -1)"
SHIP_FLAGS=
if [ "${SHIP_JVM:-launcher}" = launcher ]; then
  # shellcheck source=bench/launcher-flags.sh
  . bench/launcher-flags.sh
  SHIP_FLAGS=$(launcher_flags ship)
fi
echo "== Caravan's JVM: ${SHIP_FLAGS:-the bench's own (-Xmx1g, the JVM's JIT and collector)} ${JAVA_OPTS:-}"
# JAVA_OPTS: e.g. -XX:StartFlightRecording=filename=target/ship.jfr to profile Caravan's side
# shellcheck disable=SC2086
CARAVAN_LOG_LEVEL=${CARAVAN_LOG_LEVEL:-warn} java -Xmx1g $SHIP_FLAGS ${JAVA_OPTS:-} -cp "$CP" \
  -Dlines="$LINES" -Druns="$RUNS" -Dwork="$WORK" \
  -DtailOptions="${TAIL_OPTIONS:-}" -DtailOptionsB="${TAIL_OPTIONS_B:-}" -DproducerExtra="${PRODUCER_EXTRA:-}" -DjmxStatistics="${JMX_STATISTICS:-}" \
  -Drsyslogd="$RSYSLOGD" \
  caravan.ship.tail.ShipBench
