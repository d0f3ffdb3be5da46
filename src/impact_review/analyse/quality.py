"""Whether each recommendation is one that can be followed up: it names a lead, a target date, the
outcome sought and a priority, and an action whose completion can be checked; and which learning
activities made far more recommendations than their peers.

The 2018 review asked for recommendations that are proportionate, prioritised and clear about the
impact they seek. The rules and their thresholds are the partnership's configuration
(config/schema.yaml, quality:), never code. Each recommendation's result per check is derived in
cleaning (quality_checked), so the processed recommendations carry them and every figure the
review states can be traced to its rows; the tables here summarise them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from impact_review.analyse import counts
from impact_review.intake.cleaning import CleanResult
from impact_review.intake.taxonomy import Taxonomy, default_taxonomy

# Each check: the processed column holding its result, what the review calls it, and the field a
# tracker must fill for it (None for the checkable action, which reads the text).
CHECKS: dict[str, tuple[str, str | None]] = {
    "passes_lead": ("Lead named", "lead"),
    "passes_target_date": ("Target date set", "due_date"),
    "passes_desired_outcome": ("Desired outcome stated", "desired_outcome"),
    "passes_priority": ("Priority given", "priority"),
    "passes_checkable_action": ("Action checkable", None),
}
EVERY_CHECK = "passes_every_check"
# The columns quality_checked adds to the cleaned recommendations, after the tracker's own.
QUALITY_COLUMNS = (*CHECKS, EVERY_CHECK)
# The numeric columns of this module's tables besides recommendations and percent.
QUALITY_NUMBERS = ("passing", "percent_passing", "peer_median")


def word_forms(word: str, done: bool) -> tuple[str, ...]:
    """A verb as it says what is to be done (audit, audits, auditing) and, when done is true, as
    it says what was done too (audited): "Action plan agreed" records, it does not act."""
    if len(word) <= 2:  # be, do: their forms are other words (is, are, did)
        return (word,)
    stem = word[:-1] if word.endswith("e") and not word.endswith("ee") else word
    # run, set: the short verbs whose last letter doubles (running, setting)
    if re.fullmatch(r"[^aeiou][aeiou][bdgmnpt]", word):
        stem = word + word[-1]
    third = f"{word}es" if word.endswith(("s", "sh", "ch", "x", "z")) else f"{word}s"
    forms = {word, third, f"{stem}ing"}
    if done:
        forms.add(f"{word}d" if word.endswith("e") else f"{stem}ed")
    return tuple(sorted(forms, key=lambda form: (-len(form), form)))


def phrase_pattern(phrases: tuple[str, ...], done: bool) -> str:
    """A regex matching any of the phrases as whole words, the first word in any of its forms."""
    alternatives = []
    for phrase in phrases:
        first, *rest = phrase.lower().split()
        forms = "|".join(map(re.escape, word_forms(first, done)))
        alternatives.append(r"\s+".join([f"(?:{forms})", *map(re.escape, rest)]))
    return r"\b(?:" + "|".join(alternatives) + r")\b"


@dataclass(frozen=True)
class QualityRules:
    """The quality checks' settings (config/schema.yaml, quality:)."""

    observable_verbs: tuple[str, ...]
    vague_phrases: tuple[str, ...]
    measures: tuple[str, ...]
    at_most: int
    peer_multiple: float

    @classmethod
    def of(cls, taxonomy: Taxonomy) -> QualityRules:
        checkable = taxonomy.quality["checkable_action"]
        per_activity = taxonomy.quality["recommendations_per_activity"]
        return cls(
            tuple(str(verb) for verb in checkable["observable_verbs"]),
            tuple(str(phrase) for phrase in checkable["vague_phrases"]),
            tuple(str(measure) for measure in checkable["measures"]),
            int(per_activity["at_most"]),
            float(per_activity["peer_multiple"]),
        )

    def checkable(self, text: pd.Series) -> pd.Series:
        """Whether each text names a date or a measure, or says what is to be done with an
        observable verb and uses no vague phrase (each distinct text read once)."""
        rows, distinct = pd.factorize(text.fillna("").astype(str))
        lower = pd.Series(distinct, dtype="str").str.lower().tolist()

        def found(pattern: str | None) -> np.ndarray:
            if pattern is None:  # an empty list in the configuration matches nothing
                return np.zeros(len(lower), dtype=bool)
            compiled = re.compile(pattern)
            return np.array([compiled.search(each) is not None for each in lower], dtype=bool)

        measures = "|".join(f"(?:{m})" for m in self.measures) if self.measures else None
        acts = phrase_pattern(self.observable_verbs, done=False) if self.observable_verbs else None
        vague = phrase_pattern(self.vague_phrases, done=True) if self.vague_phrases else None
        passes = found(measures) | (found(acts) & ~found(vague))
        return pd.Series(passes[rows] if len(lower) else False, index=text.index, dtype=bool)

    def multiple_words(self) -> str:
        return "twice" if self.peer_multiple == 2 else f"{self.peer_multiple:g} times"


