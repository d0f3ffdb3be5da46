"""The render bundle's words on hand-written frames: rankings that name every member of a tie,
the background written from what the tracker holds, a review without areas of learning for a
tracker that records none, narrative headings the report has no section for, and no partnership's
name written into the code."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from helpers import NORTHSHIRE, with_theme_source, write_partnership_config
from lineage_recompute import recompute_all

from impact_review.analyse.review import Analysis, analyse
from impact_review.bundle import passages
from impact_review.bundle.data_quality import data_quality_detail
from impact_review.bundle.lineage import figure_lineage, lineage_json
from impact_review.bundle.narrative import UnknownHeading, split_narrative, write_narrative
from impact_review.bundle.tables import table_frames, write_tables
from impact_review.bundle.variables import report_variables
from impact_review.intake.implementation import add_implementation
from impact_review.intake.processed import CleanSummary, InputFile, PeriodLabel, RowCounts
from impact_review.intake.taxonomy import Taxonomy, default_taxonomy, load_taxonomy
from impact_review.intake.trail import left_out_frame
from impact_review.partnership import load_partnership
from impact_review.paths import BRIEFING_TEMPLATE, REPORT_TEMPLATE, ROOT
from impact_review.period import Period

PERIOD = Period(date(2019, 4, 1), date(2020, 3, 31), "n")


def analysed(frame: pd.DataFrame, taxonomy: Taxonomy) -> Analysis:
    """The analysis of hand-written rows as cleaning leaves them: with their implementation at
    the period's end."""
    return analyse(add_implementation(frame, PERIOD.end, taxonomy), taxonomy)


def said(passage: Callable[..., str], *args: Any) -> str:
    """A passage as a reader sees it: without the escapes that keep text from being markup."""
    return re.sub(r"\\(.)", r"\1", passage(*args))


CSC, POLICE, NHS, SCHOOLS = (
    "Northshire Children's Services",
    "Northshire Constabulary",
    "Northshire Hospitals NHS Trust",
    "Schools",
)


@pytest.fixture(scope="module")
def northshire(tmp_path_factory) -> Path:
    return write_partnership_config(tmp_path_factory.mktemp("config") / "northshire")


@pytest.fixture(scope="module")
def arealess(northshire: Path) -> Taxonomy:
    return load_taxonomy(northshire)


def rec(n: int, agency: str, source: str = "Child A LCSPR", **values: Any) -> dict[str, Any]:
    kind = {"LCSPR": "LCSPR", "RR": "Rapid review"}.get(source.split()[-1], "Multi-agency audit")
    cleaned = {
        "rec_id": f"R{n}",
        "source_name": source,
        "source_type": kind,
        "agency": agency,
        "area_of_learning": None,
        "themes": "",
        "recommendation": "Do better.",
        "action": None,
        "lead": None,
        "date_agreed": pd.Timestamp("2019-06-01"),
        "due_date": pd.NaT,
        "status": None,
        "date_completed": pd.NaT,
        "evidence_of_completion": None,
        "evidence_of_impact": None,
        "sheet_row": n + 1,
    } | values
    return with_theme_source(cleaned)


def recommendations(*agencies: str, **values: Any) -> pd.DataFrame:
    """One recommendation per agency named, numbered in order."""
    return pd.DataFrame([rec(n, agency, **values) for n, agency in enumerate(agencies, 1)])


def by_agency(*counts: tuple[str, int]) -> pd.DataFrame:
    """A by-agency count table, most first, as the analysis gives it."""
    total = sum(n for _, n in counts)
    return pd.DataFrame(
        [{"agency": a, "recommendations": n, "percent": round(100 * n / total)} for a, n in counts]
    )


