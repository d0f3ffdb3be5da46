"""The register in the review's appendix: every recommendation on one line a board can scan
(its reference, the start of its text, agency, target date, status and RAG), open ones first.

Which tracker row each one is on is for auditors, on the trail page (publish/trail.py), not here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from impact_review.analyse import counts
from impact_review.period import format_uk_date

SHORT_TEXT_LIMIT = 90
ELLIPSIS = "…"


def shortened(text: str, limit: int = SHORT_TEXT_LIMIT) -> str:
    """The text whole when it fits in limit characters; otherwise its words up to the last that
    fits with an ellipsis after it (a single word too long for limit is cut)."""
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    room = limit - len(ELLIPSIS)
    kept = flat[: room + 1].rsplit(" ", 1)[0]
    if len(kept) > room:
        kept = kept[:room]
    return kept.rstrip(" ,;:.") + ELLIPSIS


def reference_key(reference: str) -> tuple[str | int, ...]:
    """A reference's sort key, its numbers read as numbers: QA-9 before QA-10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", reference))


def register_rows(recommendations: pd.DataFrame) -> pd.DataFrame:
    """One row per recommendation, the open ones first, then by reference; a blank status reads
    Not recorded and a missing target date is left blank."""
    closed = recommendations["closed"].astype(bool).to_numpy()
    references = recommendations["rec_id"].astype(str).to_numpy()
    order = sorted(
        range(len(recommendations)),
        key=lambda i: (bool(closed[i]), reference_key(references[i])),
    )
    recs = recommendations.iloc[order]
    return pd.DataFrame(
        {
            "rec_id": references[order],
            "recommendation": once_each(recs["recommendation"].fillna(""), shortened),
            "agency": recs["agency"].to_numpy(),
            "due_date": once_each(recs["due_date"], uk_date_or_blank),
            "status": recs["status"].fillna(counts.NOT_RECORDED).to_numpy(),
            "rag": recs["rag"].to_numpy(),
        }
    )


def uk_date_or_blank(day: pd.Timestamp) -> str:
    return "" if pd.isna(day) else format_uk_date(day.date())


def once_each(values: pd.Series, rewrite: Callable[[Any], str]) -> np.ndarray:
    """rewrite(value) for each value, computed once for each distinct value."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    return np.array([rewrite(value) for value in distinct], dtype=object)[codes]
