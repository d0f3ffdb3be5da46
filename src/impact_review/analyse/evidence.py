"""What the call for evidence found: the impact levels reached, whether recommendations are
embedded, and which completed recommendations reached practice change or better, by agency.

Every count is of recommendations, from the answer columns merged by the clean step
(evidence/merge.py); a recommendation no return answered has none and is in no count here.
"""

from __future__ import annotations

import pandas as pd

from impact_review.analyse.counts import percent
from impact_review.evidence.form import EMBEDDED, IMPACT_LEVELS, reaches_impact


def evidence_given(recs: pd.DataFrame) -> bool:
    """True when a return answered at least one recommendation."""
    answers = [c for c in ("embedded", "impact_level") if c in recs.columns]
    return bool(answers) and bool(recs[answers].notna().any().any())


def _by_answer(recs: pd.DataFrame, column: str, answers: tuple[str, ...]) -> pd.DataFrame:
    """Recommendations per answer, in the list's order, answers given only."""
    if not evidence_given(recs):
        return pd.DataFrame({column: [], "recommendations": [], "percent": []})
    tally = recs[column].value_counts()
    rows = [(answer, int(tally[answer])) for answer in answers if answer in tally.index]
    frame = pd.DataFrame(rows, columns=[column, "recommendations"])
    frame["percent"] = [percent(n, len(recs)) for n in frame["recommendations"]]
    return frame


def count_by_impact_level(recs: pd.DataFrame) -> pd.DataFrame:
    return _by_answer(recs, "impact_level", IMPACT_LEVELS)


def count_by_embedded(recs: pd.DataFrame) -> pd.DataFrame:
    return _by_answer(recs, "embedded", EMBEDDED)


def reached_impact(recs: pd.DataFrame, completed: str, by: str = "agency") -> pd.DataFrame:
    """Completed recommendations answered at practice change or above, per level and per value
    of `by` (the agency, or the area of learning)."""
    columns = [by, "status", "impact_level", "recommendations"]
    if not evidence_given(recs):
        return pd.DataFrame(columns=columns)
    kept = recs[(recs["status"] == completed) & recs["impact_level"].map(reaches_impact)]
    frame = (
        kept.groupby([by, "status", "impact_level"], sort=True)
        .size()
        .rename("recommendations")
        .reset_index()
    )
    return frame[columns]


def impact_examples(recs: pd.DataFrame) -> pd.DataFrame:
    """The returned evidence at practice change or above, by the review or audit it came from
    (in tracker order): evidence of impact, never of completion alone."""
    if not evidence_given(recs):
        return recs.iloc[0:0]
    kept = recs[recs["impact_level"].map(reaches_impact) & recs["impact_evidence"].notna()]
    return kept.sort_values("sheet_row", kind="mergesort")
