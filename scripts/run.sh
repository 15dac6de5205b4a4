#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs a tuning run from configs/ on a
# built-in objective. Each run gets its own directory under runs/. Extra arguments go to
# `gpbo tune` (e.g. --budget 50 --seed 3).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
build/bin/gpbo tune configs/quickstart.json --out "runs/quickstart-$(date +%Y%m%d-%H%M%S)" "$@"
