"""The quality checks on hand-written recommendations: each rule passes and fails where its words in
config/schema.yaml say; a learning activity far out of proportion to its peers is flagged; the
priority column is read through the taxonomy, and a tracker without it is still read."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest
from helpers import HEADER, row, write_xlsx

from impact_review.analyse.counts import count_by_source
from impact_review.analyse.implementation import median_days
from impact_review.analyse.quality import (
    EVERY_CHECK,
    QualityRules,
    check_results,
    count_by_check,
    flagged_activities,
    most_failed,
    passing_by,
    peer_medians,
    untracked_fields,
    word_forms,
)
from impact_review.errors import InputError
from impact_review.intake.cleaning import clean_tracker
from impact_review.intake.taxonomy import default_taxonomy
from impact_review.intake.tracker import read_tracker
from impact_review.period import Period

TAXONOMY = default_taxonomy()
GOOD = {
    "lead": "Named safeguarding lead",
    "due_date": pd.Timestamp("2017-03-31"),
    "desired_outcome": "Audit shows referrals made within a day",
    "priority": "Immediate",
    "recommendation": "Health visitors to share concerns about domestic abuse with midwives.",
    "action": None,
}


def recs(*rows: dict[str, Any], source: str = "Child S SCR") -> pd.DataFrame:
    """Recommendations R1, R2, ... that pass every check unless a row says otherwise."""
    return pd.DataFrame(
        [
            {"rec_id": f"R{n}", "source_name": source, "source_type": "SCR", "agency": "LSCB"}
            | GOOD
            | values
            for n, values in enumerate(rows, start=1)
        ]
    )


def checkable(*texts: str | None) -> list[bool]:
    return QualityRules.of(TAXONOMY).checkable(pd.Series(texts, dtype=object)).tolist()


class TestEachRule:
    def test_a_recommendation_with_everything_passes_every_check(self):
        results = check_results(recs({}), TAXONOMY)
        assert results.iloc[0].tolist() == [True] * 6

    @pytest.mark.parametrize(
        ("field", "blank", "column"),
        [
            ("lead", None, "passes_lead"),
            ("lead", "  ", "passes_lead"),
            ("due_date", pd.NaT, "passes_target_date"),
            ("desired_outcome", None, "passes_desired_outcome"),
            ("priority", None, "passes_priority"),
        ],
    )
    def test_a_blank_field_fails_its_check_and_no_other(self, field, blank, column):
        results = check_results(recs({}, {field: blank}), TAXONOMY)
        assert results.loc[1].to_dict() == {
            "passes_lead": column != "passes_lead",
            "passes_target_date": column != "passes_target_date",
            "passes_desired_outcome": column != "passes_desired_outcome",
            "passes_priority": column != "passes_priority",
            "passes_checkable_action": True,
            EVERY_CHECK: False,
        }
        assert results.loc[0, EVERY_CHECK]

    def test_a_frame_without_the_priority_column_records_none(self):
        results = check_results(recs({}).drop(columns="priority"), TAXONOMY)
        assert not results.loc[0, "passes_priority"]


class TestCheckableAction:
    def test_an_observable_verb_in_any_form_that_says_what_is_to_be_done(self):
        assert (
            checkable(
                "Audit ten case files.",
                "The board audits the referrals.",
                "Police to deliver training to call handlers.",
                "Children's Social Care to set out in policy who checks the plan.",
                "Running practice workshops for GPs.",
            )
            == [True] * 5
        )

    def test_a_verb_saying_what_was_done_is_no_action(self):
        # the sample's action column: it records that a plan exists, not what is to be done
        assert checkable("Action plan agreed with Sussex Police.", "Policy revised.") == [
            False,
            False,
        ]

    def test_vague_words_fail_even_beside_an_observable_verb(self):
        assert (
            checkable(
                "Agencies to consider the learning.",
                "Staff should be aware of the procedure.",
                "Continue to review cases in supervision.",
                "The partnership will reflect on how it shares information.",
                "Ensure that staff are reminded of the escalation policy.",
                "Managers considered whether to review the policy.",
            )
            == [False] * 6
        )

    def test_a_date_or_a_measure_makes_it_checkable_whatever_its_words(self):
        assert (
            checkable(
                "Consider the learning by March.",
                "Consider the learning in 2018.",
                "Raise awareness so that 90% of staff know the pathway.",
                "Review chronologies every 6 months.",
                "Report quarterly to the board.",
            )
            == [True] * 5
        )

    def test_words_inside_other_words_do_not_count(self):
        # "audit" in "auditorium", "may" the verb, "report" in "reporter"
        assert checkable("Staff may use the auditorium.", "Tell the reporter.") == [
            True,  # "use" is an observable verb
            False,
        ]

    def test_nothing_written_is_not_checkable(self):
        assert checkable(None, "", "  ") == [False, False, False]

    def test_the_recommendation_or_its_action_will_do(self):
        results = check_results(
            recs(
                {"recommendation": "Agencies to consider the learning.", "action": "Audit files."},
                {"recommendation": "Agencies to consider the learning.", "action": None},
            ),
            TAXONOMY,
        )
        assert results["passes_checkable_action"].tolist() == [True, False]

    def test_the_verb_lists_come_from_the_configuration(self):
        taxonomy = replace(
            TAXONOMY,
            quality=TAXONOMY.quality
            | {
                "checkable_action": {
                    "observable_verbs": ["embed"],
                    "vague_phrases": [],
                    "measures": [],
                }
            },
        )
        rules = QualityRules.of(taxonomy)
        texts = pd.Series(["Embed the toolkit.", "Audit ten files."])
        assert rules.checkable(texts).tolist() == [True, False]

    def test_verb_forms(self):
        assert word_forms("audit", done=False) == ("auditing", "audits", "audit")
        assert word_forms("run", done=False) == ("running", "runs", "run")
        assert set(word_forms("consider", done=True)) == {
            "consider",
            "considers",
            "considering",
            "considered",
        }
        assert word_forms("be", done=True) == ("be",)


class TestTables:
    FRAME = recs(
        {},
        {"priority": None},
        {"priority": None, "lead": None},
        {"recommendation": "Consider it.", "action": None},
    )

    def test_each_check_with_its_rule_and_how_many_pass(self):
        table = count_by_check(check_results(self.FRAME, TAXONOMY).join(self.FRAME), TAXONOMY)
        assert table[["check", "recommendations", "percent"]].values.tolist() == [
            ["Lead named", 3, 75],
            ["Target date set", 4, 100],
            ["Desired outcome stated", 4, 100],
            ["Priority given", 2, 50],
            ["Action checkable", 3, 75],
        ]
        rules = dict(zip(table["check"], table["rule"], strict=True))
        assert rules["Priority given"] == "it has a priority (Immediate or Longer term)"
        assert "observable verb (audit, publish, deliver" in rules["Action checkable"]
        assert "vague phrases (consider, be aware" in rules["Action checkable"]

    def test_passing_every_check_by_agency_as_a_share_of_its_own(self):
        frame = self.FRAME.assign(agency=["LSCB", "LSCB", "Sussex Police", "LSCB"])
        frame = frame.join(check_results(frame, TAXONOMY))
        table = passing_by(frame, "agency", list(TAXONOMY.agencies.names))
        assert table.values.tolist() == [["LSCB", 3, 1, 33], ["Sussex Police", 1, 0, 0]]

    def test_the_check_failed_most_of_those_the_tracker_records(self):
        frame = self.FRAME.join(check_results(self.FRAME, TAXONOMY))
        assert most_failed(frame) == ("passes_priority", 2)
        without = frame.assign(priority=None, desired_outcome=None)
        without = without.drop(columns=EVERY_CHECK).join(
            check_results(without, TAXONOMY)[[EVERY_CHECK]]
        )
        without["passes_priority"] = False
        without["passes_desired_outcome"] = False
        assert untracked_fields(without) == ("desired_outcome", "priority")
        assert most_failed(without) == ("passes_lead", 1)  # first of the tied, in rule order


class TestFlaggedActivities:
    @staticmethod
    def activities(*sizes: tuple[str, str, int]) -> pd.DataFrame:
        rows = [
            {"rec_id": f"{name}-{n}", "source_name": name, "source_type": kind, "sheet_row": n}
            for name, kind, size in sizes
            for n in range(size)
        ]
        return pd.DataFrame(rows).assign(sheet_row=range(len(rows)))

    def test_far_more_than_its_peers_and_than_the_floor_is_flagged(self):
        # SCR peers of A: 10 and 12, median 11; the limit is max(25, 2 x 11) = 25
        frame = self.activities(("A", "SCR", 26), ("B", "SCR", 10), ("C", "SCR", 12))
        table = flagged_activities(frame, TAXONOMY)
        assert table.values.tolist() == [["SCR", "A", 26, 11]]

    def test_at_the_limit_is_not_flagged(self):
        frame = self.activities(("A", "SCR", 25), ("B", "SCR", 3), ("C", "SCR", 3))
        assert flagged_activities(frame, TAXONOMY).empty

    def test_twice_the_peers_median_when_that_is_above_the_floor(self):
        # peers 20 and 22 (median 21): 42 is the limit, 43 is over it
        over = self.activities(("A", "SCR", 43), ("B", "SCR", 20), ("C", "SCR", 22))
        at = self.activities(("A", "SCR", 42), ("B", "SCR", 20), ("C", "SCR", 22))
        assert flagged_activities(over, TAXONOMY)["source_name"].tolist() == ["A"]
        assert flagged_activities(at, TAXONOMY).empty

    def test_peers_are_of_the_same_source_type_and_alone_only_the_floor_applies(self):
        frame = self.activities(("A", "SCR", 30), ("Q1", "QA audit", 3), ("Q2", "QA audit", 3))
        table = flagged_activities(frame, TAXONOMY)
        assert table.drop(columns="peer_median").values.tolist() == [["SCR", "A", 30]]
        assert table["peer_median"].isna().all()  # no peers, no median

    @staticmethod
    def straightforward(frame: pd.DataFrame) -> pd.DataFrame:
        """The rule read row by row: each activity's peers filtered from the whole table."""
        rules = QualityRules.of(TAXONOMY)
        sources = count_by_source(frame, TAXONOMY)
        rows = []
        for record in sources.to_dict("records"):
            peers = sources[
                (sources["source_type"] == record["source_type"])
                & (sources["source_name"] != record["source_name"])
            ]["recommendations"]
            limit = max(rules.at_most, rules.peer_multiple * peers.median()) if len(peers) else None
            if record["recommendations"] > (rules.at_most if limit is None else limit):
                rows.append({**record, "peer_median": median_days(peers)})
        table = pd.DataFrame(
            rows, columns=["source_type", "source_name", "recommendations", "peer_median"]
        )
        return table.astype({"peer_median": "Int64"})

    @pytest.mark.parametrize("seed", range(40))
    def test_the_same_as_filtering_each_activitys_peers(self, seed):
        random = np.random.default_rng(seed)
        kinds = list(TAXONOMY.source_types.names)
        sizes = [
            (f"S{n}", kinds[random.integers(len(kinds))], int(random.integers(1, 60)))
            for n in range(int(random.integers(1, 30)))
        ]
        frame = self.activities(*sizes).sample(frac=1, random_state=seed)
        pd.testing.assert_frame_equal(
            flagged_activities(frame, TAXONOMY), self.straightforward(frame)
        )

    @pytest.mark.parametrize("seed", range(20))
    def test_peer_medians_are_the_medians_of_the_others_of_each_group(self, seed):
        random = np.random.default_rng(seed)
        size = int(random.integers(0, 50))
        groups = random.integers(0, 5, size)
        values = random.integers(0, 10, size)
        expected = [
            np.median(np.delete(values, i)[np.delete(groups, i) == groups[i]])
            if (groups == groups[i]).sum() > 1
            else np.nan
            for i in range(size)
        ]
        np.testing.assert_array_equal(peer_medians(groups, values), np.array(expected))


