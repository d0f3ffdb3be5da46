"""Counts and shares the review reports, computed from the cleaned recommendations.

Percentages are whole numbers rounded half up (75 of 147 is 51%), as the published review did;
Python's round() would round halves to even.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from impact_review.intake.taxonomy import Taxonomy, default_taxonomy


def percent(part: int, whole: int) -> int:
    """part as a whole-number percentage of whole, halves rounded up; 0 when whole is 0."""
    if whole == 0:
        return 0
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def per(part: int, whole: int) -> float:
    """part / whole to one decimal place, halves rounded up (75 per 4 activities is 18.8)."""
    return float((Decimal(part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _with_percent(counts: pd.DataFrame, total: int) -> pd.DataFrame:
    counts["percent"] = [percent(int(n), total) for n in counts["recommendations"]]
    return counts


def count_by(frame: pd.DataFrame, column: str, order: Sequence[str] | None = None) -> pd.DataFrame:
    """Recommendations and their share for each value of column: most first, ties in taxonomy
    order (or alphabetical without one); values with no recommendations are left out."""
    counts = frame[column].value_counts(sort=False).rename("recommendations").reset_index()
    rank = {name: i for i, name in enumerate(order or sorted(counts[column]))}
    counts["_rank"] = counts[column].map(rank)
    counts = counts.sort_values(
        ["recommendations", "_rank"], ascending=[False, True], kind="mergesort"
    )
    counts = counts.drop(columns="_rank").reset_index(drop=True)
    return _with_percent(counts, len(frame))


def count_by_source_type(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """For each source type: how many learning activities, recommendations, share, and the
    average recommendations per activity (one decimal place)."""
    taxonomy = taxonomy or default_taxonomy()
    counts = count_by(frame, "source_type", taxonomy.source_types.names)
    sources = frame.groupby("source_type")["source_name"].nunique()
    counts.insert(1, "sources", [int(sources[t]) for t in counts["source_type"]])
    counts["per_source"] = [
        per(int(r), int(s))
        for r, s in zip(counts["recommendations"], counts["sources"], strict=True)
    ]
    return counts


def count_by_source(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Recommendations per learning activity, grouped by source type in taxonomy order, then in
    the order the activities first appear in the tracker."""
    taxonomy = taxonomy or default_taxonomy()
    grouped = (
        frame.groupby(["source_type", "source_name"], sort=False)
        .agg(recommendations=("rec_id", "size"), first_row=("sheet_row", "min"))
        .reset_index()
    )
    rank = {name: i for i, name in enumerate(taxonomy.source_types.names)}
    grouped["_rank"] = grouped["source_type"].map(rank)
    grouped = grouped.sort_values(["_rank", "first_row"], kind="mergesort")
    grouped = grouped.drop(columns=["_rank", "first_row"]).reset_index(drop=True)
    return _with_percent(grouped, len(frame))


def count_by_area(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    return count_by(frame, "area_of_learning", (taxonomy or default_taxonomy()).areas.names)


def count_by_agency(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    return count_by(frame, "agency", (taxonomy or default_taxonomy()).agencies.names)


def cross_agency_area(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Agency by area of learning counts: agencies as rows (most recommendations first), areas
    as columns (most first), zeros kept, row and column totals."""
    taxonomy = taxonomy or default_taxonomy()
    agencies = count_by_agency(frame, taxonomy)["agency"].tolist()
    areas = count_by_area(frame, taxonomy)["area_of_learning"].tolist()
    table = pd.crosstab(frame["agency"], frame["area_of_learning"]).reindex(
        index=agencies, columns=areas, fill_value=0
    )
    # each agency's own count, so an agency whose rows record no area still has its total
    table["Total"] = frame["agency"].value_counts().reindex(agencies, fill_value=0)
    table.loc["Total"] = table.sum(axis=0)
    table.index.name = "agency"
    table.columns.name = None
    return table.astype("int64")


def explode_themes(frame: pd.DataFrame, separator: str) -> pd.DataFrame:
    """One row per (recommendation, theme); recommendations with no theme are left out."""
    themed = frame.assign(theme=frame["themes"].fillna("").str.split(separator))
    themed = themed.explode("theme")
    return themed[themed["theme"].fillna("") != ""]


def count_themes(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """For each theme: recommendations tagged with it, their share of all recommendations, and
    how many learning activities raised it. One recommendation can carry several themes."""
    taxonomy = taxonomy or default_taxonomy()
    themed = explode_themes(frame, taxonomy.list_separator)
    counts = count_by(themed, "theme", taxonomy.themes.names)
    counts["percent"] = [percent(int(n), len(frame)) for n in counts["recommendations"]]
    sources = themed.groupby("theme")["source_name"].nunique()
    counts["sources"] = [int(sources[t]) for t in counts["theme"]]
    return counts


def impact_examples(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Recommendations with recorded evidence of impact, in source order then tracker order."""
    with_impact = frame[frame["evidence_of_impact"].fillna("").str.strip() != ""]
    order = count_by_source(frame, taxonomy)["source_name"].tolist()
    rank = {name: i for i, name in enumerate(order)}
    out = with_impact.assign(_rank=with_impact["source_name"].map(rank))
    out = out.sort_values(["_rank", "sheet_row"], kind="mergesort")
    return out[
        ["rec_id", "source_name", "source_type", "agency", "evidence_of_impact"]
    ].reset_index(drop=True)


def top_area_of(
    frame: pd.DataFrame, agency: str, taxonomy: Taxonomy | None = None
) -> tuple[str, int, int] | None:
    """(area, count, agency's total) for the agency's most frequent area of learning; None when
    its recommendations record no area (a tracker with no area-of-learning column)."""
    own = frame[frame["agency"] == agency]
    by_area = count_by_area(own, taxonomy)
    if by_area.empty:
        return None
    top = by_area.iloc[0]
    return str(top["area_of_learning"]), int(top["recommendations"]), len(own)
