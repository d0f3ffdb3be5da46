"""The review's tables as pipe tables with captions and tbl- labels: tables/NAME.md."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from impact_review.analyse.evidence import (
    count_by_embedded,
    count_by_impact_level,
    evidence_given,
    reached_impact,
)
from impact_review.analyse.implementation import SLIPPAGE_COLUMNS
from impact_review.analyse.quality import QUALITY_NUMBERS
from impact_review.analyse.review import Analysis
from impact_review.bundle.captions import dated_caption
from impact_review.bundle.register import register_rows
from impact_review.intake.taxonomy import default_taxonomy
from impact_review.layout import REPORT_LISTING
from impact_review.markdown import pipe_table
from impact_review.report_settings import report_settings

NUMERIC = (
    "sources",
    "recommendations",
    "percent",
    "per_source",
    "days_overdue",
    *SLIPPAGE_COLUMNS,
    *QUALITY_NUMBERS,
)
SLIPPAGE_HEADERS = {
    "recommendations": "Recommendations",
    "completed": "Completed",
    "open": "Open",
    "overdue": "Overdue",
    "median_days_late": "Median days late (overdue)",
    "median_days_to_complete": "Median days to complete",
}


@dataclass(frozen=True)
class TableSpec:
    """One table: its file (tables/NAME.md, cross-referenced as tbl-NAME), rows, caption (which
    dated_caption completes), and the header of each column. An area table is written only when
    the tracker records areas (its file is empty otherwise, and report.qmd's include shows
    nothing)."""

    name: str
    rows: Callable[[Analysis], pd.DataFrame]
    caption: str
    headers: dict[str, str]
    standing: bool = False  # shows where recommendations stand, which is as at the review's date
    of_areas: bool = False
    of_evidence: bool = False  # written only when returns to the call for evidence were given
    of_rows: bool = False  # written only when it has rows (the passage says when it has none)
    # Each column's share of the page's width, for a table whose cells wrap (else pandoc's own).
    widths: tuple[int, ...] = ()
    # What a row is, for a table with one per recommendation or learning activity: such a
    # listing grows with the tracker, so past register_max_rows rows it is a file, not a table.
    listing: str = ""

    def dated_caption(self, period: str, as_at: date) -> str:
        """The caption with the period and, for a table of where they stand, the as-at date."""
        return dated_caption(self.caption, period, as_at if self.standing else None)

    def shown(self, result: Analysis) -> bool:
        if self.of_evidence and not evidence_given(result.recommendations):
            return False
        if self.of_rows and self.rows(result).empty:
            return False
        return result.areas_recorded or not self.of_areas

    def listed(self, rows: int, max_rows: int | None = None) -> bool:
        """Whether the review prints the table's rows (else its listing file holds them)."""
        limit = report_settings().register_max_rows if max_rows is None else max_rows
        return not self.listing or rows <= limit


# The examples of impact (analyse/counts.impact_examples), a listing of the review's prose.
IMPACT_LISTING = "impact"
IMPACT_HEADERS = {
    "rec_id": "Reference",
    "source_name": "Learning activity",
    "source_type": "Source type",
    "agency": "Agency",
    "evidence_of_impact": "Evidence of impact",
}


def listing_file(name: str) -> str:
    """The CSV file, published beside the review, that holds a listing too long for it."""
    return REPORT_LISTING.format(name=name)


def listing_note(spec: TableSpec, rows: int, caption: str) -> str:
    """What the review says in place of a listing too long for it: how many rows, and where."""
    return (
        f"**{caption}**: {rows} {spec.listing}, too many to list in the review. They are listed "
        f"in {listing_file(spec.name)}, a CSV file published beside it with the same columns "
        "(the Excel annex's notes say so too).\n"
    )


def table_reference(name: str, rows: int, max_rows: int | None = None) -> str:
    """How prose refers to a table: @tbl-NAME, or its listing file when it is too long to print."""
    spec = next(spec for spec in TABLES if spec.name == name)
    if spec.listed(rows, max_rows):
        return f"@tbl-{name}"
    return f"{listing_file(name)} (published beside the review)"


