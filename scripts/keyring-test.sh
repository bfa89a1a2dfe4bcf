#!/usr/bin/env bash
# Runs the token-store tests against a real Secret Service: gnome-keyring in
# a private D-Bus session, with a fresh login keyring unlocked by a test
# password, in a throwaway HOME. The tests check the items with secret-tool.
# Then an end-to-end run: log in to the demo server with --token-store
# keyring, and call it again from a new process with --stored-auth-only.
#
# Usage: scripts/keyring-test.sh   (scripts/install-test-deps.sh installs
# gnome-keyring, dbus and secret-tool)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

for cmd in dbus-run-session gnome-keyring-daemon secret-tool; do
	command -v "$cmd" >/dev/null || { echo "keyring-test: $cmd is missing (scripts/install-test-deps.sh installs it)" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/mcpwalk" ./cmd/mcpwalk
go test -race -c -o "$work/store.test" ./internal/store

export HOME="$work/home" XDG_DATA_HOME="$work/home/.local/share" XDG_RUNTIME_DIR="$work/run"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

dbus-run-session -- bash -euo pipefail -c '
work=$1
# A fresh login keyring, created and unlocked with the test password.
printf %s "mcpwalk-test-password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
gnome-keyring-daemon --start --components=secrets >/dev/null
keyring_pid=$(pgrep -u "$(id -u)" -n gnome-keyring-d || true)
trap "[ -n \"$keyring_pid\" ] && kill \"$keyring_pid\" 2>/dev/null || true" EXIT

echo "keyring-test: go test -race -run RealSecretService ./internal/store" >&2
MCPWALK_SECRET_SERVICE=1 "$work/store.test" -test.run "^TestRealSecretService$" -test.count=1 -test.v

echo "keyring-test: log in once with --token-store keyring, then call from a new process" >&2
"$work/mcpwalk" demo --serve >"$work/demo.out" 2>&1 &
demo_pid=$!
trap "kill $demo_pid 2>/dev/null || true; [ -n \"$keyring_pid\" ] && kill \"$keyring_pid\" 2>/dev/null || true" EXIT
for _ in $(seq 50); do grep -q "MCP endpoint" "$work/demo.out" && break; sleep 0.1; done
url=$(sed -n "s/.*MCP endpoint: *//p" "$work/demo.out")
[ -n "$url" ] || { cat "$work/demo.out" >&2; exit 1; }

"$work/mcpwalk" check --headless --no-probes --token-store keyring "$url" 2>"$work/login.err" ||
	{ cat "$work/login.err" >&2; exit 1; }
"$work/mcpwalk" call --stored-auth-only --no-browser --token-store keyring "$url" tools/call echo --arg text=from-the-keyring \
	>"$work/call.out" 2>"$work/call.err" || { cat "$work/call.err" >&2; exit 1; }
grep -q "from-the-keyring" "$work/call.out"
grep -q "stored.token-reused" "$work/call.err"
secret-tool search --all service mcpwalk >"$work/items" 2>&1 || true
grep -q "token:$url" "$work/items" ||
	{ echo "keyring-test: no token item for $url in the Secret Service" >&2; exit 1; }
if grep -rqs "access_token" "$XDG_DATA_HOME/mcpwalk/credentials.json"; then
	echo "keyring-test: --token-store keyring wrote tokens to a file" >&2; exit 1
fi
"$work/mcpwalk" logout --token-store keyring "$url"
echo "keyring-test: PASS (Secret Service store, reuse from a new process, logout)" >&2
' keyring-test "$work"
