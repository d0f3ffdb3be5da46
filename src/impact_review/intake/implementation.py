"""Where each recommendation stands at the run's as-at date: closed or open, overdue and by how
many days, and the RAG the review derives from these (config/schema.yaml, implementation:).

Derived in cleaning, so the processed recommendations carry them and every later step, check and
figure reads the same values. A RAG typed in the tracker only ever chose the status; the colour
the review shows follows from the status and the dates, as the report says in words.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd

from impact_review.intake.cleaning import CleanResult
from impact_review.intake.taxonomy import Taxonomy, default_taxonomy

# The columns this adds to the cleaned recommendations, after the tracker's own.
IMPLEMENTATION_COLUMNS = ("closed", "overdue", "days_overdue", "rag")
# How the clean summary's repairs name the statuses taken back to the as-at day.
CLOSED_LATER = "closed after the as-at day, so counted as {status} on it (status)"


def closed_after(recommendations: pd.DataFrame, as_at: date, taxonomy: Taxonomy) -> pd.Series:
    """The recommendations the tracker records as closed on a day after as_at: open on it."""
    closed = recommendations["status"].isin(taxonomy.closed_statuses).fillna(False).astype(bool)
    completed = recommendations["date_completed"]
    return (closed & completed.notna() & (completed > pd.Timestamp(as_at))).astype(bool)


def status_on(recommendations: pd.DataFrame, as_at: date, taxonomy: Taxonomy) -> pd.Series:
    """Each status as it stood on as_at: one closed after that day was still open, and is
    counted under the taxonomy's open_until_completed status."""
    later = closed_after(recommendations, as_at, taxonomy)
    if not later.any():
        return recommendations["status"]
    return recommendations["status"].mask(later, taxonomy.open_until_completed)


def add_implementation(
    recommendations: pd.DataFrame, as_at: date, taxonomy: Taxonomy | None = None
) -> pd.DataFrame:
    """The recommendations with their status as it stood on as_at (status_on), closed (the
    status needs no further action; a blank status is open), overdue (open, and the target date
    is before as_at: a target on the as-at day, or none, is not overdue), days_overdue (as_at
    minus the target date, empty unless overdue) and rag."""
    taxonomy = taxonomy or default_taxonomy()
    rule = taxonomy.implementation
    status = status_on(recommendations, as_at, taxonomy)
    closed = status.isin(taxonomy.closed_statuses).fillna(False).astype(bool)
    implemented = (status == taxonomy.implemented_status).fillna(False).astype(bool)
    target = recommendations["due_date"]
    day = pd.Timestamp(as_at)
    overdue = (~closed & target.notna() & (target < day)).astype(bool)
    days_overdue = (day - target).dt.days.where(overdue).astype("Int64")
    rag = np.select(
        [implemented, closed, overdue],
        [rule.implemented, rule.closed_not_implemented, rule.overdue],
        rule.open,
    )
    return recommendations.assign(
        status=status,
        closed=closed,
        overdue=overdue,
        days_overdue=days_overdue,
        rag=pd.Series(rag, index=recommendations.index, dtype="str"),
    )


def implementation_at(
    result: CleanResult, as_at: date, taxonomy: Taxonomy | None = None
) -> CleanResult:
    """The clean result with add_implementation's columns on its recommendations, counting the
    statuses it took back to the as-at day among the repairs the data-quality section reports."""
    taxonomy = taxonomy or default_taxonomy()
    later = int(closed_after(result.recommendations, as_at, taxonomy).sum())
    repairs = result.repairs.copy()
    if later:
        status = taxonomy.open_until_completed
        repairs[CLOSED_LATER.format(status=status)] = later
    return replace(
        result,
        recommendations=add_implementation(result.recommendations, as_at, taxonomy),
        repairs=repairs,
    )
