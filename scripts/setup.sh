#!/usr/bin/env bash
# Installs the Debian packages gpbo needs to build and test, skipping those already present.
# Idempotent; uses sudo when not run as root. Extra package names may be given as arguments.
set -euo pipefail
packages=(cmake g++ make libeigen3-dev libnlopt-dev libnlopt-cxx-dev libboost-dev
          nlohmann-json3-dev catch2 libcli11-dev libbenchmark-dev "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
