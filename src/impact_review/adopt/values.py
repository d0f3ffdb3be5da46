"""Grouping the spellings of one vocabulary column: which distinct values are obviously one thing
("A & B" and "A and B", "Police" and "Northshire Police", "NCC CS" and "Northshire County Council
Children's Services (NCC CS)"), and what the group is called. Only the tracker's own values are
grouped; what is known in general (abbreviations, filler words) is config/adoption.yaml's."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from impact_review.adopt.knowledge import knowledge
from impact_review.intake.taxonomy import normalise_key

BRACKETED = re.compile(r"\(([^()]*)\)")
# Words that begin many agencies' names without being a place ("Children's Services").
NOT_PLACES = frozenset(
    {
        "children",
        "childrens",
        "child",
        "adult",
        "adults",
        "safeguarding",
        "partnership",
        "board",
        "local",
        "county",
        "city",
        "borough",
        "district",
        "council",
        "national",
        "multi",
        "agency",
        "all",
        "community",
        "health",
        "police",
        "education",
        "social",
        "public",
        "youth",
        "early",
    }
)


@dataclass(frozen=True)
class Group:
    """One canonical entry: its name, every spelling the tracker has for it, and a short form."""

    name: str
    spellings: tuple[str, ...]  # as written, in key order
    short: str
    abbreviation: str | None  # the group's abbreviation, when it has one


def bracketed(value: str) -> str | None:
    """'NCC CS' for "Northshire County Council Children's Services (NCC CS)"."""
    found = BRACKETED.search(value)
    return found.group(1).strip() or None if found else None


def without_brackets(value: str) -> str:
    return " ".join(BRACKETED.sub(" ", value).split())


def is_abbreviation(value: str) -> bool:
    """Capitals (and digits, spaces, '&') only, as an analyst types an abbreviation."""
    letters = re.sub(r"[^A-Za-z]", "", value)
    return 2 <= len(letters) <= 10 and letters.isupper() and len(value.split()) <= 3


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _compact(value: str) -> str:
    return normalise_key(value).replace(" ", "")


def place_words(values: Iterable[str], name: str | None) -> frozenset[str]:
    """The partnership's place name, as words: those of its name, and any word two or more
    values begin with, that is not a word of what an agency is ('Children's', 'County')."""
    firsts = Counter(
        words[0] for words in {tuple(normalise_key(v).split()) for v in values} if words
    )
    found = {word for word, n in firsts.items() if n >= 2}
    found |= set(normalise_key(name or "").split())
    known = knowledge()
    generic = NOT_PLACES | known.filler_words | set(known.abbreviations)
    return frozenset(w for w in found if w not in generic and len(w) > 2)


def grouping_key(value: str, places: frozenset[str] = frozenset()) -> str:
    """What two spellings of one thing share: normalised, abbreviations read as their words,
    place and filler words dropped, plurals made singular."""
    known = knowledge()
    words = [
        word
        for token in normalise_key(without_brackets(value)).split()
        for word in known.abbreviations.get(token, token).split()
    ]
    kept = [_singular(w) for w in words if w not in places and w not in known.filler_words]
    return " ".join(kept) or " ".join(_singular(w) for w in words)


def _initials(value: str) -> str:
    filler = knowledge().filler_words
    return "".join(w[0] for w in normalise_key(without_brackets(value)).split() if w not in filler)


class _Groups:
    """Union-find over spellings."""

    def __init__(self, values: list[str]):
        self.parent = {v: v for v in values}

    def find(self, value: str) -> str:
        while self.parent[value] != value:
            value = self.parent[value]
        return value

    def join(self, a: str, b: str) -> None:
        first, second = sorted((self.find(a), self.find(b)))
        self.parent[second] = first


def _abbreviation_in(value: str, places: frozenset[str]) -> str | None:
    """The value, or its words after the place name, when they are an abbreviation ('ICB' in
    'Eastmere ICB')."""
    rest = " ".join(w for w in value.split() if normalise_key(w) not in places)
    return next((v for v in (value, rest) if v and is_abbreviation(v)), None)


def _short_form(name: str, abbreviation: str | None, places: frozenset[str]) -> str:
    """The abbreviation when there is one, else the name without its place words."""
    if abbreviation:
        return abbreviation
    kept = [w for w in name.split() if normalise_key(w) not in places]
    return " ".join(kept) or name


def _canonical(spellings: list[str]) -> str:
    """The fullest spelling (most words, then most capitals), brackets dropped."""
    best = min(
        spellings,
        key=lambda v: (
            -len(without_brackets(v).split()),
            "&" in v,
            -sum(c.isupper() for c in v),
            v,
        ),
    )
    return without_brackets(best) if bracketed(best) else best


def group_values(values: Iterable[str], places: frozenset[str] = frozenset()) -> list[Group]:
    """The distinct values as groups, in order of their names' keys: the same input in any order
    gives the same groups."""
    distinct = sorted({" ".join(str(v).split()) for v in values if str(v).strip()})
    groups = _Groups(distinct)
    by_key: dict[str, str] = {}
    for value in distinct:
        key = grouping_key(value, places)
        if key in by_key:
            groups.join(by_key[key], value)
        by_key.setdefault(key, value)
    spelled_out = {}
    for value in distinct:
        for short in filter(None, (bracketed(value), _initials(value))):
            spelled_out.setdefault(_compact(short), value)
    for value in distinct:
        if is_abbreviation(value) and (full := spelled_out.get(_compact(value))) not in (
            None,
            value,
        ):
            groups.join(full, value)
    members: dict[str, list[str]] = {}
    for value in distinct:
        members.setdefault(groups.find(value), []).append(value)
    out = []
    for spellings in members.values():
        name = _canonical(spellings)
        abbreviation = next(filter(None, map(bracketed, spellings)), None) or next(
            (a for v in spellings if (a := _abbreviation_in(v, places)) and a != name), None
        )
        ordered = tuple(sorted(spellings, key=lambda v: (normalise_key(v), v)))
        out.append(Group(name, ordered, _short_form(name, abbreviation, places), abbreviation))
    return sorted(out, key=lambda g: (normalise_key(g.name), g.name))
