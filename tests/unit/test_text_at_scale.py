"""The clean step's text work as it runs at scale gives what the plain computation gives: the
restated finder (distinct texts once, a prefix-filtered sparse search, the table cut at
most_pairs) against the dense matrix of every pair, the n-gram counts against scikit-learn's, and
the personal-data and quality scans of distinct texts against a scan of every cell."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import yaml

from impact_review.analyse.quality import QualityRules
from impact_review.analyse.restated import (
    PAIR_COLUMNS,
    RESTATES,
    SIMILARITY,
    RestatedRule,
    comparable_texts,
    earlier_restated,
    kept_note,
    ngram_counts,
    restated_found,
    restated_pairs,
)
from impact_review.intake.taxonomy import default_taxonomy
from impact_review.paths import PII_ALLOW_FILE, SCHEMA_FILE
from impact_review.publish.pii import FrameFinding, find_personal_data, load_pii_rules, scan_frame

TAXONOMY = replace(
    default_taxonomy(),
    restated=yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))["restated"],
)
WORDS = [
    "health",
    "visitors",
    "share",
    "concerns",
    "domestic",
    "abuse",
    "midwives",
    "training",
    "exploitation",
    "records",
    "parental",
    "responsibility",
    "escalation",
    "policy",
    "revise",
    "audit",
    "neglect",
    "the",
    "to",
    "and",
    "Police",
    "schools",
    "children's",
    "child",
    "assess",
    "assessing",
]
SEEDS = range(40)


def setting(minimum: float, most_pairs: int = 10**9):
    return replace(
        TAXONOMY, restated=TAXONOMY.restated | {"min_similarity": minimum, "most_pairs": most_pairs}
    )


def random_recommendations(seed: int) -> pd.DataFrame:
    """A small tracker whose texts share words, repeat exactly (some), or have no words left once
    stop words and agency names go; a few activities, agreement dates that tie."""
    rng = np.random.default_rng(seed)
    size = int(rng.integers(2, 40))
    written = [" ".join(rng.choice(WORDS, size=int(rng.integers(0, 9)))) for _ in range(size)]
    texts = [
        written[int(rng.integers(0, i + 1))] if rng.random() < 0.3 else written[i]
        for i in range(size)
    ]
    return pd.DataFrame(
        {
            "rec_id": [f"R{number:03d}" for number in rng.permutation(500)[:size]],
            "source_name": rng.choice(["Review A", "Review B", "Review C"], size),
            "agency": "LSCB",
            "recommendation": texts,
            "action": rng.choice(np.array([None, "Audit it.", "Share the policy."]), size),
            "date_agreed": pd.Timestamp("2017-01-01")
            + pd.to_timedelta(rng.integers(0, 4, size), unit="D"),
            "sheet_row": rng.permutation(size) + 2,
        }
    )


def dense_pairs(frame: pd.DataFrame, taxonomy) -> pd.DataFrame:
    """The pairs as the finder once computed them: every pair's cosine in one dense matrix."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    minimum = RestatedRule.of(taxonomy).min_similarity
    texts = comparable_texts(frame, taxonomy)
    if texts.str.strip().str.len().gt(0).any():
        vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        matrix = vectors.fit_transform(texts.tolist())
        scores = (matrix @ matrix.T).toarray()
    else:
        scores = np.zeros((len(frame), len(frame)))
    first, second = np.triu_indices(len(frame), k=1)
    sources = frame["source_name"].to_numpy()
    keep = (sources[first] != sources[second]) & (scores[first, second] >= minimum)
    ids = frame["rec_id"].astype(str).to_numpy()
    a, b = ids[first[keep]], ids[second[keep]]
    pairs = pd.DataFrame(
        {
            "rec_id_a": np.minimum(a, b),
            "rec_id_b": np.maximum(a, b),
            "similarity": scores[first[keep], second[keep]].round(3),
        }
    )
    return pairs.sort_values(
        ["similarity", "rec_id_a", "rec_id_b"], ascending=[False, True, True], kind="mergesort"
    ).reset_index(drop=True)


def same_pairs(found: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        found.reset_index(drop=True).astype({"rec_id_a": object, "rec_id_b": object}),
        expected.astype({"rec_id_a": object, "rec_id_b": object}),
        check_index_type=False,
    )


class TestRestatedAgainstEveryPair:
    @pytest.mark.parametrize("seed", SEEDS)
    def test_the_same_pairs_and_similarities(self, seed):
        frame = random_recommendations(seed)
        taxonomy = setting([0.0, 0.2, 0.4, 0.6, 0.85][seed % 5])
        same_pairs(restated_pairs(frame, taxonomy), dense_pairs(frame, taxonomy))

    @pytest.mark.parametrize("seed", SEEDS)
    def test_the_same_earlier_recommendation_restated(self, seed):
        frame = random_recommendations(seed)
        taxonomy = setting([0.2, 0.4, 0.6, 0.85][seed % 4])
        found = restated_found(frame, taxonomy).found
        expected = earlier_restated(frame, dense_pairs(frame, taxonomy))
        assert found[RESTATES].tolist() == expected[RESTATES].tolist()
        np.testing.assert_array_equal(found[SIMILARITY], expected[SIMILARITY])


