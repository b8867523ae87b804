#!/usr/bin/env bash
# Runs the browser test suite: builds dist/ (the tests run the CLI), installs Debian's chromium
# when it is missing (setup.sh), then runs vitest.browser.config.ts (test/browser/**).
# Exits non-zero when anything fails. Extra arguments go to vitest (e.g. a reporter).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

if [[ ! -d node_modules ]]; then
  echo "[browser/test] node_modules missing: run 'npm ci' first" >&2
  exit 1
fi

npm run --silent build
bash scripts/browser/setup.sh >/dev/null
npx vitest run --config vitest.browser.config.ts "$@"
