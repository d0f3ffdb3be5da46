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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache

import numpy as np
import pandas as pd
import yaml
from scipy import sparse

from impact_review.intake.cleaning import CleanResult
from impact_review.intake.taxonomy import Taxonomy, default_taxonomy
from impact_review.paths import SCHEMA_FILE

# The pairs' table (data/processed/LABEL/duplicate-recommendations.csv).
PAIR_COLUMNS = ("rec_id_a", "rec_id_b", "similarity")
PLACES = 3
# The pairs' table's attrs key: how many pairs reach the minimum, the table holding at most
# restated: most_pairs of them.
PAIRS_FOUND = "pairs_found"
# The column this adds to the cleaned recommendations: the reference of the earlier
# recommendation from another activity it is most like, empty when none reaches the minimum.
RESTATES = "restates"
SIMILARITY = "restates_similarity"
_WORD = re.compile(r"[a-z0-9']+")
NGRAMS = (3, 5)  # character n-grams within words, shortest and longest
# Work in blocks of about this many pairs or products, so memory stays bounded whatever the size.
PAIRS_PER_BLOCK = 2_000_000


@dataclass(frozen=True)
class RestatedRule:
    """The finder's settings (config/schema.yaml, restated:)."""

    min_similarity: float
    listed: int  # how many pairs the review lists, most alike first
    most_pairs: int  # how many pairs the pairs' table keeps, most alike first

    @classmethod
    def of(cls, taxonomy: Taxonomy) -> RestatedRule:
        # a partnership's restated: without most_pairs keeps the schema's
        setting = schema_restated() | taxonomy.restated
        return cls(
            float(setting["min_similarity"]), int(setting["listed"]), int(setting["most_pairs"])
        )


@cache
def schema_restated() -> dict:
    """The schema's restated: settings (config/schema.yaml)."""
    return dict(yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))["restated"])


def comparable_texts(frame: pd.DataFrame, taxonomy: Taxonomy) -> pd.Series:
    """Each recommendation's text and action, lower-cased, without agency names or stop words
    (each distinct text worked out once)."""
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
    agencies = re.compile(
        r"\b(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b"
    )

    def comparable(text: str) -> str:
        words = _WORD.findall(agencies.sub(" ", text.lower()))
        return " ".join(word for word in words if word not in ENGLISH_STOP_WORDS)

    rows, distinct = pd.factorize(
        frame["recommendation"].fillna("") + " " + frame["action"].fillna("")
    )
    comparable_texts = np.array([comparable(text) for text in distinct], dtype=object)
    return pd.Series(comparable_texts[rows], index=frame.index, dtype=object)


def word_ngrams(word: str) -> list[str]:
    """A word's character 3- to 5-grams with a space at each end, in scikit-learn's char_wb order
    (a word shorter than n is counted once, whole)."""
    padded = f" {word} "
    grams: list[str] = []
    for n in range(NGRAMS[0], NGRAMS[1] + 1):
        if len(padded) <= n:
            grams.append(padded)
            break
        grams.extend(padded[start : start + n] for start in range(len(padded) - n + 1))
    return grams


