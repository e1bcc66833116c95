#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium for the report browser test, if it is missing.
# Prints the browser's path on success; exits non-zero with a reason otherwise.
set -euo pipefail

find_browser() {
  for name in chromium chromium-browser; do
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
  done
  return 1
}

if path=$(find_browser); then echo "$path"; exit 0; fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: apt-get not found; install Chromium by hand (the browser test needs it)" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "install-chromium: not root and no sudo; run 'apt-get install -y chromium' as root" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
# The package lists may be absent on a fresh machine; apt-get update once, quietly.
$SUDO apt-get update -qq >&2 || { echo "install-chromium: apt-get update failed" >&2; exit 1; }
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2 \
  || { echo "install-chromium: apt-get install chromium failed" >&2; exit 1; }

if path=$(find_browser); then echo "$path"; exit 0; fi
echo "install-chromium: chromium was installed but is not on PATH" >&2
exit 1
