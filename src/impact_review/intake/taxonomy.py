"""The taxonomy file, loaded once: canonical names and the aliases that map to them."""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import yaml

from impact_review.errors import InputError, Location
from impact_review.partnership import TAXONOMY_FILE, configured_folder
from impact_review.paths import SCHEMA_FILE

VOCABULARIES = ("source_types", "agencies", "areas_of_learning", "themes", "statuses")
# Vocabularies a partnership may leave out, with the tracker column they map (priority).
OPTIONAL_VOCABULARIES = ("priorities",)

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalise_key(value: str) -> str:
    """The key two spellings share when they mean the same thing (see the taxonomy's header)."""
    text = unicodedata.normalize("NFKC", str(value)).casefold()
    text = _APOSTROPHES.sub("", text)
    return _NOT_WORD.sub(" ", text).strip()


def normalise_keys(values: pd.Series) -> pd.Series:
    """normalise_key over a column of text at once (a blank cell gives "")."""
    text = values.fillna("").astype(str).str.normalize("NFKC").str.casefold()
    text = text.str.replace(_APOSTROPHES, "", regex=True)
    return text.str.replace(_NOT_WORD, " ", regex=True).str.strip()


def edit_distance(a: str, b: str) -> int:
    """Insertions, deletions, substitutions and swaps of two neighbours needed to turn a into b."""
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, start=1):
        current = [i]
        for j, other in enumerate(b, start=1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        before, previous = previous, current
    return previous[-1]


@dataclass(frozen=True)
class Suggestions:
    """When "did you mean" may be offered for a value the taxonomy lacks (see config/schema.yaml):
    only for a close spelling of the same organisation or term, never for a different one."""

    min_ratio: float
    max_edits: int
    min_edit_length: int
    generic_words: frozenset[str]

    def same_word(self, a: str, b: str) -> bool:
        """One word, allowing a letter more or less at its end ("ccgs", "car") and, in longer
        words, one slip of the keyboard; a short word otherwise must match exactly (CSC is not
        ASC)."""
        shorter, longer = sorted((a, b), key=len)
        if longer.startswith(shorter) and len(longer) - len(shorter) <= 1:
            return True
        return len(shorter) >= self.min_edit_length and edit_distance(a, b) <= 1

    def _unmatched(self, words: list[str], others: list[str]) -> list[str]:
        return [w for w in words if not any(self.same_word(w, o) for o in others)]

    def _generic(self, word: str) -> bool:
        return any(self.same_word(word, g) for g in self.generic_words)

    def same_thing(self, key: str, candidate: str) -> bool:
        """False when the two name different things: a distinctive word on either side with no
        counterpart on the other (Northshire Police, NHS Northshire ICB), or a word on each side
        that the other lacks (Adult social care, Children's social care)."""
        words, others = key.split(), candidate.split()
        extra, missing = self._unmatched(words, others), self._unmatched(others, words)
        if extra and missing:
            return False
        return all(self._generic(word) for word in extra + missing)

    def close(self, key: str, candidate: str) -> bool:
        if difflib.SequenceMatcher(None, key, candidate).ratio() >= self.min_ratio:
            return True
        short = min(len(key), len(candidate)) < self.min_edit_length
        return not short and edit_distance(key, candidate) <= self.max_edits


NO_SUGGESTIONS = Suggestions(1.0, 0, 1_000, frozenset())


@dataclass(frozen=True)
class Vocabulary:
    """One controlled list: canonical names in file order, and every alias key -> canonical name."""

    kind: str
    names: tuple[str, ...]
    lookup: dict[str, str]
    entries: tuple[dict, ...]
    suggestions: Suggestions = NO_SUGGESTIONS

    def map(self, value: str) -> str | None:
        """The canonical name for a value as typed, or None when nothing matches."""
        return self.lookup.get(normalise_key(value))

    def suggest(self, value: str) -> str | None:
        """The canonical name of the closest spelling that is genuinely close and names the same
        thing, to offer, never to apply; None when there is none."""
        key = normalise_key(value)
        rule = self.suggestions
        ranked = sorted(self.lookup, key=lambda k: -difflib.SequenceMatcher(None, key, k).ratio())
        for candidate in ranked:
            if rule.close(key, candidate) and rule.same_thing(key, candidate):
                return self.lookup[candidate]
        return None


ColumnKind = Literal["text", "date", "free_text"]

RULE_KEYS = ("name", "any", "all", "not")


@dataclass(frozen=True)
class ThemeRule:
    """One keyword rule of a theme (the taxonomy's themes: rules:). It fires on a
    recommendation whose normalised text holds at least one of any_of (when given), every one of
    all_of, and none of none_of. Each term is a normalised phrase matched as whole words; a word
    ending in * matches any word it begins ("famil*": family, families)."""

    theme: str
    name: str
    any_of: tuple[str, ...] = ()
    all_of: tuple[str, ...] = ()
    none_of: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How the processed data and the audit trail name it: "Domestic abuse: domestic-abuse"."""
        return f"{self.theme}: {self.name}"


@dataclass(frozen=True)
class ColumnSpec:
    field: str
    required: bool
    headers: tuple[str, ...]
    kind: ColumnKind = "text"
    from_sources_sheet: bool = False


@dataclass(frozen=True)
class SourceTypeWording:
    """How the review writes one source type in a sentence."""

    singular: str
    plural: str
    name_suffix: str | None = None


@dataclass(frozen=True)
class PlausibleDates:
    """The dates agreed a tracker can plausibly hold (see the taxonomy file for why)."""

    earliest: date
    days_after_as_at: int

    def latest(self, as_at: date, dates_agreed: Iterable[date] = ()) -> date:
        """The margin after the as-at day, carried on through every later date agreed in the
        tracker that follows the one before within the margin: a continuing tracker's next
        years are plausible, a year typed decades ahead (2106 for 2016) stands apart and is
        not."""
        margin = timedelta(days=self.days_after_as_at)
        latest = as_at + margin
        for day in sorted(day for day in dates_agreed if day > as_at):
            if day > latest:
                break
            latest = day + margin
        return latest


@dataclass(frozen=True)
class ImplementationRule:
    """How the review derives a recommendation's RAG and names slow areas (config/schema.yaml,
    implementation:): one colour for each of implemented, closed without being implemented,
    overdue and open."""

    implemented: str = "Green"
    closed_not_implemented: str = "Grey"
    overdue: str = "Red"
    open: str = "Amber"
    little_progress_below_percent: int = 50

    # The spelling (read through the statuses) of the status a recommendation completed after
    # the as-at day had on that day.
    open_until_completed: str = "in progress"

    @classmethod
    def from_setting(cls, setting: dict) -> ImplementationRule:
        return cls(
            **{key: str(value) for key, value in setting["rag"].items()},
            little_progress_below_percent=int(setting["little_progress_below_percent"]),
            open_until_completed=str(setting.get("open_until_completed", "in progress")),
        )


@dataclass(frozen=True)
class Succession:
    """Names in one vocabulary that replaced others on a day (the 2019 reforms: the LSCB became
    the safeguarding partnership, SCRs were succeeded by rapid reviews and LCSPRs): the series
    a comparison across periods counts them in."""

    vocabulary: str
    series: str
    replaced: tuple[str, ...]
    successors: tuple[str, ...]
    date: date
    # What a review of a period before the change says the replaced have become (now:).
    now: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return self.replaced + self.successors

    def in_force(self, day: date) -> tuple[str, ...]:
        """The names current on a day: the replaced before the change, the successors after."""
        return self.successors if day >= self.date else self.replaced

    def took_effect_between(self, start: date, end: date) -> bool:
        """Whether a period saw the change: it took effect after the period's first day, and by
        its last (as Partnership.renamed_between)."""
        return start < self.date <= end


@dataclass(frozen=True)
class Taxonomy:
    source_file: Path
    version: int
    columns: tuple[ColumnSpec, ...]
    sources_columns: tuple[ColumnSpec, ...]
    vocabularies: dict[str, Vocabulary]
    list_separator: str
    list_input_separators: tuple[str, ...]
    # Fields the partnership's taxonomy makes required that the schema leaves optional.
    required_by_partnership: frozenset[str]
    plausible_date_agreed: PlausibleDates
    # Words analysts write in a date column to mean "no date" (normalised keys).
    not_dates: frozenset[str] = frozenset()
    implementation: ImplementationRule = ImplementationRule()
    # Abbreviations the review may use that the agencies and source types do not define:
    # (term, meaning) pairs, as the partnership writes them.
    glossary: tuple[tuple[str, str], ...] = ()
    successions: tuple[Succession, ...] = ()
    # The themes' keyword rules in taxonomy order, and the columns whose text they read.
    theme_rules: tuple[ThemeRule, ...] = ()
    theme_rule_columns: tuple[str, ...] = ("recommendation", "action")
    # The quality checks' and the restated-recommendation finder's settings (config/schema.yaml
    # quality: and restated:, or the partnership's own), read by analyse/quality.py and
    # analyse/restated.py.
    quality: dict = dataclasses.field(default_factory=dict)
    restated: dict = dataclasses.field(default_factory=dict)

    @property
    def list_splitter(self) -> re.Pattern[str]:
        """Splits a tracker cell that holds several names (themes) at any input separator."""
        return re.compile("(?:" + "|".join(map(re.escape, self.list_input_separators)) + ")+")

    @property
    def fields(self) -> tuple[str, ...]:
        """The tracker's canonical fields in file order: the cleaned table's columns."""
        return tuple(spec.field for spec in self.columns)

    def fields_of_kind(self, kind: ColumnKind) -> tuple[str, ...]:
        return tuple(spec.field for spec in self.columns if spec.kind == kind)

    @property
    def date_fields(self) -> tuple[str, ...]:
        return self.fields_of_kind("date")

    @property
    def free_text_fields(self) -> tuple[str, ...]:
        """Fields that may hold personal text: never quoted in messages, scanned before
        publication."""
        return self.fields_of_kind("free_text")

    @property
    def mandatory_fields(self) -> tuple[str, ...]:
        """Fields every tracker row must fill in itself."""
        return tuple(s.field for s in self.columns if s.required and not s.from_sources_sheet)

    @property
    def header_optional_fields(self) -> frozenset[str]:
        """Required fields whose absence does not stop the search for the header row: those a
        sources sheet may supply, and those only the partnership requires (the schema does
        not), whose absence is reported with every other problem of the tracker."""
        return self.sheet_given_fields | self.required_by_partnership

    @property
    def sheet_given_fields(self) -> frozenset[str]:
        """Required fields a sources sheet may supply instead of a column."""
        return frozenset(s.field for s in self.columns if s.from_sources_sheet)

    @property
    def closed_statuses(self) -> tuple[str, ...]:
        """Statuses that need no further action."""
        return tuple(e["name"] for e in self.statuses.entries if e.get("closed"))

    @property
    def open_until_completed(self) -> str:
        """The status a recommendation closed after the as-at day had on that day."""
        spelling = self.implementation.open_until_completed
        name = self.statuses.map(spelling)
        if name is None or name in self.closed_statuses:
            raise ValueError(
                f"{self.source_file}: implementation: open_until_completed {spelling!r} must be a "
                "spelling of one of the open statuses"
            )
        return name

    @property
    def implemented_status(self) -> str:
        """The status of a recommendation that was carried out ("completed")."""
        (name,) = (e["name"] for e in self.statuses.entries if e.get("implemented"))
        return name

    @property
    def status_meanings(self) -> dict[str, str]:
        """What each status says, as the review's status table explains it ("" when unstated)."""
        return {e["name"]: str(e.get("meaning", "")) for e in self.statuses.entries}

    def source_type_wording(self, source_type: str) -> SourceTypeWording:
        for entry in self.source_types.entries:
            if entry["name"] == source_type:
                return SourceTypeWording(
                    entry["singular"], entry["plural"], entry.get("name_suffix")
                )
        raise KeyError(source_type)

    @property
    def agencies(self) -> Vocabulary:
        return self.vocabularies["agencies"]

    @property
    def areas(self) -> Vocabulary:
        return self.vocabularies["areas_of_learning"]

    @property
    def themes(self) -> Vocabulary:
        return self.vocabularies["themes"]

    @property
    def source_types(self) -> Vocabulary:
        return self.vocabularies["source_types"]

    @property
    def statuses(self) -> Vocabulary:
        return self.vocabularies["statuses"]

    @property
    def priorities(self) -> Vocabulary:
        return self.vocabularies["priorities"]

    def short_name(self, agency: str) -> str:
        for entry in self.agencies.entries:
            if entry["name"] == agency:
                return entry.get("short", agency)
        raise KeyError(agency)


