#!/usr/bin/env bash
# Prepares the headless browser the report's browser tests drive (test/browser/, through
# playwright-core): Debian's chromium package, installed with apt-get when /usr/bin/chromium is
# missing (as root, or through sudo). Idempotent: a second run only checks that it starts.
# Prints CHROMIUM=<path> and CHROMIUM_VERSION=<version> at the end.
set -euo pipefail

CHROMIUM="${IOCP_CHROMIUM:-/usr/bin/chromium}"

log() { echo "[browser/setup] $*" >&2; }

if [[ ! -x "$CHROMIUM" ]]; then
  SUDO=""
  if [[ "$(id -u)" != 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "setup.sh: $CHROMIUM is missing and this is not root: install the package chromium" >&2
      exit 1
    fi
  fi
  log "chromium not found: installing the package chromium"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  [[ -x "$CHROMIUM" ]] || { echo "setup.sh: chromium installed but $CHROMIUM is not there" >&2; exit 1; }
fi

# Smoke check: the browser starts and answers (no display needed: headless).
VERSION="$("$CHROMIUM" --headless --no-sandbox --disable-gpu --version 2>/dev/null | tr -d '\r')" || {
  echo "setup.sh: $CHROMIUM does not start" >&2
  exit 1
}
log "$VERSION"

echo "CHROMIUM=$CHROMIUM"
echo "CHROMIUM_VERSION=$VERSION"