def agency_area_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The agency by area grid as one row per agency listing its non-zero areas, most first:
    readable on an A4 page, where nine area columns are not."""
    body = table.drop(index="Total", columns="Total")
    rows = []
    for agency, areas in body.iterrows():
        nonzero = areas[areas > 0].sort_values(ascending=False, kind="mergesort")
        rows.append(
            {
                "agency": agency,
                "recommendations": int(areas.sum()),
                "areas": "; ".join(f"{area} {n}" for area, n in nonzero.items()),
            }
        )
    return pd.DataFrame(rows)


PASSING_HEADERS = {
    "recommendations": "Recommendations",
    "passing": "Passing every check",
    "percent_passing": "% passing every check",
}
# The "Quality of recommendations" section's tables.
QUALITY_TABLES = (
    TableSpec(
        "quality-checks",
        lambda r: r.by_check,
        "Recommendations passing each quality check, with its rule",
        {
            "check": "Check",
            "rule": "Rule: a recommendation passes when",
            "recommendations": "Recommendations passing",
            "percent": "% of all",
        },
        widths=(18, 52, 15, 15),
    ),
    TableSpec(
        "quality-by-source-type",
        lambda r: r.quality_by_source_type,
        "Recommendations passing every quality check, by source type",
        {"source_type": "Source type", **PASSING_HEADERS},
    ),
    TableSpec(
        "quality-by-agency",
        lambda r: r.quality_by_agency,
        "Recommendations passing every quality check, by agency",
        {"agency": "Agency", **PASSING_HEADERS},
    ),
    TableSpec(
        "quality-flagged",
        lambda r: r.flagged_activities,
        "Learning activities with far more recommendations than their peers",
        {
            "source_type": "Source type",
            "source_name": "Learning activity",
            "recommendations": "Recommendations",
            "peer_median": "Median of its peers",
        },
        of_rows=True,
        listing="flagged learning activities",
    ),
    TableSpec(
        "restated",
        lambda r: r.restated,
        "Recommendations restating an earlier one from another learning activity, most alike first",
        {
            "rec_id": "Reference",
            "source_name": "Learning activity",
            "agency": "Agency",
            "restates": "Restates",
            "restated_source": "Earlier learning activity",
        },
        of_rows=True,
        listing="restated recommendations",
    ),
)

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "by-source-type",
        lambda r: r.by_source_type,
        "Recommendations by source type",
        {
            "source_type": "Source type",
            "sources": "Activities",
            "recommendations": "Recommendations",
            "percent": "% of all",
            "per_source": "Per activity",
        },
    ),
    TableSpec(
        "by-source",
        lambda r: r.by_source,
        "Recommendations from each learning activity",
        {
            "source_type": "Source type",
            "source_name": "Learning activity",
            "recommendations": "Recommendations",
            "percent": "% of all",
        },
        listing="learning activities",
    ),
    TableSpec(
        "by-area",
        lambda r: r.by_area,
        "Recommendations by area of learning",
        {
            "area_of_learning": "Area of learning",
            "recommendations": "Recommendations",
            "percent": "% of all",
        },
        of_areas=True,
    ),
    TableSpec(
        "by-agency",
        lambda r: r.by_agency,
        "Recommendations by agency",
        {"agency": "Agency", "recommendations": "Recommendations", "percent": "% of all"},
    ),
    TableSpec(
        "themes",
        lambda r: r.themes,
        "Themes recorded against recommendations (a recommendation may carry more than one)",
        {
            "theme": "Theme",
            "recommendations": "Recommendations",
            "percent": "% of all",
            "sources": "Learning activities",
        },
    ),
    TableSpec(
        "agency-area",
        lambda r: agency_area_rows(r.agency_area),
        "Each agency's recommendations by area of learning",
        {
            "agency": "Agency",
            "recommendations": "Recommendations",
            "areas": "Areas of learning (recommendations)",
        },
        of_areas=True,
    ),
    TableSpec(
        "statuses",
        lambda r: r.by_status,
        "Recommendations by status, with what each status means",
        {
            "status": "Status",
            "meaning": "Meaning",
            "closed": "Closed",
            "recommendations": "Recommendations",
            "percent": "% of all",
        },
        standing=True,
    ),
    TableSpec(
        "rag",
        lambda r: r.by_rag,
        "Recommendations by RAG rating, derived from the status and dates",
        {
            "rag": "RAG",
            "rule": "Rule",
            "recommendations": "Recommendations",
            "percent": "% of all",
        },
        standing=True,
    ),
    TableSpec(
        "overdue",
        lambda r: r.overdue,
        "Overdue recommendations, most overdue first",
        {
            "rec_id": "Reference",
            "source_name": "Learning activity",
            "agency": "Agency",
            "due_date": "Target date",
            "days_overdue": "Days late",
        },
        of_rows=True,
        standing=True,
        listing="overdue recommendations",
    ),
    TableSpec(
        "slippage-by-agency",
        lambda r: r.slippage_by_agency,
        "Implementation and slippage by agency",
        {"agency": "Agency", **SLIPPAGE_HEADERS},
        standing=True,
    ),
    TableSpec(
        "slippage-by-source-type",
        lambda r: r.slippage_by_source_type,
        "Implementation and slippage by source type",
        {"source_type": "Source type", **SLIPPAGE_HEADERS},
        standing=True,
    ),
    TableSpec(
        "evidence-levels",
        lambda r: count_by_impact_level(r.recommendations),
        "The impact level each recommendation reached, as its agency returned it",
        {
            "impact_level": "Impact level",
            "recommendations": "Recommendations",
            "percent": "% of all",
        },
        of_evidence=True,
    ),
    TableSpec(
        "evidence-embedded",
        lambda r: count_by_embedded(r.recommendations),
        "Whether each recommendation is embedded in practice, as its agency returned it",
        {"embedded": "Embedded", "recommendations": "Recommendations", "percent": "% of all"},
        of_evidence=True,
    ),
    TableSpec(
        "evidence-coverage",
        lambda r: reached_impact(r.recommendations, default_taxonomy().implemented_status),
        "Completed recommendations with evidence of practice change or better, by agency",
        {
            "agency": "Agency",
            "status": "Status",
            "impact_level": "Impact level",
            "recommendations": "Recommendations",
        },
        of_evidence=True,
        standing=True,
    ),
    TableSpec(
        "evidence-coverage-by-area",
        lambda r: reached_impact(
            r.recommendations, default_taxonomy().implemented_status, by="area_of_learning"
        ),
        "Completed recommendations with evidence of practice change or better, by area of learning",
        {
            "area_of_learning": "Area of learning",
            "status": "Status",
            "impact_level": "Impact level",
            "recommendations": "Recommendations",
        },
        of_evidence=True,
        of_areas=True,
        standing=True,
    ),
    *QUALITY_TABLES,
    TableSpec(
        "recommendations",
        lambda r: register_rows(r.recommendations),
        "Every recommendation analysed, open ones first, then by reference",
        {
            "rec_id": "Reference",
            "recommendation": "Recommendation (shortened)",
            "agency": "Agency",
            "due_date": "Target date",
            "status": "Status",
            "rag": "RAG",
        },
        widths=(11, 33, 25, 14, 10, 7),
        standing=True,
        listing="recommendations",
    ),
)


# The frames of the analyses still in use, by id: the bundle, the annex and the lineage all read
# them, and the register of a million recommendations takes seconds to sort.
_FRAMES: dict[int, tuple[weakref.ref, dict[str, pd.DataFrame]]] = {}


def table_frames(result: Analysis) -> dict[str, pd.DataFrame]:
    """Each table's rows as written, by table name: the tables the review shows. Computed once
    for an analysis (callers must not change the frames)."""
    held = _FRAMES.get(id(result))
    if held is not None and held[0]() is result:
        return dict(held[1])
    frames = {spec.name: spec.rows(result) for spec in TABLES if spec.shown(result)}
    key = id(result)
    _FRAMES[key] = (weakref.ref(result, lambda _: _FRAMES.pop(key, None)), frames)
    return dict(frames)


def table_text(spec: TableSpec, frame: pd.DataFrame | None, caption: str, max_rows: int) -> str:
    """A table's file: its pipe table, nothing when it is not shown, or, for a listing too long
    for the review, a sentence saying where it is."""
    if frame is None:
        return ""
    if not spec.listed(len(frame), max_rows):
        return listing_note(spec, len(frame), caption)
    return pipe_table(
        frame,
        caption,
        f"tbl-{spec.name}",
        [spec.headers[column] for column in frame.columns],
        numeric=NUMERIC,
        widths=spec.widths,
    )


def write_tables(
    result: Analysis, tables_dir: Path, period: str, as_at: date, max_rows: int | None = None
) -> None:
    """Each table as tables/NAME.md, captioned with the period (period.describe()) and as_at;
    max_rows (default: the configured register_max_rows) bounds the listings printed."""
    limit = report_settings().register_max_rows if max_rows is None else max_rows
    tables_dir.mkdir(parents=True, exist_ok=True)
    frames = table_frames(result)
    for spec in TABLES:
        text = table_text(spec, frames.get(spec.name), spec.dated_caption(period, as_at), limit)
        (tables_dir / f"{spec.name}.md").write_text(text, encoding="utf-8")
