#!/usr/bin/env bash
# Readium's OPDS parser (npm r2-opds-js, the parser of the Thorium reader) installed once into a cache
# folder the OPDS tests read it from: tests/parsers/r2_opds.py runs r2_opds_read.js with it.
# Usage: r2_opds.sh install   (idempotent; prints the folder). Needs node and npm.
# The folder is $BOOKDESK_R2_OPDS_CACHE, default ~/.cache/bookdesk-tests/r2-opds-js-1.0.47.
set -euo pipefail
VERSION=1.0.47
CACHE=${BOOKDESK_R2_OPDS_CACHE:-$HOME/.cache/bookdesk-tests/r2-opds-js-$VERSION}
[ "${1:-}" = install ] || { echo "usage: $0 install" >&2; exit 2; }
if [ ! -f "$CACHE/.installed" ]; then
  command -v npm >/dev/null || { echo "r2_opds.sh: npm is not installed (apt-get install nodejs npm)" >&2; exit 1; }
  rm -rf "$CACHE"; mkdir -p "$CACHE"
  echo '{"name": "bookdesk-r2-opds-check", "private": true}' >"$CACHE/package.json"
  # --ignore-scripts: its install script only tidies its own type definitions, with a tool it does not ship.
  (cd "$CACHE" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error "r2-opds-js@$VERSION" \
     >"$CACHE/npm.log" 2>&1) || { echo "r2_opds.sh: npm install failed, see $CACHE/npm.log" >&2; exit 1; }
  touch "$CACHE/.installed"
fi
echo "$CACHE"
