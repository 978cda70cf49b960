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
