"""What a tracker's RAG colours mean, and which status each colour and each status cell is.

A workbook often keeps its key on a sheet of its own (colour | meaning); without one, the common
convention (config/adoption.yaml) is assumed and the draft report says so. A colour is a status,
never a date: whether a recommendation is overdue follows from its target date, not from Red."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from impact_review.adopt.headers import Grid
from impact_review.adopt.knowledge import knowledge
from impact_review.intake.cleaning import STATUS_SEPARATORS, map_status, tidy_label
from impact_review.intake.taxonomy import build_vocabulary, normalise_key

# A key sheet lists at least this many colours.
MIN_KEY_COLOURS = 2
COLOURS = frozenset(
    {
        "blue",
        "green",
        "amber",
        "red",
        "yellow",
        "orange",
        "grey",
        "gray",
        "black",
        "purple",
        "white",
    }
)


@dataclass(frozen=True)
class RagKey:
    meanings: dict[str, str]  # colour as written -> meaning, in the key's order
    source: str  # where the meanings came from, for the draft report


def read_key_sheet(grids: Sequence[Grid], skip: Iterable[str | None]) -> RagKey | None:
    """The first sheet (not skipped) with rows of a colour and its meaning."""
    skipped = set(skip)
    for sheet, rows in grids:
        if sheet is None or sheet in skipped:
            continue
        meanings = {}
        for cells in rows:
            filled = [tidy_label(c) for c in cells if tidy_label(c)]
            if len(filled) >= 2 and normalise_key(filled[0]) in COLOURS:
                meanings.setdefault(filled[0], filled[1])
        if len(meanings) >= MIN_KEY_COLOURS:
            return RagKey(meanings, f"the key on sheet {sheet!r}")
    return None


def conventional_key() -> RagKey:
    convention = knowledge().rag_convention
    return RagKey(
        {colour.capitalize(): meaning for colour, meaning in convention.items()},
        "the common convention (the workbook has no key sheet)",
    )


@dataclass
class StatusEntry:
    name: str
    closed: bool = False
    implemented: bool = False
    aliases: list[str] = field(default_factory=list)
    guessed: bool = False  # not a status init knows: its closed flag is a guess
    colours: list[str] = field(default_factory=list)
    meaning: str = ""


def opening_words(value: str) -> str:
    """A status cell's opening words: what cleaning matches, and never the free text after."""
    return STATUS_SEPARATORS.split(value, maxsplit=1)[0].strip()


def draft_statuses(key: RagKey, cells: Iterable[str]) -> list[StatusEntry]:
    """The draft's statuses: the known ones the key or the tracker uses (Completed always, as
    the review counts it), each with the colours and spellings that mean it, then a status of
    its own for each cell that matches none, in name order."""
    known = knowledge().statuses
    entries = {
        e["name"]: StatusEntry(
            e["name"],
            bool(e.get("closed")),
            bool(e.get("implemented")),
            list(e["aliases"]),
            meaning=str(e.get("meaning", "")),
        )
        for e in known
    }
    used = {name for name, e in entries.items() if e.implemented}
    vocabulary = build_vocabulary("statuses", [dict(e) for e in known])
    for colour, meaning in key.meanings.items():
        match = map_status(meaning, vocabulary)
        if match is None:
            entry = entries.setdefault(meaning, StatusEntry(meaning, guessed=True, meaning=meaning))
        else:
            entry = entries[match.status]
        entry.colours.append(colour)
        entry.aliases.append(normalise_key(colour))
        used.add(entry.name)
    vocabulary = build_vocabulary(
        "statuses", [{"name": e.name, "aliases": e.aliases} for e in entries.values()]
    )
    unknown: dict[str, str] = {}
    for cell in cells:
        match = map_status(cell, vocabulary)
        if match is None:
            words = opening_words(cell) or cell
            unknown.setdefault(normalise_key(words), words)
        else:
            used.add(match.status)
    for key in sorted(unknown):
        entries[unknown[key]] = StatusEntry(unknown[key], aliases=[key], guessed=True)
        used.add(unknown[key])
    return [e for e in entries.values() if e.name in used]
