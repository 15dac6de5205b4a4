#!/usr/bin/env python3
"""The ask/tell loop from Python, in batches evaluated in parallel: gpbo proposes a batch, a pool
of workers evaluates it, gpbo records every result at once. Standard library only.

Usage: configs/ask_tell.py [STATE_FILE] [--workers N]
gpbo comes from the GPBO environment variable, else ../build/bin beside this script, else PATH.
A batch's suggestions account for each other (none duplicates another), and the next batch is
asked only once all of them are told, so a run depends on its seed alone, not on which worker
finished first. An evaluation that raises, or returns NaN or infinity, is told as a failure.
"""
import argparse
import concurrent.futures
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BUILT = os.path.join(HERE, "..", "build", "bin", "gpbo")
GPBO = os.environ.get("GPBO") or (BUILT if os.access(BUILT, os.X_OK) else "gpbo")
CONFIG = os.path.join(HERE, "ask_tell.json")


def validation_loss(lr, layers, dropout):
    """The stand-in objective: configs/objectives/train_model.sh's loss with relu, in Python."""
    l = math.log10(lr) + 2.5
    return 0.3 + 0.25 * l * l + 0.02 * (layers - 4) ** 2 + 1.5 * (dropout - 0.2) ** 2


def evaluate(suggestion):
    """One JSON line for gpbo tell: the value, or the failure."""
    try:
        value = float(validation_loss(**suggestion["params"]))
    except Exception as e:  # whatever the objective raises is a failed evaluation, not a crash
        return {"id": suggestion["id"], "failed": f"{type(e).__name__}: {e}"}
    if not math.isfinite(value):  # JSON has no NaN: a diverged run is told as failed
        return {"id": suggestion["id"], "failed": f"value {value}"}
    return {"id": suggestion["id"], "value": value}


def gpbo(*args, input_text=None):
    """Runs gpbo; returns (exit status, stdout). Its stderr (notes, errors) passes through."""
    try:
        done = subprocess.run([GPBO, *args], input=input_text, stdout=subprocess.PIPE, text=True)
    except OSError as e:
        sys.exit(f"ask_tell.py: cannot run gpbo ({e}); build it (scripts/run.sh) or set GPBO to its path")
    return done.returncode, done.stdout


def positive_int(text):
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return n


def main():
    parser = argparse.ArgumentParser(description="The ask/tell loop of gpbo, in parallel batches.")
    parser.add_argument("state", nargs="?", default="ask_tell_state.json")
    parser.add_argument("--workers", type=positive_int, default=4)
    args = parser.parse_args()
    with concurrent.futures.ProcessPoolExecutor(max_workers=args.workers) as pool:
        while True:
            status, out = gpbo("ask", "--state", args.state, "--config", CONFIG, "-n", str(args.workers))
            if status == 4:  # the budget (or a stopping rule) leaves nothing to ask
                break
            if status != 0:
                sys.exit(status)
            batch = [json.loads(line) for line in out.splitlines()]
            results = list(pool.map(evaluate, batch))
            lines = "".join(json.dumps(r, allow_nan=False) + "\n" for r in results)
            status, out = gpbo("tell", "--state", args.state, input_text=lines)
            if status != 0:
                sys.exit(status)
            print(out, end="", flush=True)


if __name__ == "__main__":
    main()
