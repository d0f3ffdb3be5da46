"""The comparison review's pieces, on hand-written periods either side of the 2019 change."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from impact_review.analyse.review import analyse
from impact_review.compare import words
from impact_review.compare.lineage import implementation_figures, per_period_figures
from impact_review.compare.periods import (
    ReviewedPeriod,
    check_counts,
    check_taxonomy,
    comparison_label,
    reviewed_periods,
    stated_counts,
)
from impact_review.compare.tables import compare, in_every_period
from impact_review.errors import InputError
from impact_review.intake.implementation import add_implementation
from impact_review.intake.taxonomy import default_taxonomy
from impact_review.intake.tracker import sha256_of
from impact_review.layout import RunLayout
from impact_review.paths import SCHEMA_FILE
from impact_review.period import financial_year

TAXONOMY = default_taxonomy()
LSCB, PARTNERSHIP, CSC, POLICE = (
    "LSCB",
    "Safeguarding Children Partnership",
    "Children's Social Care",
    "Sussex Police",
)


def rec(rec_id: str, source_type: str, agency: str, agreed: str, **values: Any) -> dict:
    return {
        "rec_id": rec_id,
        "source_name": f"Child {rec_id[0]} {source_type}",
        "source_type": source_type,
        "agency": agency,
        "area_of_learning": values.pop("area", "Assessment"),
        "themes": values.pop("themes", ""),
        "recommendation": "Agree how concerns are shared.",
        "action": None,
        "lead": None,
        "date_agreed": pd.Timestamp(agreed),
        "due_date": pd.Timestamp(values.pop("due", "2030-01-01")),
        "status": values.pop("status", "In progress"),
        "date_completed": pd.Timestamp(values.pop("completed", None)),
        "evidence_of_completion": None,
        "evidence_of_impact": values.pop("impact", None),
        "sheet_row": int(rec_id[1:]) + 1,
    }


def reviewed(year: str, rows: list[dict]) -> ReviewedPeriod:
    period = financial_year(year)
    frame = add_implementation(pd.DataFrame(rows), period.end, TAXONOMY)
    analysis = analyse(frame, TAXONOMY)
    layout = RunLayout.published(Path("/nowhere"), period.label)
    return ReviewedPeriod(period, period.end, analysis, {}, stated_counts(analysis), layout)


DONE = {"status": "Completed"}
# 2018-19: before the change. Four recommendations: an SCR's three (one to the LSCB) and an
# audit's one; two completed (100 and 200 days), one overdue at 31 March 2019.
BEFORE = reviewed(
    "2018-19",
    [
        rec(
            "A1", "SCR", LSCB, "2018-05-01", **DONE, completed="2018-08-09", themes="Domestic abuse"
        ),
        rec(
            "A2", "SCR", CSC, "2018-05-01", **DONE, completed="2018-11-17", impact="Audit shows it"
        ),
        rec("A3", "SCR", POLICE, "2018-05-01", due="2019-01-31", themes="Domestic abuse"),
        rec("B4", "QA audit", CSC, "2018-09-01", area="Training and skills"),
    ],
)
# 2020-21: after it. A rapid review's and an LCSPR's recommendations, the partnership's, three
# of four completed in 30, 40 and 50 days, two with evidence of impact.
AFTER = reviewed(
    "2020-21",
    [
        rec("C1", "Rapid review", PARTNERSHIP, "2020-06-01", **DONE, completed="2020-07-01"),
        rec("C2", "LCSPR", PARTNERSHIP, "2020-06-01", **DONE, completed="2020-07-11", impact="Y"),
        rec(
            "D3",
            "LCSPR",
            CSC,
            "2020-09-01",
            **DONE,
            completed="2020-10-21",
            impact="Y",
            themes="Domestic abuse",
        ),
        rec("D4", "LCSPR", CSC, "2020-09-01", area="Training and skills"),
    ],
)


def said(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def test_a_comparison_across_the_change_counts_successors_with_what_they_replaced():
    comparison = compare((BEFORE, AFTER), TAXONOMY)
    sources = comparison.tables["by-source"].set_index("source_type")
    assert sources.loc["Statutory case reviews", ["2018-19", "2020-21"]].tolist() == [3, 4]
    assert sources.loc["QA audit", ["2018-19", "2020-21", "all_periods"]].tolist() == [1, 0, 1]
    assert "SCR" not in sources.index and "LCSPR" not in sources.index
    agencies = comparison.tables["by-agency"].set_index("agency")
    assert agencies.loc["Safeguarding board or partnership"].tolist() == [1, 2, 3]
    assert agencies.index[0] == CSC  # 2 + 2, most first
    note = words.series_note(comparison, TAXONOMY)
    assert "29 September 2019" in note and "Statutory case reviews" in note
    assert "LSCB gave way to Safeguarding Children Partnership on 29 September 2019" in note


def test_a_comparison_wholly_before_the_change_names_things_as_they_were():
    earlier = reviewed("2017-18", [rec("E1", "SCR", LSCB, "2017-06-01")])
    comparison = compare((earlier, BEFORE), TAXONOMY)
    assert comparison.successions == ()
    assert "SCR" in set(comparison.tables["by-source"]["source_type"])
    assert LSCB in set(comparison.tables["by-agency"]["agency"])
    assert words.series_note(comparison, TAXONOMY) == ""


def test_implementation_per_period_is_each_period_at_its_own_as_at_day():
    table = compare((BEFORE, AFTER), TAXONOMY).implementation.set_index("period")
    assert table.loc["2018-19"].to_dict() == {
        "as_at": "31 March 2019",
        "recommendations": 4,
        "completed": 2,
        "completed_percent": 50,
        "open": 2,
        "overdue": 1,
        "median_days_to_complete": 150,
        "with_impact": 1,
        "with_impact_percent": 25,
    }
    assert table.loc["2020-21", ["completed", "overdue", "median_days_to_complete"]].tolist() == [
        3,
        0,
        40,
    ]


def test_what_changed_most_is_said_from_the_numbers():
    comparison = compare((BEFORE, AFTER), TAXONOMY)
    text = said(words.changes_passage(comparison))
    lines = text.splitlines()
    # The largest shifts in share come first: each grouping's moved 25 points.
    assert lines[0].startswith("- Among ")
    assert (
        "Completed by the review's as-at day: 50% in 2018-19 and 75% in 2020-21 (up 25 points)"
        in text
    )
    assert "a median of 150 days from agreement in 2018-19 and 40 days in 2020-21: faster" in text
    assert "evidence of impact: 25% in 2018-19 and 50% in 2020-21 (up 25 points)" in text
    assert "Overdue at the review's as-at day: 1 in 2018-19 and 0 in 2020-21 (down 1)" in text
    shifts = {
        s.dimension: s for name in comparison.tables if (s := words.largest_shift(comparison, name))
    }
    assert (shifts["by-source"].group, shifts["by-source"].first, shifts["by-source"].last) == (
        "Statutory case reviews",  # 75% to 100%: ties with the QA audit's 25% to none, first
        75,
        100,
    )


def test_what_recurs_names_the_groups_in_every_period():
    comparison = compare((BEFORE, AFTER), TAXONOMY)
    assert in_every_period(comparison.tables["by-agency"], comparison.labels) == [
        CSC,
        "Safeguarding board or partnership",
    ]
    text = said(words.recurring_passage(comparison))
    assert "Two agencies had recommendations in both periods" in text
    assert "domestic abuse" in text


def test_every_number_of_the_comparison_has_its_rows():
    comparison = compare((BEFORE, AFTER), TAXONOMY)
    figures = {
        f["figure"]: f
        for f in per_period_figures(comparison, TAXONOMY)
        + implementation_figures(comparison, TAXONOMY)
    }
    series = figures["table:by-source:Statutory case reviews:2020-21"]
    assert (series["value"], series["rec_ids"]) == (4, ["C1", "C2", "D3", "D4"])
    assert figures["table:themes:Domestic abuse:all_periods"]["rec_ids"] == ["A1", "A3", "D3"]
    assert figures["table:implementation:2018-19:overdue"]["rec_ids"] == ["A3"]
    assert figures["table:implementation:2020-21:median_days_to_complete"]["value"] == 40


def test_a_period_its_code_counted_differently_is_refused():
    published = dict(BEFORE.published) | {"table:by-agency:Sussex Police:recommendations": 2}
    with pytest.raises(InputError) as refused:
        check_counts("2018-19", "commit 0123456789ab", BEFORE.analysis, published)
    message = str(refused.value)
    assert refused.value.exit_code == 2
    assert "2018-19 was published by commit 0123456789ab" in message
    assert "table:by-agency:Sussex Police:recommendations is 2 in its review and 1 now" in message
    check_counts("2018-19", "", BEFORE.analysis, BEFORE.published)


def test_a_period_run_with_another_taxonomy_is_refused(tmp_path):
    same = {
        "configuration": {
            "config/partnerships/east-sussex/taxonomy.yaml": sha256_of(TAXONOMY.source_file),
            "config/schema.yaml": sha256_of(SCHEMA_FILE),
        }
    }
    check_taxonomy("2018-19", same, TAXONOMY)
    other = {"configuration": same["configuration"] | {"config/schema.yaml": "0" * 64}}
    with pytest.raises(InputError, match=r"2018-19 was run with a different schema.yaml"):
        check_taxonomy("2018-19", other, TAXONOMY)
    with pytest.raises(InputError, match=r"different taxonomy.yaml"):
        check_taxonomy("2018-19", {}, TAXONOMY)


def test_labels_not_run_or_too_few_are_refused(tmp_path):
    with pytest.raises(InputError, match="two or more different labels"):
        reviewed_periods(tmp_path, ["2018-19"], TAXONOMY)
    with pytest.raises(InputError, match="two or more different labels"):
        reviewed_periods(tmp_path, ["2018-19", "2018-19"], TAXONOMY)
    with pytest.raises(InputError, match=r"2019-20 has not been run in .*recommendations.parquet"):
        reviewed_periods(tmp_path, ["2019-20", "2018-19"], TAXONOMY)


def test_the_comparison_is_named_by_its_first_and_last_periods():
    assert comparison_label((BEFORE, AFTER)) == "compare-2018-19-2020-21"
    assert date(2019, 9, 29) in {s.date for s in compare((BEFORE, AFTER), TAXONOMY).successions}
