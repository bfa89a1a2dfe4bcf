#!/usr/bin/env bash
# Measures mcpwalk beside the official Go SDK client and MCP Inspector, in
# one run, against the same demo server on 127.0.0.1, and prints ratios.
# Nothing here asserts a time: shared machines are too noisy for that.
#
#  1. In process (go test -bench): one whole authorization (discovery,
#     dynamic registration, PKCE, token) and tools/list — mcpwalk's call
#     command vs the Go SDK's auth.AuthorizationCodeHandler. Time, bytes and
#     allocations per run, median of COUNT runs.
#  2. As processes: an authenticated tools/list with a token obtained once —
#     `mcpwalk call --stored-auth-only`, a minimal Go SDK client
#     (internal/bench/sdkclient) and the Inspector CLI with the token in a
#     header. Median wall time and peak RSS of RUNS runs each.
#
# Usage: scripts/bench.sh   (COUNT=5 RUNS=15 by default; run it inside the
# loopback-only namespace: bash scripts/netns-run.sh bash scripts/bench.sh,
# after the npm install below has run once outside)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
COUNT=${COUNT:-5}
RUNS=${RUNS:-15}

if [ ! -x tests/bench/node_modules/.bin/mcp-inspector ]; then
	(cd tests/bench && npm ci --no-audit --no-fund </dev/null >&2)
fi
command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (Debian package time)" >&2; exit 1; }

work=$(mktemp -d)
demo_pid=
cleanup() {
	[ -n "$demo_pid" ] && kill "$demo_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

echo "== in process: full authorization + tools/list (go test -bench, count $COUNT)"
go test -run '^$' -bench 'FullFlow' -benchmem -count "$COUNT" ./cmd/ >"$work/gobench.txt"
for name in Mcpwalk GoSDK; do
	for col in 3 5 7; do
		awk -v n="BenchmarkFullFlow$name" -v c="$col" '$1 ~ "^"n"(-[0-9]+)?$" {print $c}' "$work/gobench.txt" | median >"$work/$name.$col"
	done
done
printf '%-22s %14s %12s %10s\n' "client" "ns/op" "B/op" "allocs/op"
for name in Mcpwalk GoSDK; do
	printf '%-22s %14.0f %12.0f %10.0f\n' "$name" "$(cat "$work/$name.3")" "$(cat "$work/$name.5")" "$(cat "$work/$name.7")"
done
awk -v t1="$(cat "$work/Mcpwalk.3")" -v t2="$(cat "$work/GoSDK.3")" -v m1="$(cat "$work/Mcpwalk.5")" -v m2="$(cat "$work/GoSDK.5")" \
	'BEGIN {printf "ratio mcpwalk/Go SDK: time %.2fx, memory %.2fx\n", t1/t2, m1/m2}'

echo
echo "== as processes: authenticated tools/list ($RUNS runs each)"
go build -o "$work/mcpwalk" ./cmd/mcpwalk
go build -o "$work/sdkclient" ./internal/bench/sdkclient
"$work/mcpwalk" demo --serve >"$work/demo.out" 2>&1 &
demo_pid=$!
for _ in $(seq 50); do grep -q "MCP endpoint" "$work/demo.out" && break; sleep 0.1; done
url=$(sed -n 's/.*MCP endpoint: *//p' "$work/demo.out")
[ -n "$url" ] || { cat "$work/demo.out" >&2; exit 1; }
export XDG_DATA_HOME="$work/data" MCPWALK_TOKEN_STORE=file HOME="$work/home"
mkdir -p "$HOME"
"$work/mcpwalk" check --headless --no-probes "$url" 2>/dev/null
# The token goes to the other clients through the environment and a header,
# never to the terminal.
MCPWALK_BENCH_TOKEN=$("$work/mcpwalk" token show --reveal --json "$url" 2>/dev/null |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
export MCPWALK_BENCH_TOKEN
inspector=(node tests/bench/node_modules/.bin/mcp-inspector --cli --method tools/list --transport http --server-url "$url")

measure() { # name command...
	local name=$1
	shift
	: >"$work/$name.samples"
	local t0 t1
	for _ in $(seq "$RUNS"); do
		# Wall time from bash's microsecond clock (GNU time rounds to 10ms);
		# peak RSS from GNU time.
		t0=$EPOCHREALTIME
		/usr/bin/time -f '%M' -o "$work/time" "$@" >/dev/null 2>"$work/$name.err" ||
			{ echo "bench: $name failed:" >&2; cat "$work/$name.err" >&2; exit 1; }
		t1=$EPOCHREALTIME
		echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b-a}') $(cat "$work/time")" >>"$work/$name.samples"
	done
	awk '{print $1}' "$work/$name.samples" | median >"$work/$name.wall"
	awk '{print $2}' "$work/$name.samples" | median >"$work/$name.rss"
}
measure mcpwalk "$work/mcpwalk" call --stored-auth-only "$url" tools/list
measure sdk "$work/sdkclient" "$url"
bearer_header="Authorization: Bearer $MCPWALK_BENCH_TOKEN"
measure inspector "${inspector[@]}" --header "$bearer_header"
printf '%-22s %10s %12s\n' "client" "wall (s)" "peak RSS (MB)"
for name in mcpwalk sdk inspector; do
	printf '%-22s %10.3f %12.1f\n' "$name" "$(cat "$work/$name.wall")" "$(awk '{print $1/1024}' "$work/$name.rss")"
done
awk -v w="$(cat "$work/mcpwalk.wall")" -v ws="$(cat "$work/sdk.wall")" -v wi="$(cat "$work/inspector.wall")" \
	-v r="$(cat "$work/mcpwalk.rss")" -v rs="$(cat "$work/sdk.rss")" -v ri="$(cat "$work/inspector.rss")" 'BEGIN {
	printf "ratio mcpwalk/Go SDK client: wall %.2fx, RSS %.2fx\n", w/ws, r/rs
	printf "ratio mcpwalk/MCP Inspector CLI: wall %.2fx, RSS %.2fx\n", w/wi, r/ri
}'
