"""Which themes each recommendation carries, and where they came from.

In order of precedence: the partnership's override for the recommendation (theme-overrides.yaml
in its configuration folder, where an empty list means "no theme"); else the tracker's theme
column, when it is filled; else every theme one of whose keyword rules (taxonomy.yaml, themes:
rules:) fires on the recommendation's text. An analyst's own tagging always wins over a rule, so
the rules only fill the blanks analysts leave. The cleaned recommendations record which of these
gave each one's themes (theme_source) and, for themes from rules, which rules fired
(theme_rules), so an auditor can see why a recommendation carries a theme.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from impact_review.errors import InputError, Location
from impact_review.intake.taxonomy import Taxonomy, ThemeRule, Vocabulary, normalise_keys
from impact_review.partnership import THEME_OVERRIDES_FILE

# Where a recommendation's themes came from (the theme_source column), in order of precedence.
THEME_SOURCES = ("override", "tracker", "rule", "none")
# The columns assign_themes adds to the cleaned recommendations.
THEME_COLUMNS = ("theme_source", "theme_rules")
OVERRIDE_KEYS = ("themes", "reason")


@dataclass(frozen=True)
class ThemeOverride:
    """The themes the partnership gives one recommendation by hand (none, when empty), and why.
    The reason stays in the configuration: it is free text, and is published nowhere."""

    themes: tuple[str, ...]
    reason: str = ""


def load_theme_overrides(folder: Path, themes: Vocabulary) -> dict[str, ThemeOverride]:
    """The overrides in a configuration folder by reference ({} when it has no
    theme-overrides.yaml); every malformed entry and unknown theme at once, naming the file and
    the reference."""
    path = folder / THEME_OVERRIDES_FILE
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = data.get("overrides") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise InputError(
            "needs overrides: a mapping of each reference to its themes", Location(path)
        )
    found, problems = {}, []
    for rec_id, entry in entries.items():
        given = {"themes": entry} if isinstance(entry, list) else entry
        if (
            not isinstance(given, dict)
            or not isinstance(given.get("themes"), list)
            or set(given) - set(OVERRIDE_KEYS)
        ):
            problems.append(
                f"overrides: {rec_id}: needs themes: (a list of themes, [] for none) and may "
                "have reason:"
            )
            continue
        names = [themes.map(str(name)) for name in given["themes"]]
        if unknown := [str(t) for t, n in zip(given["themes"], names, strict=True) if n is None]:
            problems.append(
                f"overrides: {rec_id}: not in the themes of the taxonomy: {', '.join(unknown)}"
            )
            continue
        found[str(rec_id).strip()] = ThemeOverride(
            tuple(name for name in themes.names if name in names),
            str(given.get("reason") or "").strip(),
        )
    if problems:
        raise InputError("\n  ".join(problems), Location(path))
    return found


def term_pattern(term: str) -> str:
    """A normalised term as a regex over normalised text: its words in order, a word ending in *
    matching any word it begins."""
    return " ".join(
        re.escape(word.rstrip("*")) + ("[0-9a-z]*" if word.endswith("*") else "")
        for word in term.split()
    )


def any_term(terms: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for whole-word matches of any of the terms."""
    return re.compile(r"\b(?:" + "|".join(map(term_pattern, terms)) + r")\b")


@dataclass(frozen=True)
class CompiledRule:
    """A rule with its patterns compiled once, to run over a whole column of text."""

    rule: ThemeRule
    any_of: re.Pattern[str] | None
    all_of: tuple[re.Pattern[str], ...]
    none_of: re.Pattern[str] | None

    @classmethod
    def of(cls, rule: ThemeRule) -> CompiledRule:
        return cls(
            rule,
            any_term(rule.any_of) if rule.any_of else None,
            tuple(any_term((term,)) for term in rule.all_of),
            any_term(rule.none_of) if rule.none_of else None,
        )

    def fires(self, texts: pd.Series) -> pd.Series:
        """Whether the rule fires on each normalised text."""
        fired = pd.Series(True, index=texts.index)
        for pattern in (self.any_of, *self.all_of):
            if pattern is not None:
                fired &= texts.str.contains(pattern)
        if self.none_of is not None:
            fired &= ~texts.str.contains(self.none_of)
        return fired


def joined_where(
    parts: list[tuple[pd.Series, str | pd.Series]], separator: str, index: pd.Index
) -> pd.Series:
    """Each row's names (a name, or a name for each row) whose mask holds there, in the order
    given, joined by separator."""
    out = pd.Series("", index=index, dtype="str")
    for mask, name in parts:
        out = out + np.where(mask & (out != ""), separator, "") + np.where(mask, name, "")
    return out


def rule_text(recommendations: pd.DataFrame, taxonomy: Taxonomy) -> tuple[np.ndarray, pd.Series]:
    """The text the rules read, the taxonomy's theme_rule_columns joined and normalised: each
    distinct text once, and for each recommendation its distinct text's place."""
    joined = pd.Series("", index=recommendations.index, dtype="str")
    for column in taxonomy.theme_rule_columns:
        joined = joined + " " + recommendations[column].fillna("").astype(str)
    rows, distinct = pd.factorize(joined)
    return rows, normalise_keys(pd.Series(distinct, dtype="str"))


def assign_themes(
    recommendations: pd.DataFrame,
    taxonomy: Taxonomy,
    overrides: Mapping[str, ThemeOverride],
) -> pd.DataFrame:
    """The recommendations with themes set by precedence (their themes column holds the
    tracker's, canonical), theme_source (THEME_SOURCES) and theme_rules ("Theme: rule, rule;
    Theme: rule" for themes from rules, else "")."""
    separator = taxonomy.list_separator
    rows, texts = rule_text(recommendations, taxonomy)
    fired = [(CompiledRule.of(rule).fires(texts), rule) for rule in taxonomy.theme_rules]
    by_theme, labels = [], []
    for theme in taxonomy.themes.names:
        names = joined_where([(m, r.name) for m, r in fired if r.theme == theme], ", ", texts.index)
        by_theme.append((names != "", theme))
        labels.append((names != "", f"{theme}: " + names))
    rule_themes = joined_where(by_theme, separator, texts.index).to_numpy(dtype=object)[rows]
    rule_labels = joined_where(labels, separator, texts.index).to_numpy(dtype=object)[rows]
    overridden = recommendations["rec_id"].isin(list(overrides)).to_numpy()
    tracker = recommendations["themes"].fillna("")
    from_tracker = ~overridden & (tracker != "")
    from_rule = ~overridden & ~from_tracker & (rule_themes != "")
    joined = {rec_id: separator.join(given.themes) for rec_id, given in overrides.items()}
    by_override = recommendations["rec_id"].map(lambda rec_id: joined.get(rec_id, ""))
    return recommendations.assign(
        themes=np.select(
            [overridden, from_tracker, from_rule], [by_override, tracker, rule_themes], ""
        ),
        theme_source=np.select([overridden, from_tracker, from_rule], THEME_SOURCES[:3], "none"),
        theme_rules=np.where(from_rule, rule_labels, ""),
    )


def unapplied_overrides(overrides: Mapping[str, ThemeOverride], rec_ids: pd.Series) -> list[str]:
    """A note naming the overrides for references the tracker does not hold (a mistyped
    reference, or another tracker's), which were not applied; none when every one is held."""
    unknown = sorted(set(overrides) - set(rec_ids.dropna().astype(str)))
    if not unknown:
        return []
    return [
        f"{THEME_OVERRIDES_FILE} names {len(unknown)} reference(s) the tracker does not hold, "
        f"so their themes were not applied: {', '.join(unknown)}"
    ]