def build_vocabulary(
    kind: str, entries: list[dict], suggestions: Suggestions = NO_SUGGESTIONS
) -> Vocabulary:
    lookup: dict[str, str] = {}
    for entry in entries:
        name = entry["name"]
        for spelling in [name, entry.get("short", name), *entry.get("aliases", [])]:
            key = normalise_key(spelling)
            if lookup.get(key, name) != name:
                raise ValueError(
                    f"taxonomy: {kind} alias {spelling!r} maps to both {lookup[key]!r} and {name!r}"
                )
            lookup[key] = name
    return Vocabulary(kind, tuple(e["name"] for e in entries), lookup, tuple(entries), suggestions)


def _build_columns(section: dict) -> tuple[ColumnSpec, ...]:
    specs = []
    for field, spec in section.items():
        headers = tuple(normalise_key(h) for h in [field.replace("_", " "), *spec["headers"]])
        specs.append(
            ColumnSpec(
                field,
                bool(spec.get("required", False)),
                headers,
                spec.get("kind", "text"),
                bool(spec.get("from_sources_sheet", False)),
            )
        )
    return tuple(specs)


def _merged_columns(schema: dict, own: dict | None) -> dict:
    """The schema's columns with a partnership's additions: more header names for a field, or a
    field made optional (required: false); a field the schema lacks is added."""
    merged = {field: dict(spec) for field, spec in schema.items()}
    for field, spec in (own or {}).items():
        base = merged.setdefault(field, {"headers": []})
        extra = [h for h in spec.get("headers", []) if h not in base.get("headers", [])]
        base.update({key: value for key, value in spec.items() if key != "headers"})
        base["headers"] = [*base.get("headers", []), *extra]
    return merged


