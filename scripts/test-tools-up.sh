#!/usr/bin/env bash
# Installs (if missing) what the browser and HTML tests need, from Debian and npm:
# Chromium (driven by Playwright), a Java runtime (for the Nu HTML Checker),
# GNU gettext (the catalogues are compared with what makemessages extracts),
# Node/npm, and the test tools in package.json (axe-core, vnu-jar).
# Idempotent; needs root only when something is missing from Debian.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v xgettext >/dev/null || missing+=(gettext)
command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "test-tools-up: please install ${missing[*]} (as root: apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "test-tools-up: installing ${missing[*]} from Debian ..."
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -f node_modules/.installed ] || [ package-lock.json -nt node_modules/.installed ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.installed
fi
echo "test-tools-up: Chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), $(java -version 2>&1 | head -1), axe-core and vnu-jar ready"