def ngram_counts(texts: Sequence[str]) -> sparse.csr_matrix:
    """What CountVectorizer(analyzer="char_wb", ngram_range=NGRAMS).fit_transform(texts) gives,
    entry for entry and in the same order within each row (so sums over a row add up in the same
    order), as float64; each distinct word's n-grams are worked out once.

    A char_wb n-gram never crosses a word, so a text's counts are the sum of its words'. The
    vectorizer numbers n-grams as it first meets them, sorts each row by those numbers, and only
    then renumbers the columns alphabetically without sorting the rows again."""
    words_of = [text.lower().split() for text in texts]
    word, words = pd.factorize(pd.Series([w for ws in words_of for w in ws], dtype=object))
    numbers: dict[str, int] = {}  # each n-gram by first meeting, as the vectorizer meets them
    gram_rows, gram_cols = [], []
    for i, each in enumerate(words):
        grams = [numbers.setdefault(gram, len(numbers)) for gram in word_ngrams(each)]
        gram_rows += [i] * len(grams)
        gram_cols += grams
    by_word = sparse.csr_matrix(
        (np.ones(len(gram_rows), dtype=np.int64), (gram_rows, gram_cols)),
        shape=(len(words), len(numbers)),
    )
    lengths = [len(ws) for ws in words_of]
    by_text = sparse.csr_matrix(
        (np.ones(len(word), dtype=np.int64), (np.repeat(np.arange(len(texts)), lengths), word)),
        shape=(len(texts), len(words)),
    )
    counts = sparse.csr_matrix(by_text @ by_word, dtype=np.float64)
    counts.sort_indices()
    alphabetical = np.empty(len(numbers), dtype=counts.indices.dtype)
    alphabetical[np.argsort(np.array(list(numbers), dtype=object), kind="stable")] = np.arange(
        len(numbers)
    )
    counts.indices = alphabetical[counts.indices]
    return counts


def text_vectors(texts: pd.Series) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Each distinct text's TF-IDF vector (character 3- to 5-grams, sublinear term frequency,
    unit length; zero for a text with no words) and, for each text given, its distinct text's row.

    The weights are those of TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS,
    sublinear_tf=True) fitted on every text given, duplicates included (a term's document
    frequency counts each copy), operation for operation, so they do not depend on the
    deduplication."""
    from sklearn.preprocessing import normalize

    rows, distinct = pd.factorize(texts.fillna("").astype(str), sort=False)
    if not any(text.strip() for text in distinct):  # no words left to compare
        return sparse.csr_matrix((len(distinct), 0)), rows
    vectors = ngram_counts(list(distinct))
    copies = np.bincount(rows, minlength=len(distinct)).astype(np.float64)
    documents = np.bincount(
        vectors.indices,
        weights=np.repeat(copies, np.diff(vectors.indptr)),
        minlength=vectors.shape[1],
    )
    idf = np.full_like(documents, len(texts) + 1.0) / (documents + 1.0)
    np.log(idf, out=idf)
    idf += 1.0
    np.log(vectors.data, vectors.data)
    vectors.data += 1.0
    vectors.data *= idf[vectors.indices]
    return normalize(vectors, norm="l2", copy=False), rows


def _blocks_of_work(work: np.ndarray, size: int) -> Iterator[slice]:
    """Runs of consecutive items whose work adds up to about size (an item with more work than
    that alone), so a block's products or pairs fit in memory."""
    ends = np.searchsorted(np.cumsum(work), np.arange(size, work.sum() + size, size), side="right")
    starts = np.r_[0, ends][:-1]
    return (slice(start, end) for start, end in zip(starts, ends, strict=True) if end > start)


