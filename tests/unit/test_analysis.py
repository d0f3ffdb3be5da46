import numpy as np
import pandas as pd
import pytest

from impact_review.analyse import counts as analysis
from impact_review.bundle.narrative import split_narrative
from impact_review.bundle.words import count_phrase, join_words


def frame(rows: list[tuple]) -> pd.DataFrame:
    """rows of (rec_id, source_name, source_type, agency, area, themes, impact)."""
    columns = [
        "rec_id",
        "source_name",
        "source_type",
        "agency",
        "area_of_learning",
        "themes",
        "evidence_of_impact",
    ]
    out = pd.DataFrame(rows, columns=columns)
    out["sheet_row"] = range(2, len(out) + 2)
    return out


SMALL = frame(
    [
        ("1", "Child S SCR", "SCR", "LSCB", "Assessment", "Domestic abuse", None),
        (
            "2",
            "Child S SCR",
            "SCR",
            "Children's Social Care",
            "Policy and procedure",
            "Domestic abuse; Hidden children",
            "Better plans.",
        ),
        ("3", "Audit A", "QA audit", "LSCB", "Policy and procedure", "", None),
        (
            "4",
            "Child Q IMR",
            "IMR",
            "Children's Social Care",
            "Training and skills",
            "",
            "Staff more confident.",
        ),
        ("5", "Audit B", "QA audit", "Sussex Police", "Policy and procedure", "", None),
        ("6", "Audit A", "QA audit", "LSCB", "Training and skills", None, " "),
    ]
)


class TestPercent:
    @pytest.mark.parametrize(
        ("part", "whole", "expected"),
        [
            (75, 147, 51),
            (51, 147, 35),
            (16, 147, 11),
            (1, 8, 13),
            (1, 200, 1),
            (0, 5, 0),
            (3, 0, 0),
        ],
    )
    def test_rounds_half_up(self, part, whole, expected):
        assert analysis.percent(part, whole) == expected


class TestCountBy:
    def test_most_first_ties_in_taxonomy_order(self):
        counts = analysis.count_by_area(SMALL)
        assert counts["area_of_learning"].tolist() == [
            "Policy and procedure",
            "Training and skills",
            "Assessment",
        ]
        assert counts["recommendations"].tolist() == [3, 2, 1]
        assert counts["percent"].tolist() == [50, 33, 17]

    def test_agency_ties_follow_the_taxonomy(self):
        counts = analysis.count_by_agency(SMALL)
        assert counts["agency"].tolist() == ["LSCB", "Children's Social Care", "Sussex Police"]

    def test_source_types_count_activities_and_average(self):
        counts = analysis.count_by_source_type(SMALL)
        assert counts.to_dict("records") == [
            {
                "source_type": "QA audit",
                "sources": 2,
                "recommendations": 3,
                "percent": 50,
                "per_source": 1.5,
            },
            {
                "source_type": "SCR",
                "sources": 1,
                "recommendations": 2,
                "percent": 33,
                "per_source": 2.0,
            },
            {
                "source_type": "IMR",
                "sources": 1,
                "recommendations": 1,
                "percent": 17,
                "per_source": 1.0,
            },
        ]

    def test_sources_grouped_by_type_in_tracker_order(self):
        counts = analysis.count_by_source(SMALL)
        assert counts["source_name"].tolist() == [
            "Child S SCR",
            "Child Q IMR",
            "Audit A",
            "Audit B",
        ]
        assert counts["recommendations"].tolist() == [2, 1, 2, 1]


class TestThemesAndImpact:
    def test_a_recommendation_counts_once_per_theme(self):
        themes = analysis.count_themes(SMALL)
        assert themes[["theme", "recommendations", "percent", "sources"]].values.tolist() == [
            ["Domestic abuse", 2, 33, 1],
            ["Hidden children", 1, 17, 1],
        ]

    def test_impact_examples_skip_blank_evidence(self):
        impact = analysis.impact_examples(SMALL)
        assert impact["rec_id"].tolist() == ["2", "4"]

    def test_cross_table_has_totals(self):
        table = analysis.cross_agency_area(SMALL)
        assert table.loc["LSCB", "Policy and procedure"] == 1
        assert table.loc["LSCB", "Total"] == 3
        assert table.loc["Total", "Total"] == 6
        assert table.loc["Sussex Police", "Assessment"] == 0

    def test_top_areas_of_an_agency_name_every_area_of_a_tie(self):
        assert analysis.top_areas_of(SMALL, "Children's Social Care") == (
            ("Policy and procedure", "Training and skills"),
            1,
            2,
        )
        assert analysis.top_areas_of(SMALL, "Sussex Police") == (("Policy and procedure",), 1, 1)

    def test_top_areas_of_an_agency_with_no_area_recorded_are_none(self):
        blank = SMALL.assign(area_of_learning=[None, "Assessment", None, "Assessment", "", None])
        assert analysis.top_areas_of(blank, "LSCB") == ((), 0, 3)
        assert analysis.top_areas_of(blank, "Children's Social Care") == (("Assessment",), 2, 2)