def load_taxonomy(source: Path | str | None = None) -> Taxonomy:
    """A partnership's taxonomy (a configuration folder, or its taxonomy.yaml) read with the
    schema; an alias claimed by two names is an error."""
    path = Path(source) if source is not None else configured_folder()
    if path.is_dir():
        path = path / TAXONOMY_FILE
    schema = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    def setting(key: str):
        return data.get(key, schema[key])

    rule = setting("suggestions")
    suggestions = Suggestions(
        float(rule["min_ratio"]),
        int(rule["max_edits"]),
        int(rule["min_edit_length"]),
        frozenset(normalise_key(word) for word in rule["generic_words"]),
    )
    vocabularies = {kind: build_vocabulary(kind, data[kind], suggestions) for kind in VOCABULARIES}
    vocabularies |= {
        kind: build_vocabulary(kind, data.get(kind) or [], suggestions)
        for kind in OPTIONAL_VOCABULARIES
    }

    taxonomy = Taxonomy(
        source_file=path,
        version=int(data["version"]),
        columns=_build_columns(_merged_columns(schema["columns"], data.get("columns"))),
        sources_columns=_build_columns(
            _merged_columns(schema["sources_columns"], data.get("sources_columns"))
        ),
        vocabularies=vocabularies,
        list_separator=str(setting("list_separator")),
        list_input_separators=tuple(str(s) for s in setting("list_input_separators")),
        required_by_partnership=frozenset(
            field
            for field, spec in (data.get("columns") or {}).items()
            if spec.get("required") and not schema["columns"].get(field, {}).get("required")
        ),
        plausible_date_agreed=PlausibleDates(**setting("plausible_date_agreed")),
        not_dates=frozenset(normalise_key(str(word)) for word in setting("not_dates")),
        implementation=ImplementationRule.from_setting(setting("implementation")),
        glossary=tuple(
            (str(entry["term"]), str(entry["meaning"])) for entry in data.get("glossary") or []
        ),
        successions=_successions(data.get("successions") or [], vocabularies, path),
        theme_rules=tuple(rule for entry in data["themes"] for rule in _theme_rules(entry, path)),
        theme_rule_columns=tuple(str(column) for column in setting("theme_rule_columns")),
        quality=setting("quality"),
        restated=setting("restated"),
    )
    if unknown := [c for c in taxonomy.theme_rule_columns if c not in taxonomy.fields]:
        raise InputError(
            f"theme_rule_columns: {', '.join(unknown)} is not a column of the tracker's fields",
            Location(path),
        )
    return taxonomy