class TestAgencyTies:
    def test_one_leader_reads_as_before(self, arealess):
        frame = by_agency((CSC, 4), (POLICE, 3), (NHS, 2), (SCHOOLS, 1))
        text = said(passages.agencies_passage, frame, recommendations(CSC), arealess)
        assert text == (
            f"{CSC} had the most recommendations: 4 (40%). Northshire Constabulary had the "
            f"second most (3, 30%), then {NHS} (2, 20%) and Schools (1, 10%).\n"
        )
        assert said(passages.summary_agencies, frame) == (
            f"- **{CSC}** had the most recommendations (4, 40%).\n"
        )

    def test_a_tie_for_the_most_names_both(self, arealess):
        frame = by_agency((CSC, 3), (POLICE, 3), (NHS, 1))
        text = said(passages.agencies_passage, frame, recommendations(CSC), arealess)
        assert text.startswith(
            f"{CSC} and Northshire Constabulary had the most recommendations: 3 each (43%). "
            f"{NHS} had the second most (1, 14%)."
        )
        assert said(passages.summary_agencies, frame) == (
            f"- **{CSC}** and **Northshire Constabulary** had the most recommendations "
            "(3 each, 43%).\n"
        )

    def test_a_tie_for_second_names_both(self, arealess):
        frame = by_agency((CSC, 4), (POLICE, 2), (NHS, 2), (SCHOOLS, 1))
        text = said(passages.agencies_passage, frame, recommendations(CSC), arealess)
        assert (
            f"Northshire Constabulary and {NHS} had the second most (2 each, 22%), "
            "then Schools (1, 11%)." in text
        )

    def test_a_three_way_tie_names_all_three_and_keeps_a_tie_whole(self, arealess):
        frame = by_agency((CSC, 2), (POLICE, 2), (NHS, 2), (SCHOOLS, 1), ("Other", 1))
        text = said(passages.agencies_passage, frame, recommendations(CSC), arealess)
        assert text == (
            f"{CSC}, Northshire Constabulary and {NHS} had the most recommendations: 2 each "
            "(25%). Schools and Other had the second most (1 each, 12%).\n"
        )

    def test_the_rest_is_one_agency_or_several(self, arealess):
        five = by_agency((CSC, 5), (POLICE, 4), (NHS, 3), (SCHOOLS, 2), ("Other", 1))
        assert said(passages.agencies_passage, five, recommendations(CSC), arealess).endswith(
            " The other agency had fewer: Other (1, 7%).\n"
        )

    def test_the_leaders_main_area_names_every_area_of_a_tie(self):
        taxonomy = default_taxonomy()
        agency = "Sussex Police"
        recs = pd.DataFrame(
            [
                rec(1, agency, area_of_learning="Assessment"),
                rec(2, agency, area_of_learning="Escalation"),
                rec(3, agency, area_of_learning="Assessment"),
                rec(4, agency, area_of_learning="Escalation"),
            ]
        )
        text = said(passages.agencies_passage, by_agency((agency, 4)), recs, taxonomy)
        assert text == (
            "Sussex Police had the most recommendations: 4 (100%). Of these, the most concerned "
            "assessment and escalation: 2 each.\n"
        )
        single = recs.assign(area_of_learning=["Assessment"] * 3 + ["Escalation"])
        assert "Of these, 3 of 4 concerned assessment." in said(
            passages.agencies_passage, by_agency((agency, 4)), single, taxonomy
        )


def by_area(*counts: tuple[str, int, int]) -> pd.DataFrame:
    return pd.DataFrame(counts, columns=["area_of_learning", "recommendations", "percent"])


class TestAreaTies:
    def test_one_largest_reads_as_before(self):
        frame = by_area(("Policy and procedure", 51, 35), ("Training and skills", 37, 25))
        frame = pd.concat([frame, by_area(("Assessment", 16, 11), ("Escalation", 2, 1))])
        assert said(passages.summary_areas, frame) == (
            "- The largest area of learning was **policy and procedure (35%)**, followed by "
            "training and skills (25%) and assessment (11%).\n"
        )
        assert said(passages.areas_passage, frame) == (
            "The largest area was policy and procedure, with 51 recommendations (35% of all), "
            "followed by training and skills (37, 25%) and assessment (16, 11%).\n"
        )

    def test_a_tie_for_the_largest_names_both(self):
        frame = by_area(("Assessment", 4, 40), ("Escalation", 4, 40), ("Record keeping", 2, 20))
        assert said(passages.summary_areas, frame) == (
            "- The largest areas of learning were **assessment and escalation (40% each)**, "
            "followed by record keeping (20%).\n"
        )
        assert said(passages.areas_passage, frame) == (
            "The largest areas were assessment and escalation, with 4 recommendations each "
            "(40% of all), followed by record keeping (2, 20%).\n"
        )

    def test_a_tie_at_the_cut_is_named_whole(self):
        frame = by_area(
            ("Assessment", 5, 50), ("Escalation", 3, 30), ("Record keeping", 1, 10), ("X", 1, 10)
        )
        assert said(passages.summary_areas, frame).endswith(
            "followed by escalation (30%), record keeping (10%) and x (10%).\n"
        )

    def test_a_three_way_tie_names_all_three_and_nothing_follows(self):
        frame = by_area(("Assessment", 1, 33), ("Escalation", 1, 33), ("Record keeping", 1, 33))
        assert said(passages.areas_passage, frame) == (
            "The largest areas were assessment, escalation and record keeping, with 1 "
            "recommendation each (33% of all).\n"
        )

    def test_not_recorded_is_never_ranked_and_is_said(self):
        frame = by_area(("Assessment", 2, 33), ("Not recorded", 4, 67))
        assert said(passages.summary_areas, frame) == (
            "- The largest area of learning was **assessment (33%)**.\n"
        )
        assert said(passages.areas_passage, frame) == (
            "The largest area was assessment, with 2 recommendations (33% of all). 4 "
            "recommendations have no area of learning recorded in the tracker (67% of all); the "
            'tables and charts count them as "Not recorded" rather than leave them out.\n'
        )


