"""The derived implementation columns (intake/implementation.py) on hand-written frames."""

from datetime import date

import pandas as pd

from impact_review.intake.implementation import IMPLEMENTATION_COLUMNS, add_implementation

AS_AT = date(2018, 3, 31)


def recs(rows: list[tuple[str, str | None, str | None]]) -> pd.DataFrame:
    """rows of (rec_id, status, target date as YYYY-MM-DD or None)."""
    out = pd.DataFrame(rows, columns=["rec_id", "status", "due_date"])
    out["due_date"] = pd.to_datetime(out["due_date"]).astype("datetime64[ms]")
    return out


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