class TestExplodeThemes:
    THEMES = ("Domestic abuse", "Neglect", "Hidden children", "", " ")

    @staticmethod
    def straightforward(frame: pd.DataFrame, separator: str) -> pd.DataFrame:
        themed = frame.assign(theme=frame["themes"].fillna("").str.split(separator, regex=False))
        themed = themed.explode("theme")
        return themed[themed["theme"].fillna("") != ""]

    @pytest.mark.parametrize("seed", range(25))
    def test_the_same_as_splitting_and_exploding_every_cell(self, seed):
        random = np.random.default_rng(seed)
        size = int(random.integers(0, 60))
        cells = [
            None
            if random.random() < 0.1
            else "; ".join(random.choice(list(self.THEMES), int(random.integers(0, 4))))
            for _ in range(size)
        ]
        frame = pd.DataFrame(
            {"themes": pd.Series(cells, dtype="str"), "n": range(size)},
            index=random.permutation(size) + 10,
        )
        expected = self.straightforward(frame, "; ")
        exploded = analysis.explode_themes(frame, "; ")
        pd.testing.assert_frame_equal(exploded, expected)
        assert exploded["theme"].tolist() == expected["theme"].tolist()


class TestAreasNotRecorded:
    """A configuration may make the area optional: blank areas are counted, never dropped."""

    PARTLY = SMALL.assign(
        area_of_learning=[None, "Assessment", " ", "Assessment", None, "Escalation"]
    )
    NONE = SMALL.assign(area_of_learning=None)

    def test_blank_areas_are_counted_as_not_recorded_and_come_last(self):
        by_area = analysis.count_by_area(self.PARTLY)
        assert by_area.to_dict("list") == {
            "area_of_learning": ["Assessment", "Escalation", "Not recorded"],
            "recommendations": [2, 1, 3],
            "percent": [33, 17, 50],
        }
        assert analysis.recorded_areas(by_area)["area_of_learning"].tolist() == [
            "Assessment",
            "Escalation",
        ]

    def test_cross_table_has_a_not_recorded_column(self):
        table = analysis.cross_agency_area(self.PARTLY)
        assert list(table.columns) == ["Assessment", "Escalation", "Not recorded", "Total"]
        assert table.loc["LSCB", "Not recorded"] == 2
        assert table.loc["Total", "Not recorded"] == 3

    @pytest.mark.parametrize(("frame", "expected"), [(SMALL, True), (PARTLY, True), (NONE, False)])
    def test_areas_are_recorded_when_any_row_has_one(self, frame, expected):
        assert analysis.areas_recorded(frame) is expected

    def test_a_tracker_without_areas_counts_every_row_not_recorded(self):
        by_area = analysis.count_by_area(self.NONE)
        assert by_area.to_dict("list") == {
            "area_of_learning": ["Not recorded"],
            "recommendations": [6],
            "percent": [100],
        }
        assert analysis.recorded_areas(by_area).empty


class TestWords:
    def test_count_phrase(self):
        assert count_phrase(4, "SCR") == "four SCRs"
        assert count_phrase(1, "IMR") == "one IMR"
        assert count_phrase(15, "QA audit") == "15 QA audits"

    def test_join_words(self):
        assert join_words(["a"]) == "a"
        assert join_words(["a", "b", "c"]) == "a, b and c"

    def test_narrative_sections_ignore_callout_headings(self, tmp_path):
        path = tmp_path / "n.md"
        path.write_text(
            "---\npartnership: P\n---\n\n## About the data\n\n::: {.callout-note}\n## Inside\nx\n"
            ":::\n\n## Resources and contacts\n\n- y\n",
            encoding="utf-8",
        )
        narrative = split_narrative(path)
        assert narrative.meta == {"partnership": "P"}
        assert list(narrative.sections) == ["about-the-data", "resources-and-contacts"]
        assert "## Inside" in narrative.sections["about-the-data"]
        assert narrative.unknown_headings == ()
