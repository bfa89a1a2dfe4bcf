#!/usr/bin/env bash
# Usage: scripts/netns-run.sh CMD [ARG...]
#
# Runs CMD in a fresh network namespace where only loopback exists and is up,
# so a test cannot reach anything but 127.0.0.0/8 and ::1. Needs root (or
# CAP_SYS_ADMIN) for unshare -n. If the namespace cannot be made, it says so
# loudly and exits non-zero: it never falls back to running CMD outside.
#
# Inside, nothing can be downloaded: fill the module cache first (go mod
# download, or any go build outside), then `go test` works offline; pass
# GOPROXY=off to make a missing module fail at once instead of trying the
# network. GOFLAGS=-mod=mod is not needed.
set -euo pipefail

die() {
	printf '\n!!! netns-run: %s\n!!! netns-run: refusing to run the command outside a network namespace.\n\n' "$*" >&2
	exit 1
}

if [ "$#" -eq 0 ]; then
	echo "usage: $0 CMD [ARG...]" >&2
	exit 2
fi
command -v unshare >/dev/null 2>&1 || die "unshare not found (Debian package util-linux); run scripts/install-test-deps.sh"
command -v ip >/dev/null 2>&1 || die "ip not found (Debian package iproute2); run scripts/install-test-deps.sh"
if ! probe=$(unshare -n -- true 2>&1); then
	die "cannot create a network namespace (unshare -n failed: ${probe:-no message}); this needs root or CAP_SYS_ADMIN"
fi

# shellcheck disable=SC2016 # "$@" is expanded by the inner shell.
exec unshare -n -- sh -c 'ip link set lo up && exec "$@"' sh "$@"
