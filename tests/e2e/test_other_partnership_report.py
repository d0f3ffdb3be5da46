"""The review of a partnership that is not the sample's: its own configuration folder (name,
agencies, source types: LCSPRs, rapid reviews and audits), a tracker with no area-of-learning
column, and a narrative with a heading the report has no section for. The review must name the
partnership, say nothing of another's, leave areas out and say why, write ties as ties, and
give every number it states a lineage that follows from the rows.

The steps the notebooks call run here in-process, with the built-in renderer, so this module
costs a render rather than a full run; tests/e2e/test_adoption.py takes three other partnerships
through the command itself."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml
from helpers import NORTHSHIRE, write_partnership_config, write_xlsx
from lineage_recompute import numbers, recompute_all

from impact_review.analyse.quality import quality_checked
from impact_review.analyse.restated import restated_checked
from impact_review.analyse.review import analyse
from impact_review.bundle import draw_figures, write_bundle
from impact_review.bundle.lineage import write_lineage
from impact_review.bundle.passages import NO_AREAS
from impact_review.exports import write_csv
from impact_review.intake.cleaning import clean_tracker
from impact_review.intake.implementation import implementation_at
from impact_review.intake.processed import (
    CleanSummary,
    read_left_out_rows,
    read_recommendations,
    write_processed,
)
from impact_review.intake.tracker import read_tracker
from impact_review.layout import RunLayout
from impact_review.paths import CONFIG_ENV
from impact_review.period import Period
from impact_review.publish.safety import html_text
from impact_review.render import render_report

pytestmark = pytest.mark.slow

LABEL = "n"
HEADER = [
    "Ref",
    "Source",
    "Source type",
    "Lead organisation",
    "Themes",
    "Recommendation",
    "Date agreed",
    "Status",
    "Evidence of impact",
]
# Police and children's services tie for the most (3 each), the hospital trust and schools for
# the second most (2 each).
ROWS = [
    ("N-1", "Child A LCSPR", "LCSPR", "police", "Neglect", "Share concerns at once."),
    ("N-2", "Child A LCSPR", "LCSPR", "police", "Exploitation", "Train officers on grooming."),
    ("N-3", "Child A LCSPR", "LCSPR", "childrens services", "Neglect", "Review plans monthly."),
    ("N-4", "Child A LCSPR", "LCSPR", "hospital", "", "Ask about home conditions."),
    ("N-5", "Child B rapid review", "rr", "childrens services", "Neglect", "Visit weekly."),
    ("N-6", "Child B rapid review", "rr", "childrens services", "", "Record each visit."),
    ("N-7", "Child B rapid review", "rr", "education", "Exploitation", "Log absences daily."),
    ("N-8", "Neglect audit", "audit", "police", "Neglect", "Check referrals are answered."),
    ("N-9", "Neglect audit", "audit", "hospital", "Neglect", "Share discharge plans."),
    ("N-10", "Neglect audit", "audit", "education", "", "Name a lead in every school."),
]
NARRATIVE = """## About the data

Recorded by the partnership's business unit.

## Recomendations for improvment

- Record an area of learning from next year.
"""


def normalise(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[RunLayout, str, list[str]]:
    tmp = tmp_path_factory.mktemp("northshire")
    config = write_partnership_config(tmp / "config")
    rows = [
        [
            ref,
            source,
            kind,
            agency,
            themes,
            text,
            "15/06/2019",
            "Done" if n % 2 else "Open",
            "Concerns are now shared the same day." if n in (1, 5) else None,
        ]
        for n, (ref, source, kind, agency, themes, text) in enumerate(ROWS, 1)
    ]
    tracker = write_xlsx(tmp / "tracker.xlsx", {"Recommendations": [HEADER, *rows]})
    narrative = tmp / f"narrative-{LABEL}.md"
    narrative.write_text(NARRATIVE, encoding="utf-8")
    layout = RunLayout.published(tmp / "work", LABEL)
    period = Period(date(2019, 4, 1), date(2020, 3, 31), LABEL)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CONFIG_ENV, str(config))
        read = read_tracker(tracker)
        cleaned = implementation_at(clean_tracker(read, period), period.end)
        cleaned, restated = restated_checked(quality_checked(cleaned))  # as 01-clean does
        write_processed(read, cleaned, period, layout.processed)
        write_csv(restated, layout.processed.duplicate_recommendations)
        result = analyse(read_recommendations(layout.processed))
        drawn = draw_figures(result, layout.bundle.figures)
        clean = CleanSummary.read(layout.processed.clean_summary)
        written = write_bundle(result, drawn, period, clean, narrative, layout.bundle, None)
        write_lineage(
            result, read_left_out_rows(layout.processed), layout.bundle, layout.audit.lineage
        )
        render_report(layout.bundle.root, layout.reports.root, "builtin")
    return layout, normalise(html_text(layout.reports.html)), list(written.warnings)


def test_the_review_names_the_partnership_and_no_other(run):
    _, text, _ = run
    assert NORTHSHIRE in text
    for word in ("East Sussex", "Sussex", "LSCB", "Serious Case Review", "SCR", "Board"):
        assert not re.search(rf"\b{word}\b", text), word


def test_areas_are_left_out_and_the_background_says_why(run):
    _, text, _ = run
    assert NO_AREAS in text
    for absent in (
        "Recommendations by area of learning",
        "largest area",
        "Areas of learning (recommendations)",
        "Area of learning",
        "agency and area",
        "Not recorded",
    ):
        assert absent not in text, absent
    assert "which agencies they concerned" in text
    assert (
        "The partnership tracks each recommendation from its Local Child Safeguarding Practice "
        "Reviews, rapid reviews and multi-agency audits, with the agency responsible, any "
        "themes, its status, and the evidence that it made a difference."
    ) in text
    assert "by source, agency and theme, and draws out the recorded evidence of impact" in text


def test_ties_are_written_as_ties(run):
    _, text, _ = run
    assert (
        "Northshire Children's Services and Northshire Constabulary had the most recommendations"
        " (3 each, 30%)"
    ) in text
    assert (
        "Northshire Children's Services and Northshire Constabulary had the most "
        "recommendations: 3 each (30%). Northshire Hospitals NHS Trust and Schools had the "
        "second most (2 each, 20%)."
    ) in text
    assert "4 of 10 (40%) came from the one LCSPR" in text


def test_the_unknown_narrative_heading_is_reported_with_the_closest_section(run):
    _, text, warnings = run
    warning = (
        'heading "Recomendations for improvment" is not one of the report\'s sections (did you '
        'mean "Recommendations for improvement"?)'
    )
    assert warning in text
    assert any("the narrative file" in line and "Recomendations" in line for line in warnings)


def test_every_number_stated_follows_from_its_rows(run):
    layout, _, _ = run
    lineage = json.loads(layout.audit.lineage.read_text(encoding="utf-8"))
    frames = {
        "recommendations": pd.read_parquet(layout.processed.recommendations),
        "left out": read_left_out_rows(layout.processed),
    }
    values = recompute_all(lineage, frames, "; ")
    variables = yaml.safe_load(layout.bundle.variables.read_text(encoding="utf-8"))
    stated = dict(numbers(variables))

    assert values["counts.total"] == 10
    assert {path: values[path] for path in stated} == stated
    assert not [figure for figure in values if "area" in figure]
    assert (frames["recommendations"]["area_of_learning"].isna()).all()
    tables = {Path(p).stem for p in layout.bundle.tables.glob("*.md") if Path(p).stat().st_size}
    # every table but the register states numbers, and each has its lineage
    assert {f["table"] for f in lineage["figures"] if "table" in f} == tables - {"recommendations"}
