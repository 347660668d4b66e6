# Sourced by scripts/run and .ci/run: makes sure the pinned pnpm and the workspace's packages are present.
# Needs nothing but Node.js and npm (any version that runs npm); everything it installs goes into folders git ignores.

ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
PNPM_VERSION="$(node -p "require('$ROOT/package.json').packageManager.split('@')[1]")"
TOOLS="$ROOT/.tools"

log() { printf '\033[1;34m[tthc]\033[0m %s\n' "$*" >&2; }

# Node.js 24 LTS runs everything: pnpm, tsx, vitest, the services and every process they spawn
# (they start children with process.execPath or `node` from PATH). A machine whose node is older
# gets Node 24 from the npm registry (the `node` package) in .tools/node24, first on PATH.
NODE_MAJOR=24
NODE24="$TOOLS/node24/node_modules/node/bin"

node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  if [ "$(node_major)" -ge "$NODE_MAJOR" ]; then
    return
  fi
  if [ "$(node_major "$NODE24/node")" != "$NODE_MAJOR" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      log "Node.js $NODE_MAJOR or npm is needed; found node $(node --version 2>/dev/null || echo none) and no npm"
      exit 1
    fi
    log "installing Node.js $NODE_MAJOR LTS into .tools/node24 (this machine has $(node --version 2>/dev/null || echo none))"
    npm install --silent --no-audit --no-fund --prefix "$TOOLS/node24" "node@$NODE_MAJOR" >/dev/null
  fi
  export PATH="$NODE24:$PATH"
  hash -r
  if [ "$(node_major)" -lt "$NODE_MAJOR" ]; then
    log "Node.js $NODE_MAJOR could not be put on PATH; node is $(node --version)"
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
