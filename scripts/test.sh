#!/usr/bin/env bash
# Runs every test of mcpwalk: go vet, then the whole Go suite with -race
# inside a network namespace where only loopback exists, so no test (and no
# metadata document, however wrong) can send a request off the machine.
# Installs what the tests need first (scripts/install-test-deps.sh).
#
# Usage: scripts/test.sh [go test flags...]   e.g. scripts/test.sh -run Demo ./cmd/
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-test-deps.sh

# Fill the module and build caches while the module proxy is reachable:
# inside the namespace nothing can be downloaded.
go mod download
go vet ./...
go test -race -count=1 -run '^$' ./... >/dev/null

args=("$@")
[ "${#args[@]}" -gt 0 ] || args=(./...)
echo "go test -race -count=1 ${args[*]}  (network namespace: loopback only)" >&2
GOPROXY=off GOFLAGS=-mod=readonly bash scripts/netns-run.sh go test -race -count=1 "${args[@]}"
