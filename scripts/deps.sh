#!/usr/bin/env bash
# Installs the Debian 12 packages Shouhou needs to build, run and test.
# Idempotent: only missing packages are installed. Run as root (or with sudo).
set -euo pipefail

pkgs=(
	build-essential cmake pkg-config clang clang-format git ca-certificates curl
	libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3 libpq-dev libsodium-dev
	libcurl4-openssl-dev libxlsxwriter-dev libqrencode-dev libpng-dev zlib1g-dev
	libcairo2-dev libpango1.0-dev fonts-noto-cjk poppler-utils
	libcmocka-dev libclang-rt-14-dev lld
	postgresql postgresql-contrib systemd nginx-light haproxy pgbouncer openssl
	python3 python3-yaml python3-jsonschema python3-aiosmtpd wrk
)
if [ "${SHOUHOU_DEPS_BROWSER:-1}" = 1 ]; then
	# the browser tests drive Chromium's headless shell (the same Blink, without the
	# browser's UI process): alone, the suite took 366 core-seconds on it, 720 on chromium
	pkgs+=(chromium-headless-shell)
	# Node.js may come from outside Debian (with its own npm); Debian's npm
	# conflicts with such a nodejs, so only ask Debian when npm is absent.
	command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)
fi

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#pkgs[@]} packages present"
	exit 0
fi
echo "deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
