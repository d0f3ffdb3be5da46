"""The lineage of the report's numbers and the trail page, on four hand-written recommendations
and one row left out as agreed outside the period."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pandas as pd
import pytest
from helpers import with_theme_source
from lineage_recompute import numbers, recompute_all

from impact_review.analyse.review import analyse
from impact_review.bundle import lineage as lineage_module
from impact_review.bundle.lineage import LineageError, figure_lineage, lineage_json
from impact_review.bundle.variables import report_variables
from impact_review.intake.implementation import add_implementation
from impact_review.intake.processed import CleanSummary, InputFile, PeriodLabel, RowCounts
from impact_review.intake.taxonomy import default_taxonomy
from impact_review.intake.trail import LeftOutRow, Mappings, Note, Reason, left_out_frame
from impact_review.partnership import load_partnership
from impact_review.period import Period
from impact_review.publish.trail import trail_page

SENTINEL = "ZQX-SENTINEL Jane Doe 07700900123"
PERIOD = Period(date(2015, 4, 1), date(2018, 3, 31), "2015-18")
POLICY, ASSESSMENT = "Policy and procedure", "Assessment"
POLICE, CSC = "Sussex Police", "Children's Social Care"


def rec(rec_id: str, row: int, source: str, agency: str, area: str, **values: Any) -> dict:
    kind = "QA audit" if source.startswith("QA") else "SCR"
    cleaned = {
        "rec_id": rec_id,
        "source_name": source,
        "source_type": kind,
        "agency": agency,
        "area_of_learning": area,
        "themes": "",
        "recommendation": SENTINEL,
        "action": None,
        "lead": None,
        "date_agreed": pd.Timestamp("2016-06-01"),
        "due_date": pd.NaT,
        "status": None,
        "date_completed": pd.NaT,
        "evidence_of_completion": None,
        "evidence_of_impact": None,
        "sheet_row": row,
    } | values
    return with_theme_source(cleaned)


RECOMMENDATIONS = add_implementation(
    pd.DataFrame(
        [
            rec(
                "R1",
                2,
                "Child S SCR",
                POLICE,
                POLICY,
                themes="Domestic abuse; Hidden children",
                status="Completed",
                evidence_of_impact=SENTINEL,
            ),
            rec(
                "R2",
                3,
                "Child S SCR",
                POLICE,
                ASSESSMENT,
                themes="Domestic abuse",
                due_date=pd.Timestamp("2017-03-31"),
            ),
            rec(
                "R3",
                4,
                "QA audit: neglect",
                CSC,
                POLICY,
                status="Completed",
                date_completed=pd.Timestamp("2016-06-11"),
            ),
            rec(
                "R4",
                6,
                "Child K SCR",
                CSC,
                POLICY,
                due_date=pd.Timestamp("2018-03-31"),
                themes="Hidden children",
                theme_source="rule",
                theme_rules="Hidden children: unseen",
            ),
        ]
    ),
    PERIOD.end,
)
LEFT_OUT = left_out_frame(
    [
        LeftOutRow("S", 1, Reason.ABOVE_HEADER),
        LeftOutRow("S", 5, Reason.OUTSIDE_PERIOD, "R9", date(2014, 1, 1)),
    ]
)
CLEAN = CleanSummary(
    input=InputFile("t.xlsx", "xlsx", 1, "ab" * 32, "S", 1, None, None, None),
    period=PeriodLabel("2015-04-01", "2018-03-31", "2015-18"),
    counts=RowCounts(read=5, blank_dropped=0, outside_period=1, analysed=4),
)
SEPARATOR = default_taxonomy().list_separator


def variables_of(result) -> dict:
    taxonomy = default_taxonomy()
    return report_variables(result, PERIOD, CLEAN, {}, taxonomy, load_partnership(), PERIOD.end, "")


@pytest.fixture(scope="module")
def figures() -> dict[str, dict]:
    result = analyse(RECOMMENDATIONS)
    built = figure_lineage(result, variables_of(result), LEFT_OUT)
    return {figure.figure: figure.as_json() for figure in built}


def test_counts_name_their_rows_and_how_they_follow(figures):
    assert figures["counts.total"] | {"where": None} == {
        "figure": "counts.total",
        "value": 4,
        "kind": "count",
        "rows_from": "recommendations",
        "where": None,
        "rec_ids": ["R1", "R2", "R3", "R4"],
        "sheet_rows": [2, 3, 4, 6],
    }
    assert figures["areas.first.recommendations"]["rec_ids"] == ["R1", "R3", "R4"]
    assert figures["counts.completed_with_impact"]["rec_ids"] == ["R1"]
    # a tie at two goes to the agency first in the taxonomy
    assert figures["agencies.first.recommendations"]["where"] == [
        {"column": "agency", "op": "equals", "value": CSC}
    ]
    assert figures["agencies.first.top_area_count"]["rec_ids"] == ["R3", "R4"]


def test_shares_ratios_and_sums_name_the_figures_they_use(figures):
    share = figures["areas.first.percent"]
    ratio = figures["table:by-source-type:SCR:per_source"]
    rows_read = figures["input.rows_read"]

    assert (share["value"], share["kind"], share["denominator"]) == (
        75,
        "percent-of",
        "counts.total",
    )
    assert (ratio["value"], ratio["kind"]) == (1.5, "ratio")
    assert (ratio["numerator"], ratio["denominator"]) == (
        "table:by-source-type:SCR:recommendations",
        "table:by-source-type:SCR:sources",
    )
    assert (rows_read["value"], rows_read["parts"]) == (5, ["counts.total", "input.outside_period"])
    assert rows_read["rec_ids"] == ["R1", "R2", "R3", "R4", "R9"]
    assert figures["input.outside_period"]["sheet_rows"] == [5]


def test_themes_and_table_cells_are_located(figures):
    theme = figures["table:themes:Domestic abuse:recommendations"]
    cell = figures[f"table:agency-area:{POLICE}:{ASSESSMENT}"]

    assert theme["rec_ids"] == ["R1", "R2"]
    assert theme["where"] == [{"column": "themes", "op": "includes", "value": "Domestic abuse"}]
    assert figures["themes.count"]["value"] == 2
    for source, rec_ids in {"tracker": ["R1", "R2"], "rule": ["R4"], "override": []}.items():
        found = figures[f"themes.from.{source}"]
        assert (found["value"], found["rec_ids"]) == (len(rec_ids), rec_ids)
        assert found["where"] == [{"column": "theme_source", "op": "equals", "value": source}]
    assert figures["themes.from.none"]["rec_ids"] == ["R3"]
    assert (cell["value"], cell["rec_ids"], cell["label"]) == (1, ["R2"], ASSESSMENT)
    assert (cell["table"], cell["row"], cell["column"]) == ("agency-area", 1, "areas")
    # the register states no number: which tracker row each is on is on the trail page
    assert not [name for name in figures if name.startswith("table:recommendations:")]


def test_implementation_figures_name_the_open_and_overdue_rows(figures):
    late = figures["table:overdue:R2:days_overdue"]
    police = "table:slippage-by-agency:" + POLICE
    to_complete = figures[f"table:slippage-by-agency:{CSC}:median_days_to_complete"]

    assert figures["implementation.open"]["rec_ids"] == ["R2", "R4"]  # R4 is due on the day
    assert figures["implementation.overdue"]["rec_ids"] == ["R2"]
    assert (late["value"], late["kind"], late["value_column"]) == (365, "row-value", "days_overdue")
    assert figures[f"{police}:median_days_late"]["value"] == 365
    assert figures[f"{police}:overdue"]["where"][-1] == {
        "column": "overdue",
        "op": "equals",
        "value": True,
    }
    assert (to_complete["value"], to_complete["kind"], to_complete["rec_ids"]) == (
        10,
        "median-days",
        ["R3"],
    )
    assert figures["table:statuses:Not recorded:recommendations"]["rec_ids"] == ["R2", "R4"]
    assert figures["table:rag:Red:recommendations"]["rec_ids"] == ["R2"]


def test_every_figure_recomputes_from_its_rows_and_every_variable_is_covered(figures):
    result = analyse(RECOMMENDATIONS)
    # the analysis's rows: the hand-written ones with the columns cleaning derives
    frames = {"recommendations": result.recommendations, "left out": LEFT_OUT}

    values = recompute_all(lineage_json_of(figures), frames, SEPARATOR)

    assert dict(numbers(variables_of(result))).items() <= values.items()


def lineage_json_of(figures: dict[str, dict]) -> dict:
    return {"figures": list(figures.values())}


def test_a_number_that_does_not_follow_from_its_rows_stops_the_lineage():
    result = analyse(RECOMMENDATIONS)
    variables = variables_of(result)
    variables["areas"]["first"]["percent"] = 74

    with pytest.raises(LineageError, match=r"areas.first.percent: the report says 74, its rows"):
        figure_lineage(result, variables, LEFT_OUT)


def test_a_number_without_a_rule_stops_the_lineage(monkeypatch):
    result = analyse(RECOMMENDATIONS)
    variables = variables_of(result)
    variables["counts"]["overdue"] = 0

    with pytest.raises(LineageError, match=r"no lineage for the variables counts.overdue"):
        figure_lineage(result, variables, LEFT_OUT)

    monkeypatch.setattr(
        lineage_module,
        "table_frames",
        lambda _: {"t": pd.DataFrame({"agency": [CSC], "mean": [1]})},
    )
    with pytest.raises(LineageError, match=r"table t: no lineage rule for column 'mean'"):
        figure_lineage(result, variables_of(result), LEFT_OUT)


def test_lineage_json_is_the_same_bytes_each_time():
    result = analyse(RECOMMENDATIONS)
    once, twice = (
        json.dumps(
            lineage_json(figure_lineage(result, variables_of(result), LEFT_OUT)), sort_keys=True
        )
        for _ in range(2)
    )

    assert once == twice


def test_trail_page_shows_rows_spellings_figures_and_no_free_text(figures):
    mappings = Mappings.empty()
    mappings.add("agency", "POLICE", POLICE, 2)
    mappings.add("status", "Completed", "Completed", 3, Note.OPENING_WORDS)
    page = trail_page(
        CLEAN,
        RECOMMENDATIONS,
        LEFT_OUT,
        mappings.frame(["agency", "status"], [2, 3]),
        {"kinds": {"count": "rows"}, "figures": list(figures.values())},
    )

    assert (
        "<td>S</td><td>5</td><td>R9</td><td>agreed outside the period</td><td>2014-01-01</td>"
        in page
    )
    assert "<td>S</td><td>1</td><td></td><td>above the header row</td><td></td>" in page
    # the tracker row of each recommendation, which the review's register no longer shows
    assert "4 recommendations analysed, in sheet order" in page
    # with its themes and where they came from: the tracker, a rule (named) or none
    assert (
        "<tr><td>R2</td><td>S</td><td>3</td><td>Domestic abuse</td><td>tracker</td><td></td></tr>"
        "<tr><td>R3</td><td>S</td><td>4</td><td></td><td>none</td><td></td></tr>"
        "<tr><td>R4</td><td>S</td><td>6</td><td>Hidden children</td><td>rule</td>"
        "<td>Hidden children: unseen</td></tr>"
    ) in page
    # the recommendations with no theme, by reference, activity, agency and row
    assert (
        "1 recommendations with no theme, in sheet order</caption><thead><tr><th>Reference</th>"
        "<th>Learning activity</th><th>Agency</th><th>Sheet row</th><th>Themes from</th></tr>"
        "</thead><tbody><tr><td>R3</td><td>QA audit: neglect</td><td>Children&#x27;s Social Care"
        "</td><td>4</td><td>none</td></tr></tbody>"
    ) in page
    assert (
        "<td>agency</td><td>POLICE</td><td>Sussex Police</td><td></td><td>1</td><td>1</td>" in page
    )
    assert "<td>counts.total</td><td>4</td><td>count (rows: recommendations)</td><td>4</td>" in page
    assert "percent-of, denominator counts.total where area_of_learning equals" in page
    assert "ZQX-SENTINEL" not in page and "07700900123" not in page
    assert 'href="checks.html"' in page and "src=" not in page and "http" not in page
