#!/bin/bash
# #4's overhead figures: session 23's script, writing into this directory (from the repository root).
sed 's#2026-12-05-s23#2026-12-05-s26#' bench/results/2026-12-05-s23/timing.sh | bash
