"""The restated-recommendation finder on hand-written recommendations: a restatement in other words
is found, two different actions on one topic are not, the threshold is honoured, pairs within one
learning activity are never reported, and the output is the same each time."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd
import pytest
import yaml

from impact_review.analyse.restated import (
    PAIR_COLUMNS,
    RESTATES,
    earlier_restated,
    restated_listing,
    restated_pairs,
    with_restated,
)
from impact_review.intake.taxonomy import default_taxonomy
from impact_review.paths import SCHEMA_FILE

# The schema's own setting: the sample partnership's is raised for its template-written texts.
TAXONOMY = replace(
    default_taxonomy(),
    restated=yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))["restated"],
)
# Realistic recommendations from several learning activities: pairs that restate one another in
# other words (R), pairs on one topic that ask for different things (U), and others.
TEXTS = {
    "R1a": "Health visitors must share concerns about domestic abuse with midwives.",
    "R1b": "Midwives and health visitors to exchange information when domestic abuse is disclosed.",
    "R2a": "The partnership to deliver multi-agency training on child sexual exploitation to "
    "frontline staff.",
    "R2b": "Multi-agency training on child sexual exploitation to be delivered to practitioners.",
    "R3a": "GPs to record who has parental responsibility in the child's records.",
    "R3b": "General practice records to note who holds parental responsibility for each child.",
    "R4a": "Escalation policy to be revised so professionals know how to challenge decisions.",
    "R4b": "Revise the escalation and professional challenge policy and tell staff about it.",
    "U1a": "Police to attend MARAC meetings when domestic abuse is reported.",
    "U1b": "Schools to teach healthy relationships lessons covering domestic abuse.",
    "U2a": "Audit neglect cases to check chronologies are kept up to date.",
    "U2b": "Launch the neglect toolkit and train health visitors to use it.",
    "U3a": "Child sexual exploitation risk assessment tool to be reviewed.",
    "U3b": "Taxi drivers to receive awareness sessions on child sexual exploitation.",
    "F1": "Hospital staff to check the child protection information system at every attendance.",
    "F2": "The board to publish an annual report on private fostering.",
    "F3": "Housing to notify children's social care when a family with children is evicted.",
    "F4": "Probation to check whether offenders live with children.",
}


def recommendations(texts: dict[str, str] = TEXTS, same_source: bool = False) -> pd.DataFrame:
    """One learning activity per reference (or one for all), agreed in reference order."""
    ids = list(texts)
    return pd.DataFrame(
        {
            "rec_id": ids,
            "source_name": ["Child A SCR" if same_source else f"Review {i}" for i in ids],
            "agency": "LSCB",
            "recommendation": list(texts.values()),
            "action": None,
            "date_agreed": pd.Timestamp("2017-01-01"),
            "sheet_row": range(2, len(ids) + 2),
        }
    )


def at(threshold: float) -> Any:
    return replace(TAXONOMY, restated=TAXONOMY.restated | {"min_similarity": threshold})


def pair_set(pairs: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(pairs["rec_id_a"], pairs["rec_id_b"], strict=True))


@pytest.fixture(scope="module")
def found() -> pd.DataFrame:
    return restated_pairs(recommendations(), TAXONOMY)


class TestFound:
    def test_restatements_in_other_words_are_found(self, found):
        assert {("R1a", "R1b"), ("R2a", "R2b"), ("R3a", "R3b"), ("R4a", "R4b")} <= pair_set(found)

    def test_different_actions_on_one_topic_are_not(self, found):
        assert not {("U1a", "U1b"), ("U2a", "U2b"), ("U3a", "U3b")} & pair_set(found)

    def test_nothing_else_floods_the_list(self, found):
        assert pair_set(found) == {("R1a", "R1b"), ("R2a", "R2b"), ("R3a", "R3b"), ("R4a", "R4b")}

    def test_the_agency_named_is_not_what_makes_two_alike(self):
        texts = {
            "A": "Children's Social Care to see children alone when neglect is suspected.",
            "B": "Children's Social Care to record the ethnicity of every child on a plan.",
            **{k: v for k, v in TEXTS.items() if k.startswith("F")},
        }
        assert restated_pairs(recommendations(texts), TAXONOMY).empty

    def test_columns_order_and_rounding(self, found):
        assert tuple(found.columns) == PAIR_COLUMNS
        assert (found["rec_id_a"] < found["rec_id_b"]).all()
        assert found["similarity"].is_monotonic_decreasing
        assert (found["similarity"] == found["similarity"].round(3)).all()


class TestThreshold:
    def test_a_pair_just_under_is_left_out_and_just_over_is_kept(self, found):
        similarity = found.set_index(["rec_id_a", "rec_id_b"]).loc[("R1a", "R1b"), "similarity"]
        frame = recommendations()
        under = restated_pairs(frame, at(similarity + 0.001))
        over = restated_pairs(frame, at(similarity - 0.001))
        assert ("R1a", "R1b") not in pair_set(under)
        assert ("R1a", "R1b") in pair_set(over)

    def test_the_threshold_comes_from_the_configuration(self):
        assert len(restated_pairs(recommendations(), at(0.99))) == 0
        assert len(restated_pairs(recommendations(), at(0.0))) == len(TEXTS) * (len(TEXTS) - 1) / 2


class TestAcrossActivitiesOnly:
    def test_pairs_within_one_activity_are_not_reported(self):
        assert restated_pairs(recommendations(same_source=True), TAXONOMY).empty

    def test_the_same_words_within_and_across(self):
        texts = {"A1": TEXTS["R1a"], "A2": TEXTS["R1a"], "B1": TEXTS["R1a"]}
        frame = recommendations(texts).assign(source_name=["A", "A", "B"])
        assert pair_set(restated_pairs(frame, TAXONOMY)) == {("A1", "B1"), ("A2", "B1")}


class TestDeterministic:
    def test_the_same_pairs_in_the_same_order_whatever_the_row_order(self, found):
        shuffled = recommendations().sample(frac=1, random_state=7).reset_index(drop=True)
        again = restated_pairs(shuffled, TAXONOMY)
        pd.testing.assert_frame_equal(again, found)

    def test_no_text_no_pairs(self):
        frame = recommendations({"A": "", "B": " "})
        assert restated_pairs(frame, TAXONOMY).empty
        assert restated_pairs(recommendations({"A": TEXTS["F1"]}), TAXONOMY).empty


class TestEarlier:
    def test_the_later_restates_the_earlier_most_alike(self):
        frame = recommendations(
            {"OLD": TEXTS["R1a"], "NEW": TEXTS["R1b"], "OTHER": TEXTS["F2"], "X": TEXTS["F4"]}
        ).assign(
            date_agreed=pd.to_datetime(["2016-01-01", "2017-01-01", "2015-01-01", "2015-06-01"])
        )
        found = earlier_restated(frame, restated_pairs(frame, TAXONOMY))
        assert found[RESTATES].tolist() == [None, "OLD", None, None]
        assert found["restates_similarity"].notna().tolist() == [False, True, False, False]

    def test_the_listing_names_references_and_activities_only(self):
        frame = with_restated(recommendations(), TAXONOMY)
        listing = restated_listing(frame, listed=2)
        assert list(listing.columns) == [
            "rec_id",
            "source_name",
            "agency",
            "restates",
            "restated_source",
        ]
        assert len(listing) == 2
        assert set(listing["rec_id"]) <= {"R1b", "R2b", "R3b", "R4b"}
        assert set(listing["restated_source"]) <= {
            "Review R1a",
            "Review R2a",
            "Review R3a",
            "Review R4a",
        }
