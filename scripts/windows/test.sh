#!/usr/bin/env bash
# Runs the Windows test suite on Linux: builds dist/ when src/ changed, prepares Wine and the
# Windows node.exe (setup.sh), then runs vitest.windows.config.ts: test/windows/**, and the server
# behaviour tests of test/server/ it lists, with their servers under Wine.
# Exits non-zero when anything fails. Extra arguments go to vitest (e.g. a file filter).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

if [[ ! -d node_modules ]]; then
  echo "[windows/test] node_modules missing: run 'npm ci' first" >&2
  exit 1
fi

# Build when dist/ is missing or older than any source or tsconfig.
STAMP="$ROOT/.cache/windows/build.stamp"
mkdir -p "$(dirname "$STAMP")"
if [[ ! -d dist || ! -f "$STAMP" ]] \
   || [[ -n "$(find src tsconfig.json tsconfig.build.json -newer "$STAMP" -print -quit 2>/dev/null)" ]]; then
  echo "[windows/test] building dist/" >&2
  touch "$STAMP.new"
  npm run --silent build
  mv "$STAMP.new" "$STAMP"
fi

# KEY=VALUE lines: where Wine, its server and the prefix are.
SETUP="$(bash scripts/windows/setup.sh)"
setup_value() { sed -n "s/^$1=//p" <<<"$SETUP"; }

status=0
npx vitest run --config vitest.windows.config.ts "$@" || status=$?

# Leave no Wine process of this prefix behind (the tests kill theirs; this covers a crashed run).
# wineserver may not be on the PATH (Debian's wine64 alone puts it in /usr/lib/wine/): setup.sh
# found it.
PREFIX="$(setup_value WINEPREFIX)"
if [[ -n "$PREFIX" ]]; then
  WINEPREFIX="$PREFIX" WINEDEBUG=-all "$(setup_value WINESERVER)" -k >/dev/null 2>&1 || true
fi
exit "$status"
