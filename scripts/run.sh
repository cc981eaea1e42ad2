#!/usr/bin/env bash
# `make run`: creates ./shouhou.db with demo data and an admin account on first
# use (the password is printed once), then serves on LISTEN.
set -eu
bin=$1
db=$2
listen=$3
if [ ! -f "$db" ]; then
	umask 077
	pwfile=$(mktemp)
	trap 'rm -f "$pwfile"' EXIT
	# hex: no demo username (gm, qc, …) can occur in it (the password rules refuse that)
	pw=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
	printf '%s\n' "$pw" >"$pwfile"
	"$bin" init --db "sqlite:$db" --admin admin --password-file "$pwfile"
	"$bin" demo --db "sqlite:$db" --password-file "$pwfile"
	cat <<MSG

  ┌──────────────────────────────────────────────────────────────┐
    Shouhou 售后 — first start
    admin password (shown once): $pw
    demo users (agent, dispatcher, technician, customer, …) use the same password
  └──────────────────────────────────────────────────────────────┘

MSG
fi
echo "serving http://$listen  (Ctrl-C to stop)"
exec "$bin" serve --db "sqlite:$db" --listen "$listen" --web-root web