class TestSourceTypeTies:
    def test_one_type_with_the_most(self, arealess):
        result = analysed(recommendations(CSC, POLICE, NHS, source="Child A LCSPR"), arealess)
        assert said(passages.summary_sources, result, arealess) == (
            "- **3 of 3 (100%)** came from the one LCSPR.\n"
        )
        assert "The one LCSPR (Child A) gave 3 of the 3 (100%), the largest share." in (
            said(passages.sources_passage, result, arealess)
        )

    def test_types_that_tie_are_named_together(self, arealess):
        recs = pd.concat(
            [
                recommendations(CSC, POLICE, source="Child A LCSPR"),
                recommendations(NHS, SCHOOLS, source="Child B RR"),
                recommendations(CSC, source="Audit of neglect"),
            ],
            ignore_index=True,
        ).assign(rec_id=lambda f: [f"R{n}" for n in range(len(f))])
        result = analysed(recs, arealess)
        assert said(passages.summary_sources, result, arealess) == (
            "- The one LCSPR and the one rapid review gave the most recommendations: "
            "**2 of 5 (40%)** each.\n"
        )
        assert said(passages.sources_passage, result, arealess) == (
            "In total, 5 recommendations arose from one LCSPR, one rapid review and one "
            "multi-agency audit (@tbl-by-source-type). The one LCSPR (Child A) and the one rapid "
            "review (Child B RR) gave 2 of the 5 (40%) each, the largest shares. Recommendations "
            "from each learning activity are listed in @tbl-by-source in the appendix.\n"
        )


SAMPLE_BACKGROUND = (
    "The LSCB tracks each recommendation from its Serious Case Reviews (now Child "
    "Safeguarding Practice Reviews), Individual Management Reviews and multi-agency "
    "quality-assurance case-file audits, with the agency responsible, the area of learning, any "
    "themes, the action agreed, its status, and the evidence that it was completed and that it "
    "made a difference.\n\nThis review counts every recommendation agreed between 1 April 2015 "
    "and 31 March 2018, by source, agency, area of learning and theme, and draws out the "
    "recorded evidence of impact.\n"
)
SAMPLE_PERIOD = Period(date(2015, 4, 1), date(2018, 3, 31), "2015-18")


class TestBackground:
    def test_the_samples_types_and_columns_read_as_the_2018_review(self):
        full = {
            "area_of_learning": "Assessment",
            "themes": "Domestic abuse",
            "action": "Train.",
            "status": "Completed",
            "evidence_of_completion": "Done.",
            "evidence_of_impact": "Better.",
        }
        recs = pd.DataFrame(
            [
                rec(1, "Sussex Police", "Child S SCR", source_type="SCR", **full),
                rec(2, "Sussex Police", "Child Q IMR", source_type="IMR", **full),
                rec(3, "Sussex Police", "Audit", source_type="QA audit", **full),
            ]
        )
        result = analysed(recs, default_taxonomy())
        text = said(
            passages.background_passage,
            result,
            default_taxonomy(),
            SAMPLE_PERIOD,
            load_partnership(),
        )
        assert text == SAMPLE_BACKGROUND

    def test_only_what_the_tracker_holds_is_named(self, arealess, northshire):
        recs = pd.concat(
            [
                recommendations(CSC, source="Child A LCSPR", status="Open"),
                recommendations(POLICE, source="Audit of neglect", evidence_of_impact="Fewer."),
            ],
            ignore_index=True,
        ).assign(rec_id=["R1", "R2"])
        text = said(
            passages.background_passage,
            analysed(recs, arealess),
            arealess,
            PERIOD,
            load_partnership(northshire),
        )
        assert text == (
            "The partnership tracks each recommendation from its Local Child Safeguarding "
            "Practice Reviews and multi-agency audits, with the agency responsible, its status, "
            "and the evidence that it made a difference.\n\nThis review counts every "
            "recommendation agreed between 1 April 2019 and 31 March 2020, by source and agency, "
            "and draws out the recorded evidence of impact.\n\n"
            f"{passages.NO_AREAS}\n"
        )


