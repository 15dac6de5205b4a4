#!/bin/sh
# The best value at a failing boundary: f = (x - 0.9)^2 + (y - 0.5)^2 on [0, 1]^2, failing for
# x > 0.5 (constrained minimum 0.16 at (0.5, 0.5)), 40 evaluations, seeds 1-6. Prints, per seed,
# failed evaluations / best value. Usage, from the repository root: boundary.sh [gpbo binary]
gpbo=${1:-build/bin/gpbo}
dir=$(mktemp -d)
cat > "$dir/obj.sh" <<'OBJ'
#!/bin/sh
awk -v x="$1" -v y="$2" 'BEGIN{ if (x > 0.5) exit 1; printf "%.12g\n", (x-0.9)^2+(y-0.5)^2 }'
OBJ
chmod +x "$dir/obj.sh"
for seed in 1 2 3 4 5 6; do
  cat > "$dir/c.json" <<CFG
{"space": {"x": {"type": "real", "low": 0, "high": 1}, "y": {"type": "real", "low": 0, "high": 1}},
 "objective": {"command": ["$dir/obj.sh", "{x}", "{y}"]}, "budget": 40, "seed": $seed}
CFG
  "$gpbo" tune "$dir/c.json" --out "$dir/run$seed" --quiet > /dev/null 2>&1
  echo "seed $seed failed $(grep -c ',failed,' "$dir/run$seed/results.csv") best $(grep ',ok,' "$dir/run$seed/results.csv" | cut -d, -f4 | sort -g | head -1)"
done
rm -rf "$dir"
