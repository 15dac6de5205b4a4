#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs the test suite, then installs gpbo into
# a scratch prefix and builds a small consumer project against it with find_package(gpbo).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh python3   # python3: the test of the Python ask/tell example
scripts/build.sh
(cd build && ctest --output-on-failure -j2 --timeout 300)
prefix="$PWD/build/install"
cmake --install build --prefix "$prefix" > /dev/null
cmake -S tests/consumer -B build/consumer -DCMAKE_PREFIX_PATH="$prefix" > /dev/null
cmake --build build/consumer -j2 > /dev/null
build/consumer/consumer
# Again with other vector flags than the library's (robotics builds use -march=native), and
# against the build tree rather than the install (-Dgpbo_DIR=build).
if grep -qw avx2 /proc/cpuinfo; then
  cmake -S tests/consumer -B build/consumer-avx2 -Dgpbo_DIR="$PWD/build" -DCMAKE_CXX_FLAGS="-mavx2 -mfma" > /dev/null
  cmake --build build/consumer-avx2 -j2 > /dev/null
  build/consumer-avx2/consumer
fi
