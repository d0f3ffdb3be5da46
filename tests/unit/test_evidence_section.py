"""The call-for-evidence section: its counts (analyse/evidence.py), its variables and passage
(bundle/evidence.py) and their lineage (bundle/lineage.py), on frames written here."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from impact_review.analyse.evidence import (
    count_by_embedded,
    count_by_impact_level,
    evidence_given,
    impact_examples,
    reached_impact,
)
from impact_review.bundle.evidence import NOT_RUN, evidence_passage, evidence_variables
from impact_review.bundle.lineage import LineageError, _Figures, equals, explain_evidence

DONE = "Completed"


def recs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rec_id": ["A1", "A2", "A3", "A4", "A5"],
            "source_name": ["Child K SCR", "Child K SCR", "QA audit: neglect", "Child P SCR", "x"],
            "agency": ["ESHT", "ESHT", "Sussex Police", "Sussex Police", "ESHT"],
            "status": [DONE, DONE, DONE, "In progress", DONE],
            "embedded": ["Yes", "Partly", "Yes", "No", None],
            "impact_level": ["Outcome for children", "Output", "Practice change", "None", None],
            "impact_evidence": [
                "Fewer babies re-referred.",
                "Trained 40 staff.",
                "Re-audit.",
                None,
                None,
            ],
            "sheet_row": [5, 6, 7, 8, 9],
        }
    )


def no_answers() -> pd.DataFrame:
    return recs().assign(embedded=None, impact_level=None, impact_evidence=None)


class TestCounts:
    def test_levels_in_the_lists_order_answers_given_only(self):
        assert count_by_impact_level(recs()).values.tolist() == [
            ["None", 1, 20],
            ["Output", 1, 20],
            ["Practice change", 1, 20],
            ["Outcome for children", 1, 20],
        ]

    def test_embedded(self):
        assert count_by_embedded(recs())[["embedded", "recommendations"]].values.tolist() == [
            ["Yes", 2],
            ["Partly", 1],
            ["No", 1],
        ]

    def test_reached_impact_is_completed_at_practice_change_or_above(self):
        assert reached_impact(recs(), DONE).values.tolist() == [
            ["ESHT", DONE, "Outcome for children", 1],
            ["Sussex Police", DONE, "Practice change", 1],
        ]

    def test_examples_leave_out_outputs(self):
        assert impact_examples(recs())["rec_id"].tolist() == ["A1", "A3"]

    def test_nothing_when_no_evidence(self):
        assert not evidence_given(no_answers())
        assert reached_impact(no_answers(), DONE).empty
        assert count_by_embedded(no_answers()).empty


class TestSection:
    def test_variables(self):
        assert evidence_variables(recs(), DONE) == {
            "answered": 4,
            "levels": {"none": 1, "output": 1, "practice_change": 1, "outcome_for_children": 1},
            "embedded": {"yes": 2, "partly": 1, "no": 1},
            "completed_at": {"practice_change": 1, "outcome_for_children": 1},
            "completed_with_impact": 2,
        }

    def test_no_evidence_says_so_and_states_no_numbers(self):
        assert evidence_variables(no_answers(), DONE) == {}
        assert evidence_passage(no_answers()) == NOT_RUN

    def test_passage_quotes_numbers_by_variable_and_groups_examples_by_source(self):
        text = evidence_passage(recs())
        prose = re.sub(r"\{\{< var [a-z_.]+ >\}\}", "", text.split("###")[0])
        assert not re.search(r"\d", prose)
        assert "{{< var evidence.completed_with_impact >}}" in text
        assert (
            text.index("**Child K SCR**")
            < text.index("Fewer babies")
            < text.index("**QA audit\\: neglect**")
        )
        assert "Trained 40 staff" not in text


class TestLineage:
    def test_every_number_has_its_rows(self):
        figures = _Figures(recs(), pd.DataFrame(), "; ")
        explain_evidence(figures, evidence_variables(recs(), DONE), equals("status", DONE))
        found = {name: figure.rec_ids for name, figure in figures.figures.items()}
        assert found["evidence.completed_at.outcome_for_children"] == ("A1",)
        assert found["evidence.completed_with_impact"] == ("A3", "A1")
        assert found["evidence.embedded.partly"] == ("A2",)
        assert len(found) == 11  # answered, 4 levels, 3 embedded, 2 completed at, their sum

    def test_a_wrong_number_is_refused(self):
        figures = _Figures(recs(), pd.DataFrame(), "; ")
        wrong = evidence_variables(recs(), DONE) | {"answered": 5}
        with pytest.raises(LineageError, match=r"evidence\.answered"):
            explain_evidence(figures, wrong, equals("status", DONE))


def test_coverage_by_area_counts_completed_recommendations_at_practice_change_or_better():
    recs = pd.DataFrame(
        {
            "rec_id": ["A", "B", "C", "D"],
            "agency": ["Police", "Police", "Health", "Health"],
            "area_of_learning": ["Assessment", "Assessment", "Training", "Assessment"],
            "status": ["Completed", "Completed", "Completed", "In progress"],
            "impact_level": [
                "Practice change",
                "Output",
                "Outcome for children",
                "Outcome for children",
            ],
            "embedded": ["Yes", "Yes", "Partly", "No"],
            "impact_evidence": ["x", "y", "z", "w"],
        }
    )
    table = reached_impact(recs, "Completed", by="area_of_learning")
    assert table.values.tolist() == [
        ["Assessment", "Completed", "Practice change", 1],
        ["Training", "Completed", "Outcome for children", 1],
    ]
