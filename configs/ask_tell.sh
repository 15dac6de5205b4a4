#!/bin/sh
# The ask/tell loop from a shell: gpbo proposes, this script evaluates, gpbo records.
# Any language or scheduler can do the same; several workers may share one state file.
# Usage: configs/ask_tell.sh [STATE_FILE]   (gpbo from GPBO=path/to/gpbo, else build/bin, else PATH)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${GPBO:-}" ]; then gpbo=$GPBO
elif [ -x "$here/../build/bin/gpbo" ]; then gpbo=$here/../build/bin/gpbo
else gpbo=gpbo  # an installed one
fi
state=${1:-ask_tell_state.json}
# gpbo ask exits with status 4 once the budget is used up; any other failure stops the script
# with gpbo's status.
while true; do
  status=0
  line=$("$gpbo" ask --state "$state" --config "$here/ask_tell.json") || status=$?
  [ "$status" -eq 4 ] && break
  [ "$status" -eq 0 ] || exit "$status"
  id=$(echo "$line" | sed 's/.*"id":\([0-9]*\).*/\1/')
  get() { echo "$line" | sed "s/.*\"$1\":\([^,}]*\).*/\1/"; }
  # The script's own exit status decides (a pipeline would report only its last command's), and
  # its last line is "val_loss X".
  if out=$("$here/objectives/train_model.sh" --lr "$(get lr)" --layers "$(get layers)" --dropout "$(get dropout)" 2>/dev/null); then
    value=$(echo "$out" | tail -n 1 | awk '{print $2}')
    "$gpbo" tell --state "$state" --id "$id" --value "$value"
  else
    "$gpbo" tell --state "$state" --id "$id" --failed "train_model.sh failed"
  fi
done
