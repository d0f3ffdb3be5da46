"""A new partnership adopts the review: `impact-review init` drafts a configuration folder from its
tracker, and `impact-review run --config` publishes with it as drafted. Three trackers of different
shapes (tests/adoption_trackers.py), one run each, shared by the tests of the module."""

from __future__ import annotations

import contextlib
import io
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
import yaml
from adoption_trackers import (
    EASTMERE,
    NORTHSHIRE,
    WESTVALE,
    eastmere_tracker,
    northshire_tracker,
    westvale_tracker,
)
from helpers import run_cli

from impact_review.cli import main
from impact_review.intake.taxonomy import load_taxonomy
from impact_review.layout import RunLayout
from impact_review.markdown import escape_markdown
from impact_review.publish.safety import html_text

pytestmark = pytest.mark.slow

EAST_SUSSEX_TEXT = ("East Sussex", "Sussex Police", "ESHT", "LSCB")


@dataclass(frozen=True)
class Adopted:
    name: str
    config: Path
    run: subprocess.CompletedProcess
    html: str
    workdir: Path
    as_at: str  # the period's last day: the run's default as-at date


def adopt(folder: Path, tracker: Path, name: str, start: str, end: str) -> Adopted:
    """init into folder/config, then run with it; the published HTML as text."""
    config = folder / "config"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["init", "--tracker", str(tracker), "--name", name, "--out", str(config)]) == 0
    workdir = folder / "work"
    run = run_cli(
        "--tracker", str(tracker), "--config", str(config), "--from", start, "--to", end,
        "--label", "adopted", "--workdir", str(workdir),
    )  # fmt: skip
    report = workdir / "reports" / "adopted" / "report.html"
    html = report.read_text(encoding="utf-8") if report.is_file() else ""
    return Adopted(name, config, run, html, workdir, end)


# shape -> (tracker writer, file name, partnership, period)
SHAPES = {
    "northshire": (northshire_tracker, "tracker.xlsx", NORTHSHIRE, "2020-04-01", "2021-03-31"),
    "westvale": (westvale_tracker, "tracker.csv", WESTVALE, "2021-04-01", "2022-03-31"),
    "eastmere": (eastmere_tracker, "tracker.xlsx", EASTMERE, "2022-04-01", "2023-03-31"),
}


@pytest.fixture(scope="module")
def adoptions(tmp_path_factory) -> Callable[[str], Adopted]:
    """Each shape adopted once, when a test first asks for it."""

    @cache
    def adopted_shape(shape: str) -> Adopted:
        write, file_name, name, start, end = SHAPES[shape]
        folder = tmp_path_factory.mktemp(shape)
        return adopt(folder, write(folder / file_name), name, start, end)

    return adopted_shape


@pytest.fixture(params=sorted(SHAPES))
def adopted(request, adoptions) -> Adopted:
    return adoptions(request.param)


@pytest.fixture
def northshire(adoptions) -> Adopted:
    return adoptions("northshire")


def test_the_drafted_folder_publishes_as_it_is(adopted: Adopted):
    assert adopted.run.returncode == 0, adopted.run.stderr
    assert "published adopted" in adopted.run.stdout


def test_the_review_names_the_partnership(adopted: Adopted):
    assert adopted.name in adopted.html


def test_no_east_sussex_text_is_published(adopted: Adopted):
    assert adopted.html
    for text in EAST_SUSSEX_TEXT:
        assert text not in adopted.html


def test_northshire_agencies_are_grouped_in_the_review(northshire: Adopted):
    """Its two spellings of one agency are counted as one, under the full name."""
    assert "Northshire County Council Children" in northshire.html
    assert "NCC CS" not in northshire.html.split("Appendix", 1)[0]


def test_no_area_of_learning_is_said_so(northshire: Adopted):
    text = " ".join(northshire.html.split())
    assert "does not record an area of learning for each recommendation" in text


def test_progress_notes_are_not_published(adopted: Adopted):
    assert "Progress reported" not in adopted.html and "Update FREETEXT" not in adopted.html


def test_overdue_is_exactly_the_open_recommendations_past_their_target(adopted: Adopted):
    """Recomputed here from the processed table and the drafted statuses: open (a status the
    configuration does not mark closed, or none) and a target date before the as-at date; a
    target on the as-at day is not overdue. The review states their number and lists them."""
    layout = RunLayout.published(adopted.workdir, "adopted")
    recs = pd.read_csv(layout.processed.recommendations_csv, dtype=str, keep_default_na=False)
    closed = set(load_taxonomy(adopted.config).closed_statuses)
    expected = {
        row.rec_id
        for row in recs.itertuples()
        if row.status not in closed and row.due_date and row.due_date < adopted.as_at
    }
    assert set(recs.loc[recs["overdue"] == "True", "rec_id"]) == expected
    if adopted.name == NORTHSHIRE:  # its open rows include targets before and on the as-at day
        assert expected
        on_the_day = recs[(recs["due_date"] == adopted.as_at) & ~recs["status"].isin(closed)]
        assert len(on_the_day) and (on_the_day["overdue"] == "False").all()
    variables = yaml.safe_load(layout.bundle.variables.read_text(encoding="utf-8"))
    assert variables["implementation"]["overdue"] == len(expected)
    if expected:
        listing = (layout.bundle.tables / "overdue.md").read_text(encoding="utf-8")
        text = " ".join(html_text(layout.reports.html).split())
        for rec_id in expected:
            assert f"| {escape_markdown(rec_id)} |" in listing
            assert rec_id in text
