"""What init knows about trackers in general (config/adoption.yaml), read once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml

from impact_review.paths import ADOPTION_FILE


@dataclass(frozen=True)
class HeaderCue:
    words: frozenset[str]
    field: str


@dataclass(frozen=True)
class Knowledge:
    header_cues: tuple[HeaderCue, ...]
    abbreviations: dict[str, str]
    filler_words: frozenset[str]
    source_types: tuple[dict, ...]
    statuses: tuple[dict, ...]
    rag_convention: dict[str, str]


@cache
def knowledge() -> Knowledge:
    data = yaml.safe_load(ADOPTION_FILE.read_text(encoding="utf-8"))
    return Knowledge(
        header_cues=tuple(
            HeaderCue(frozenset(c["words"]), c["field"]) for c in data["header_cues"]
        ),
        abbreviations=dict(data["abbreviations"]),
        filler_words=frozenset(data["filler_words"]),
        source_types=tuple(data["source_types"]),
        statuses=tuple(data["statuses"]),
        rag_convention=dict(data["rag_convention"]),
    )
