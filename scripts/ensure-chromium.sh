#!/usr/bin/env bash
# Makes sure Playwright has a Chromium: Debian's package (this project's CI and servers), or a
# browser Playwright downloaded itself (developer laptops: `npx playwright install chromium`).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if ls "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium-* >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "No Chromium found. Install Debian's 'chromium' package or run 'npx playwright install chromium'." >&2
exit 1