def clean_summary(analysed: int) -> CleanSummary:
    return CleanSummary(
        input=InputFile("n.xlsx", "xlsx", 1, "ab" * 32, "S", 1, None, None, None),
        period=PeriodLabel("2019-04-01", "2020-03-31", "n"),
        counts=RowCounts(read=analysed, blank_dropped=0, outside_period=0, analysed=analysed),
    )


class TestNoAreasRecorded:
    @pytest.fixture
    def result(self, arealess) -> Analysis:
        recs = recommendations(CSC, POLICE, CSC, themes="Neglect", source="Child A LCSPR")
        return analysed(recs, arealess)

    def test_area_passages_and_tables_are_empty_and_the_background_says_why(
        self, result, arealess, northshire, tmp_path
    ):
        partnership = load_partnership(northshire)
        passages.write_passages(result, tmp_path / "text", arealess, PERIOD, partnership)
        write_tables(result, tmp_path / "tables", PERIOD.describe(), PERIOD.end)
        text = {p.stem: p.read_text(encoding="utf-8") for p in (tmp_path / "text").iterdir()}
        tables = {p.stem: p.read_text(encoding="utf-8") for p in (tmp_path / "tables").iterdir()}

        for empty in ("summary-areas", "areas-section", "areas", "agency-area"):
            assert text[empty] == "", empty
        assert tables["by-area"] == tables["agency-area"] == ""
        assert text["background"].endswith(passages.NO_AREAS + "\n")
        assert "area" not in text["agencies"]
        assert "Area of learning" not in tables["recommendations"]
        assert (
            "| Reference | Recommendation \\(shortened\\) | Agency | Target date | Status | RAG |"
            in (tables["recommendations"])
        )
        every_include = re.findall(r"\{\{< include (\S+) >\}\}", REPORT_TEMPLATE.read_text())
        written = {f"text/{name}.md" for name in text} | {f"tables/{n}.md" for n in tables}
        generated = {i for i in every_include if i.startswith(("text/", "tables/"))}
        # written by data_quality.py and glossary.py
        assert generated - written == {
            "text/data-quality.md",
            "text/data-quality-detail.md",
            "text/glossary.md",
        }

    @pytest.fixture
    def variables(self, result, arealess, northshire) -> dict:
        partnership = load_partnership(northshire)
        return report_variables(
            result, PERIOD, clean_summary(3), {}, arealess, partnership, PERIOD.end, ""
        )

    def test_no_variable_quotes_an_area(self, variables):
        assert "areas" not in variables
        assert variables["scope"] == {"concerned": "agencies"}
        assert all("top_area" not in entry for entry in variables["agencies"].values())
        assert variables["partnership"]["name"] == NORTHSHIRE
        assert "Not recorded" not in str(variables)

    def test_lineage_covers_the_tables_shown_and_nothing_else(self, result, arealess, variables):
        figures = figure_lineage(result, variables, left_out_frame([]), arealess)
        assert set(table_frames(result)) == {
            "by-source-type",
            "by-source",
            "by-agency",
            "themes",
            "statuses",
            "rag",
            "slippage-by-agency",
            "slippage-by-source-type",
            "quality-checks",
            "quality-by-source-type",
            "quality-by-agency",
            "recommendations",
        }  # no overdue table: no recommendation has a target date; none flagged or restated
        assert not [f for f in figures if "area" in f.figure]
        frames = {"recommendations": result.recommendations, "left out": left_out_frame([])}
        recompute_all(lineage_json(figures), frames, arealess.list_separator)


