"""The comparison's render bundle: what compare.qmd presents, laid out as a single period's
bundle is (bundle/writer.py), so the same renderers, gates and audit folder serve both."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from impact_review.analyse.figures import Figure
from impact_review.bundle.captions import dated_caption
from impact_review.bundle.figures import write_figure_includes
from impact_review.bundle.glossary import write_glossary
from impact_review.bundle.words import count_phrase, join_words
from impact_review.compare import words
from impact_review.compare.figures import plot_implementation, plot_per_period
from impact_review.compare.tables import (
    IMPLEMENTATION_COLUMNS,
    TOTAL_COLUMN,
    Comparison,
    dimension,
)
from impact_review.intake.taxonomy import Taxonomy
from impact_review.layout import BundleFiles
from impact_review.markdown import escape_markdown, pipe_table
from impact_review.partnership import Partnership
from impact_review.paths import COMPARE_TEMPLATE, PAGE_DIR, QUARTO_CONFIG
from impact_review.period import format_uk_date
from impact_review.render import stamp_report_date

VARIABLES_HEADER = "# Written by notebooks/04-compare.ipynb from earlier runs; do not edit.\n"
# Per-period tables: their file, caption, what their first column holds.
PER_PERIOD_CAPTIONS = {
    "by-source": "Recommendations per period by source (successors counted with what they "
    "replaced)",
    "by-area": "Recommendations per period by area of learning",
    "by-agency": "Recommendations per period by agency",
    "themes": "Themes per period (a recommendation may carry more than one)",
}
IMPLEMENTATION_HEADERS = {
    "period": "Period",
    "recommendations": "Recommendations",
    "completed": "Completed",
    "completed_percent": "% completed",
    "open": "Open",
    "overdue": "Overdue",
    "median_days_to_complete": "Median days to complete",
    "with_impact": "With evidence of impact",
    "with_impact_percent": "% with evidence of impact",
}
CHARTED = ("by-source", "by-area")


def span(comparison: Comparison) -> str:
    """'2015-16 to 2017-18'."""
    return f"{comparison.labels[0]} to {comparison.labels[-1]}"


def as_at(comparison: Comparison) -> date:
    """The comparison is as at its last period's as-at day."""
    return comparison.periods[-1].as_at


def captioned(caption: str, comparison: Comparison) -> str:
    """A table's caption with the periods it covers, as a single review's captions say theirs."""
    return dated_caption(caption, span(comparison))


def per_period_table(comparison: Comparison, name: str) -> str:
    table = comparison.tables[name]
    headers = [dimension(name).heading, *comparison.labels, "All periods"]
    return pipe_table(
        table,
        captioned(PER_PERIOD_CAPTIONS[name], comparison),
        f"tbl-{name}",
        headers,
        numeric=(*comparison.labels, TOTAL_COLUMN),
    )


def periods_frame(comparison: Comparison) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "period": reviewed.label,
                "dates": reviewed.period.describe(),
                "as_at": reviewed.as_at_text,
                "recommendations": len(reviewed.recommendations),
                "code": reviewed.code or "not recorded",
            }
            for reviewed in comparison.periods
        ]
    )


def tables(comparison: Comparison) -> dict[str, str]:
    """Every table of the comparison as markdown, by file name."""
    written = {name: per_period_table(comparison, name) for name in comparison.tables}
    written["periods"] = pipe_table(
        periods_frame(comparison),
        captioned("The reviews compared", comparison),
        "tbl-periods",
        ["Period", "Dates", "As at", "Recommendations", "Produced by"],
        numeric=("recommendations",),
    )
    written["implementation"] = pipe_table(
        comparison.implementation.drop(columns="as_at"),
        captioned(
            "Implementation and evidence of impact per period, each at its review's as-at day",
            comparison,
        ),
        "tbl-implementation",
        list(IMPLEMENTATION_HEADERS.values()),
        numeric=IMPLEMENTATION_COLUMNS,
        widths=(12, 13, 11, 11, 8, 9, 12, 12, 12),
    )
    return written


def draw(comparison: Comparison, figures_dir: Path) -> list[Figure]:
    drawn = [
        plot_per_period(
            comparison.tables[name],
            comparison.labels,
            PER_PERIOD_CAPTIONS[name],
            f"fig-{name}",
            figures_dir / f"{name}.png",
        )
        for name in CHARTED
        if name in comparison.tables
    ]
    drawn.append(
        plot_implementation(
            comparison,
            "Completed and with evidence of impact, % of each period's recommendations at its "
            "review's as-at day",
            "fig-implementation",
            figures_dir / "implementation.png",
        )
    )
    return drawn


