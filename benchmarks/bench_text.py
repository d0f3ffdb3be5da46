"""Time the clean step's free-text work on a tracker: theme rules, quality checks, restated
recommendations and the personal-data scan of tracker text, each in-process on the cleaned rows.

Synthetic trackers draw their text from a few patterns, so most texts repeat exactly; --unique
makes every text distinct (its words shuffled and a made-up word added) so that the timings do
not rest on deduplication alone.
Run: python benchmarks/bench_text.py /tmp/bench/t100000.csv --from 2022-04-01 --to 2025-03-31
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import psutil

from impact_review.analyse.quality import quality_checked
from impact_review.analyse.restated import kept_note, restated_checked
from impact_review.intake.cleaning import CleanResult, clean_tracker
from impact_review.intake.taxonomy import default_taxonomy
from impact_review.intake.themes import assign_themes
from impact_review.intake.tracker import Limits, read_tracker
from impact_review.period import Period, parse_iso_date
from impact_review.publish.safety import scan_tracker_text

TEXT_COLUMNS = ("recommendation", "action", "progress_notes", "evidence_of_completion")
LETTERS = np.array(list("bcdfghjklmnpqrstvwxz"))


def made_up_word(number: int) -> str:
    return "".join(LETTERS[(number // 20**place) % 20] for place in range(5))


def distinct_texts(result: CleanResult) -> CleanResult:
    """The result with every text made distinct: its words shuffled, a made-up word added."""
    rng = np.random.default_rng(0)

    def distinct(texts: list[Any]) -> list[Any]:
        out = []
        for number, text in enumerate(texts):
            if isinstance(text, str):
                words = text.split()
                rng.shuffle(words)
                text = " ".join([*words, made_up_word(number)])
            out.append(text)
        return out

    recs = result.recommendations
    columns = [column for column in TEXT_COLUMNS if column in recs]
    return replace(
        result, recommendations=recs.assign(**{c: distinct(recs[c].tolist()) for c in columns})
    )


def timed(timings: dict[str, float], name: str, work: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    out = work()
    timings[name] = round(time.perf_counter() - started, 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tracker", type=Path)
    parser.add_argument("--from", dest="start", required=True)
    parser.add_argument("--to", dest="end", required=True)
    parser.add_argument("--unique", action="store_true")
    args = parser.parse_args()
    read = read_tracker(args.tracker, None, limits=Limits.given(10**10))
    period = Period(parse_iso_date(args.start, "from"), parse_iso_date(args.end, "to"), "bench")
    result = clean_tracker(read, period)
    result = distinct_texts(result) if args.unique else result
    process = psutil.Process()
    before = process.memory_info().rss
    timings: dict[str, float] = {}
    recs = result.recommendations
    timed(timings, "theme_rules", lambda: assign_themes(recs, default_taxonomy(), {}))
    result = timed(timings, "quality_checked", lambda: quality_checked(result))
    result, pairs = timed(timings, "restated_checked", lambda: restated_checked(result))
    timed(timings, "scan_tracker_text", lambda: scan_tracker_text(result.recommendations))
    report = {
        "rows": len(recs),
        "unique": args.unique,
        "seconds": timings,
        "total_seconds": round(sum(timings.values()), 2),
        "extra_rss_mb": round((process.memory_info().rss - before) / 2**20),
        "restated_pairs": len(pairs),
        "restated_note": kept_note(pairs),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
