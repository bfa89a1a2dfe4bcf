#!/usr/bin/env bash
# Runs every test of mcpwalk: go vet, then the whole Go suite with -race
# inside a network namespace where only loopback exists, so no test (and no
# metadata document, however wrong) can send a request off the machine.
# Installs what the tests need first (scripts/install-test-deps.sh). With no
# arguments it also runs scripts/keyring-test.sh (the real Secret Service).
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
full=false
[ "${#args[@]}" -gt 0 ] || { args=(./...); full=true; }
echo "go test -race -count=1 ${args[*]}  (network namespace: loopback only)" >&2
GOPROXY=off GOFLAGS=-mod=readonly bash scripts/netns-run.sh go test -race -count=1 "${args[@]}"

# The token store against a real Secret Service (gnome-keyring in a private
# D-Bus session), also inside the namespace.
if $full; then
	GOPROXY=off GOFLAGS=-mod=readonly bash scripts/netns-run.sh bash scripts/keyring-test.sh
fi
