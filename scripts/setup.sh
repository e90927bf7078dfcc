#!/usr/bin/env bash
# Installs what lcs needs from Debian's packages, only what is missing.
# Idempotent: safe to re-run; does nothing when everything is present.
set -euo pipefail

PACKAGES=(
  llvm-22-dev llvm-22-tools clang-22 libclang-rt-22-dev
  libxxhash-dev libgtest-dev libzstd-dev zlib1g-dev libedit-dev libcurl4-openssl-dev
  libssl-dev libhiredis-dev redis-server
  cmake ninja-build python3 python3-venv python3-dev pkg-config g++ gcc
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