class TestAreasPartlyRecorded:
    def test_not_recorded_rows_have_their_lineage(self):
        taxonomy = default_taxonomy()
        recs = pd.DataFrame(
            [
                rec(
                    1,
                    "Sussex Police",
                    "Child S SCR",
                    source_type="SCR",
                    area_of_learning="Assessment",
                ),
                rec(2, "Sussex Police", "Child S SCR", source_type="SCR"),
                rec(3, "Cafcass", "Child S SCR", source_type="SCR", area_of_learning=" "),
            ]
        )
        result = analysed(recs, taxonomy)
        variables = report_variables(
            result, PERIOD, clean_summary(3), {}, taxonomy, load_partnership(), PERIOD.end, ""
        )
        figures = {
            f.figure: f for f in figure_lineage(result, variables, left_out_frame([]), taxonomy)
        }
        not_recorded = figures["table:by-area:Not recorded:recommendations"]

        assert (not_recorded.value, not_recorded.rec_ids) == (2, ("R2", "R3"))
        assert figures["table:agency-area:Cafcass:Not recorded"].rec_ids == ("R3",)
        assert list(variables["areas"]) == ["first"]
        # the register shows no area; a blank status reads as the by-status table counts it
        assert table_frames(result)["recommendations"]["status"].tolist() == ["Not recorded"] * 3
        frames = {"recommendations": result.recommendations, "left out": left_out_frame([])}
        recompute_all(lineage_json(list(figures.values())), frames, taxonomy.list_separator)


class TestNarrativeHeadings:
    def test_an_unknown_heading_is_reported_with_the_closest_section(self, tmp_path):
        path = tmp_path / "narrative.md"
        path.write_text(
            "## About the data\n\nx\n\n## Recomendations for improvment\n\n- y\n\n## Thanks\n\nz\n",
            encoding="utf-8",
        )
        narrative = write_narrative(path, tmp_path / "narrative")

        assert narrative.unknown_headings == (
            UnknownHeading("Recomendations for improvment", "Recommendations for improvement"),
            UnknownHeading("Thanks", None),
        )
        assert (
            "not written yet"
            in (tmp_path / "narrative" / "recommendations-for-improvement.md")
            .read_text(encoding="utf-8")
            .lower()
        )
        assert (
            narrative.unknown_headings[0]
            .describe()
            .startswith(
                'the narrative file\'s heading "Recomendations for improvment" is not one of the '
                'report\'s sections (did you mean "Recommendations for improvement"?)'
            )
        )

    def test_the_data_quality_section_lists_them(self):
        unknown = (UnknownHeading("Thanks", None),)
        text = data_quality_detail(clean_summary(3), None, unknown)
        assert "The period's narrative file has text the review leaves out:" in text
        assert '- the narrative file\'s heading "Thanks" is not one of' in text.replace("\\", "")
        assert "narrative file" not in data_quality_detail(clean_summary(3), None)

    def test_the_samples_narrative_has_no_unknown_heading(self):
        narrative = split_narrative(ROOT / "data" / "raw" / "sample" / "narrative-2015-18.md")
        assert narrative.unknown_headings == ()


PARTNERSHIP_WORDS = re.compile(r"East Sussex|Sussex|LSCB|\bSCRs?\b|Serious Case Review")


def test_no_partnerships_words_are_written_into_the_report_or_the_bundle_code():
    """Every such word comes from the configuration, the taxonomy or the narrative."""
    package = ROOT / "src" / "impact_review"
    files = [REPORT_TEMPLATE, BRIEFING_TEMPLATE, ROOT / "_quarto.yml"]
    files += [*(package / "bundle").glob("*.py"), ROOT / "page" / "briefing.typ"]
    files += [p for p in (package / "render" / "templates").rglob("*") if p.is_file()]
    found = {
        f"{path.relative_to(ROOT)}: {match}"
        for path in files
        for match in PARTNERSHIP_WORDS.findall(path.read_text(encoding="utf-8"))
    }
    assert found == set()


class TestStatusesTakenBackToTheAsAtDay:
    def test_the_data_quality_section_says_how_many_and_how_they_are_counted(self):
        from dataclasses import replace

        from impact_review.bundle.data_quality import data_quality_passage
        from impact_review.intake.implementation import CLOSED_LATER

        taxonomy = default_taxonomy()
        later = CLOSED_LATER.format(status="In progress")
        clean = replace(clean_summary(63), repairs={later: 41})

        text = data_quality_passage(clean, None, taxonomy)

        assert (
            "41 it records as completed (or otherwise closed) on a day after this review's as-at "
            "day are counted as in progress on that day, as they then were." in text
        )
        assert "after this review's as-at day" not in data_quality_passage(
            clean_summary(63), None, taxonomy
        )
