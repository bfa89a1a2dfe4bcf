#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine, and nothing that is
# already there: iproute2 and util-linux for scripts/netns-run.sh, Node.js if
# it is missing, tmux for the terminal test, chromium for the real-browser
# login test, gnome-keyring, dbus and secret-tool for the Secret Service test,
# and the npm peers in tests/peers (npm ci from the lockfile).
# Safe to run again; runs non-interactively (CI=true, no stdin).
set -euo pipefail

log() { printf 'install-test-deps: %s\n' "$*" >&2; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
peers="$root/tests/peers"

# command -> Debian package that provides it
declare -A provider=(
	[ip]=iproute2
	[ss]=iproute2
	[unshare]=util-linux
	[node]=nodejs
	[npm]=npm
	[tmux]=tmux
	[chromium]=chromium
	[gnome-keyring-daemon]=gnome-keyring
	[secret-tool]=libsecret-tools
	[dbus-run-session]=dbus-daemon
)

missing=()
for cmd in ip ss unshare node npm tmux chromium gnome-keyring-daemon secret-tool dbus-run-session; do
	if command -v "$cmd" >/dev/null 2>&1; then
		log "have $cmd ($(command -v "$cmd"))"
		continue
	fi
	pkg=${provider[$cmd]}
	log "missing $cmd (Debian package $pkg)"
	case " ${missing[*]-} " in *" $pkg "*) ;; *) missing+=("$pkg") ;; esac
done

if [ "${#missing[@]}" -gt 0 ]; then
	sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null 2>&1 || { log "need root to install: ${missing[*]}"; exit 1; }
		sudo=(sudo -n)
	fi
	export DEBIAN_FRONTEND=noninteractive
	log "apt-get update"
	"${sudo[@]}" apt-get update -q </dev/null >&2
	log "apt-get install ${missing[*]}"
	"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >&2
else
	log "no Debian packages needed"
fi

# npm ci wipes and reinstalls node_modules; skip it when the installed tree
# came from this very lockfile.
stamp="$peers/node_modules/.installed-from-lock.sha256"
want=$(sha256sum "$peers/package-lock.json" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
	[ -d "$peers/node_modules/@modelcontextprotocol/sdk" ]; then
	log "tests/peers/node_modules is up to date with package-lock.json"
else
	log "npm ci in tests/peers (node $(node --version), npm $(npm --version 2>/dev/null))"
	(cd "$peers" && npm ci --no-audit --no-fund </dev/null >&2)
	printf '%s\n' "$want" >"$stamp"
fi
log "done"
