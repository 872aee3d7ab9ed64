#!/usr/bin/env bash
# Runs every test on a fresh machine: a Release build, the xunit suite (unit tests, grains on a
# 2-silo TestCluster, wire tests against the real server binary, multi-process clusters in local
# mode, in redis mode against real redis-server processes and in cluster mode on loopback and in
# network namespaces), then the end-to-end suite driving
# the real binary with the npm packages pusher-js and pusher.
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK (dotnet) is required" >&2
  exit 1
fi
missing=()
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
# The redis mode's tests start their own redis-server processes (with redis-cli).
if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  missing+=(redis-server)
fi
# The deploy recipes' tests validate the Compose files with Debian's docker-compose (no container
# engine needed) and run nginx with the Compose files' configuration in front of local servers.
if ! command -v docker-compose >/dev/null 2>&1; then
  missing+=(docker-compose)
fi
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  missing+=(nginx)
fi
# The cluster mode's partition test cuts a node off in network namespaces of its own (iproute2's ip, as root).
if ! command -v ip >/dev/null 2>&1; then
  missing+=(iproute2)
fi
if [ ${#missing[@]} -gt 0 ]; then
  as_root apt-get update
  as_root apt-get install -y "${missing[@]}"
fi

dotnet build SoketiOrleans.sln -c Release
dotnet test SoketiOrleans.sln -c Release --no-build

export SOKETI_ORLEANS_DLL="$PWD/Silo/bin/Release/net10.0/SoketiOrleans.Silo.dll"
cd tests/e2e
npm ci --no-audit --no-fund
npm test
