"""How far the recommendations were carried out at the as-at date, from the columns cleaning
derived (intake/implementation.py): statuses and RAG counted, the overdue listed, slippage and
time to completion by group, and the groups with little or no progress.

Medians are of whole days, halves rounded up (a median of 10 and 13 days is 12), so they are
whole numbers like every other figure the review states.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd

from impact_review.analyse import counts
from impact_review.intake.taxonomy import Taxonomy, default_taxonomy
from impact_review.period import format_uk_date

# The columns of a slippage table after its group column.
SLIPPAGE_COLUMNS = (
    "recommendations",
    "completed",
    "open",
    "overdue",
    "median_days_late",
    "median_days_to_complete",
)


def median_days(days: pd.Series) -> int | None:
    """The median of whole days, halves rounded up; None when there are none."""
    values = days.dropna()
    if values.empty:
        return None
    median = Decimal(str(float(values.median())))
    return int(median.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def days_to_complete(frame: pd.DataFrame) -> pd.Series:
    """Days from agreed to completed (empty where either date is missing)."""
    return (frame["date_completed"] - frame["date_agreed"]).dt.days


def implemented(frame: pd.DataFrame, taxonomy: Taxonomy) -> pd.Series:
    return (frame["status"] == taxonomy.implemented_status).fillna(False).astype(bool)


def count_by_status(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Every canonical status in taxonomy order with what it means, whether it is closed, and
    its recommendations (none included); a blank status is counted as NOT_RECORDED, last."""
    taxonomy = taxonomy or default_taxonomy()
    statuses = frame["status"].fillna(counts.NOT_RECORDED)
    names = list(taxonomy.statuses.names)
    if (statuses == counts.NOT_RECORDED).any():
        names.append(counts.NOT_RECORDED)
    closed = set(taxonomy.closed_statuses)
    meanings = taxonomy.status_meanings | {counts.NOT_RECORDED: "no status in the tracker (open)"}
    table = pd.DataFrame(
        {
            "status": names,
            "meaning": [meanings[name] for name in names],
            "closed": ["yes" if name in closed else "no" for name in names],
            "recommendations": [int((statuses == name).sum()) for name in names],
        }
    )
    table["percent"] = [counts.percent(int(n), len(frame)) for n in table["recommendations"]]
    return table


def rag_rule(taxonomy: Taxonomy) -> dict[str, str]:
    """Each derived colour and the rule that gives it, in words, in the rule's order."""
    rule = taxonomy.implementation
    return {
        rule.overdue: "open, and its target date is before the as-at date",
        rule.open: "open, with a target date on or after the as-at date, or none",
        rule.implemented: f"its status is {taxonomy.implemented_status}",
        rule.closed_not_implemented: "closed without being carried out",
    }


def count_by_rag(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Every derived colour in the rule's order, with its rule in words and its recommendations."""
    taxonomy = taxonomy or default_taxonomy()
    rule = rag_rule(taxonomy)
    table = pd.DataFrame(
        {
            "rag": list(rule),
            "rule": list(rule.values()),
            "recommendations": [int((frame["rag"] == colour).sum()) for colour in rule],
        }
    )
    table["percent"] = [counts.percent(int(n), len(frame)) for n in table["recommendations"]]
    return table


def overdue_recommendations(frame: pd.DataFrame) -> pd.DataFrame:
    """The overdue recommendations, most overdue first (then in tracker order), with their target
    date written out."""
    columns = ["rec_id", "source_name", "agency", "due_date", "days_overdue"]
    late = frame.loc[frame["overdue"].to_numpy(dtype=bool), [*columns, "sheet_row"]].sort_values(
        ["days_overdue", "sheet_row"], ascending=[False, True], kind="mergesort"
    )
    out = late[columns].copy()
    out["due_date"] = uk_dates(late["due_date"])
    out["days_overdue"] = out["days_overdue"].astype(int)
    return out.reset_index(drop=True)


def uk_dates(days: pd.Series) -> np.ndarray:
    """Each day written out (format_uk_date), each distinct day written once."""
    codes, distinct = pd.factorize(days, use_na_sentinel=False)
    return np.array([format_uk_date(day.date()) for day in distinct], dtype=object)[codes]


def slippage_by(
    frame: pd.DataFrame, column: str, order: list[str], taxonomy: Taxonomy | None = None
) -> pd.DataFrame:
    """For each value of column (most recommendations first, as count_by orders them): how many
    recommendations, completed, open and overdue, the median days late of the overdue and the
    median days from agreed to completed of the completed (empty where there are none)."""
    taxonomy = taxonomy or default_taxonomy()
    done = implemented(frame, taxonomy).to_numpy()
    still_open = ~frame["closed"].to_numpy(dtype=bool)
    late = frame["overdue"].to_numpy(dtype=bool)
    days_late = frame["days_overdue"].to_numpy(dtype=float, na_value=np.nan)
    to_complete = days_to_complete(frame).to_numpy(dtype=float, na_value=np.nan)
    groups = group_positions(frame[column])
    rows = []
    for name in counts.count_by(frame, column, order)[column]:
        own = groups[name]
        completed = own[done[own]]
        rows.append(
            {
                column: name,
                "recommendations": len(own),
                "completed": len(completed),
                "open": int(still_open[own].sum()),
                "overdue": int(late[own].sum()),
                "median_days_late": median_days(pd.Series(days_late[own])),
                "median_days_to_complete": median_days(pd.Series(to_complete[completed])),
            }
        )
    table = pd.DataFrame(rows, columns=[column, *SLIPPAGE_COLUMNS])
    return table.astype(dict.fromkeys(("median_days_late", "median_days_to_complete"), "Int64"))


def group_positions(values: pd.Series) -> dict[Any, np.ndarray]:
    """The positions of each value's rows, ascending (missing values left out)."""
    codes, distinct = pd.factorize(values)
    order = np.argsort(codes, kind="stable")
    starts = np.searchsorted(codes[order], np.arange(len(distinct) + 1))
    return {value: order[starts[i] : starts[i + 1]] for i, value in enumerate(distinct)}


def little_progress(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> tuple[str, ...]:
    """The areas of learning (themes, when the tracker records no areas) where fewer than the
    rule's share of recommendations are completed, in taxonomy order."""
    taxonomy = taxonomy or default_taxonomy()
    if counts.areas_recorded(frame):
        grouped, column = counts.with_area_or_not_recorded(frame), "area_of_learning"
        names = [*taxonomy.areas.names, counts.NOT_RECORDED]
    else:
        themed = frame[["themes", "status"]]
        grouped, column = counts.explode_themes(themed, taxonomy.list_separator), "theme"
        names = list(taxonomy.themes.names)
    done = implemented(grouped, taxonomy)
    below = taxonomy.implementation.little_progress_below_percent
    slow = []
    for name in names:
        own = grouped[column] == name
        if own.any() and int((own & done).sum()) * 100 < below * int(own.sum()):
            slow.append(name)
    return tuple(slow)
