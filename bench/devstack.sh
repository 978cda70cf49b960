# Sourced by the bench scripts that need servers: start_devstack DIR starts the devstack (Kafka and
# Elasticsearch as child JVMs) under DIR and sets STACK (its pid), BROKERS and ES. The caller's EXIT
# trap stops it (kill $STACK). Take /tmp/caravan-it.lock around the whole script.
start_devstack() {
  local dir=$1 thin
  thin=$(ls target/caravan-*.jar | grep -v devstack | head -1)
  java -Xmx512m -cp "$thin:$(ls target/caravan-*-devstack.jar | head -1):$(cat target/devstack.classpath)" \
    caravan.devstack.DevStack "$dir/stack" > "$dir/stack.log" 2>&1 &
  STACK=$!
  for _ in $(seq 120); do grep -qs "Devstack up" "$dir/stack.log" && break; sleep 1; done
  BROKERS=$(sed -n 's/.*Kafka bootstrap: *\([^ ]*\).*/\1/p' "$dir/stack.log")
  ES=$(sed -n 's/.*URL: *\([^ ]*\).*/\1/p' "$dir/stack.log")
  echo "== devstack: kafka $BROKERS, search $ES; $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# kcat (Debian package kcat) reads the topic where a script needs to see the first record; installed
# here when missing, as bench/ship.sh installs rsyslog.
need_kcat() {
  command -v kcat > /dev/null && return
  local sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
  apt-cache show kcat > /dev/null 2>&1 || $sudo apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q kcat >&2
}

# tail_route DIR: DIR/routes/access.yaml tails DIR/logs/access*.log from the beginning into direct:ship;
# TAIL='idlePollDelay: 1000' adds tail: parameters (YAML flow-map entries).
tail_route() {
  mkdir -p "$1/routes" "$1/logs"
  cat > "$1/routes/access.yaml" <<YAML
- route:
    id: access
    from:
      uri: "tail:$1/logs/access*.log"
      parameters: {format: combined, startPosition: beginning, checkpointDir: "$1/checkpoints"${TAIL:+, $TAIL}}
      steps:
        - to: "direct:ship"
YAML
}

# devstack_settings DIR: the settings every bench round shares (the devstack's servers, one partition,
# DIR/routes, any free HTTP port, no alerts, the test GeoIP databases); the caller appends its own.
devstack_settings() {
  cat <<PROPS
caravan.kafka.brokers=$BROKERS
caravan.elasticsearch.urls=$ES
caravan.kafka.topic.replication=1
caravan.kafka.topic.partitions=1
caravan.index.template.replicas=0
caravan.routes.dir=$1/routes
caravan.http.port=0
caravan.alert.enabled=false
caravan.enrich.geoip.city-db=$PWD/src/test/resources/geoip/GeoLite2-City-Test.mmdb
caravan.enrich.geoip.asn-db=$PWD/src/test/resources/geoip/GeoLite2-ASN-Test.mmdb
PROPS
}

# await_first_record TOPIC: waits until TOPIC holds a record and prints its timestamp in ms (CreateTime:
# the producer stamps it when it sends, once the topic's metadata is known; the broker has it within
# linger.ms and a round trip). Polls every POLL seconds (0.25): a kcat launched every 50 ms competes
# for the two cores with the process being timed, and a time taken when it returns includes its own
# start. Prints nothing if no record comes within 30 s of polls.
await_first_record() {
  local t
  for _ in $(seq "$(awk -v p="${POLL:-0.25}" 'BEGIN {print int(30 / p)}')"); do
    t=$(timeout 2 kcat -C -b "$BROKERS" -t "$1" -o beginning -c 1 -e -q -f '%T' 2>/dev/null || true)
    [ -n "$t" ] && [ "$t" -gt 0 ] && { echo "$t"; return; }
    sleep "${POLL:-0.25}"
  done
}

# bench_devstack NAME CMD: how a bench of one Caravan command begins. FLAGS defaults to the launcher's flags for
# CMD, JAR (default target/caravan.jar) is built if missing, W is a new work directory /tmp/caravan-NAME-*, kcat is
# installed if missing and the servers are started. On exit the trap runs ON_EXIT (a command, if set), stops PID and
# the servers, and removes W.
bench_devstack() {
  # shellcheck source=bench/launcher-flags.sh
  . bench/launcher-flags.sh
  JAR=${JAR:-target/caravan.jar}
  FLAGS=${FLAGS:-$(launcher_flags "$2")}
  [ -f "$JAR" ] || mvn -B -q -o -DskipTests package
  W=$(mktemp -d "/tmp/caravan-$1-XXXX")
  STACK=
  PID=
  # set +e: under errexit the trap stopped at its first failing step (wait returns the killed stack's status), before rm.
  trap 'set +e; ${ON_EXIT:-}; kill $PID $STACK 2>/dev/null; wait $STACK 2>/dev/null; rm -rf "$W"' EXIT
  need_kcat
  start_devstack "$W"
}
