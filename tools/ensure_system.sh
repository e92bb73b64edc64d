#!/usr/bin/env bash
# Install the Debian/Ubuntu packages the book needs. Idempotent and fast when all are present:
# apt-get runs only for missing packages, and `apt-get update` only when apt cannot find them.
# Usage: tools/ensure_system.sh [--browser]   (--browser adds chromium for the browser tests)
set -euo pipefail

packages=()
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
if [[ "${1:-}" == "--browser" ]] && [[ ! -x /usr/bin/chromium ]]; then
  packages+=(chromium)
fi
if ((${#packages[@]} == 0)); then
  echo "system packages: all present"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: missing ${packages[*]} and no apt-get here; install them by hand" >&2
  exit 1
fi

sudo=""
if [[ "$(id -u)" -ne 0 ]]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have empty package lists: refresh them only when apt cannot see a package.
if ! apt-cache show "${packages[@]}" >/dev/null 2>&1; then
  $sudo apt-get update -qq
fi
echo "installing: ${packages[*]}"
$sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" </dev/null