def _rule_terms(value: Any, where: str, path: Path) -> tuple[str, ...]:
    """A rule's list of words or phrases, each normalised as the text it is matched on (a
    trailing * kept)."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(term, str) for term in value):
        raise InputError(f"{where} must be a list of words or phrases", Location(path))
    terms = []
    for term in value:
        words = [normalise_key(word) + "*" * word.endswith("*") for word in term.split()]
        if not all(word.rstrip("*") for word in words):
            raise InputError(
                f"{where} has a term with no letters or digits: {term!r}", Location(path)
            )
        terms.append(" ".join(words))
    return tuple(terms)


def _theme_rules(entry: dict, path: Path) -> tuple[ThemeRule, ...]:
    """A theme's rules:, each checked; a problem names the file, the theme and the rule."""
    theme, rules = entry["name"], entry.get("rules") or []
    if not isinstance(rules, list):
        raise InputError(f"theme {theme!r}: rules: must be a list of rules", Location(path))
    found: list[ThemeRule] = []
    for number, rule in enumerate(rules, start=1):
        where = f"theme {theme!r}, rule {number}"
        if not isinstance(rule, dict) or not str(rule.get("name") or "").strip():
            raise InputError(f"{where} needs a name:", Location(path))
        name = str(rule["name"]).strip()
        where = f"theme {theme!r}, rule {name!r}"
        if unknown := sorted(set(rule) - set(RULE_KEYS)):
            raise InputError(
                f"{where}: unknown key(s) {', '.join(map(str, unknown))} (a rule has "
                f"{', '.join(RULE_KEYS)})",
                Location(path),
            )
        if any(other.name == name for other in found):
            raise InputError(f"{where} is named twice", Location(path))
        built = ThemeRule(
            theme,
            name,
            _rule_terms(rule.get("any"), f"{where}: any:", path),
            _rule_terms(rule.get("all"), f"{where}: all:", path),
            _rule_terms(rule.get("not"), f"{where}: not:", path),
        )
        if not (built.any_of or built.all_of):
            raise InputError(f"{where} needs any: or all: (a list of words)", Location(path))
        found.append(built)
    return tuple(found)


