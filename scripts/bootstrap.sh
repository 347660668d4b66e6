# Sourced by scripts/run and .ci/run: makes sure the pinned pnpm and the workspace's packages are present.
# Needs nothing but Node.js and npm; everything it installs goes into folders git ignores.

ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
PNPM_VERSION="$(node -p "require('$ROOT/package.json').packageManager.split('@')[1]")"
TOOLS="$ROOT/.tools"

log() { printf '\033[1;34m[tthc]\033[0m %s\n' "$*" >&2; }

ensure_node() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$major" -lt 20 ]; then
    log "Node.js 20.19 or later is needed; found $(node --version)"
    exit 1
  fi
}

ensure_pnpm() {
  if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then
    return
  fi
  if [ ! -x "$TOOLS/pnpm/node_modules/.bin/pnpm" ] || [ "$("$TOOLS/pnpm/node_modules/.bin/pnpm" --version)" != "$PNPM_VERSION" ]; then
    log "installing pnpm $PNPM_VERSION into .tools/pnpm"
    npm install --silent --no-audit --no-fund --prefix "$TOOLS/pnpm" "pnpm@$PNPM_VERSION" >/dev/null
  fi
  export PATH="$TOOLS/pnpm/node_modules/.bin:$PATH"
}

ensure_packages() {
  local stamp="$ROOT/node_modules/.tthc-lock-hash" want
  want="$(cat "$ROOT/pnpm-lock.yaml" "$ROOT/package.json" 2>/dev/null | cksum)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return
  fi
  log "installing packages (pnpm install)"
  (cd "$ROOT" && pnpm install --frozen-lockfile --reporter=append-only 2>&1 | tail -n 5) >&2
  echo "$want" >"$stamp"
}

bootstrap() {
  ensure_node
  ensure_pnpm
  ensure_packages
}
