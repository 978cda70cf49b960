#!/usr/bin/env bash
# Installs what the deployment-file tests run (they skip, saying why, when a tool is missing):
#   systemd-analyze (Debian systemd), promtool and prometheus (Debian prometheus), and the
#   Kubernetes schema validator's npm packages in k8s/schema-check. kubectl is not a Debian
#   package: install it yourself to render k8s/ (the k8s test skips without it).
# Needs root (or sudo) for apt-get; without either it says so and leaves the tests to skip.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v systemd-analyze >/dev/null || missing+=(systemd)
command -v promtool >/dev/null || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo -n"; else sudo=none; fi
  if [ "$sudo" = none ]; then
    echo "tools: cannot install ${missing[*]} (not root, no sudo); their tests will skip" >&2
  else
    echo "tools: installing Debian packages ${missing[*]}" >&2
    $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null \
      || { $sudo apt-get update >/dev/null && $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
    # Debian's prometheus package starts a service on hosts with systemd running; the tests need only the binaries.
  fi
fi

if command -v npm >/dev/null && [ ! -d k8s/schema-check/node_modules/kubernetes-models ]; then
  echo "tools: npm ci in k8s/schema-check (Kubernetes v1.36.0 schema)" >&2
  (cd k8s/schema-check && npm ci --no-audit --no-fund >/dev/null)
fi
