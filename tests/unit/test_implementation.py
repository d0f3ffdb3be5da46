"""The derived implementation columns (intake/implementation.py) and the implementation
section's tables (analyse/implementation.py), on hand-written frames."""

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from impact_review.analyse.counts import count_by
from impact_review.analyse.implementation import (
    SLIPPAGE_COLUMNS,
    count_by_rag,
    count_by_status,
    days_to_complete,
    implemented,
    little_progress,
    median_days,
    overdue_recommendations,
    slippage_by,
)
from impact_review.intake.implementation import IMPLEMENTATION_COLUMNS, add_implementation
from impact_review.intake.taxonomy import default_taxonomy
from impact_review.period import format_uk_date

AS_AT = date(2018, 3, 31)
TAXONOMY = default_taxonomy()


def recs(rows: list[tuple], completed: dict[str, str] | None = None) -> pd.DataFrame:
    """rows of (rec_id, status, target date as YYYY-MM-DD or None); completed: the date
    completed of some, by rec_id."""
    out = pd.DataFrame(rows, columns=["rec_id", "status", "due_date"])
    out["due_date"] = pd.to_datetime(out["due_date"]).astype("datetime64[ms]")
    days = out["rec_id"].map(completed or {})
    out["date_completed"] = pd.to_datetime(days).astype("datetime64[ms]")
    return out


class TestStatusOnTheAsAtDay:
    """A continuing tracker records statuses as they are now; a review of an earlier period
    counts each as it stood on its as-at day."""

    def test_one_completed_after_the_as_at_day_was_in_progress_on_it(self):
        rows = [("R-1", "Completed", "2018-01-31"), ("R-2", "Completed", "2018-06-30")]
        out = add_implementation(recs(rows, {"R-1": "2018-04-01", "R-2": "2018-04-01"}), AS_AT)

        assert out["status"].tolist() == ["In progress", "In progress"]
        assert out["closed"].tolist() == [False, False]
        assert out["rag"].tolist() == ["Red", "Amber"]  # R-1 was past its target date
        assert out.loc[0, "days_overdue"] == 59

    def test_one_completed_on_the_as_at_day_or_with_no_date_stays_completed(self):
        rows = [("R-1", "Completed", "2018-01-31"), ("R-2", "Superseded", None)]
        out = add_implementation(recs(rows, {"R-1": "2018-03-31"}), AS_AT)

        assert out["status"].tolist() == ["Completed", "Superseded"]
        assert out["rag"].tolist() == ["Green", "Grey"]

    def test_any_closed_status_closed_after_the_as_at_day_was_open(self):
        rows = [("R-1", "Superseded", None), ("R-2", "In progress", None)]
        out = add_implementation(recs(rows, {"R-1": "2019-01-01", "R-2": "2019-01-01"}), AS_AT)

        assert out["status"].tolist() == ["In progress", "In progress"]

    def test_the_open_status_is_the_partnerships_spelling_of_in_progress(self, tmp_path):
        from helpers import write_partnership_config

        from impact_review.intake.taxonomy import load_taxonomy

        northshire = load_taxonomy(write_partnership_config(tmp_path / "northshire"))
        rows = [("R-1", "Done", None)]
        out = add_implementation(recs(rows, {"R-1": "2019-01-01"}), AS_AT, northshire)

        assert out["status"].tolist() == ["Open"]

    def test_the_clean_result_counts_them_among_its_repairs(self):
        from impact_review.intake.cleaning import CleanResult
        from impact_review.intake.implementation import implementation_at

        rows = [("R-1", "Completed", None), ("R-2", "Completed", None)]
        frame = recs(rows, {"R-1": "2018-04-01", "R-2": "2018-03-01"})
        result = CleanResult(frame, pd.DataFrame(), {}, (), pd.DataFrame())

        repairs = implementation_at(result, AS_AT).repairs
        assert repairs == {
            "closed after the as-at day, so counted as In progress on it (status)": 1
        }


