# Sourced by the bench scripts: launcher_flags CMD prints the JVM flags ./caravan starts CMD with (JAVA_HEAP_SHIP
# for ship, JAVA_HEAP_INDEX for index and run), so that a bench measures what the launcher runs. Run from the root.
launcher_flags() {
  local var=JAVA_HEAP_INDEX
  [ "$1" = ship ] && var=JAVA_HEAP_SHIP
  sed -n "s/^$var=//p" caravan | tr -d '"'
}
