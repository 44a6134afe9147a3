"""The issue-20 table: each bench section records its figures here, and ``make bench``
prints them at the end with the goal beside each, from the one run."""

from __future__ import annotations

import os

# (row, goal) in the order; sections fill ``NOW[row]``.
ROWS = [
    ("real index, one query, Whoosh query only", "p50 <= 2 ms, p99 <= 10 ms"),
    ("same, full results page (query + snippets + suggestion)", "p50 <= 4 ms, p99 <= 15 ms"),
    ("ratio to SQLite FTS5 on the same corpus and queries", "<= 10x at p50"),
    ("synthetic index, Whoosh query", "p99 <= 5x FTS5"),
    ("gunicorn, 64 connections of distinct long searches", ">= 150 searches/s answered 200, "
     "p99 <= 1 s, 0 errors; fast 503s separately"),
    ("mixed pages + 20% searches, c=64", ">= 1,500 req/s"),
    ("memory per worker that search adds", "search's share <= 50 MiB with 32 languages; "
     "total reported"),
    ("relevance (success@3)", ">= 0.92 overall, >= 0.85 English, >= 140 queries"),
    ("wave-2 relevance (misses at 3)", "at most one miss in each wave-2 language (issue 21)"),
]
NOW: dict[str, str] = {}


def record(row: str, text: str):
    assert row in dict(ROWS), row
    NOW[row] = text


def show():
    if not NOW:
        return
    load = os.getloadavg()
    print(f"\n== Issue 20: search figures from this run (load average {load[0]:.2f}, "
          f"{load[1]:.2f}, {load[2]:.2f}) " + "=" * 8)
    width = max(len(r) for r, _ in ROWS)
    print(f"| {'figure':{width}} | now | goal |")
    print(f"|{'-' * (width + 2)}|---|---|")
    for row, goal in ROWS:
        print(f"| {row:{width}} | {NOW.get(row, 'not run (see BENCH_ONLY)')} | {goal} |")
