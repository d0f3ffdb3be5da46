"""The 7-minute briefing's passages on hand-written frames: the analyst's recommendations for
improvement shortened, or written from the figures when there are none; recurring themes; what
the call for evidence found, or that there was none; and one overdue recommendation in the
singular."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from test_bundle import analysed, rec, said

from impact_review.bundle import briefing
from impact_review.bundle.narrative import Narrative
from impact_review.intake.taxonomy import default_taxonomy
from impact_review.paths import BRIEFING_TEMPLATE
from impact_review.render import included_names

TAXONOMY = default_taxonomy()
EDUCATION = "East Sussex Children's Services – Education"
CSC = "Children's Social Care"
AUDIT = "QA audit: neglect"


def sample_rec(n: int, source: str = "Child A SCR", **values) -> dict:
    """A recommendation in the sample partnership's words, agreed in the test period."""
    kind = "SCR" if source.endswith("SCR") else "QA audit"
    return rec(n, CSC, source, source_type=kind, area_of_learning="Assessment") | values


def result_of(*rows: dict):
    return analysed(pd.DataFrame(list(rows)), TAXONOMY)


OVERDUE = {"status": "In progress", "due_date": pd.Timestamp("2019-12-31")}
DONE = {"status": "Completed", "date_completed": pd.Timestamp("2019-09-01")}


class TestShortened:
    def test_a_list_is_kept_whole_and_what_follows_is_left_to_the_review(self):
        text = "- Agree one action plan.\n- Ask for impact.\n\nWe will report back in May.\n"

        assert briefing.shortened(text) == (
            "- Agree one action plan.\n- Ask for impact.\n\n"
            "The review's recommendations for improvement have the analyst's text in full.\n"
        )

    def test_a_list_of_no_more_than_the_limit_alone_needs_no_note(self):
        text = "1. Agree one action plan,\n   with every agency.\n2. Ask for impact.\n"

        assert briefing.shortened(text) == text

    def test_a_long_list_is_cut_to_the_limit(self):
        items = [f"- Step {n}." for n in range(1, briefing.MAX_CHANGES + 3)]

        shown = briefing.shortened("\n".join(items))

        assert shown.splitlines()[: briefing.MAX_CHANGES] == items[: briefing.MAX_CHANGES]
        assert f"- Step {briefing.MAX_CHANGES + 1}." not in shown
        assert shown.endswith("have the analyst's text in full.\n")

    def test_a_loose_list_is_one_list(self):
        text = "- Agree one action plan.\n\n- Ask for impact.\n\n  Every time.\n"

        assert briefing.shortened(text) == (
            "- Agree one action plan.\n- Ask for impact.\n  Every time.\n"
        )

    def test_prose_keeps_its_first_paragraph_and_the_heading_before_it(self):
        text = "### Now\n\nAgree one action plan.\n\nThen ask for impact.\n"

        assert briefing.shortened(text) == (
            "### Now\n\nAgree one action plan.\n\n"
            "The review's recommendations for improvement have the analyst's text in full.\n"
        )

    def test_a_fenced_div_is_never_cut(self):
        text = "::: {.callout-note}\n## Note\n\nFirst.\n\nSecond.\n:::\n\nAfter.\n"

        assert briefing.shortened(text) == text


class TestWhatShouldChange:
    def test_the_analysts_words_come_first(self):
        result = result_of(sample_rec(1, **OVERDUE))

        assert briefing.what_should_change(result, "- Ask for impact.\n") == "- Ask for impact.\n"

    @pytest.mark.parametrize("written", [None, "", "  \n"])
    def test_without_them_it_is_written_from_the_figures(self, written):
        result = result_of(
            sample_rec(1, themes="Hidden children", **OVERDUE),
            sample_rec(2, AUDIT, themes="Hidden children", **OVERDUE),
        )

        text = said(briefing.what_should_change, result, written)

        assert text.startswith("The analyst has not written the review's recommendations")
        assert "- Complete the {{< var implementation.overdue >}} overdue recommendations" in text
        assert "- Make the learning on hidden children part of everyday practice" in text

    def test_one_overdue_and_no_recurring_theme(self):
        result = result_of(sample_rec(1, themes="Hidden children", **OVERDUE), sample_rec(2))

        text = said(briefing.what_should_change, result, None)

        assert "- Complete the overdue recommendation, oldest first." in text
        assert "everyday practice" not in text


