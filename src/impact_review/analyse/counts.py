"""Counts and shares the review reports, computed from the cleaned recommendations.

Percentages are whole numbers rounded half up (75 of 147 is 51%), as the published review did;
Python's round() would round halves to even.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from impact_review.intake.taxonomy import Taxonomy, default_taxonomy

# What the review calls the area of a recommendation whose tracker gives none (a partnership's
# configuration may make the area optional): counted under this name, never dropped.
NOT_RECORDED = "Not recorded"


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


def with_area_or_not_recorded(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with a blank area of learning written as NOT_RECORDED."""
    areas = frame["area_of_learning"].fillna("").astype(str).str.strip()
    return frame.assign(area_of_learning=areas.where(areas != "", NOT_RECORDED))


def holds_any(frame: pd.DataFrame, column: str) -> bool:
    """Whether any recommendation has something other than white space in column (an optional
    column the tracker lacks is empty in every row)."""
    return bool((frame[column].fillna("").astype(str).str.strip() != "").any())


def areas_recorded(frame: pd.DataFrame) -> bool:
    """Whether any recommendation has an area of learning: a tracker without the column (the
    configuration makes it optional) has none, and the review then leaves areas out."""
    return holds_any(frame, "area_of_learning")


def count_by_area(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """count_by for areas of learning, blanks counted as NOT_RECORDED, which comes last."""
    names = (taxonomy or default_taxonomy()).areas.names
    counts = count_by(with_area_or_not_recorded(frame), "area_of_learning", [*names, NOT_RECORDED])
    last = counts["area_of_learning"] == NOT_RECORDED
    return pd.concat([counts[~last], counts[last]], ignore_index=True)


def recorded_areas(by_area: pd.DataFrame) -> pd.DataFrame:
    """A count_by_area table without its NOT_RECORDED row: the areas a ranking may name."""
    return by_area[by_area["area_of_learning"] != NOT_RECORDED].reset_index(drop=True)


def count_by_agency(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    return count_by(frame, "agency", (taxonomy or default_taxonomy()).agencies.names)


def cross_agency_area(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Agency by area of learning counts: agencies as rows (most recommendations first), areas
    as columns (most first), zeros kept, row and column totals."""
    taxonomy = taxonomy or default_taxonomy()
    agencies = count_by_agency(frame, taxonomy)["agency"].tolist()
    areas = count_by_area(frame, taxonomy)["area_of_learning"].tolist()
    areas_of = with_area_or_not_recorded(frame)["area_of_learning"]
    table = pd.crosstab(frame["agency"], areas_of).reindex(
        index=agencies, columns=areas, fill_value=0
    )
    table["Total"] = table.sum(axis=1)
    table.loc["Total"] = table.sum(axis=0)
    table.index.name = "agency"
    table.columns.name = None
    return table.astype("int64")


def theme_rows(themes: pd.Series, separator: str) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the cells, once for each theme a cell holds, and those themes, in the
    cells' order (blank themes left out). Each distinct cell is split once."""
    codes, distinct = pd.factorize(themes.fillna(""), use_na_sentinel=False)
    split = pd.Series(distinct, dtype=object).str.split(separator, regex=False)
    held = [
        [theme for theme in parts if theme != ""] if isinstance(parts, list) else []
        for parts in split
    ]
    sizes = np.array([len(names) for names in held], dtype=np.int64)
    names = np.array([theme for names in held for theme in names], dtype=object)
    per_row = sizes[codes]
    positions = np.repeat(np.arange(len(themes)), per_row)
    within = np.arange(len(positions)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    first = (np.cumsum(sizes) - sizes)[codes]
    return positions, names[np.repeat(first, per_row) + within]


def explode_themes(frame: pd.DataFrame, separator: str) -> pd.DataFrame:
    """One row per (recommendation, theme); recommendations with no theme are left out."""
    positions, names = theme_rows(frame["themes"], separator)
    return frame.take(positions).assign(theme=pd.array(names, dtype="str"))


def count_themes(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """For each theme: recommendations tagged with it, their share of all recommendations, and
    how many learning activities raised it. One recommendation can carry several themes."""
    taxonomy = taxonomy or default_taxonomy()
    themed = explode_themes(frame[["themes", "source_name"]], taxonomy.list_separator)
    counts = count_by(themed, "theme", taxonomy.themes.names)
    counts["percent"] = [percent(int(n), len(frame)) for n in counts["recommendations"]]
    sources = themed.groupby("theme")["source_name"].nunique()
    counts["sources"] = [int(sources[t]) for t in counts["theme"]]
    return counts


def impact_examples(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Recommendations with recorded evidence of impact, in source order then tracker order."""
    columns = ["rec_id", "source_name", "source_type", "agency", "evidence_of_impact"]
    impact = (frame["evidence_of_impact"].fillna("").str.strip() != "").to_numpy()
    with_impact = frame.loc[impact, [*columns, "sheet_row"]]
    order = count_by_source(frame, taxonomy)["source_name"].tolist()
    rank = {name: i for i, name in enumerate(order)}
    out = with_impact.assign(_rank=with_impact["source_name"].map(rank))
    out = out.sort_values(["_rank", "sheet_row"], kind="mergesort")
    return out[columns].reset_index(drop=True)


def top_areas_of(
    frame: pd.DataFrame, agency: str, taxonomy: Taxonomy | None = None
) -> tuple[tuple[str, ...], int, int]:
    """(areas, count, agency's total): the agency's most frequent areas of learning (more than
    one when they tie; none when it has no area recorded) and how many each has."""
    own = frame.loc[frame["agency"] == agency, ["area_of_learning"]]
    by_area = recorded_areas(count_by_area(own, taxonomy))
    if by_area.empty:
        return (), 0, len(own)
    most = int(by_area["recommendations"].iloc[0])
    tied = by_area[by_area["recommendations"] == most]["area_of_learning"]
    return tuple(str(area) for area in tied), most, len(own)
