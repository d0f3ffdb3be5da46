"""The single-period reviews a comparison reads, found in a working folder and checked.

A comparison is only as good as the reviews it sets side by side, so each label must have been
run (its processed recommendations, manifest and lineage are there), with the taxonomy in force
now (else its agencies and areas may be named or grouped differently), over a period that
overlaps no other; and the counts this code gives from its processed rows must be the counts its
review published (else the code that ran it counted differently).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from impact_review.analyse.review import Analysis, analyse
from impact_review.errors import InputError
from impact_review.intake.processed import read_recommendations
from impact_review.intake.taxonomy import Taxonomy
from impact_review.intake.tracker import sha256_of
from impact_review.layout import RunLayout
from impact_review.paths import SCHEMA_FILE, shown_path
from impact_review.period import Period, format_uk_date
from impact_review.publish.manifest import code_version


@dataclass(frozen=True)
class ReviewedPeriod:
    """One published single-period review, as a comparison reads it."""

    period: Period
    as_at: date
    analysis: Analysis
    manifest: dict[str, Any]
    # Each number the review stated, by its lineage name ("counts.total").
    published: dict[str, int | float]
    layout: RunLayout

    @property
    def label(self) -> str:
        return self.period.label

    @property
    def recommendations(self) -> pd.DataFrame:
        return self.analysis.recommendations

    @property
    def code(self) -> str:
        return code_version(self.manifest.get("code") or {}) if self.manifest.get("code") else ""

    @property
    def as_at_text(self) -> str:
        return format_uk_date(self.as_at)


def comparison_label(periods: tuple[ReviewedPeriod, ...]) -> str:
    """compare-FIRST-LAST, by the periods' order in time."""
    return f"compare-{periods[0].label}-{periods[-1].label}"


def _rerun(label: str) -> str:
    return f"run it again (impact-review run ... --label {label} --rebuild), then compare"


def _read_run(workdir: Path, label: str) -> tuple[RunLayout, dict[str, Any], dict[str, Any]]:
    layout = RunLayout.published(workdir, label)
    needed = (layout.processed.recommendations, layout.audit.manifest, layout.audit.lineage)
    if absent := [path for path in needed if not path.is_file()]:
        raise InputError(
            f"{label} has not been run in {shown_path(workdir)}: "
            f"{shown_path(absent[0])} is missing; run it first "
            f"(impact-review run ... --label {label}), then compare"
        )
    manifest = json.loads(layout.audit.manifest.read_text(encoding="utf-8"))
    lineage = json.loads(layout.audit.lineage.read_text(encoding="utf-8"))
    return layout, manifest, lineage


def _period_of(manifest: dict[str, Any], label: str) -> tuple[Period, date]:
    parameters = manifest.get("parameters") or {}
    try:
        period = Period(
            date.fromisoformat(parameters["period_start"]),
            date.fromisoformat(parameters["period_end"]),
            label,
        )
        return period, date.fromisoformat(parameters["as_at"])
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(
            f"{label}: its manifest does not record its period; {_rerun(label)}"
        ) from exc


def taxonomy_files(taxonomy: Taxonomy) -> tuple[Path, ...]:
    """The two files that decide how rows are named and grouped: the taxonomy and the schema."""
    return (taxonomy.source_file, SCHEMA_FILE)


def check_taxonomy(label: str, manifest: dict[str, Any], taxonomy: Taxonomy) -> None:
    recorded = {
        Path(key).name: value for key, value in (manifest.get("configuration") or {}).items()
    }
    for path in taxonomy_files(taxonomy):
        if recorded.get(path.name) != sha256_of(path):
            raise InputError(
                f"{label} was run with a different {path.name} from the one in force "
                f"({shown_path(path)}): "
                f"its agencies, areas and themes may be named or counted differently; "
                f"{_rerun(label)}"
            )


def stated_counts(analysis: Analysis) -> dict[str, int]:
    """The counts of one period a comparison shows, named as the period's lineage names them."""
    stated = {
        "counts.total": len(analysis.recommendations),
        "implementation.open": int((~analysis.recommendations["closed"]).sum()),
        "implementation.overdue": int(analysis.recommendations["overdue"].sum()),
    }
    for table, frame, column in (
        ("by-source-type", analysis.by_source_type, "source_type"),
        ("by-agency", analysis.by_agency, "agency"),
        ("themes", analysis.themes, "theme"),
        *((("by-area", analysis.by_area, "area_of_learning"),) if analysis.areas_recorded else ()),
    ):
        for name, count in zip(frame[column], frame["recommendations"], strict=True):
            stated[f"table:{table}:{name}:recommendations"] = int(count)
    return stated


def check_counts(label: str, code: str, analysis: Analysis, published: dict[str, Any]) -> None:
    """Refuse a period whose review published other counts than this code gives from its rows."""
    for figure, value in stated_counts(analysis).items():
        if published.get(figure) != value:
            raise InputError(
                f"{label} was published by {code or 'another version of the code'}, which counted "
                f"differently from this code: {figure} is {published.get(figure, 'absent')} in its "
                f"review and {value} now, from the same processed rows; {_rerun(label)}"
            )


def reviewed_period(workdir: Path, label: str, taxonomy: Taxonomy) -> ReviewedPeriod:
    layout, manifest, lineage = _read_run(workdir, label)
    period, as_at = _period_of(manifest, label)
    check_taxonomy(label, manifest, taxonomy)
    analysis = analyse(read_recommendations(layout.processed, taxonomy), taxonomy)
    published = {figure["figure"]: figure["value"] for figure in lineage.get("figures", [])}
    reviewed = ReviewedPeriod(period, as_at, analysis, manifest, published, layout)
    check_counts(label, reviewed.code, analysis, published)
    return reviewed


def reviewed_periods(
    workdir: Path, labels: list[str], taxonomy: Taxonomy
) -> tuple[ReviewedPeriod, ...]:
    """The labels' reviews in the order of their periods; InputError (exit 2) when fewer than
    two distinct labels are given, or any is unrun, differently configured or counted, or two
    periods overlap."""
    if len(set(labels)) < 2 or len(set(labels)) != len(labels):
        raise InputError(
            "give two or more different labels of runs to compare (for example "
            "impact-review compare 2018-19 2019-20 2020-21)"
        )
    periods = sorted(
        (reviewed_period(workdir, label, taxonomy) for label in labels),
        key=lambda reviewed: reviewed.period.start,
    )
    for earlier, later in itertools.pairwise(periods):
        if later.period.start <= earlier.period.end:
            raise InputError(
                f"{earlier.label} ({earlier.period.describe()}) and {later.label} "
                f"({later.period.describe()}) overlap: a comparison sets separate periods side "
                "by side, so no recommendation is counted twice"
            )
    return tuple(periods)