def _successions(
    entries: list[dict], vocabularies: dict[str, Vocabulary], path: Path
) -> tuple[Succession, ...]:
    """The successions: entries, each naming canonical names of its vocabulary."""
    found = []
    for number, entry in enumerate(entries, start=1):
        vocabulary = vocabularies.get(entry.get("vocabulary", ""))
        if vocabulary is None:
            raise ValueError(
                f"{path}: successions entry {number}: vocabulary must be one of "
                f"{', '.join(VOCABULARIES)}"
            )
        replaced = tuple(str(name) for name in entry.get("from") or [])
        successors = tuple(str(name) for name in entry.get("to") or [])
        unknown = [name for name in replaced + successors if name not in vocabulary.names]
        if unknown or not replaced or not successors or not isinstance(entry.get("date"), date):
            raise ValueError(
                f"{path}: successions entry {number} needs from:, to: (names of its "
                f"{vocabulary.kind}) and date: (YYYY-MM-DD)"
                + (f"; not in {vocabulary.kind}: {', '.join(unknown)}" if unknown else "")
            )
        found.append(
            Succession(
                vocabulary.kind,
                str(entry.get("series") or " / ".join(replaced + successors)),
                replaced,
                successors,
                entry["date"],
                str(entry.get("now") or ""),
            )
        )
    return tuple(found)


@cache
def _taxonomy_at(folder: Path) -> Taxonomy:
    return load_taxonomy(folder)


def default_taxonomy() -> Taxonomy:
    """The taxonomy of the configuration in force (see partnership.py), read once per folder."""
    return _taxonomy_at(configured_folder())
