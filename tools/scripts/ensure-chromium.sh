#!/usr/bin/env bash
# Node test prerequisite: Debian's Chromium at /usr/bin/chromium (Playwright drives it; no browser
# downloads), with its UI languages (chromium-l10n: the e2e suite opens the popup in German).
set -euo pipefail
# (A CHROMIUM_PATH of one's own is taken as it is.)
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then exit 0; fi
if [ -x /usr/bin/chromium ] && [ -f /usr/lib/chromium/locales/de.pak ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "Chromium or its languages are missing: run 'sudo apt-get install -y chromium chromium-l10n' (or set CHROMIUM_PATH)" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-l10n >/dev/null
