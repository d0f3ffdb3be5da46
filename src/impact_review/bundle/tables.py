"""The review's tables as pipe tables with captions and tbl- labels: tables/NAME.md."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from impact_review.analyse.review import Analysis
from impact_review.markdown import pipe_table

NUMERIC = ("sources", "recommendations", "percent", "per_source", "sheet_row")


@dataclass(frozen=True)
class TableSpec:
    """One table: its file (tables/NAME.md, cross-referenced as tbl-NAME), rows and headers."""

    name: str
    rows: Callable[[Analysis], pd.DataFrame]
    caption: str
    headers: tuple[str, ...]


def agency_area_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The agency by area grid as one row per agency listing its non-zero areas, most first:
    readable on an A4 page, where nine area columns are not."""
    body = table.drop(index="Total")
    rows = []
    for agency, counts in body.iterrows():
        areas = counts.drop("Total")
        nonzero = areas[areas > 0].sort_values(ascending=False, kind="mergesort")
        rows.append(
            {
                "agency": agency,
                "recommendations": int(counts["Total"]),
                "areas": "; ".join(f"{area} {n}" for area, n in nonzero.items()),
            }
        )
    return pd.DataFrame(rows)


def recommendation_rows(result: Analysis) -> pd.DataFrame:
    columns = ["rec_id", "source_name", "agency", "area_of_learning", "status", "sheet_row"]
    return result.recommendations[columns].fillna({"status": "Not recorded"})


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "by-source-type",
        lambda r: r.by_source_type,
        "Recommendations by source type",
        ("Source type", "Activities", "Recommendations", "% of all", "Per activity"),
    ),
    TableSpec(
        "by-source",
        lambda r: r.by_source,
        "Recommendations from each learning activity",
        ("Source type", "Learning activity", "Recommendations", "% of all"),
    ),
    TableSpec(
        "by-area",
        lambda r: r.by_area,
        "Recommendations by area of learning",
        ("Area of learning", "Recommendations", "% of all"),
    ),
    TableSpec(
        "by-agency",
        lambda r: r.by_agency,
        "Recommendations by agency",
        ("Agency", "Recommendations", "% of all"),
    ),
    TableSpec(
        "themes",
        lambda r: r.themes,
        "Themes recorded against recommendations (a recommendation may carry more than one)",
        ("Theme", "Recommendations", "% of all", "Learning activities"),
    ),
    TableSpec(
        "agency-area",
        lambda r: agency_area_rows(r.agency_area),
        "Each agency's recommendations by area of learning",
        ("Agency", "Recommendations", "Areas of learning (recommendations)"),
    ),
    TableSpec(
        "recommendations",
        recommendation_rows,
        "Every recommendation analysed, with its tracker row",
        ("Reference", "Learning activity", "Agency", "Area of learning", "Status", "Tracker row"),
    ),
)


def table_frames(result: Analysis) -> dict[str, pd.DataFrame]:
    """Each table's rows as written, by table name."""
    return {spec.name: spec.rows(result) for spec in TABLES}


def write_tables(result: Analysis, tables_dir: Path) -> None:
    tables_dir.mkdir(parents=True, exist_ok=True)
    frames = table_frames(result)
    for spec in TABLES:
        text = pipe_table(
            frames[spec.name], spec.caption, f"tbl-{spec.name}", spec.headers, numeric=NUMERIC
        )
        (tables_dir / f"{spec.name}.md").write_text(text, encoding="utf-8")