class TestWhyItMatters:
    def test_themes_found_by_more_than_one_activity_most_first(self):
        result = result_of(
            sample_rec(1, themes="Domestic abuse; Hidden children"),
            sample_rec(2, AUDIT, themes="Hidden children"),
            sample_rec(3, "QA audit: schools", themes="Hidden children; Domestic abuse"),
            sample_rec(4, themes="Working with large families"),
        )

        text = said(briefing.why_it_matters, result)

        assert text.startswith(
            "The same learning came up again and again: hidden children in 3 learning "
            "activities and domestic abuse in 2. "
        )
        assert "large families" not in text
        assert "past" not in text  # nothing is overdue

    def test_no_recurring_theme_and_one_overdue(self):
        result = result_of(sample_rec(1, themes="Hidden children", **OVERDUE), sample_rec(2))

        text = said(briefing.why_it_matters, result)

        assert text.startswith("No theme came up in more than one learning activity")
        assert "One is past its target date (due {{< var implementation.oldest_due >}})" in text


class TestHowWeWillKnow:
    def test_without_a_call_for_evidence_the_tracker_is_what_shows_it(self):
        result = result_of(sample_rec(1, **DONE), sample_rec(2, **OVERDUE), sample_rec(3))

        text = said(briefing.how_we_will_know, result)

        assert text.startswith("No call for evidence was returned for this period")
        assert "{{< var counts.with_impact >}} of the {{< var counts.total >}}" in text
        assert "- that the overdue recommendation is completed, or its lead agency says why" in text
        assert "{{< var evidence." not in text

    def test_the_call_for_evidence_is_quoted_when_it_was_answered(self):
        answered = {"embedded": "Yes", "impact_level": "Practice change"}
        result = result_of(sample_rec(1, **DONE, **answered), sample_rec(2, **OVERDUE))

        text = said(briefing.how_we_will_know, result)

        assert text.startswith("Agencies answered the call for evidence for ")
        assert "{{< var evidence.embedded.yes >}} are embedded in practice" in text
        assert "overdue recommendation" in text


class TestThemesAndQuestions:
    def test_at_most_the_top_themes_are_listed_with_their_definitions(self):
        names = [entry["name"] for entry in TAXONOMY.themes.entries]
        rows = [sample_rec(n, themes=name) for n, name in enumerate(names, 1)]
        rows.append(sample_rec(len(rows) + 1, themes=names[-1]))
        result = result_of(*rows)

        listed = said(briefing.briefing_themes, result, TAXONOMY).splitlines()

        assert len(names) == briefing.TOP_THEMES  # the sample's five: all of them shown
        assert listed[0] == "The themes recorded against the recommendations:"
        assert listed[2].startswith(f"- **{names[-1]}** (2 recommendations")
        assert len([line for line in listed if line.startswith("- ")]) == briefing.TOP_THEMES

    def test_beyond_the_top_themes_the_lead_says_how_many(self, monkeypatch):
        monkeypatch.setattr(briefing, "TOP_THEMES", 2)
        rows = [sample_rec(n, themes=e["name"]) for n, e in enumerate(TAXONOMY.themes.entries)]

        text = briefing.briefing_themes(result_of(*rows), TAXONOMY)

        assert text.startswith("The 2 most frequent of 5 themes recorded against")
        assert text.count("\n- ") == 2

    def test_no_theme_is_said(self):
        text = briefing.briefing_themes(result_of(sample_rec(1)), TAXONOMY)

        assert text == "No themes were recorded against the recommendations in this period.\n"

    def test_questions_name_the_top_themes_and_area(self):
        result = result_of(
            sample_rec(1, themes="Hidden children", area_of_learning="Information sharing"),
            sample_rec(2, themes="Hidden children", area_of_learning="Information sharing"),
            sample_rec(3, themes="Domestic abuse"),
        )

        text = said(briefing.questions_to_ask, result)

        assert "your own work (hidden children and domestic abuse)" in text
        assert "your team's practice on information sharing since" in text


def test_the_briefing_includes_what_the_writer_writes(tmp_path):
    """Every text/briefing-*.md briefing.qmd includes is written, and nothing it does not."""
    result = result_of(sample_rec(1, **DONE))

    briefing.write_briefing(result, Narrative({}, {}, {}), tmp_path, TAXONOMY)

    included = {
        name
        for name in included_names(BRIEFING_TEMPLATE.read_text(encoding="utf-8"))
        if re.fullmatch(r"text/briefing-.*\.md", name)
    }
    assert included == {f"text/{path.name}" for path in tmp_path.iterdir()}
    assert (tmp_path / "briefing-quality.md").read_text() == ""  # kept for issue 14's checks
    assert (tmp_path / "briefing-more.md").read_text() == (
        "The full review, with every table and chart and the evidence behind these figures, is "
        "published beside this briefing: [report.html](report.html) and "
        "[report.pdf](report.pdf).\n"
    )
