"""The sentence that says what changed in a review's period (bundle/changes.py), and the
background's names for a type a succession replaced (bundle/sources.py background_plural)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from impact_review.bundle.changes import changes_sentence
from impact_review.bundle.sources import background_plural
from impact_review.intake.taxonomy import Succession, default_taxonomy
from impact_review.partnership import Partnership, Renaming, load_partnership
from impact_review.period import Period

BOARD = Partnership(
    Path("northshire"),
    "Northshire Safeguarding Children Board",
    "the board",
    (
        Renaming(
            date(2019, 9, 29), "Northshire Safeguarding Children Partnership", "the partnership"
        ),
    ),
)
REFORMS = (
    Succession("agencies", "Board", ("LSCB",), ("Safeguarding Children Partnership",),
               date(2019, 9, 29)),
    Succession("source_types", "Case reviews", ("SCR",), ("Rapid review", "LCSPR"),
               date(2019, 9, 29), "practice reviews"),
)  # fmt: skip
CROSSING = (
    "On 29 September 2019 the Northshire Safeguarding Children Board was replaced by the "
    "Northshire Safeguarding Children Partnership, and Serious Case Reviews were succeeded by "
    "rapid reviews and Local Child Safeguarding Practice Reviews."
)


@pytest.fixture
def taxonomy():
    return replace(default_taxonomy(), successions=REFORMS)


def period(start: date, end: date) -> Period:
    return Period(start, end, "p")


class TestChangesSentence:
    def test_a_period_before_the_change_has_none(self, taxonomy):
        assert changes_sentence(BOARD, taxonomy, period(date(2015, 4, 1), date(2018, 3, 31))) == ""

    def test_a_period_after_the_change_has_none(self, taxonomy):
        assert changes_sentence(BOARD, taxonomy, period(date(2020, 4, 1), date(2021, 3, 31))) == ""

    def test_a_period_crossing_the_change_names_the_day_and_what_changed(self, taxonomy):
        said = changes_sentence(BOARD, taxonomy, period(date(2019, 4, 1), date(2020, 3, 31)))
        assert said == CROSSING

    def test_a_period_ending_the_day_before_has_none(self, taxonomy):
        assert changes_sentence(BOARD, taxonomy, period(date(2019, 4, 1), date(2019, 9, 28))) == ""

    def test_a_period_ending_on_the_day_has_it(self, taxonomy):
        said = changes_sentence(BOARD, taxonomy, period(date(2019, 4, 1), date(2019, 9, 29)))
        assert said == CROSSING

    def test_a_period_starting_on_the_day_has_none(self, taxonomy):
        """The new names were already in force on its first day: nothing changed within it."""
        assert changes_sentence(BOARD, taxonomy, period(date(2019, 9, 29), date(2020, 3, 31))) == ""

    def test_an_agency_succession_without_a_renaming_is_said_by_its_names(self, taxonomy):
        ccgs = Succession("agencies", "Commissioners", ("Clinical commissioning groups",),
                          ("Integrated care board",), date(2022, 7, 1))  # fmt: skip
        said = changes_sentence(
            BOARD,
            replace(taxonomy, successions=(ccgs,)),
            period(date(2022, 4, 1), date(2023, 3, 31)),
        )
        assert said == (
            "On 1 July 2022 Clinical commissioning groups was succeeded by Integrated care board."
        )

    def test_the_sample_partnership_and_taxonomy_cross_in_2019_20(self):
        said = changes_sentence(
            load_partnership(), default_taxonomy(), period(date(2019, 4, 1), date(2020, 3, 31))
        )
        assert said == (
            "On 29 September 2019 the East Sussex Local Safeguarding Children Board was replaced "
            "by the East Sussex Safeguarding Children Partnership, and Serious Case Reviews were "
            "succeeded by rapid reviews and Local Child Safeguarding Practice Reviews."
        )


class TestBackgroundPlural:
    def test_before_the_change_a_replaced_type_says_what_it_became(self, taxonomy):
        assert background_plural("SCR", taxonomy, date(2018, 3, 31)) == (
            "Serious Case Reviews (now practice reviews)"
        )

    def test_from_the_change_it_is_its_own_name(self, taxonomy):
        assert background_plural("SCR", taxonomy, date(2019, 9, 29)) == "Serious Case Reviews"

    def test_a_successor_is_its_own_name(self, taxonomy):
        assert background_plural("LCSPR", taxonomy, date(2018, 3, 31)) == (
            "Local Child Safeguarding Practice Reviews"
        )
