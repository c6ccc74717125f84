#!/usr/bin/env bash
# Installs (if missing) what WeasyPrint needs to make the printed Wegweiser (wegweiser/):
# Pango from Debian and the DejaVu fonts the guide is set in. Debian's images mostly
# have them already. Idempotent; needs root only when something is missing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

missing=()
ldconfig -p | grep -q 'libpango-1.0.so.0' || missing+=(libpango-1.0-0)
ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || missing+=(libpangoft2-1.0-0)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "pdf-libs-up: the printed guide needs ${missing[*]} (as root: apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "pdf-libs-up: installing ${missing[*]} from Debian ..."
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
