#!/usr/bin/env bash
# Installs what the end-to-end tests (test/e2e/run.mjs) need, idempotently:
#   - Debian packages: chromium, ripgrep, and what code-server's native modules build with;
#   - code-server (a real VS Code workbench + Node extension host) in its own folder,
#     ${KNL_E2E_HOME:-$HOME/.cache/kube-netlens-e2e}/code-server, outside the project's node_modules.
# Safe to re-run: steps that are already done are skipped. Works under CI=true with no stdin.
# See /work/shared/vscode-e2e/NOTES.md (shared/vscode-e2e/NOTES.md) for why each step is needed.
set -euo pipefail

CODE_SERVER_VERSION="${KNL_CODE_SERVER_VERSION:-4.100.3}"
E2E_HOME="${KNL_E2E_HOME:-$HOME/.cache/kube-netlens-e2e}"
CS_DIR="$E2E_HOME/code-server"
CS_PKG="$CS_DIR/node_modules/code-server"
MARKER="$CS_DIR/.installed-$CODE_SERVER_VERSION"
APT_PACKAGES=(chromium ripgrep libkrb5-dev build-essential pkg-config python3)

export DEBIAN_FRONTEND=noninteractive
export npm_config_yes=true
export npm_config_fund=false
export npm_config_audit=false
export npm_config_update_notifier=false

START=$(date +%s)
log() { printf '[install-e2e %3ss] %s\n' "$(( $(date +%s) - START ))" "$*"; }

SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else log "WARNING: not root and no sudo; apt steps may fail"; fi
fi

# ---------------------------------------------------------------- 1. apt packages
missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  log "apt: all packages present (${APT_PACKAGES[*]})"
else
  log "apt: installing ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  log "apt: done"
fi
[ -x /usr/bin/chromium ] || { log "ERROR: /usr/bin/chromium missing after apt install"; exit 1; }
[ -x /usr/bin/rg ] || { log "ERROR: /usr/bin/rg missing after apt install"; exit 1; }

# ---------------------------------------------------------------- 2. code-server
installed_version() {
  [ -f "$CS_PKG/package.json" ] && node -p "require('$CS_PKG/package.json').version" 2>/dev/null || true
}

if [ -f "$MARKER" ] && [ "$(installed_version)" = "$CODE_SERVER_VERSION" ] && [ -x "$CS_DIR/node_modules/.bin/code-server" ]; then
  log "code-server $CODE_SERVER_VERSION already installed in $CS_DIR"
  exit 0
fi

log "code-server: installing $CODE_SERVER_VERSION into $CS_DIR (npm, scripts off first)"
mkdir -p "$CS_DIR"
rm -f "$CS_DIR"/.installed-*
[ -f "$CS_DIR/package.json" ] || echo '{ "name": "kube-netlens-e2e-code-server", "private": true }' > "$CS_DIR/package.json"
# A short scratch TMPDIR of our own: the ripgrep cache goes there and native builds use it.
SCRATCH="$E2E_HOME/tmp"
mkdir -p "$SCRATCH"
export TMPDIR="$SCRATCH"
if [ "$(installed_version)" = "$CODE_SERVER_VERSION" ]; then
  log "code-server: package files already present, finishing the install"
else
  (cd "$CS_DIR" && npm install --ignore-scripts --no-package-lock --loglevel=error "code-server@$CODE_SERVER_VERSION")
  log "code-server: package files in place ($(installed_version))"
fi

# ---------------------------------------------------------------- 3. ripgrep cache trick
# @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable); it first looks in
# $TMPDIR/vscode-ripgrep-cache-<pkg version>/ripgrep-<tag>-x86_64-unknown-linux-musl.tar.gz.
SHRINKWRAP="$CS_PKG/lib/vscode/npm-shrinkwrap.json"
RG_PKG_VERSION=$(node -p "require('$SHRINKWRAP').packages['node_modules/@vscode/ripgrep'].version")
# lib/vscode's own dependencies are only installed by the rebuild below, so fetch that exact
# @vscode/ripgrep package from the npm registry to read the rg tag its postinstall wants.
RG_PACK_DIR="$E2E_HOME/ripgrep-pkg-$RG_PKG_VERSION"
RG_POSTINSTALL="$RG_PACK_DIR/package/lib/postinstall.js"
if [ ! -f "$RG_POSTINSTALL" ]; then
  mkdir -p "$RG_PACK_DIR"
  tgz=$(cd "$RG_PACK_DIR" && npm pack --silent --loglevel=error "@vscode/ripgrep@$RG_PKG_VERSION" | tail -1)
  tar -xzf "$RG_PACK_DIR/$tgz" -C "$RG_PACK_DIR" package/lib/postinstall.js
fi
RG_TAG=$(sed -n "s/^const VERSION = '\([^']*\)'.*/\1/p" "$RG_POSTINSTALL" | head -1)
if [ -z "$RG_TAG" ]; then log "ERROR: could not read ripgrep VERSION from $RG_POSTINSTALL"; exit 1; fi
RG_CACHE="$TMPDIR/vscode-ripgrep-cache-$RG_PKG_VERSION"
RG_TARBALL="$RG_CACHE/ripgrep-$RG_TAG-x86_64-unknown-linux-musl.tar.gz"
mkdir -p "$RG_CACHE"
if [ ! -s "$RG_TARBALL" ]; then
  tar -czf "$RG_TARBALL" -C /usr/bin rg
fi
log "ripgrep: cached Debian rg as $RG_TARBALL (pkg $RG_PKG_VERSION, tag $RG_TAG)"

# ---------------------------------------------------------------- 4. postinstall scripts and native builds
log "code-server: npm rebuild (native modules: argon2, keytar, node-pty, kerberos...; takes ~1 min)"
(cd "$CS_DIR" && npm rebuild --unsafe-perm --foreground-scripts --loglevel=error) > "$E2E_HOME/rebuild.log" 2>&1 || {
  log "ERROR: npm rebuild failed; last 60 lines of $E2E_HOME/rebuild.log:"
  tail -n 60 "$E2E_HOME/rebuild.log"
  exit 1
}
# The bundled ripgrep must be there, or the workbench's search is broken.
if ! find "$CS_PKG/lib/vscode" -path '*/@vscode/ripgrep/bin/rg' | grep -q .; then
  log "ERROR: @vscode/ripgrep/bin/rg missing after rebuild; see $E2E_HOME/rebuild.log"
  exit 1
fi
# (--version writes a default config file: keep it out of $HOME.)
ver=$(XDG_CONFIG_HOME="$SCRATCH/xdg-config" XDG_DATA_HOME="$SCRATCH/xdg-data" \
  "$CS_DIR/node_modules/.bin/code-server" --version 2>/dev/null | grep -v ' info ' | head -1)
log "code-server --version: $ver"
touch "$MARKER"
log "code-server $CODE_SERVER_VERSION ready: $CS_DIR/node_modules/.bin/code-server"
