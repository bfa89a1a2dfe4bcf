#!/usr/bin/env bash
# Real-terminal test of the TUI: builds mcpwalk, starts the demo servers
# (`mcpwalk demo --serve`, or the server at $MCPWALK_TUI_URL), runs
# `mcpwalk walk --headless URL` in a detached tmux session of fixed size on
# a private tmux socket, steps through the whole flow with send-keys, calls
# a tool from the explorer (echo, or $MCPWALK_TUI_TOOL: its first argument
# gets a text typed in the form), and checks capture-pane at each stage.
# Everything it starts is stopped by PID (and its own tmux server) on exit.
#
#   scripts/tmux-test.sh            # needs tmux; skipped without it unless CI=true
#   KEEP=1 scripts/tmux-test.sh     # keep the work dir (pane dumps) for a look
#   MCPWALK_BIN=path                # use this binary instead of building one
#   MCPWALK_TUI_URL=url MCPWALK_TUI_TOOL=name   # walk another server, call another tool
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
sock="mcpwalk-tui-test-$$"
session=walk
pids=()
passed=0
failed=0

tm() { tmux -L "$sock" -f /dev/null "$@"; }

cleanup() {
	local pane
	pane=$(tm display-message -p -t "$session" '#{pane_pid}' 2>/dev/null || true)
	[ -n "$pane" ] && kill "$pane" 2>/dev/null || true
	tm kill-server 2>/dev/null || true
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	if [ -n "${KEEP:-}" ]; then echo "work dir kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

if ! command -v tmux >/dev/null; then
	if [ "${CI:-}" = true ]; then
		echo "tmux-test: tmux is not installed (apt-get install tmux)" >&2
		exit 1
	fi
	echo "tmux-test: SKIP (tmux not installed)"
	exit 0
fi

bin=${MCPWALK_BIN:-}
if [ -z "$bin" ]; then
	bin="$work/mcpwalk"
	(cd "$root" && go build -o "$bin" ./cmd/mcpwalk)
fi

"$bin" walk --help >/dev/null 2>&1 || { echo "tmux-test: this mcpwalk has no walk command" >&2; exit 1; }

url=${MCPWALK_TUI_URL:-}
if [ -z "$url" ]; then
	"$bin" demo --serve >"$work/demo.out" 2>"$work/demo.err" &
	pids+=($!)
	for _ in $(seq 100); do
		url=$(head -n1 "$work/demo.out" 2>/dev/null || true)
		[ -n "$url" ] && break
		sleep 0.1
	done
	[ -n "$url" ] || { echo "tmux-test: the demo server printed no URL" >&2; cat "$work/demo.err" >&2; exit 1; }
fi
echo "tmux-test: walking $url"

# The pane runs mcpwalk, then says how it exited and stays open to be read.
tm new-session -d -s "$session" -x 120 -y 40 \
	"env NO_COLOR=1 TERM=xterm-256color LANG=C.UTF-8 XDG_DATA_HOME='$work/data' MCPWALK_TOKEN_STORE=file '$bin' walk --headless '$url' 2>'$work/stderr'; echo \"mcpwalk-exited-\$?\"; cat '$work/stderr'; sleep 60"

screen() { tm capture-pane -p -t "$session"; }

# expect TEXT [SECONDS]: wait until the screen shows TEXT.
expect() {
	local text=$1 limit=${2:-15} i
	for ((i = 0; i < limit * 10; i++)); do
		if screen | grep -qF -- "$text"; then
			passed=$((passed + 1))
			echo "ok   $text"
			return 0
		fi
		sleep 0.1
	done
	failed=$((failed + 1))
	echo "FAIL expected on screen: $text" >&2
	screen | sed 's/^/  | /' >&2
	screen >"$work/fail-$failed.txt"
	echo "tmux-test: $passed passed, $failed failed"
	exit 1
}

keys() { tm send-keys -t "$session" "$@"; }

expect "paused before probe"
expect "Next step. Press enter"
keys n
expect "paused before prm"
expect "401 Unauthorized"
keys n
expect "paused before asmeta"
keys n
expect "paused before stored"
keys n
expect "paused before register"
expect "no stored token"
keys n
expect "paused before authorize"
expect "client_id"
keys n
expect "paused before token"
expect "code_challenge_method"
expect "S256"
keys n
expect "paused before connect"
expect "hidden — press v to reveal"
keys n
expect "paused before tools/list"
expect "protocol 20"
keys a
expect "explore · connected"
expect "1 Tools("
tool=${MCPWALK_TUI_TOOL:-echo}
keys /
keys -l "$tool"
keys Enter
expect "▸ $tool"
keys Enter
expect "Call tool $tool"
keys -l "hello from tmux"
keys C-s
expect "Result of tools/call $tool"
expect "hello from tmux"
expect "HTTP exchanges"
keys Tab
expect "walk · connected"
expect "tools/call $tool"
keys q
expect "mcpwalk-exited-0"
expect "OK: $url"
echo "tmux-test: $passed passed, $failed failed"
