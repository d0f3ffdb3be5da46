"""Which rows each number of the comparison counts: audit/lineage.json, as a single period's
review writes it (bundle/lineage.py), with each figure's period named. Every value is checked
against its rows before it is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from impact_review.analyse import counts
from impact_review.analyse.implementation import days_to_complete, implemented, median_days
from impact_review.bundle.lineage import KINDS, LineageError
from impact_review.compare.periods import ReviewedPeriod
from impact_review.compare.tables import TOTAL_COLUMN, Comparison, dimension, series_of
from impact_review.exports import write_json
from impact_review.intake.taxonomy import Taxonomy


def figure(
    name: str, value: Any, computed: Any, kind: str, reviewed: ReviewedPeriod, rows: pd.DataFrame
) -> dict[str, Any]:
    if value != computed and not (pd.isna(value) and computed is None):
        raise LineageError(f"{name}: the comparison says {value}, its rows give {computed}")
    return {
        "figure": name,
        "value": None if pd.isna(value) else value,
        "kind": kind,
        "period": reviewed.label,
        "rows_from": f"data/processed/{reviewed.label}/recommendations.parquet",
        "rec_ids": [str(rec_id) for rec_id in rows["rec_id"]],
        "sheet_rows": [int(row) for row in rows["sheet_row"]],
    }


def group_rows(
    recs: pd.DataFrame, name: str, group: str, comparison: Comparison, taxonomy: Taxonomy
) -> pd.DataFrame:
    """The period's rows a per-period table's row counts (a theme: rows carrying it)."""
    of = dimension(name)
    if of.column == "theme":
        themed = counts.explode_themes(recs, taxonomy.list_separator)
        return recs[recs["rec_id"].isin(themed.loc[themed["theme"] == group, "rec_id"])]
    values = recs[of.column].fillna(counts.NOT_RECORDED)
    mapped = values.map(lambda value: series_of(value, of.vocabulary, comparison.successions))
    return recs[mapped == group]


def per_period_figures(comparison: Comparison, taxonomy: Taxonomy) -> list[dict[str, Any]]:
    found = []
    for name, table in comparison.tables.items():
        for _, row in table.iterrows():
            group = str(row.iloc[0])
            parts = []
            for reviewed in comparison.periods:
                rows = group_rows(reviewed.recommendations, name, group, comparison, taxonomy)
                parts.append(
                    figure(
                        f"table:{name}:{group}:{reviewed.label}",
                        int(row[reviewed.label]),
                        len(rows),
                        "count",
                        reviewed,
                        rows,
                    )
                )
            found += [*parts, total(f"table:{name}:{group}:{TOTAL_COLUMN}", row, parts)]
    return found


def total(name: str, row: pd.Series, parts: list[dict[str, Any]]) -> dict[str, Any]:
    """A table's all-periods cell: the sum of its periods' figures (its rows are theirs)."""
    value = int(row[TOTAL_COLUMN])
    if value != sum(part["value"] for part in parts):
        raise LineageError(f"{name}: the comparison says {value}, its periods do not add up")
    return {
        "figure": name,
        "value": value,
        "kind": "sum",
        "parts": [part["figure"] for part in parts],
        "rec_ids": [rec_id for part in parts for rec_id in part["rec_ids"]],
    }


def implementation_figures(comparison: Comparison, taxonomy: Taxonomy) -> list[dict[str, Any]]:
    found = []
    for reviewed, row in zip(
        comparison.periods, comparison.implementation.to_dict("records"), strict=True
    ):
        recs = reviewed.recommendations
        total = len(recs)
        selected: dict[str, pd.DataFrame] = {
            "recommendations": recs,
            "completed": recs[implemented(recs, taxonomy)],
            "open": recs[~recs["closed"]],
            "overdue": recs[recs["overdue"]],
            "with_impact": recs[
                recs["evidence_of_impact"].fillna("").astype(str).str.strip() != ""
            ],
        }
        prefix = f"table:implementation:{reviewed.label}"
        for column, rows in selected.items():
            found.append(
                figure(f"{prefix}:{column}", row[column], len(rows), "count", reviewed, rows)
            )
        for column, part in (
            ("completed_percent", "completed"),
            ("with_impact_percent", "with_impact"),
        ):
            rows = selected[part]
            computed = counts.percent(len(rows), total)
            found.append(
                figure(f"{prefix}:{column}", row[column], computed, "percent-of", reviewed, rows)
            )
        done = selected["completed"]
        found.append(
            figure(
                f"{prefix}:median_days_to_complete",
                row["median_days_to_complete"],
                median_days(days_to_complete(done)),
                "median-days",
                reviewed,
                done,
            )
        )
    return found


def write_comparison_lineage(comparison: Comparison, taxonomy: Taxonomy, path: Path) -> int:
    """Write the lineage of every number in the comparison's tables; how many there are."""
    figures = per_period_figures(comparison, taxonomy) + implementation_figures(
        comparison, taxonomy
    )
    write_json({"kinds": KINDS, "figures": figures}, path)
    return len(figures)
