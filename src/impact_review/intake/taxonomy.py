"""The taxonomy file, loaded once: canonical names and the aliases that map to them."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from impact_review.paths import TAXONOMY_FILE

VOCABULARIES = ("source_types", "agencies", "areas_of_learning", "themes", "statuses")

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalise_key(value: str) -> str:
    """The key two spellings share when they mean the same thing (see the taxonomy's header)."""
    text = unicodedata.normalize("NFKC", str(value)).casefold()
    text = _APOSTROPHES.sub("", text)
    return _NOT_WORD.sub(" ", text).strip()


@dataclass(frozen=True)
class Vocabulary:
    """One controlled list: canonical names in file order, and every alias key -> canonical name."""

    kind: str
    names: tuple[str, ...]
    lookup: dict[str, str]
    entries: tuple[dict, ...]

    def map(self, value: str) -> str | None:
        """The canonical name for a value as typed, or None when nothing matches."""
        return self.lookup.get(normalise_key(value))

    def suggest(self, value: str) -> str | None:
        """The canonical name whose spelling is closest to value, to offer, never to apply."""
        close = difflib.get_close_matches(normalise_key(value), self.lookup, n=1, cutoff=0.6)
        return self.lookup[close[0]] if close else None


@dataclass(frozen=True)
class ColumnSpec:
    field: str
    required: bool
    headers: tuple[str, ...]


@dataclass(frozen=True)
class Taxonomy:
    source_file: Path
    version: int
    columns: tuple[ColumnSpec, ...]
    sources_columns: tuple[ColumnSpec, ...]
    vocabularies: dict[str, Vocabulary]

    def __getitem__(self, kind: str) -> Vocabulary:
        return self.vocabularies[kind]

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

    def short_name(self, agency: str) -> str:
        for entry in self.agencies.entries:
            if entry["name"] == agency:
                return entry.get("short", agency)
        raise KeyError(agency)


def _build_vocabulary(kind: str, entries: list[dict]) -> Vocabulary:
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
    return Vocabulary(kind, tuple(e["name"] for e in entries), lookup, tuple(entries))


def _build_columns(section: dict) -> tuple[ColumnSpec, ...]:
    specs = []
    for field, spec in section.items():
        headers = tuple(normalise_key(h) for h in [field.replace("_", " "), *spec["headers"]])
        specs.append(ColumnSpec(field, bool(spec.get("required", False)), headers))
    return tuple(specs)


def load_taxonomy(path: Path | str = TAXONOMY_FILE) -> Taxonomy:
    """Read and check a taxonomy file; an alias claimed by two names is an error."""
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    vocabularies = {kind: _build_vocabulary(kind, data[kind]) for kind in VOCABULARIES}
    return Taxonomy(
        source_file=path,
        version=int(data["version"]),
        columns=_build_columns(data["columns"]),
        sources_columns=_build_columns(data["sources_columns"]),
        vocabularies=vocabularies,
    )


@cache
def default_taxonomy() -> Taxonomy:
    return load_taxonomy(TAXONOMY_FILE)
