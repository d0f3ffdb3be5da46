"""Drafting a partnership's configuration folder from its tracker: which header means which field,
every distinct value of the vocabulary columns grouped into entries, and the statuses. The
tracker is read with the intake reader itself, so a draft reads the tracker as a run will."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from impact_review.adopt.headers import HeaderRow, find_header_row, tracker_grids
from impact_review.adopt.knowledge import knowledge
from impact_review.adopt.rag import (
    RagKey,
    StatusEntry,
    conventional_key,
    draft_statuses,
    read_key_sheet,
)
from impact_review.adopt.values import Group, group_values, grouping_key, place_words
from impact_review.errors import InputError, Location
from impact_review.intake.cleaning import tidy_label
from impact_review.intake.taxonomy import (
    VOCABULARIES,
    Taxonomy,
    build_vocabulary,
    default_taxonomy,
    load_taxonomy,
    normalise_key,
)
from impact_review.intake.tracker import TrackerRead, read_tracker
from impact_review.partnership import TAXONOMY_FILE

NAME_PLACEHOLDER = "CHANGE ME Safeguarding Children Partnership"
SHORT_NAME = "the partnership"
DEFINITION_PLACEHOLDER = "Definition not yet written."


@dataclass
class VocabularyDraft:
    """One vocabulary of the draft: its entries as taxonomy.yaml holds them, the groups they came
    from, and a comment on each entry saying what was guessed."""

    kind: str  # the taxonomy's key (agencies, themes, ...)
    column: str  # the tracker field its values came from
    distinct: int  # distinct values as written
    entries: list[dict] = field(default_factory=list)
    grouped: list[Group] = field(default_factory=list)  # groups of two or more spellings
    comments: dict[str, str] = field(default_factory=dict)  # entry name -> what was guessed


@dataclass(frozen=True)
class Draft:
    tracker: Path
    name: str
    named: bool  # False: the name is a placeholder the analyst must change
    header: HeaderRow
    columns: dict[str, dict]  # the draft's `columns:` section
    vocabularies: dict[str, VocabularyDraft]
    statuses: list[StatusEntry]
    rag: RagKey
    places: frozenset[str]
    sources_sheet: str | None


def skeleton_taxonomy(columns: dict[str, dict]) -> Taxonomy:
    """The schema with a draft's `columns:` additions and empty vocabularies: enough to read a
    tracker with the intake reader before its vocabulary is known."""
    data = {"version": 1, "columns": columns, **{kind: [] for kind in VOCABULARIES}}
    with tempfile.TemporaryDirectory(prefix="impact-review-init-") as folder:
        path = Path(folder) / TAXONOMY_FILE
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        return load_taxonomy(path)


def _cells(frame: pd.DataFrame | None, column: str) -> list[str]:
    if frame is None or column not in frame:
        return []
    return [text for value in frame[column] if (text := tidy_label(value))]


def _aliases(spellings: Iterable[str], name: str, extra: Iterable[str] = ()) -> list[str]:
    """Each spelling once (by its normalised key), the name's own key left out, in key order."""
    seen = {normalise_key(name)}
    out = []
    for spelling in [*extra, *sorted(spellings, key=lambda v: (normalise_key(v), v))]:
        if (key := normalise_key(spelling)) not in seen:
            seen.add(key)
            out.append(spelling)
    return out


def _plural(name: str) -> str:
    last = name.split()[-1] if name.split() else name
    if last.isupper():
        return name + "s"
    if name.endswith("y") and name[-2:-1] not in set("aeiou"):
        return name[:-1] + "ies"
    return name + ("es" if name.endswith(("s", "x", "ch", "sh")) else "s")


def _grouping_comment(group: Group) -> str | None:
    if len(group.spellings) < 2:
        return None
    return "grouped: " + "; ".join(group.spellings)


