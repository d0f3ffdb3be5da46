import random
from datetime import date, datetime

import pytest

from impact_review.intake.dates import EXCEL_EPOCH_1904, DateProblem, parse_uk_date, shown_date_text


class TestParseUkDate:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("01/02/2018", date(2018, 2, 1)),
            ("24/06/2018", date(2018, 6, 24)),
            ("1/2/18", date(2018, 2, 1)),
            ("24.06.2018", date(2018, 6, 24)),
            ("2018-06-24", date(2018, 6, 24)),
            ("2018-06-24 00:00:00", date(2018, 6, 24)),
            ("24 June 2018", date(2018, 6, 24)),
            ("3rd Sept 2016", date(2016, 9, 3)),
            (datetime(2018, 6, 24), date(2018, 6, 24)),
            (date(2018, 6, 24), date(2018, 6, 24)),
        ],
    )
    def test_reads_uk_forms_day_first(self, value, expected):
        assert parse_uk_date(value).value == expected

    def test_excel_serial_number_is_a_date_and_flagged(self):
        parsed = parse_uk_date(43275)
        assert parsed.value == date(2018, 6, 24)
        assert parsed.repair == "date stored as an Excel number, read as a date"
        assert parse_uk_date("43275").value == date(2018, 6, 24)
        assert parse_uk_date(43275.0).value == date(2018, 6, 24)

    def test_1904_workbooks_count_from_1904(self):
        assert parse_uk_date(41813, epoch=EXCEL_EPOCH_1904).value == date(2018, 6, 24)

    @pytest.mark.parametrize("value", [None, "", "   "])
    def test_empty_cell_is_none(self, value):
        assert parse_uk_date(value) is None

    @pytest.mark.parametrize("value", ["31/02/2018", "13/13/2018", "06/24/2018", "29/02/2017"])
    def test_impossible_dates_raise(self, value):
        with pytest.raises(DateProblem, match="not a real date"):
            parse_uk_date(value)

    @pytest.mark.parametrize("value", ["soon", "Q3 2018", "2018", True, 12.5, 100])
    def test_non_dates_raise(self, value):
        with pytest.raises(DateProblem):
            parse_uk_date(value)

    def test_month_only_is_refused_unless_allowed(self):
        with pytest.raises(DateProblem, match="no day"):
            parse_uk_date("June 2018")
        parsed = parse_uk_date("June 2018", month_only=True)
        assert parsed.value == date(2018, 6, 30)
        assert parsed.repair is not None

    def test_time_of_day_is_dropped_and_flagged(self):
        parsed = parse_uk_date(datetime(2018, 6, 24, 13, 5))
        assert parsed.value == date(2018, 6, 24)
        assert parsed.repair == "time of day dropped"

    def test_result_does_not_depend_on_row_order(self):
        values = ["01/02/2018", "24/06/2018", "2018-06-24", 43275, "12/01/2018", "02/12/2017"]
        expected = {str(v): parse_uk_date(v).value for v in values}
        for seed in range(5):
            shuffled = values[:]
            random.Random(seed).shuffle(shuffled)
            assert {str(v): parse_uk_date(v).value for v in shuffled} == expected
        assert expected["01/02/2018"] == date(2018, 2, 1)


class TestShownDateText:
    @pytest.mark.parametrize("text", ["13/07/20222", "1st June, 2018", "Sept. 2018", "2018-6-31"])
    def test_an_attempt_at_a_date_is_shown(self, text):
        assert shown_date_text(text) == text

    @pytest.mark.parametrize("text", ["13/07/20222", "31/02/2018", "2018-02-30"])
    def test_a_mistyped_date_is_named_in_its_problem(self, text):
        with pytest.raises(DateProblem) as raised:
            parse_uk_date(text)
        assert raised.value.written == text
        assert str(raised.value).startswith(f"{text!r} is not a ")

    @pytest.mark.parametrize("text", ["when Jo returns", "Q3 2018", "ask Sam"])
    def test_words_are_never_shown(self, text):
        assert shown_date_text(text) is None
        with pytest.raises(DateProblem) as raised:
            parse_uk_date(text)
        assert raised.value.written is None
        assert text not in str(raised.value)
