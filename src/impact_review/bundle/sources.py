"""How the review names learning activities, in the taxonomy's words: by type with a count
("two LCSPRs, one rapid review and 15 audits"), by name without the type's word ("Child S and
Child M"), and a type's full name in the plural ("Individual Management Reviews")."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from impact_review.bundle.words import count_phrase, join_words
from impact_review.intake.taxonomy import Taxonomy


def type_count_phrase(source_type: str, sources: int, taxonomy: Taxonomy) -> str:
    """'two LCSPRs', 'one rapid review'."""
    wording = taxonomy.source_type_wording(source_type)
    return count_phrase(sources, wording.singular, wording.plural)


def in_taxonomy_order(by_source_type: pd.DataFrame, taxonomy: Taxonomy) -> list[dict]:
    rank = {name: i for i, name in enumerate(taxonomy.source_types.names)}
    return sorted(by_source_type.to_dict("records"), key=lambda r: rank[r["source_type"]])


def sources_phrase(by_source_type: pd.DataFrame, taxonomy: Taxonomy) -> str:
    """Every source type in the period with its count of activities, in taxonomy order."""
    return join_words(
        [
            type_count_phrase(r["source_type"], int(r["sources"]), taxonomy)
            for r in in_taxonomy_order(by_source_type, taxonomy)
        ]
    )


def names_of_type(by_source: pd.DataFrame, source_type: str, taxonomy: Taxonomy) -> str:
    """The activities of one type as a list, without the type's word at the end of each name."""
    names = by_source[by_source["source_type"] == source_type]["source_name"].tolist()
    if suffix := taxonomy.source_type_wording(source_type).name_suffix:
        names = [re.sub(rf"\s+{re.escape(suffix)}$", "", name) for name in names]
    return join_words(names)


def full_plural(source_type: str, taxonomy: Taxonomy) -> str:
    """The type's full name in the plural (the taxonomy's label_plural: "Local Child
    Safeguarding Practice Reviews"), else its plural wording."""
    for entry in taxonomy.source_types.entries:
        if entry["name"] == source_type:
            return str(entry.get("label_plural") or entry["plural"])
    raise KeyError(source_type)


def background_plural(source_type: str, taxonomy: Taxonomy, period_end: date) -> str:
    """The type's full plural as a period's background lists it: for a type a later succession
    replaced, what it has become, in brackets ("case reviews (now practice reviews)"); a period
    that saw the change says so in a sentence instead (bundle/changes.py)."""
    notes = [
        f" (now {succession.now})"
        for succession in taxonomy.successions
        if succession.vocabulary == "source_types"
        and source_type in succession.replaced
        and succession.now
        and period_end < succession.date
    ]
    return full_plural(source_type, taxonomy) + "".join(notes)