def row_dots(vectors: sparse.csr_matrix, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The dot product of each pair of rows (first[i], second[i]), a block of pairs at a time
    (the block's rows copied out hold about PAIRS_PER_BLOCK entries)."""
    entries = np.diff(vectors.indptr)
    dots = [
        np.asarray(vectors[first[part]].multiply(vectors[second[part]]).sum(axis=1)).ravel()
        for part in _blocks_of_work(entries[first] + entries[second] + 1, PAIRS_PER_BLOCK)
    ]
    return np.concatenate(dots) if dots else np.zeros(0)


def indexed_part(vectors: sparse.csr_matrix, minimum: float) -> sparse.csr_matrix:
    """Each vector without its most common terms (by document frequency, the same order for
    all) as long as their squared weights sum to less than minimum squared.

    Two unit vectors reach the minimum only if they share a term both keep: the terms they do not
    share among the kept ones lie in the longer of their two dropped prefixes, whose weights alone
    come to less than the minimum (Cauchy-Schwarz), so they add less than it to the product. This is
    the prefix filter of all-pairs similarity search (Bayardo, Ma and Srikant 2007)."""
    frequent_first = np.argsort(-np.bincount(vectors.indices, minlength=vectors.shape[1]))
    ordered = vectors[:, frequent_first].tocsr()
    ordered.sort_indices()
    squares = np.cumsum(ordered.data**2)
    starts = np.repeat(np.r_[0.0, squares][ordered.indptr[:-1]], np.diff(ordered.indptr))
    # a margin below the minimum: a pair exactly at it must stay a candidate
    dropped = squares - starts < (minimum * (1 - 1e-9)) ** 2
    ordered.data[dropped] = 0.0
    ordered.eliminate_zeros()
    return ordered


def alike_texts(
    vectors: sparse.csr_matrix, minimum: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each pair of distinct texts (first <= second, a text with itself included) whose cosine
    similarity reaches the minimum, and that similarity; in bounded memory, block by block."""
    count = vectors.shape[0]
    if minimum <= 0:  # every pair is alike, those without a word in common too
        first, second = np.triu_indices(count)
        return first, second, row_dots(vectors, first, second)
    kept = indexed_part(vectors, minimum)
    kept_t = kept.T.tocsr()
    # each text's products: for each term it keeps, every text that keeps it
    products = np.bincount(
        np.repeat(np.arange(count), np.diff(kept.indptr)),
        weights=np.diff(kept_t.indptr)[kept.indices],
        minlength=count,
    )
    found = [(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))]
    for block in _blocks_of_work(np.maximum(products, 1), PAIRS_PER_BLOCK):
        candidates = (kept[block] @ kept_t).tocoo()
        first = candidates.row.astype(np.int64) + block.start
        second = candidates.col.astype(np.int64)
        first, second = first[first <= second], second[first <= second]
        dots = row_dots(vectors, first, second)
        alike = dots >= minimum
        found.append((first[alike], second[alike], dots[alike]))
    first, second, dots = (np.concatenate(parts) for parts in zip(*found, strict=True))
    return first, second, dots


@dataclass(frozen=True)
class TrackerRows:
    """What the finder needs of each recommendation, as integers: its distinct text, its learning
    activity, its place in agreement order (date agreed, then tracker row) and its reference's place
    in sorted order (references holds them sorted)."""

    text: np.ndarray
    source: np.ndarray
    agreed: np.ndarray
    reference: np.ndarray
    references: np.ndarray

    @classmethod
    def of(cls, frame: pd.DataFrame, text: np.ndarray) -> TrackerRows:
        source = pd.factorize(frame["source_name"])[0]
        # a row without an activity is from another activity than every row, as NaN != NaN
        missing = source < 0
        source[missing] = source.max(initial=0) + 1 + np.arange(missing.sum())
        order = np.lexsort((frame["sheet_row"].to_numpy(), frame["date_agreed"].to_numpy()))
        agreed = np.empty(len(frame), dtype=np.int64)
        agreed[order] = np.arange(len(frame))
        references, reference = np.unique(
            frame["rec_id"].astype(str).to_numpy(dtype=str), return_inverse=True
        )
        return cls(text, source, agreed, reference.astype(np.int64), references.astype(object))

    def __len__(self) -> int:
        return len(self.text)


@dataclass(frozen=True)
class AlikeTexts:
    """Pairs of distinct texts at least as alike as the minimum, each way round (a text with
    itself once), grouped by first text, most alike (rounded) first, then by second text."""

    first: np.ndarray
    second: np.ndarray
    similarity: np.ndarray  # rounded to PLACES
    starts: np.ndarray  # the pairs of text t are [starts[t], starts[t + 1])

    @classmethod
    def of(cls, first: np.ndarray, second: np.ndarray, dots: np.ndarray, texts: int) -> AlikeTexts:
        other = first != second
        first, second = np.r_[first, second[other]], np.r_[second, first[other]]
        similarity = np.tile(dots.round(PLACES), 2)[: len(first)]
        similarity = np.r_[dots.round(PLACES), dots[other].round(PLACES)]
        order = np.lexsort((second, -similarity, first))
        starts = np.searchsorted(first[order], np.arange(texts + 1))
        return cls(first[order], second[order], similarity[order], starts)

    def degree(self) -> np.ndarray:
        return np.diff(self.starts)


def _sorted_by(major: np.ndarray, minor: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows sorted by (major, minor) and their keys major * len + minor, for searchsorted."""
    order = np.lexsort((minor, major))
    return order, major[order] * len(major) + minor[order]


def _first_other(rows: TrackerRows) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rows in (text, agreement) order; and at each, among the rows of its text agreed up to it,
    the first reference, its activity, and the first reference from another activity than that
    one's (len(rows) when none)."""
    order, keys = _sorted_by(rows.text, rows.agreed)
    none = len(rows)
    first, first_source, second = (np.empty(len(rows), dtype=np.int64) for _ in range(3))
    text, reference, source = (
        values[order].tolist() for values in (rows.text, rows.reference, rows.source)
    )
    current = -1
    for i in range(len(rows)):
        if text[i] != current:
            current, best, best_source, runner_up = text[i], none, -1, none
        if reference[i] < best:
            if source[i] != best_source:
                runner_up = best
            best, best_source = reference[i], source[i]
        elif reference[i] < runner_up and source[i] != best_source:
            runner_up = reference[i]
        first[i], first_source[i], second[i] = best, best_source, runner_up
    return keys, first, first_source, second


def earliest_restated(rows: TrackerRows, alike: AlikeTexts) -> tuple[np.ndarray, np.ndarray]:
    """For each row, the reference (its place in rows.references; len(rows) when none) of the
    earlier row from another activity most like it, at the first reference among equally alike
    ones, and their rounded similarity (NaN when none): the pairs of distinct texts are visited most
    alike first, every row at once, until a row has found one and the next pair is less alike."""
    none = len(rows)
    keys, first, first_source, second = _first_other(rows)
    text_starts = np.searchsorted(keys, np.arange(alike.starts.size) * len(rows))
    best = np.full(len(rows), none, dtype=np.int64)
    level = np.full(len(rows), np.nan)
    degree = alike.degree()
    active = np.flatnonzero(degree[rows.text] > 0)
    step = 0
    while active.size:
        pair = alike.starts[rows.text[active]] + step
        other = alike.second[pair]
        earlier = np.searchsorted(keys, other * len(rows) + rows.agreed[active]) - 1
        found = np.where(
            first_source[earlier] != rows.source[active], first[earlier], second[earlier]
        )
        found[earlier < text_starts[other]] = none
        better = found < best[active]
        best[active[better]] = found[better]
        level[active[better]] = alike.similarity[pair[better]]
        step += 1
        more = step < degree[rows.text[active]]
        following = alike.similarity[np.minimum(pair + 1, alike.similarity.size - 1)]
        settled = (best[active] < none) & (following < level[active])
        active = active[more & ~settled]
    return best, level


def pairs_count(rows: TrackerRows, alike: AlikeTexts) -> np.ndarray:
    """For each pair of distinct texts (first <= second), how many pairs of rows from different
    activities have them."""
    sources = rows.source.max(initial=0) + 1
    by_source = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (rows.text, rows.source)),
        shape=(alike.starts.size - 1, sources),
    )
    copies = np.asarray(by_source.sum(axis=1)).ravel()
    once = alike.first <= alike.second
    first, second = alike.first[once], alike.second[once]
    entries = np.diff(by_source.indptr)
    within = np.concatenate(
        [
            np.asarray(by_source[first[part]].multiply(by_source[second[part]]).sum(axis=1)).ravel()
            for part in _blocks_of_work(entries[first] + entries[second] + 1, PAIRS_PER_BLOCK)
        ]
        or [np.zeros(0, dtype=np.int64)]
    )
    across = copies[first] * copies[second] - within
    return np.where(first == second, across // 2, across)


def row_pairs(
    rows: TrackerRows, alike: AlikeTexts, keep: np.ndarray, limit: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs of rows from different activities whose texts are a kept pair of alike texts (a
    mask over the pairs with first <= second): as (reference, reference) places with the first
    before the second, and their similarity. With a limit, only that many: the first in order of
    their references. Rows are taken in order of their references, block by block, so memory
    stays bounded by the block and the limit."""
    once = np.flatnonzero(alike.first <= alike.second)[keep]
    chosen = AlikeTexts.of(
        alike.first[once], alike.second[once], alike.similarity[once], alike.starts.size - 1
    )
    by_reference, keys = _sorted_by(rows.text, rows.reference)
    copies = np.bincount(rows.text, minlength=alike.starts.size - 1)
    partners = np.bincount(chosen.first, weights=copies[chosen.second], minlength=copies.size)
    ordered = np.argsort(rows.reference, kind="stable")
    ordered = ordered[chosen.degree()[rows.text[ordered]] > 0]
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    total = 0
    for part in _blocks_of_work(np.maximum(partners[rows.text[ordered]], 1), PAIRS_PER_BLOCK):
        if limit is not None and total >= limit:
            break
        block = ordered[part]
        degree = chosen.degree()[rows.text[block]]
        row = np.repeat(block, degree)
        pair = np.repeat(chosen.starts[rows.text[block]] - np.cumsum(np.r_[0, degree[:-1]]), degree)
        pair += np.arange(len(row))
        other = chosen.second[pair]
        later = np.searchsorted(keys, other * len(rows) + rows.reference[row], side="right")
        ends = np.searchsorted(keys, (other + 1) * len(rows))
        counts = ends - later
        row, pair = np.repeat(row, counts), np.repeat(pair, counts)
        partner = by_reference[
            np.repeat(later - np.cumsum(np.r_[0, counts[:-1]]), counts) + np.arange(counts.sum())
        ]
        across = rows.source[row] != rows.source[partner]
        found.append(
            (
                rows.reference[row[across]],
                rows.reference[partner[across]],
                chosen.similarity[pair[across]],
            )
        )
        total += int(across.sum())
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    first, second, similarity = (np.concatenate(parts) for parts in zip(*found, strict=True))
    if limit is not None:
        first_few = np.lexsort((second, first))[:limit]
        first, second, similarity = first[first_few], second[first_few], similarity[first_few]
    return first, second, similarity


def kept_pairs(
    rows: TrackerRows, alike: AlikeTexts, most: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The pairs' table's rows (see row_pairs) and how many pairs there are in all: every pair
    when there are at most most, else the first most in the table's order (most alike first, then
    by references)."""
    counts = pairs_count(rows, alike)
    total = int(counts.sum())
    once = alike.first <= alike.second
    if total <= most:
        return (*row_pairs(rows, alike, np.ones(int(once.sum()), dtype=bool)), total)
    similarity = alike.similarity[once]
    levels, level = np.unique(-similarity, return_inverse=True)  # most alike first
    up_to = np.cumsum(np.bincount(level, weights=counts))
    cut = -levels[np.searchsorted(up_to, most, side="right")]
    above = row_pairs(rows, alike, similarity > cut)
    at_cut = row_pairs(rows, alike, similarity == cut, limit=most - len(above[0]))
    first, second, kept = (np.r_[a, b] for a, b in zip(above, at_cut, strict=True))
    return first, second, kept, total


@dataclass(frozen=True)
class Restated:
    """What the finder found: the pairs' table (see restated_pairs), how many pairs reach the
    minimum in all (more than the table holds when the rule's most_pairs cut it short), and for
    each recommendation the earlier one it restates (RESTATES and SIMILARITY columns)."""

    pairs: pd.DataFrame
    pairs_found: int
    found: pd.DataFrame


def restated_found(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> Restated:
    """The pairs of recommendations from different learning activities at least as alike as the
    rule's minimum, and what each restates. Identical texts are compared once; the table's pairs
    are its first most_pairs when more are found, and what each recommendation restates is from
    every pair, whether the table holds it or not."""
    taxonomy = taxonomy or default_taxonomy()
    rule = RestatedRule.of(taxonomy)
    if len(frame) < 2:
        return Restated(_no_pairs(), 0, earlier_restated(frame, _no_pairs()))
    vectors, text = text_vectors(comparable_texts(frame, taxonomy))
    rows = TrackerRows.of(frame, text)
    alike = AlikeTexts.of(*alike_texts(vectors, rule.min_similarity), vectors.shape[0])
    first, second, similarity, total = kept_pairs(rows, alike, rule.most_pairs)
    order = np.lexsort((second, first, -similarity))
    pairs = pd.DataFrame(
        {
            "rec_id_a": rows.references[first[order]],
            "rec_id_b": rows.references[second[order]],
            "similarity": similarity[order],
        }
    )
    best, level = earliest_restated(rows, alike)
    restates = np.append(rows.references, None)[np.minimum(best, len(rows.references))]
    found = pd.DataFrame(
        {RESTATES: pd.Series(restates, index=frame.index, dtype=object), SIMILARITY: level},
        index=frame.index,
    )
    pairs = pairs if len(pairs) else _no_pairs()
    pairs.attrs[PAIRS_FOUND] = total
    return Restated(pairs, total, found)


def _no_pairs() -> pd.DataFrame:
    return pd.DataFrame({"rec_id_a": [], "rec_id_b": [], "similarity": []}).astype(
        {"rec_id_a": "str", "rec_id_b": "str", "similarity": "float64"}
    )


def restated_pairs(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Pairs of recommendations from different learning activities at least as alike as the
    rule's minimum: rec_id_a before rec_id_b, similarity rounded to three places, most alike
    first, then by the references; the first most_pairs of them when there are more."""
    return restated_found(frame, taxonomy).pairs


def kept_note(pairs: pd.DataFrame) -> str:
    """What a pairs' table from restated_pairs leaves out, in words; empty when it holds every
    pair."""
    found = int(pairs.attrs.get(PAIRS_FOUND, len(pairs)))
    if found <= len(pairs):
        return ""
    return (
        f"{found:,} pairs reach the minimum similarity; the table keeps the "
        f"{len(pairs):,} most alike (restated: most_pairs)"
    )


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
    found = restated_found(recs, taxonomy)
    return replace(result, recommendations=recs.assign(**found.found)), found.pairs


def with_restated(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """The frame with its restates columns: as cleaning derived them, or derived now for a frame
    that lacks them (one written by hand, or read from an earlier version's processed data)."""
    if {RESTATES, SIMILARITY} <= set(frame.columns):
        return frame
    return frame.assign(**restated_found(frame, taxonomy).found)


def restated_listing(frame: pd.DataFrame, listed: int) -> pd.DataFrame:
    """The recommendations that restate an earlier one, most alike first, then in tracker order
    (at most listed): each with its activity and agency, and the earlier one's reference and
    activity."""
    shown = ["rec_id", "source_name", "agency", RESTATES, SIMILARITY, "sheet_row"]
    # Only the columns shown are filtered and sorted: every column of a million-row frame,
    # to keep ten rows, cost seconds and hundreds of megabytes.
    later = (
        frame.loc[frame[RESTATES].notna(), shown]
        .sort_values([SIMILARITY, "sheet_row"], ascending=[False, True], kind="mergesort")
        .head(listed)
    )
    names = frame["source_name"].to_numpy()
    source_of = pd.Series(names, index=frame["rec_id"].to_numpy())
    return pd.DataFrame(
        {
            "rec_id": later["rec_id"].to_numpy(),
            "source_name": later["source_name"].to_numpy(),
            "agency": later["agency"].to_numpy(),
            RESTATES: later[RESTATES].to_numpy(),
            "restated_source": source_of[later[RESTATES]].to_numpy(),
        }
    )
