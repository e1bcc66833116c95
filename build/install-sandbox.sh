#!/usr/bin/env bash
# Installs what the code graders' tests need where it is missing: bubblewrap (the sandbox), python3, and Chromium
# (build/install-chromium.sh). Debian/Ubuntu via apt-get, as root or with sudo; says what is missing otherwise.
set -uo pipefail
cd "$(dirname "$0")"
missing=()
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo -n"; fi
  if command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
      || echo "install-sandbox: could not install ${missing[*]}; the code grader tests will fail and say why" >&2
  else
    echo "install-sandbox: apt-get not found; install ${missing[*]} by hand" >&2
  fi
fi
bash install-chromium.sh >/dev/null || true