def field_values(frame: pd.DataFrame, field: str) -> pd.Series:
    """A field's column; none recorded in a frame without it (one written by hand)."""
    return frame[field] if field in frame else pd.Series(None, index=frame.index, dtype=object)


def recorded(values: pd.Series) -> pd.Series:
    """Whether each cell holds something other than white space (a date, a name, text)."""
    if pd.api.types.is_datetime64_any_dtype(values) or pd.api.types.is_numeric_dtype(values):
        return values.notna()  # a date or a number is never blank
    return values.notna() & (values.astype(str).str.strip() != "")


def check_results(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Each recommendation's result per check (QUALITY_COLUMNS), in the frame's order."""
    rules = QualityRules.of(taxonomy or default_taxonomy())
    results = pd.DataFrame(index=frame.index)
    for column, (_, field) in CHECKS.items():
        if field is None:
            results[column] = rules.checkable(frame["recommendation"]) | rules.checkable(
                frame["action"]
            )
        else:
            results[column] = recorded(field_values(frame, field))
    results[EVERY_CHECK] = results.all(axis=1)
    return results.astype(bool)


def quality_checked(result: CleanResult, taxonomy: Taxonomy | None = None) -> CleanResult:
    """The clean result with each recommendation's check results as columns."""
    recs = result.recommendations
    return replace(result, recommendations=recs.assign(**check_results(recs, taxonomy)))


def with_check_results(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """The frame with its check results: as cleaning derived them, or derived now for a frame
    that lacks them (one written by hand, or read from an earlier version's processed data)."""
    if set(QUALITY_COLUMNS) <= set(frame.columns):
        return frame
    return frame.assign(**check_results(frame, taxonomy))


def check_rules(taxonomy: Taxonomy | None = None) -> dict[str, str]:
    """Each check's column and the rule it applies, in words, from the configuration."""
    taxonomy = taxonomy or default_taxonomy()
    rules = QualityRules.of(taxonomy)
    priorities = " or ".join(taxonomy.priorities.names) or "none configured"
    return {
        "passes_lead": "the tracker names a lead for it",
        "passes_target_date": "it has a target date",
        "passes_desired_outcome": "it states the outcome sought: how we will know it worked",
        "passes_priority": f"it has a priority ({priorities})",
        "passes_checkable_action": (
            "its recommendation or its action names a date or a measure (a year, a month, a "
            "percentage, a frequency), or says what is to be done with an observable verb ("
            f"{', '.join(rules.observable_verbs)}) and none of the vague phrases "
            f"({', '.join(rules.vague_phrases)})"
        ),
    }


def count_by_check(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """For each check: its name, its rule in words, and how many recommendations pass it."""
    rules = check_rules(taxonomy)
    table = pd.DataFrame(
        {
            "check": [name for name, _ in CHECKS.values()],
            "rule": list(rules.values()),
            "recommendations": [int(frame[column].sum()) for column in CHECKS],
        }
    )
    table["percent"] = [counts.percent(int(n), len(frame)) for n in table["recommendations"]]
    return table


def check_column(check: str) -> str:
    """The processed column of a check the review names ("Lead named" is passes_lead)."""
    (column,) = (column for column, (name, _) in CHECKS.items() if name == check)
    return column


def passing_by(frame: pd.DataFrame, column: str, order: list[str]) -> pd.DataFrame:
    """For each value of column, most recommendations first: how many pass every check, and
    what share of its own recommendations that is."""
    table = counts.count_by(frame, column, order).drop(columns="percent")
    passing = frame[column][frame[EVERY_CHECK].to_numpy(dtype=bool)].value_counts()
    table["passing"] = [int(passing.get(name, 0)) for name in table[column]]
    table["percent_passing"] = [
        counts.percent(p, int(n))
        for p, n in zip(table["passing"], table["recommendations"], strict=True)
    ]
    return table


def peer_medians(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For each row, the median of the values of the other rows of its group (NaN when it is
    alone): each group sorted once, the median of the others read from it beside the row's own
    place."""
    size = len(values)
    order = np.lexsort((values, groups))
    ordered = values[order].astype(float)
    ordered_groups = groups[order]
    first = np.r_[True, ordered_groups[1:] != ordered_groups[:-1]] if size else np.zeros(0, bool)
    starts = np.flatnonzero(first)
    sizes = np.diff(np.r_[starts, size])
    start = np.repeat(starts, sizes)
    own = np.arange(size) - start  # the row's place in its sorted group
    others = np.repeat(sizes, sizes) - 1

    def other(k: np.ndarray) -> np.ndarray:
        """The k-th smallest of the others: the group's k-th, or the next when the row's own is
        at or before it."""
        at = np.clip(start + k + (k >= own), 0, max(size - 1, 0))
        return ordered[at] if size else ordered

    median = (other((others - 1) // 2) + other(others // 2)) / 2
    medians = np.empty(size)
    medians[order] = np.where(others > 0, median, np.nan)
    return medians


def flagged_activities(frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """The learning activities that made more recommendations than the larger of the rule's
    at_most and its peer_multiple times the median of their peers (the other activities of
    their source type), in the order count_by_source lists them, with that median."""
    taxonomy = taxonomy or default_taxonomy()
    rules = QualityRules.of(taxonomy)
    sources = counts.count_by_source(frame, taxonomy)
    made = sources["recommendations"].to_numpy()
    medians = peer_medians(pd.factorize(sources["source_type"])[0], made)
    limit = np.where(
        np.isnan(medians), rules.at_most, np.maximum(rules.at_most, rules.peer_multiple * medians)
    )
    over = made > limit
    # Medians are of whole numbers, so halves at most: floor(m + 1/2) rounds them half up.
    rounded = np.floor(medians[over] + 0.5)
    rows = [
        {**record, "peer_median": None if np.isnan(median) else int(median)}
        for record, median in zip(sources[over].to_dict("records"), rounded, strict=True)
    ]
    table = pd.DataFrame(
        rows, columns=["source_type", "source_name", "recommendations", "peer_median"]
    )
    return table.astype({"peer_median": "Int64"})


def untracked_fields(frame: pd.DataFrame) -> tuple[str, ...]:
    """The checks' fields the tracker records for no recommendation at all (a tracker without a
    priority column, say): the review says so rather than list every recommendation."""
    return tuple(
        field
        for _, field in CHECKS.values()
        if field is not None and not recorded(field_values(frame, field)).any()
    )


def most_failed(frame: pd.DataFrame) -> tuple[str, int] | None:
    """The check most recommendations fail, of those whose field the tracker records at all
    (first in CHECKS order at a tie), and how many fail it; None when none fails."""
    untracked = set(untracked_fields(frame))
    failing = {
        column: int((~frame[column]).sum())
        for column, (_, field) in CHECKS.items()
        if field not in untracked
    }
    if not failing or max(failing.values()) == 0:
        return None
    worst = max(failing, key=lambda column: failing[column])
    return worst, failing[worst]