def summary_passage(comparison: Comparison) -> str:
    table = comparison.implementation
    labels = comparison.labels
    total = int(table["recommendations"].sum())
    lines = [
        f"**{total} recommendations** across the periods: "
        f"{words.per_period_phrase(list(table['recommendations']), labels)}.",
        "Completed by each review's as-at day: "
        f"{words.per_period_phrase([f'{p}%' for p in table['completed_percent']], labels)}.",
        "Recording evidence of impact: "
        f"{words.per_period_phrase([f'{p}%' for p in table['with_impact_percent']], labels)}.",
    ]
    return "".join(f"- {line}\n" for line in lines)


def periods_passage(comparison: Comparison) -> str:
    codes = {reviewed.code for reviewed in comparison.periods}
    text = (
        "Each period was reviewed by its own run of impact-review, which cleaned and checked its "
        "recommendations and published them (@tbl-periods). Implementation is as at each "
        "review's own as-at day, so a period's open and overdue recommendations are those still "
        "open on that day, and a later period's recommendations have had less time to be "
        "completed by it than an earlier period's had by its own."
    )
    if len(codes) > 1:
        text += (
            " The reviews were produced by different versions of the code; before comparing, "
            "every count shown here was recomputed from each review's processed rows by this "
            "version and agrees with the count that review published."
        )
    return text + "\n"


def about_the_data(comparison: Comparison) -> str:
    """Where each period's rows came from: its tracker and processed table."""
    lines = []
    for reviewed in comparison.periods:
        source = reviewed.manifest.get("input") or {}
        lines.append(
            f"{escape_markdown(reviewed.label)}: {len(reviewed.recommendations)} "
            f"recommendations, read from {escape_markdown(source.get('file', 'its tracker'))} "
            f"(sha256 {str(source.get('sha256', 'not recorded'))[:12]}) and kept in "
            f"data/processed/{escape_markdown(reviewed.label)}/."
        )
    intro = (
        "The comparison recomputes nothing from the trackers: it reads each period's processed "
        "recommendations as its review left them. Every number it shows is listed, with the "
        "recommendations it counts, in the audit folder's lineage.json.\n\n"
    )
    return intro + "".join(f"- {line}\n" for line in lines)


def comparison_variables(
    comparison: Comparison, partnership: Partnership, code_version: str
) -> dict[str, Any]:
    labels = comparison.labels
    day = as_at(comparison)
    return {
        "partnership": {"name": partnership.name, "short": partnership.short_name},
        "periods": {
            "text": span(comparison),
            "first": labels[0],
            "last": labels[-1],
            "count_phrase": count_phrase(len(labels), "period"),
            "list": join_words([f"{r.label} ({r.period.describe()})" for r in comparison.periods]),
        },
        "as_at": {"iso": day.isoformat(), "text": format_uk_date(day)},
        "code": {"version": code_version or "an unrecorded version of the code"},
    }


def write_comparison_bundle(
    comparison: Comparison,
    taxonomy: Taxonomy,
    partnership: Partnership,
    bundle: BundleFiles,
    code_version: str = "",
) -> list[Figure]:
    """Write everything compare.qmd needs into the bundle; the figures drawn."""
    bundle.root.mkdir(parents=True, exist_ok=True)
    template = COMPARE_TEMPLATE.read_text(encoding="utf-8")
    bundle.report.write_text(stamp_report_date(template, as_at(comparison)), encoding="utf-8")
    shutil.copyfile(QUARTO_CONFIG, bundle.quarto_config)
    shutil.copytree(PAGE_DIR, bundle.page, dirs_exist_ok=True)
    for folder in (bundle.tables, bundle.text, bundle.figures):
        folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables(comparison).items():
        (bundle.tables / f"{name}.md").write_text(text, encoding="utf-8")
    for name in ("by-area",):  # included by compare.qmd even when no period records areas
        (bundle.tables / f"{name}.md").touch()
        (bundle.figures / f"{name}.md").touch()
    drawn = draw(comparison, bundle.figures)
    write_figure_includes(drawn, bundle.figures, span(comparison))
    passages = {
        "summary": summary_passage(comparison),
        "series-note": words.series_note(comparison, taxonomy),
        "periods": periods_passage(comparison),
        "changes": words.changes_passage(comparison),
        "recurring": words.recurring_passage(comparison),
        "about-the-data": about_the_data(comparison),
    }
    for name, text in passages.items():
        (bundle.text / f"{name}.md").write_text(text, encoding="utf-8")
    variables = comparison_variables(comparison, partnership, code_version)
    bundle.variables.write_text(
        VARIABLES_HEADER + yaml.safe_dump(variables, sort_keys=True, allow_unicode=True),
        encoding="utf-8",
    )
    write_glossary(bundle, taxonomy, set())
    return drawn
