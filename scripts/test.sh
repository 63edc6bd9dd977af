#!/usr/bin/env bash
# `npm test`: unit + integration tests (vitest), then the browser tests (Playwright against a
# production build). Uses PGlite, or Postgres when DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-chromium.sh
echo "== vitest ($([ -n "${DATABASE_URL:-}" ] && echo postgres || echo pglite)) =="
npx vitest run
echo "== playwright =="
npx playwright test
