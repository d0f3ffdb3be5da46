"""Cleaning works column by column, each distinct cell once; these check that a tracker cleaned
that way reads every cell as it would alone, and refuses with the problems, in the order, that a
row-by-row read gives (seeded messy trackers: tests/unit/messy_trackers.py)."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from messy_trackers import messy_frame, messy_read

from impact_review.errors import InputError, Location, Problems, ProblemsFound
from impact_review.intake.cleaning import clean_tracker
from impact_review.intake.taxonomy import default_taxonomy
from impact_review.period import Period

EVERY_DAY = Period(date(1990, 1, 1), date(2099, 12, 31), "all")
TAXONOMY = default_taxonomy()


def cleaned(frame: pd.DataFrame):
    return clean_tracker(messy_read(frame, TAXONOMY), EVERY_DAY, TAXONOMY, {})


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows as plain values (None for any missing value), whatever the dtypes."""
    plain = frame.astype(object)
    return plain.where(plain.notna(), None).to_dict("records")


def alone(frame: pd.DataFrame, position: int) -> pd.DataFrame:
    return frame.iloc[[position]].reset_index(drop=True)


def refusal(frame: pd.DataFrame) -> InputError:
    with pytest.raises(InputError) as raised:
        cleaned(frame)
    return raised.value


def problems_of(error: InputError) -> list[tuple[int, str, str]]:
    """(row, column, what is said) of each problem a refusal names, in the order it names them."""
    if isinstance(error, ProblemsFound):
        return [
            (row, group.column, said(group.value, group.problem))
            for group in error.groups
            for row in group.rows
        ]
    return [(error.where.row, error.where.column, error.problem.split(" Most of this")[0])]


def said(value: str | None, problem: str) -> str:
    return problem if value is None else f"{value!r} {problem}"


@pytest.mark.parametrize("seed", range(3))
def test_each_row_is_cleaned_as_it_would_be_alone(seed):
    rng = np.random.default_rng(seed)
    frame = messy_frame(rng, 40, TAXONOMY)
    whole = cleaned(frame)
    one_by_one = [cleaned(alone(frame, position)) for position in range(len(frame))]
    assert records(whole.recommendations) == [
        record for result in one_by_one for record in records(result.recommendations)
    ]
    assert sum((result.repairs for result in one_by_one), start=type(whole.repairs)()) == (
        whole.repairs
    )
    mapped = pd.concat([result.mappings for result in one_by_one])
    counted = mapped.groupby(["column", "raw", "canonical", "note"])["rows"].sum()
    assert (
        counted.to_dict()
        == whole.mappings.set_index(["column", "raw", "canonical", "note"])["rows"].to_dict()
    )


@pytest.mark.parametrize("seed", range(3))
def test_a_refusal_names_each_bad_cell_as_a_row_by_row_read_does(seed):
    rng = np.random.default_rng(100 + seed)
    frame = messy_frame(rng, 40, TAXONOMY, bad=0.2)
    error = refusal(frame)
    expected = Problems()
    for position in range(len(frame)):
        try:
            cleaned(alone(frame, position))
        except InputError as alone_error:
            for row, column, said in problems_of(alone_error):
                expected.add(said, Location("messy.xlsx", "Recs", row, column))
    assert isinstance(error, ProblemsFound)
    assert problems_of(error) == [
        (row, group.column, group.problem) for group in expected.groups() for row in group.rows
    ]
    assert len(error.groups) == len(expected.groups())
