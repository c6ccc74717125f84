#!/usr/bin/env bash
# Installs (if missing) the DejaVu fonts the printed Wegweiser (wegweiser/) is set in,
# from Debian. Typst comes as a wheel and needs nothing else. Debian's images mostly
# have them already. Idempotent; needs root only when they are missing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "pdf-fonts-up: the printed guide needs fonts-dejavu-core (as root: apt-get install fonts-dejavu-core)" >&2
    exit 1
  fi
  echo "pdf-fonts-up: installing fonts-dejavu-core from Debian ..."
  apt-get update -qq
  apt-get install -y -qq fonts-dejavu-core >/dev/null
fi