class TestPriorityColumn:
    PERIOD = Period(date(2015, 4, 1), date(2018, 3, 31), "2015-18")

    def test_priorities_are_mapped_through_the_taxonomy(self, tmp_path):
        rows = [
            [*HEADER, "Priority", "How will we know"],
            [*row("R1"), "Urgent", "Fewer late referrals"],
            [*row("R2"), "medium term", None],
            [*row("R3"), None, None],
        ]
        result = clean_tracker(
            read_tracker(write_xlsx(tmp_path / "t.xlsx", {"S": rows})), self.PERIOD
        )
        recs = result.recommendations
        assert recs["priority"].fillna("").tolist() == ["Immediate", "Longer term", ""]
        assert recs["desired_outcome"].fillna("").tolist() == ["Fewer late referrals", "", ""]

    def test_a_priority_outside_the_vocabulary_is_named_with_its_row(self, tmp_path):
        rows = [[*HEADER, "Priority"], [*row("R1"), "Whenever"]]
        with pytest.raises(InputError) as exc:
            clean_tracker(read_tracker(write_xlsx(tmp_path / "t.xlsx", {"S": rows})), self.PERIOD)
        assert "row 2, column 'Priority': 'Whenever' is not in the priorities of" in str(exc.value)

    def test_a_tracker_without_the_columns_is_read_and_records_none(self, tmp_path):
        rows = [HEADER, row("R1")]
        result = clean_tracker(
            read_tracker(write_xlsx(tmp_path / "t.xlsx", {"S": rows})), self.PERIOD
        )
        assert result.recommendations[["priority", "desired_outcome"]].isna().all().all()
