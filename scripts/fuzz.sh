#!/usr/bin/env bash
# Runs every Go fuzz target of the module (func FuzzXxx in a _test.go), one
# after the other, each for a short bounded time: the WWW-Authenticate
# parser, metadata decoding, JWT decoding and the SDK's SSE reading through
# mcpwalk's call path. New targets are picked up by themselves.
#
# Usage: scripts/fuzz.sh [package...]      (default ./...)
#   FUZZTIME=30s scripts/fuzz.sh ./flow/   (default 10000 executions per target)
#
# In CI it runs inside scripts/netns-run.sh (loopback only), after
# scripts/test.sh has filled the module and build caches. A failing input is
# written to <package>/testdata/fuzz/<Target>/ and the script exits non-zero.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# A count, not a duration: with a duration, an execution still running when
# the time is up (the SSE target waits on slow bodies) fails the run with
# "context deadline exceeded" although nothing is wrong.
fuzztime="${FUZZTIME:-10000x}"
pkgs=("$@")
[ "${#pkgs[@]}" -gt 0 ] || pkgs=(./...)

# go test -list prints the matching names of each package, then "ok <pkg>";
# a package that does not build fails the script here.
list=$(go test -list '^Fuzz' "${pkgs[@]}")
targets=()
names=()
while read -r first second _; do
	case "$first" in
	Fuzz*) names+=("$first") ;;
	ok)
		for n in "${names[@]}"; do targets+=("$second $n"); done
		names=()
		;;
	*) names=() ;;
	esac
done <<<"$list"

if [ "${#targets[@]}" -eq 0 ]; then
	echo "fuzz: no fuzz targets found in ${pkgs[*]}" >&2
	exit 1
fi

failed=()
for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	echo "fuzz: $name in $pkg for $fuzztime" >&2
	if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg"; then
		failed+=("$pkg $name")
	fi
done

if [ "${#failed[@]}" -gt 0 ]; then
	printf 'fuzz: FAILED: %s\n' "${failed[@]}" >&2
	exit 1
fi
echo "fuzz: ${#targets[@]} target(s) passed, ${fuzztime} each" >&2