class TestAddImplementation:
    def test_open_with_a_past_target_is_overdue_by_the_days_between(self):
        out = add_implementation(recs([("R-1", "In progress", "2018-03-01")]), AS_AT)

        assert out.loc[0, "overdue"]
        assert not out.loc[0, "closed"]
        assert out.loc[0, "days_overdue"] == 30
        assert out.loc[0, "rag"] == "Red"

    def test_a_target_on_the_as_at_day_is_not_overdue(self):
        out = add_implementation(recs([("R-1", "In progress", "2018-03-31")]), AS_AT)

        assert not out.loc[0, "overdue"]
        assert pd.isna(out.loc[0, "days_overdue"])
        assert out.loc[0, "rag"] == "Amber"

    def test_the_day_before_the_as_at_day_is_one_day_overdue(self):
        out = add_implementation(recs([("R-1", "Not started", "2018-03-30")]), AS_AT)

        assert out.loc[0, "days_overdue"] == 1

    def test_no_target_date_is_open_but_never_overdue(self):
        out = add_implementation(recs([("R-1", "Not started", None)]), AS_AT)

        assert not out.loc[0, "overdue"]
        assert pd.isna(out.loc[0, "days_overdue"])
        assert out.loc[0, "rag"] == "Amber"

    def test_a_blank_status_is_open(self):
        out = add_implementation(recs([("R-1", None, "2017-01-01")]), AS_AT)

        assert not out.loc[0, "closed"]
        assert out.loc[0, "overdue"]
        assert out.loc[0, "days_overdue"] == 454

    def test_closed_statuses_are_never_overdue_and_take_their_own_colour(self):
        out = add_implementation(
            recs(
                [
                    ("R-1", "Completed", "2016-01-01"),
                    ("R-2", "Superseded", "2016-01-01"),
                    ("R-3", "Closed – not implemented", None),
                ]
            ),
            AS_AT,
        )

        assert out["closed"].tolist() == [True, True, True]
        assert out["overdue"].tolist() == [False, False, False]
        assert out["days_overdue"].isna().all()
        assert out["rag"].tolist() == ["Green", "Grey", "Grey"]

    def test_a_typed_status_of_overdue_or_off_track_is_judged_by_its_dates(self):
        out = add_implementation(
            recs([("R-1", "Overdue", "2019-01-01"), ("R-2", "Off track", "2017-12-31")]), AS_AT
        )

        assert out["overdue"].tolist() == [False, True]
        assert out["rag"].tolist() == ["Amber", "Red"]

    def test_a_later_as_at_date_makes_more_overdue(self):
        frame = recs([("R-1", "In progress", "2018-06-30")])

        assert not add_implementation(frame, AS_AT).loc[0, "overdue"]
        assert add_implementation(frame, date(2018, 7, 2)).loc[0, "days_overdue"] == 2

    def test_adds_its_columns_after_the_trackers_and_keeps_the_rows(self):
        frame = recs([("R-1", "In progress", None), ("R-2", "Completed", "2017-01-01")])
        out = add_implementation(frame, AS_AT)

        assert tuple(out.columns) == (*frame.columns, *IMPLEMENTATION_COLUMNS)
        assert out["rec_id"].tolist() == ["R-1", "R-2"]
        assert str(out["days_overdue"].dtype) == "Int64"


def analysed_frame() -> pd.DataFrame:
    """Five recommendations as cleaning leaves them at AS_AT: two agencies, two areas."""
    rows = [
        # rec_id, agency, source_type, area, status, agreed, target, completed
        ("A1", "LSCB", "SCR", "Assessment", "Completed", "2016-01-01", "2016-06-01", "2016-01-11"),
        ("A2", "LSCB", "SCR", "Assessment", "Completed", "2016-01-01", "2016-06-01", "2016-01-14"),
        (
            "A3",
            "LSCB",
            "QA audit",
            "Training and skills",
            "In progress",
            "2016-01-01",
            "2018-03-21",
            None,
        ),
        ("A4", "Police", "QA audit", "Training and skills", None, "2016-01-01", "2018-03-01", None),
        ("A5", "Police", "SCR", "Training and skills", "Superseded", "2016-01-01", None, None),
    ]
    columns = ["rec_id", "agency", "source_type", "area_of_learning", "status"]
    dates = ["date_agreed", "due_date", "date_completed"]
    frame = pd.DataFrame(rows, columns=columns + dates)
    for column in dates:
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ms]")
    frame["source_name"] = frame["rec_id"] + " review"
    frame["themes"] = ""
    frame["sheet_row"] = range(2, 7)
    return add_implementation(frame, AS_AT)


class TestMedianDays:
    def test_halves_round_up(self):
        assert median_days(pd.Series([10, 13])) == 12

    def test_missing_days_are_left_out_and_none_gives_none(self):
        assert median_days(pd.Series([4, None, 6], dtype="Int64")) == 5
        assert median_days(pd.Series([], dtype="Int64")) is None


class TestCountByStatus:
    def test_every_status_with_its_meaning_and_a_blank_status_last(self):
        table = count_by_status(analysed_frame())

        assert table["status"].tolist()[-1] == "Not recorded"
        assert dict(zip(table["status"], table["recommendations"], strict=True)) == {
            "Not started": 0,
            "In progress": 1,
            "Completed": 2,
            "Off track": 0,
            "Overdue": 0,
            "Closed – not implemented": 0,
            "Superseded": 1,
            "Not recorded": 1,
        }
        completed = table[table["status"] == "Completed"].iloc[0]
        assert (completed["closed"], completed["percent"]) == ("yes", 40)
        assert completed["meaning"] == "carried out, and closed"


class TestCountByRag:
    def test_each_colour_with_its_rule_in_words(self):
        table = count_by_rag(analysed_frame())

        assert table["rag"].tolist() == ["Red", "Amber", "Green", "Grey"]
        assert table["recommendations"].tolist() == [2, 0, 2, 1]
        assert table["rule"].iloc[0] == "open, and its target date is before the as-at date"