class TestTheTableIsCut:
    @pytest.mark.parametrize("seed", range(10))
    def test_the_first_most_pairs_are_kept_and_the_note_says_of_how_many(self, seed):
        frame = random_recommendations(seed + 100)
        every = dense_pairs(frame, setting(0.2))
        most = max(len(every) // 3, 1)
        found = restated_found(frame, setting(0.2, most_pairs=most))
        assert found.pairs_found == len(every)
        same_pairs(found.pairs, every.head(most))
        if len(every) > most:
            assert kept_note(found.pairs) == (
                f"{len(every):,} pairs reach the minimum similarity; the table keeps the "
                f"{most:,} most alike (restated: most_pairs)"
            )

    def test_what_each_restates_does_not_depend_on_the_cut(self):
        frame = random_recommendations(7)
        cut = restated_found(frame, setting(0.2, most_pairs=1))
        whole = restated_found(frame, setting(0.2))
        assert len(cut.pairs) == 1 < len(whole.pairs)
        pd.testing.assert_frame_equal(cut.found, whole.found)

    def test_no_note_when_every_pair_is_kept(self):
        pairs = restated_pairs(random_recommendations(3), setting(0.2))
        assert tuple(pairs.columns) == PAIR_COLUMNS
        assert kept_note(pairs) == ""

    def test_the_schema_sets_the_cut(self):
        assert RestatedRule.of(TAXONOMY).most_pairs == 100_000
        # a partnership's restated: without most_pairs keeps the schema's
        without = replace(TAXONOMY, restated={"min_similarity": 0.5, "listed": 3})
        assert RestatedRule.of(without) == RestatedRule(0.5, 3, 100_000)


class TestNgramCounts:
    @pytest.mark.parametrize("seed", range(10))
    def test_entry_for_entry_as_scikit_learn_counts(self, seed):
        from sklearn.feature_extraction.text import CountVectorizer

        rng = np.random.default_rng(seed)
        letters = list("abcde'xyz")
        texts = [
            "  ".join(
                "".join(rng.choice(letters, size=int(rng.integers(1, 8))))
                for _ in range(int(rng.integers(0, 6)))
            )
            for _ in range(30)
        ]
        expected = CountVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), dtype=np.float64
        ).fit_transform(texts)
        found = ngram_counts(texts)
        assert found.shape == expected.shape
        np.testing.assert_array_equal(found.indptr, expected.indptr)
        np.testing.assert_array_equal(found.indices, expected.indices)
        np.testing.assert_array_equal(found.data, expected.data)


PII_RULES = load_pii_rules(default_taxonomy(), PII_ALLOW_FILE, None)
FRAGMENTS = (
    "Health visitors to share concerns with midwives.",
    "Mrs Patel attended",
    "call 07700 900123",
    "DOB 01/02/2012",
    "on 01/02/2012",
    "a.b@example.org",
    "NHS 943 476 5919",
    "J. Smith",
    "BN1 1AA",
    "ref BN1 1AA",
    "Sarah Jones",
    "Child S and Mother of Child S",
    "Sussex Police",
    "AB 12 34 56 C",
)


def random_cells(seed: int) -> pd.DataFrame:
    """Tracker text that repeats, with personal data here and there, blanks and numbers."""
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 30))

    def cell():
        roll = rng.random()
        if roll < 0.1:
            return None
        if roll < 0.15:
            return int(rng.integers(0, 10**10))
        return " ".join(rng.choice(FRAGMENTS, size=int(rng.integers(1, 3))))

    return pd.DataFrame(
        {
            "rec_id": [f"R{i}" for i in range(size)],
            "recommendation": [cell() for _ in range(size)],
            "action": [cell() for _ in range(size)],
        },
    )


def every_cell_scanned(frame: pd.DataFrame, columns: list[str]) -> list[FrameFinding]:
    """The findings as the scan once made them: every cell scanned, row by row."""
    found: dict[FrameFinding, None] = {}
    for rec_id, *values in frame[["rec_id", *columns]].itertuples(index=False, name=None):
        for column, value in zip(columns, values, strict=True):
            if not isinstance(value, str) and pd.isna(value):
                continue
            for finding in find_personal_data(str(value), PII_RULES):
                found.setdefault(FrameFinding(str(rec_id), column, finding.kind))
    return list(found)


class TestScanOfDistinctTexts:
    @pytest.mark.parametrize("seed", SEEDS)
    def test_the_same_findings_in_the_same_order(self, seed):
        frame = random_cells(seed)
        columns = ["recommendation", "action"]
        assert scan_frame(frame, columns, rules=PII_RULES) == every_cell_scanned(frame, columns)

    def test_a_text_in_many_rows_is_found_in_each(self):
        frame = pd.DataFrame(
            {"rec_id": ["A", "B", "C"], "action": ["Mrs Patel", None, "Mrs Patel"]}
        )
        assert scan_frame(frame, ["action"], rules=PII_RULES) == [
            FrameFinding("A", "action", "person_name"),
            FrameFinding("C", "action", "person_name"),
        ]


class TestQualityOfDistinctTexts:
    @pytest.mark.parametrize("seed", range(10))
    def test_each_text_as_if_read_alone(self, seed):
        rules = QualityRules.of(default_taxonomy())
        rng = np.random.default_rng(seed)
        phrases = [
            "Audit the files by March 2019.",
            "Consider reviewing the policy.",
            "Train 90% of staff.",
            "Raise awareness.",
            None,
            "REVIEW the escalation policy",
        ]
        texts = pd.Series([phrases[int(i)] for i in rng.integers(0, len(phrases), 20)])
        alone = [bool(rules.checkable(pd.Series([text])).iloc[0]) for text in texts]
        assert rules.checkable(texts).tolist() == alone
