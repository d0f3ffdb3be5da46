"""The appendix register (bundle/register.py): short texts, reference order, open ones first."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impact_review.bundle.register import (
    reference_key,
    reference_order,
    register_rows,
    shortened,
)

LONG = (
    "East Sussex Healthcare NHS Trust to agree with partners who leads when several services "
    "work on domestic abuse and the child's daily life."
)


class TestShortened:
    def test_text_that_fits_is_whole_with_its_spaces_collapsed(self):
        assert shortened("Train  staff\non the learning.") == "Train staff on the learning."

    def test_long_text_is_cut_at_a_word_boundary_with_an_ellipsis(self):
        short = shortened(LONG)

        assert short == (
            "East Sussex Healthcare NHS Trust to agree with partners who leads when several "
            "services…"
        )
        assert len(short) <= 90

    def test_punctuation_before_the_cut_is_dropped(self):
        assert shortened("Review the plan, then the other plans too", 20) == "Review the plan…"

    def test_a_word_longer_than_the_limit_is_cut(self):
        assert shortened("x" * 30, 10) == "x" * 9 + "…"

    def test_text_of_exactly_the_limit_is_whole(self):
        assert shortened("a" * 90) == "a" * 90


class TestReferenceKey:
    def test_numbers_in_references_sort_as_numbers(self):
        references = ["QA-10-2", "QA-9-11", "S-002", "QA-9-3", "K-058"]

        assert sorted(references, key=reference_key) == [
            "K-058",
            "QA-9-3",
            "QA-9-11",
            "QA-10-2",
            "S-002",
        ]


class TestReferenceOrder:
    ALPHABET = "AQR-_ /.a0123456789"

    @classmethod
    def references(cls, random: np.random.Generator, size: int) -> list[str]:
        """Short random references of letters, separators and digits (leading zeros, empty ones,
        repeats): every way two keys can differ or tie."""
        letters = np.array(list(cls.ALPHABET))
        return ["".join(random.choice(letters, int(random.integers(0, 9)))) for _ in range(size)]

    @staticmethod
    def straightforward(references: list[str], first: np.ndarray) -> list[int]:
        keys = [(bool(f), reference_key(r)) for f, r in zip(first, references, strict=True)]
        return sorted(range(len(references)), key=keys.__getitem__)

    @pytest.mark.parametrize("seed", range(30))
    def test_the_same_as_sorting_by_reference_key(self, seed):
        random = np.random.default_rng(seed)
        references = self.references(random, int(random.integers(0, 400)))
        first = random.random(len(references)) < 0.3
        order = reference_order(pd.Series(references, dtype=object), first)
        assert order.tolist() == self.straightforward(references, first)

    @pytest.mark.parametrize(
        "odd", ["R\u00e9-2", "R-" + "9" * 25, "-".join(["1"] * 60), "\u0663-R"]
    )
    def test_references_beyond_the_columns_read_are_sorted_by_reference_key(self, odd):
        references = ["R-10", odd, "R-9", "", "R-09"]
        first = np.array([False, False, True, False, False])
        order = reference_order(pd.Series(references), first)
        assert order.tolist() == self.straightforward(references, first)


def row(rec_id: str, closed: bool, rag: str, **values) -> dict:
    return {
        "rec_id": rec_id,
        "recommendation": "Train staff on the learning.",
        "agency": "Sussex Police",
        "due_date": pd.Timestamp("2017-07-01"),
        "status": "Completed" if closed else "In progress",
        "closed": closed,
        "rag": rag,
        "sheet_row": 9,
    } | values


class TestRegisterRows:
    @pytest.fixture
    def rows(self) -> pd.DataFrame:
        frame = pd.DataFrame(
            [
                row("S-002", True, "Green"),
                row("QA-10-1", False, "Red"),
                row("S-001", True, "Green", recommendation=LONG),
                row("QA-9-4", False, "Amber", status=None, due_date=pd.NaT),
            ]
        )
        return register_rows(frame)

    def test_open_ones_come_first_then_by_reference(self, rows):
        assert rows["rec_id"].tolist() == ["QA-9-4", "QA-10-1", "S-001", "S-002"]
        assert rows["rag"].tolist() == ["Amber", "Red", "Green", "Green"]

    def test_columns_are_the_boards_and_the_tracker_row_is_not_one(self, rows):
        assert rows.columns.tolist() == [
            "rec_id",
            "recommendation",
            "agency",
            "due_date",
            "status",
            "rag",
        ]
        assert rows.loc[2, "recommendation"].endswith("several services…")

    def test_dates_are_in_words_and_blanks_are_said(self, rows):
        assert rows["due_date"].tolist() == ["", "1 July 2017", "1 July 2017", "1 July 2017"]
        assert rows["status"].tolist() == ["Not recorded", "In progress", "Completed", "Completed"]
