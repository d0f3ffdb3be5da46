"""The comparison's tables: each period's counts side by side, from the period's own analysis
(so they are the counts its review published), with a successor counted in the series of what
it replaced (taxonomy successions:)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from impact_review.analyse import counts
from impact_review.analyse.implementation import days_to_complete, implemented, median_days
from impact_review.analyse.review import Analysis
from impact_review.compare.periods import ReviewedPeriod
from impact_review.intake.taxonomy import Succession, Taxonomy

TOTAL_COLUMN = "all_periods"


@dataclass(frozen=True)
class Dimension:
    """One way of grouping recommendations: a per-period table of it (tables/NAME.md)."""

    name: str
    column: str  # the cleaned column that names the group
    vocabulary: str  # the taxonomy list its names come from
    counted: Callable[[Analysis], pd.DataFrame]  # the period's own table of it
    heading: str
    of_areas: bool = False

    def shown(self, periods: tuple[ReviewedPeriod, ...]) -> bool:
        return not self.of_areas or any(p.analysis.areas_recorded for p in periods)


DIMENSIONS = (
    Dimension("by-source", "source_type", "source_types", lambda a: a.by_source_type, "Source"),
    Dimension(
        "by-area",
        "area_of_learning",
        "areas_of_learning",
        lambda a: a.by_area,
        "Area of learning",
        of_areas=True,
    ),
    Dimension("by-agency", "agency", "agencies", lambda a: a.by_agency, "Agency"),
    Dimension("themes", "theme", "themes", lambda a: a.themes, "Theme"),
)


def dimension(name: str) -> Dimension:
    (found,) = (d for d in DIMENSIONS if d.name == name)
    return found


def spanned(periods: tuple[ReviewedPeriod, ...], taxonomy: Taxonomy) -> tuple[Succession, ...]:
    """The successions that took effect within the compared periods: their names are counted
    as one series. (A comparison wholly before or after a change names things as they were.)"""
    first, last = periods[0].period.start, periods[-1].period.end
    return tuple(s for s in taxonomy.successions if s.took_effect_between(first, last))


def series_of(name: str, vocabulary: str, successions: tuple[Succession, ...]) -> str:
    """The series a name is counted in: its succession's, when the comparison spans it."""
    for succession in successions:
        if succession.vocabulary == vocabulary and name in succession.names:
            return succession.series
    return name


def per_period(
    periods: tuple[ReviewedPeriod, ...],
    of: Dimension,
    taxonomy: Taxonomy,
    successions: tuple[Succession, ...] = (),
) -> pd.DataFrame:
    """One row per group (a spanned succession's names as its series), a column of
    recommendations per period label and their sum; groups with most recommendations first,
    then in taxonomy order."""
    columns = {}
    for reviewed in periods:
        table = of.counted(reviewed.analysis)
        series = table[of.column].map(lambda name: series_of(name, of.vocabulary, successions))
        columns[reviewed.label] = table.groupby(series, sort=False)["recommendations"].sum()
    frame = pd.DataFrame(columns).fillna(0).astype(int)
    names = [*taxonomy.vocabularies[of.vocabulary].names, counts.NOT_RECORDED]
    in_order = dict.fromkeys(series_of(name, of.vocabulary, successions) for name in names)
    order = {series: n for n, series in enumerate(in_order)}
    frame = frame.loc[sorted(frame.index, key=lambda name: order.get(name, len(order)))]
    frame[TOTAL_COLUMN] = frame.sum(axis=1)
    frame = frame.sort_values(TOTAL_COLUMN, ascending=False, kind="mergesort")
    return frame.rename_axis(of.column).reset_index()


def in_every_period(table: pd.DataFrame, labels: list[str]) -> list[str]:
    """The groups with recommendations in every period, most first."""
    present = (table[labels] > 0).all(axis=1)
    return [str(name) for name in table.loc[present].iloc[:, 0]]


IMPLEMENTATION_COLUMNS = (
    "recommendations",
    "completed",
    "completed_percent",
    "open",
    "overdue",
    "median_days_to_complete",
    "with_impact",
    "with_impact_percent",
)


def implementation_row(reviewed: ReviewedPeriod, taxonomy: Taxonomy) -> dict[str, object]:
    """Where one period's recommendations stood at its review's as-at day."""
    recs = reviewed.recommendations
    total = len(recs)
    done = recs[implemented(recs, taxonomy)]
    impact = int((recs["evidence_of_impact"].fillna("").astype(str).str.strip() != "").sum())
    return {
        "period": reviewed.label,
        "as_at": reviewed.as_at_text,
        "recommendations": total,
        "completed": len(done),
        "completed_percent": counts.percent(len(done), total),
        "open": int((~recs["closed"]).sum()),
        "overdue": int(recs["overdue"].sum()),
        "median_days_to_complete": median_days(days_to_complete(done)),
        "with_impact": impact,
        "with_impact_percent": counts.percent(impact, total),
    }


def implementation_per_period(
    periods: tuple[ReviewedPeriod, ...], taxonomy: Taxonomy
) -> pd.DataFrame:
    """One row per period: completed, open and overdue at its as-at day, the median days from
    agreed to completed, and how many record evidence of impact."""
    return pd.DataFrame([implementation_row(reviewed, taxonomy) for reviewed in periods])


@dataclass(frozen=True)
class Comparison:
    """Everything the comparison review shows, computed once."""

    periods: tuple[ReviewedPeriod, ...]
    tables: dict[str, pd.DataFrame]  # by dimension name
    implementation: pd.DataFrame
    successions: tuple[Succession, ...]

    @property
    def labels(self) -> list[str]:
        return [reviewed.label for reviewed in self.periods]


def compare(periods: tuple[ReviewedPeriod, ...], taxonomy: Taxonomy) -> Comparison:
    successions = spanned(periods, taxonomy)
    return Comparison(
        periods,
        {
            of.name: per_period(periods, of, taxonomy, successions)
            for of in DIMENSIONS
            if of.shown(periods)
        },
        implementation_per_period(periods, taxonomy),
        successions,
    )
