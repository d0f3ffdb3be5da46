"""Recommendations that restate one from another learning activity: learning that recurs review
after review was not embedded the first time.

Two recommendations are alike when the cosine similarity of their texts (recommendation and
action together) reaches the configured minimum (config/schema.yaml, restated:). Each text is
lower-cased, the partnership's agency names and English stop words are dropped (who is asked to
act is the agency column's business, not the learning's), and the rest is read as character
3- to 5-grams within words, TF-IDF weighted with sublinear term frequency. Measured on
hand-written pairs (tests/unit/test_restated.py), character n-grams find a restatement in other
words ("share concerns ... with midwives", "midwives ... exchange information") that word
unigrams and bigrams miss, as they match "assess" in "assessing" and "child" in "children",
while two different actions on one topic stay apart.

Derived in cleaning, so the processed recommendations say which earlier recommendation each
restates and every figure about them can be traced to its rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from impact_review.intake.cleaning import CleanResult
from impact_review.intake.taxonomy import Taxonomy, default_taxonomy

# The pairs' table (data/processed/LABEL/duplicate-recommendations.csv).
PAIR_COLUMNS = ("rec_id_a", "rec_id_b", "similarity")
PLACES = 3
# The column this adds to the cleaned recommendations: the reference of the earlier
# recommendation from another activity it is most like, empty when none reaches the minimum.
RESTATES = "restates"
SIMILARITY = "restates_similarity"
_WORD = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True)
class RestatedRule:
    """The finder's settings (config/schema.yaml, restated:)."""

    min_similarity: float
    listed: int  # how many pairs the review lists, most alike first

    @classmethod
    def of(cls, taxonomy: Taxonomy) -> RestatedRule:
        setting = taxonomy.restated
        return cls(float(setting["min_similarity"]), int(setting["listed"]))


def comparable_texts(frame: pd.DataFrame, taxonomy: Taxonomy) -> pd.Series:
    """Each recommendation's text and action, lower-cased, without agency names or stop words."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    names = {
        spelling.lower()
        for entry in taxonomy.agencies.entries
        for spelling in (
            entry["name"],
            entry.get("short", entry["name"]),
            *entry.get("aliases", []),
        )
    }
    agencies = r"\b(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b"
    text = (frame["recommendation"].fillna("") + " " + frame["action"].fillna("")).str.lower()
    text = text.str.replace(agencies, " ", regex=True)
    return text.map(
        lambda words: " ".join(w for w in _WORD.findall(words) if w not in ENGLISH_STOP_WORDS)
    )


def similarities(texts: pd.Series) -> np.ndarray:
    """The cosine similarity of every pair of texts (character 3- to 5-grams, TF-IDF)."""
    # scikit-learn is imported here, on first use: importing it takes a second the rest of the
    # package does not need.
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    if not texts.str.strip().str.len().gt(0).any():  # no words left to compare: none alike
        return np.zeros((len(texts), len(texts)))
    matrix = vectors.fit_transform(texts.tolist())
    return (matrix @ matrix.T).toarray()  # rows are unit length: the product is the cosine


def restated_pairs(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Pairs of recommendations from different learning activities at least as alike as the
    rule's minimum: rec_id_a before rec_id_b, similarity rounded to three places, most alike
    first, then by the references."""
    taxonomy = taxonomy or default_taxonomy()
    rule = RestatedRule.of(taxonomy)
    empty = pd.DataFrame({"rec_id_a": [], "rec_id_b": [], "similarity": []}).astype(
        {"rec_id_a": "str", "rec_id_b": "str", "similarity": "float64"}
    )
    if len(frame) < 2:
        return empty
    scores = similarities(comparable_texts(frame, taxonomy))
    first, second = np.triu_indices(len(frame), k=1)
    sources = frame["source_name"].to_numpy()
    keep = (sources[first] != sources[second]) & (scores[first, second] >= rule.min_similarity)
    ids = frame["rec_id"].astype(str).to_numpy()
    a, b = ids[first[keep]], ids[second[keep]]
    pairs = pd.DataFrame(
        {
            "rec_id_a": np.minimum(a, b),
            "rec_id_b": np.maximum(a, b),
            "similarity": scores[first[keep], second[keep]].round(PLACES),
        }
    )
    if pairs.empty:
        return empty
    return pairs.sort_values(
        ["similarity", "rec_id_a", "rec_id_b"], ascending=[False, True, True], kind="mergesort"
    ).reset_index(drop=True)


def earlier_restated(frame: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """For each recommendation (in the frame's order), the reference of the earlier one (agreed
    before it, or on the same day higher up the tracker) from another activity that it is most
    like, and their similarity; empty when it restates none."""
    ordered = frame.sort_values(["date_agreed", "sheet_row"], kind="mergesort")["rec_id"]
    rank = pd.Series(range(len(ordered)), index=ordered.astype(str).to_numpy())
    a_first = rank[pairs["rec_id_a"]].to_numpy() < rank[pairs["rec_id_b"]].to_numpy()
    found = pd.DataFrame(
        {
            RESTATES: np.where(a_first, pairs["rec_id_a"], pairs["rec_id_b"]),
            SIMILARITY: pairs["similarity"].to_numpy(),
        },
        index=np.where(a_first, pairs["rec_id_b"], pairs["rec_id_a"]),
    )
    # pairs are most alike first: the first pair a recommendation is the later one of wins
    found = found.groupby(level=0, sort=False).first()
    found = found.reindex(frame["rec_id"].astype(str).to_numpy())
    return pd.DataFrame(
        {
            RESTATES: pd.Series(
                [None if pd.isna(ref) else str(ref) for ref in found[RESTATES]],
                index=frame.index,
                dtype=object,
            ),
            SIMILARITY: found[SIMILARITY].astype("float64").to_numpy(),
        },
        index=frame.index,
    )


def restated_checked(
    result: CleanResult, taxonomy: Taxonomy | None = None
) -> tuple[CleanResult, pd.DataFrame]:
    """The clean result with the restates and restates_similarity columns, and the pairs."""
    recs = result.recommendations
    pairs = restated_pairs(recs, taxonomy)
    found = earlier_restated(recs, pairs)
    return replace(result, recommendations=recs.assign(**found)), pairs


def with_restated(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """The frame with its restates columns: as cleaning derived them, or derived now for a frame
    that lacks them (one written by hand, or read from an earlier version's processed data)."""
    if {RESTATES, SIMILARITY} <= set(frame.columns):
        return frame
    return frame.assign(**earlier_restated(frame, restated_pairs(frame, taxonomy)))


def restated_listing(frame: pd.DataFrame, listed: int) -> pd.DataFrame:
    """The recommendations that restate an earlier one, most alike first, then in tracker order
    (at most listed): each with its activity and agency, and the earlier one's reference and
    activity."""
    later = (
        frame[frame[RESTATES].notna()]
        .sort_values([SIMILARITY, "sheet_row"], ascending=[False, True], kind="mergesort")
        .head(listed)
    )
    source_of = frame.set_index("rec_id")["source_name"]
    return pd.DataFrame(
        {
            "rec_id": later["rec_id"].to_numpy(),
            "source_name": later["source_name"].to_numpy(),
            "agency": later["agency"].to_numpy(),
            RESTATES: later[RESTATES].to_numpy(),
            "restated_source": source_of[later[RESTATES]].to_numpy(),
        }
    )
