"""The agency by area grid (analyse/figures.py): titled axes, area names clear of each other, and
the same counts drawn as the same bytes."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pandas as pd
import pytest

from impact_review.analyse.figures import HEATMAP_LABEL_ANGLE, heatmap_chart, plot_heatmap
from impact_review.intake.taxonomy import default_taxonomy

# The sample partnership's nine areas, the longest 36 characters.
AREAS = list(default_taxonomy().areas.names)
EDUCATION = "East Sussex Children's Services – Education"
ESHT = "East Sussex Healthcare NHS Trust"


def agency_area(first_cell: int = 6) -> pd.DataFrame:
    """A grid with its Total row and column, as counts.cross_agency_area gives it."""
    body = pd.DataFrame(
        [[first_cell, 14, 1, 2, 0, 0, 0, 2, 1], [10, 3, 3, 1, 4, 3, 0, 0, 0]],
        index=[EDUCATION, ESHT],
        columns=AREAS,
    )
    table = body.assign(Total=body.sum(axis=1))
    table.loc["Total"] = table.sum()
    return table


@pytest.fixture(scope="module")
def axes():
    chart = heatmap_chart(agency_area().drop(index="Total", columns="Total"))
    chart.canvas.draw()
    yield chart, chart.axes[0]


def test_axes_are_titled_and_every_area_is_named_on_one_slanted_line(axes):
    _, ax = axes
    labels = ax.get_xticklabels()

    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Area of learning", "Agency")
    assert [label.get_text() for label in labels] == AREAS
    assert {label.get_rotation() for label in labels} == {HEATMAP_LABEL_ANGLE}
    assert [label.get_text() for label in ax.get_yticklabels()] == [EDUCATION, ESHT]


def test_neighbouring_area_names_are_a_line_apart_and_inside_the_picture(axes):
    chart, ax = axes
    renderer = chart.canvas.get_renderer()
    columns = [ax.transData.transform((x, 0))[0] for x in ax.get_xticks()]
    spacing = min(b - a for a, b in itertools.pairwise(columns))
    labels = ax.get_xticklabels()
    line_height = max(label.get_fontsize() for label in labels) * chart.dpi / 72

    # parallel slanted lines: the gap across them is the column spacing times sin(angle)
    assert spacing * math.sin(math.radians(HEATMAP_LABEL_ANGLE)) > 1.5 * line_height
    for label in [*labels, ax.xaxis.label, ax.yaxis.label]:
        box = label.get_window_extent(renderer)
        assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= chart.bbox.x1, label.get_text()


def test_the_same_counts_give_the_same_bytes_and_other_counts_others(tmp_path: Path):
    def drawn(name: str, table: pd.DataFrame) -> bytes:
        figure = plot_heatmap(table, "Grid", "fig-grid", tmp_path / name)
        return figure.path.read_bytes()

    first, again = drawn("a.png", agency_area()), drawn("b.png", agency_area())
    other = drawn("c.png", agency_area(first_cell=7))

    assert first == again
    assert other != first