class TestOverdueRecommendations:
    def test_most_overdue_first_with_the_target_date_written_out(self):
        table = overdue_recommendations(analysed_frame())

        assert table["rec_id"].tolist() == ["A4", "A3"]
        assert table["days_overdue"].tolist() == [30, 10]
        assert table["due_date"].tolist() == ["1 March 2018", "21 March 2018"]

    def test_none_overdue_is_an_empty_table(self):
        frame = analysed_frame()
        assert overdue_recommendations(frame[~frame["overdue"]]).empty


class TestSlippageBy:
    def test_counts_and_medians_per_agency(self):
        table = slippage_by(analysed_frame(), "agency", ["LSCB", "Police"])

        lscb, police = table.to_dict("records")
        assert (lscb["agency"], lscb["recommendations"], lscb["completed"]) == ("LSCB", 3, 2)
        assert (lscb["open"], lscb["overdue"], lscb["median_days_late"]) == (1, 1, 10)
        assert lscb["median_days_to_complete"] == 12  # 10 and 13 days, half rounded up
        assert (police["open"], police["overdue"], police["median_days_late"]) == (1, 1, 30)
        assert pd.isna(police["median_days_to_complete"])


def random_frame(seed: int) -> pd.DataFrame:
    """Recommendations as cleaning leaves them at AS_AT, their agencies, statuses and dates drawn
    at random (some missing)."""
    random = np.random.default_rng(seed)
    size = int(random.integers(0, 80))
    statuses = [*TAXONOMY.statuses.names, None]

    def days(missing: float) -> pd.Series:
        drawn = pd.Timestamp("2015-01-01") + pd.to_timedelta(random.integers(0, 1300, size), "D")
        return pd.Series(drawn).where(random.random(size) >= missing).astype("datetime64[ms]")

    frame = pd.DataFrame(
        {
            "rec_id": [f"R{n}" for n in range(size)],
            "agency": random.choice(["LSCB", "Police", "Health"], size),
            "source_type": random.choice(["SCR", "QA audit"], size),
            "source_name": random.choice(["Child S", "Audit 2"], size),
            "status": [statuses[i] for i in random.integers(0, len(statuses), size)],
            "date_agreed": days(0.1),
            "due_date": days(0.2),
            "date_completed": days(0.4),
            "themes": "",
            "sheet_row": random.permutation(size) + 2,
        }
    )
    return add_implementation(frame, AS_AT)


class TestAtRandom:
    """The tables as a filter of the whole frame for each group computes them."""

    @staticmethod
    def straightforward_slippage(frame: pd.DataFrame, column: str, order: list[str]):
        done = implemented(frame, TAXONOMY)
        rows = []
        for name in count_by(frame, column, order)[column]:
            own = frame[column] == name
            rows.append(
                {
                    column: name,
                    "recommendations": int(own.sum()),
                    "completed": int((own & done).sum()),
                    "open": int((own & ~frame["closed"]).sum()),
                    "overdue": int((own & frame["overdue"]).sum()),
                    "median_days_late": median_days(frame.loc[own, "days_overdue"]),
                    "median_days_to_complete": median_days(days_to_complete(frame[own & done])),
                }
            )
        table = pd.DataFrame(rows, columns=[column, *SLIPPAGE_COLUMNS])
        return table.astype(dict.fromkeys(("median_days_late", "median_days_to_complete"), "Int64"))

    @pytest.mark.parametrize("seed", range(30))
    def test_slippage_by_agency_and_source_type(self, seed):
        frame = random_frame(seed)
        for column, order in (("agency", ["LSCB", "Police"]), ("source_type", None)):
            pd.testing.assert_frame_equal(
                slippage_by(frame, column, order),
                self.straightforward_slippage(frame, column, order),
            )

    @pytest.mark.parametrize("seed", range(10))
    def test_overdue_target_dates_are_each_written_out(self, seed):
        frame = random_frame(seed)
        late = frame[frame["overdue"]].sort_values(
            ["days_overdue", "sheet_row"], ascending=[False, True], kind="mergesort"
        )
        assert overdue_recommendations(frame)["due_date"].tolist() == [
            format_uk_date(day.date()) for day in late["due_date"]
        ]


class TestLittleProgress:
    def test_names_the_areas_with_less_than_half_completed(self):
        assert little_progress(analysed_frame()) == ("Training and skills",)

    def test_themes_when_no_area_is_recorded(self):
        frame = analysed_frame().assign(
            area_of_learning=None, themes=["Neglect", "Neglect", "Neglect; Voice", "Voice", ""]
        )
        taxonomy = replace(
            default_taxonomy(),
            vocabularies=default_taxonomy().vocabularies
            | {"themes": replace(default_taxonomy().themes, names=("Neglect", "Voice"))},
        )
        assert little_progress(frame, taxonomy) == ("Voice",)