def draft_source_types(values: list[str]) -> VocabularyDraft:
    """Source types under their standard names where one is obvious, else as written."""
    standard = knowledge().source_types
    lookup = build_vocabulary("source_types", [dict(e) for e in standard])
    draft = VocabularyDraft("source_types", "source_type", len(set(values)))
    entries: dict[str, dict] = {}
    for group in group_values(values):
        known = next(
            (
                found
                for spelling in group.spellings
                for found in (lookup.map(spelling), lookup.map(grouping_key(spelling)))
                if found
            ),
            None,
        )
        if known is not None:
            entry = entries.setdefault(
                known,
                next(dict(e, aliases=list(e["aliases"])) for e in standard if e["name"] == known),
            )
            entry["aliases"] = _aliases(group.spellings, known, entry["aliases"])
            draft.comments[known] = f"standard type; read from: {'; '.join(group.spellings)}"
        else:
            entries[group.name] = {
                "name": group.name,
                "singular": group.name,
                "plural": _plural(group.name),
                "label": group.name,
                "aliases": _aliases(group.spellings, group.name),
            }
            draft.comments[group.name] = "guessed: not a standard type; check singular and plural"
        if len(group.spellings) > 1:
            draft.grouped.append(group)
    order = [e["name"] for e in standard]
    draft.entries = sorted(
        entries.values(),
        key=lambda e: (order.index(e["name"]) if e["name"] in order else len(order), e["name"]),
    )
    return draft


def draft_vocabulary(
    kind: str, column: str, values: list[str], places: frozenset[str]
) -> VocabularyDraft:
    """Agencies (with a short form), areas of learning or themes (with a definition to write),
    or priorities."""
    draft = VocabularyDraft(kind, column, len(set(values)))
    for group in group_values(values, places):
        entry: dict = {"name": group.name}
        if kind == "agencies":
            entry["short"] = group.short
        elif kind != "priorities":
            entry["definition"] = DEFINITION_PLACEHOLDER
        entry["aliases"] = _aliases(group.spellings, group.name)
        draft.entries.append(entry)
        if (comment := _grouping_comment(group)) is not None:
            draft.grouped.append(group)
            draft.comments[group.name] = comment
    return draft


def _themes(frame: pd.DataFrame) -> list[str]:
    """Every theme named in the column, cells split at the input separators (new lines
    included) before their white space is tidied."""
    if frame is None or "themes" not in frame:
        return []
    splitter = default_taxonomy().list_splitter
    cells = [str(value) for value in frame["themes"] if tidy_label(value)]
    return [part for cell in cells for raw in splitter.split(cell) if (part := tidy_label(raw))]


def _read(path: Path, sheet: str | None, header: HeaderRow | None) -> tuple[TrackerRead, dict]:
    """The tracker read by the intake reader with the inferred headers; the reader's own
    located message when no header row can be found."""
    columns: dict[str, dict] = {}
    if header is not None:
        columns = {f: {"headers": [h]} for f, h in sorted(header.inferred.items())}
        if "area_of_learning" not in header.fields:
            columns["area_of_learning"] = {"required": False}
    read = read_tracker(
        path, sheet or (header.sheet if header else None), skeleton_taxonomy(columns)
    )
    if header is None:  # the reader found what init could not: never expected
        raise InputError("no header row init can read", Location(path))
    return read, columns


def draft_configuration(path: Path, sheet: str | None = None, name: str | None = None) -> Draft:
    """The draft for one tracker; InputError (with the reader's location) if it is unreadable."""
    grids = tracker_grids(path, sheet)
    header = find_header_row(grids, skeleton_taxonomy({}).columns)
    read, columns = _read(path, sheet, header)
    frame = read.recommendations.frame
    sources = read.sources.frame if read.sources is not None else None
    places = place_words(_cells(frame, "agency"), name)
    vocabularies = {
        "source_types": draft_source_types(_cells(frame, "source_type") + _cells(sources, "type")),
        "agencies": draft_vocabulary("agencies", "agency", _cells(frame, "agency"), places),
        "areas_of_learning": draft_vocabulary(
            "areas_of_learning", "area_of_learning", _cells(frame, "area_of_learning"), places
        ),
        "themes": draft_vocabulary("themes", "themes", _themes(frame), places),
        "priorities": draft_vocabulary("priorities", "priority", _cells(frame, "priority"), places),
    }
    skip = {read.sheet, read.sources.sheet if read.sources is not None else None}
    rag = read_key_sheet(grids, skip) or conventional_key()
    return Draft(
        tracker=path,
        name=name or NAME_PLACEHOLDER,
        named=bool(name),
        header=header,
        columns=columns,
        vocabularies=vocabularies,
        statuses=draft_statuses(rag, _cells(frame, "status")),
        rag=rag,
        places=places,
        sources_sheet=read.sources.sheet if read.sources is not None else None,
    )
