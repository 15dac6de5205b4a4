#!/usr/bin/env python3
"""The ask/tell loop from Python, in batches evaluated in parallel: gpbo proposes a batch, a pool
of workers evaluates it, gpbo records every result at once. Standard library only.

Usage: configs/ask_tell.py [STATE_FILE] [--workers N]
gpbo comes from ../build/bin beside this script, or from the GPBO environment variable.
A batch's suggestions account for each other (none duplicates another), and the next batch is
asked only once all of them are told, so a run depends on its seed alone, not on which worker
finished first. An evaluation that raises is told as a failure, with the exception's message.
"""
import argparse
import concurrent.futures
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GPBO = os.environ.get("GPBO", os.path.join(HERE, "..", "build", "bin", "gpbo"))
CONFIG = os.path.join(HERE, "ask_tell.json")


def validation_loss(lr, layers, dropout):
    """The stand-in objective: configs/objectives/train_model.sh's loss with relu, in Python."""
    l = math.log10(lr) + 2.5
    return 0.3 + 0.25 * l * l + 0.02 * (layers - 4) ** 2 + 1.5 * (dropout - 0.2) ** 2


def evaluate(suggestion):
    """One JSON line for gpbo tell: the value, or the failure."""
    try:
        value = validation_loss(**suggestion["params"])
        return {"id": suggestion["id"], "value": value}
    except Exception as e:  # whatever the objective raises is a failed evaluation, not a crash
        return {"id": suggestion["id"], "failed": f"{type(e).__name__}: {e}"}


def gpbo(*args, input_text=None):
    """Runs gpbo; returns (exit status, stdout). Its stderr (notes, errors) passes through."""
    done = subprocess.run([GPBO, *args], input=input_text, stdout=subprocess.PIPE, text=True)
    return done.returncode, done.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("state", nargs="?", default="ask_tell_state.json")
    parser.add_argument("--workers", type=int, default=4)
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
            status, out = gpbo("tell", "--state", args.state, input_text="".join(json.dumps(r) + "\n" for r in results))
            if status != 0:
                sys.exit(status)
            print(out, end="", flush=True)


if __name__ == "__main__":
    main()
