#!/usr/bin/env bash
# Start this machine's PostgreSQL cluster when it is not answering on 127.0.0.1:5432.
# Does nothing when DATABASE_URL points elsewhere, or when PostgreSQL already answers.
set -euo pipefail
url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/newsarchive}"
case "$url" in
  *@127.0.0.1:5432/*|*@localhost:5432/*|*@127.0.0.1/*|*@localhost/*) ;;
  *) exit 0 ;;
esac
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then exit 0; fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "Starting PostgreSQL $version ..."
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done
fi
echo "PostgreSQL does not answer on 127.0.0.1:5432; start it or set DATABASE_URL." >&2
exit 1
