"""The register in the review's appendix: every recommendation on one line a board can scan
(its reference, the start of its text, agency, target date, status and RAG), open ones first.

Which tracker row each one is on is for auditors, on the trail page (publish/trail.py), not here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from impact_review.analyse import counts
from impact_review.period import format_uk_date

if TYPE_CHECKING:
    import polars as pl

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


# A reference whose key has more parts than this, or a number too long for 64 bits, is sorted by
# reference_key in Python (such references are not seen in trackers).
MOST_KEY_PARTS = 40
MOST_DIGITS = 18


@dataclass(frozen=True)
class KeyParts:
    """The parts of references' keys (reference_key) besides empty texts: for each, its
    reference's position, its place in the key, and its text or number."""

    row: np.ndarray
    place: np.ndarray
    number: np.ndarray  # whether the part is a number
    parts: pl.Series
    last: np.ndarray  # each reference's last place (its key has last + 1 parts)

    @classmethod
    def of(cls, references: pl.Series) -> KeyParts | None:
        """None when some reference is beyond what the columns read (not ASCII, a number of
        more than MOST_DIGITS digits, more than MOST_KEY_PARTS parts)."""
        import polars as pl

        nested = references.str.extract_all(r"[0-9]+|[^0-9]+").to_arrow()
        parts = pl.Series(nested.flatten())
        lengths = nested.value_lengths().to_numpy(zero_copy_only=False).astype(np.int64)
        starts = np.cumsum(lengths) - lengths
        row = np.repeat(np.arange(len(lengths)), lengths)
        number = parts.str.contains(r"^[0-9]").to_numpy()
        # The key starts with text (empty before a leading number), so numbers are at odd places.
        some = lengths > 0
        leads = np.zeros(len(lengths), dtype=np.int64)
        leads[some] = number[starts[some]]
        place = np.arange(len(parts)) - starts[row] + leads[row]
        # ... and ends with text (empty after a trailing number).
        last = np.zeros(len(lengths), dtype=np.int64)
        ends = starts[some] + lengths[some] - 1
        last[some] = place[ends] + number[ends]
        digits = parts.filter(number).str.strip_chars_start("0").str.len_bytes()
        if (
            not references.str.contains(r"^[\x00-\x7f]*$").all()
            or (digits > MOST_DIGITS).any()
            or (last >= MOST_KEY_PARTS).any()
        ):
            return None
        return cls(row, place, number, parts, last)

    def values(self) -> np.ndarray:
        """Each reference's key as a row of integers a place's column compares as the keys'
        parts compare: -1 where the key has ended (shorter keys first, as tuples compare), 0 for
        an empty text, a text's rank among the texts, a number's value."""
        import polars as pl

        table = np.where(
            np.arange(int(self.last.max(initial=0)) + 1)[None, :] <= self.last[:, None], 0, -1
        )
        text = ~self.number
        ranks = self.parts.filter(pl.Series(text)).rank("dense").cast(pl.Int64).to_numpy()
        table[self.row[text], self.place[text]] = ranks  # from 1: after the empty text
        numbers = self.parts.filter(pl.Series(self.number)).cast(pl.Int64).to_numpy()
        table[self.row[self.number], self.place[self.number]] = numbers
        return table


def reference_order(references: pd.Series, first: np.ndarray) -> np.ndarray:
    """The positions of references sorted by (first, reference_key), stably: as sorted() with
    that key orders them, each place of the keys compared as a column of integers."""
    import polars as pl  # on first use: commands that sort no register start without it

    values = pl.Series(references.astype(str).to_numpy(), dtype=pl.String)
    parts = KeyParts.of(values)
    if parts is None:
        keys = [(bool(f), reference_key(r)) for f, r in zip(first, values, strict=True)]
        return np.array(sorted(range(len(keys)), key=keys.__getitem__), dtype=np.int64)
    table = parts.values()
    return np.lexsort([*(table[:, place] for place in reversed(range(table.shape[1]))), first])


def register_rows(recommendations: pd.DataFrame) -> pd.DataFrame:
    """One row per recommendation, the open ones first, then by reference; a blank status reads
    Not recorded and a missing target date is left blank."""
    closed = recommendations["closed"].astype(bool).to_numpy()
    references = recommendations["rec_id"].astype(str).to_numpy()
    order = reference_order(recommendations["rec_id"], closed)
    recs = recommendations[["recommendation", "agency", "due_date", "status", "rag"]].iloc[order]
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
