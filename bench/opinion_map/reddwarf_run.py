"""Reference side of the benchmark: red-dwarf's Pol.is pipeline on a Pol.is votes.csv.

Usage: python bench/opinion_map/reddwarf_run.py VOTES.csv OUT.json [--comments C] [--seed N]

Does the same work as ``medvirk opinion-map --json`` through red-dwarf's documented entry
point ``reddwarf.implementations.polis.run_pipeline`` (PCA + clustering + repness +
consensus): read the CSV, keep the latest vote per participant and statement (red-dwarf's
own loader does this too; its matrix builder needs it), run, write participant → group.
"""

from __future__ import annotations

import argparse
import json
import sys

import pandas as pd
from reddwarf.implementations.polis import run_pipeline


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("votes")
    parser.add_argument("out")
    parser.add_argument("--comments")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    mod_out: list[int] = []
    if args.comments:
        comments = pd.read_csv(args.comments)
        mod_out = [int(c) for c in comments.loc[comments["moderated"] == -1, "comment-id"]]
    frame = pd.read_csv(args.votes)
    frame = frame.sort_values("timestamp", kind="stable").drop_duplicates(
        ["voter-id", "comment-id"], keep="last"
    )
    votes = [
        {"participant_id": int(p), "statement_id": int(s), "vote": int(v), "modified": int(t)}
        for p, s, v, t in zip(
            frame["voter-id"], frame["comment-id"], frame["vote"], frame["timestamp"], strict=True
        )
    ]
    result = run_pipeline(votes=votes, mod_out_statement_ids=mod_out, random_state=args.seed)
    labels = result.participants_df["cluster_id"]
    participants = {str(p): (None if pd.isna(g) else int(g)) for p, g in labels.items()}
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump({"participants": participants}, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
