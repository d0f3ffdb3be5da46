"""_variables.yml: every value the report's prose quotes, keyed as report.qmd's var shortcodes
name them. Numbers and taxonomy names only: tracker text never goes here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd

from impact_review.analyse import counts
from impact_review.analyse.review import Analysis
from impact_review.bundle.evidence import evidence_variables
from impact_review.bundle.glossary import expand_first_uses, glossary_terms
from impact_review.bundle.implementation import open_counts
from impact_review.bundle.quality import quality_variables
from impact_review.bundle.sources import names_of_type, sources_phrase, type_count_phrase
from impact_review.bundle.words import count_phrase, join_words, lower_first
from impact_review.intake.processed import CleanSummary
from impact_review.intake.taxonomy import Taxonomy
from impact_review.intake.themes import THEME_SOURCES
from impact_review.partnership import Partnership
from impact_review.period import Period, format_uk_date

ORDINALS = ("first", "second", "third", "fourth")
# What the summary says the recommendations concerned, when the tracker records areas.
AREAS_CONCERNED = "agencies and areas of practice"


def _ranked(
    frame: pd.DataFrame, column: str, extra: Callable[[dict], dict] | None = None
) -> dict[str, Any]:
    out = {}
    for ordinal, record in zip(ORDINALS, frame.to_dict("records"), strict=False):
        entry = {
            "name": record[column],
            "name_lower": lower_first(record[column]),
            "recommendations": int(record["recommendations"]),
            "percent": int(record["percent"]),
        }
        if extra:
            entry |= extra(record)
        out[ordinal] = entry
    return out


def _source_types(result: Analysis, taxonomy: Taxonomy) -> dict[str, Any]:
    top_type = result.by_source_type.iloc[0]
    top = str(top_type["source_type"])
    return {
        "phrase": sources_phrase(result.by_source_type, taxonomy),
        # The summary's first mention of the types, abbreviations written in full.
        "phrase_in_full": expand_first_uses(
            [sources_phrase(result.by_source_type, taxonomy)],
            glossary_terms(taxonomy),
            markdown=False,
        )[0],
        "first": {
            "name": top,
            "plural": taxonomy.source_type_wording(top).plural,
            "count_phrase": type_count_phrase(top, int(top_type["sources"]), taxonomy),
            "sources": int(top_type["sources"]),
            "recommendations": int(top_type["recommendations"]),
            "percent": int(top_type["percent"]),
            "names": names_of_type(result.by_source, top, taxonomy),
        },
    }


def oldest_due(recs: pd.DataFrame) -> str:
    """The month the longest-overdue recommendation was due ("July 2016"); "" when none is."""
    due = recs.loc[recs["overdue"], "due_date"]
    return "" if due.empty else f"{due.min():%B %Y}"


def report_variables(
    result: Analysis,
    period: Period,
    clean: CleanSummary,
    narrative_meta: dict,
    taxonomy: Taxonomy,
    partnership: Partnership,
    as_at: date,
    code_version: str,
) -> dict[str, Any]:
    recs = result.recommendations
    source_types = _source_types(result, taxonomy)

    def agency_extra(record: dict) -> dict:
        """Its short name, and its most frequent area when one area leads (none at a tie)."""
        extra = {"short": taxonomy.short_name(record["agency"])}
        areas, count, _ = counts.top_areas_of(recs, record["agency"], taxonomy)
        if len(areas) == 1:
            extra |= {"top_area": areas[0], "top_area_lower": areas[0].lower()}
            extra["top_area_count"] = count
        return extra

    completed = (recs["status"] == taxonomy.implemented_status).to_numpy(dtype=bool)
    still_open, overdue = open_counts(result)
    sources = int(result.by_source_type["sources"].sum())
    return {
        "partnership": {
            "name": narrative_meta.get("partnership", partnership.name),
            "short": narrative_meta.get("short_name", partnership.short_name),
        },
        "period": {
            "label": period.label,
            "start": format_uk_date(period.start),
            "end": format_uk_date(period.end),
            "text": period.describe(),
        },
        "counts": {
            "total": len(recs),
            "sources": sources,
            "sources_phrase": count_phrase(sources, "learning activity", "learning activities"),
            "agencies": len(result.by_agency),
            "with_themes": int((recs["themes"].fillna("") != "").sum()),
            "completed": int(completed.sum()),
            "completed_with_impact": int(
                (completed & (recs["evidence_of_impact"].fillna("").str.strip() != "")).sum()
            ),
            "with_impact": len(result.impact),
        },
        "implementation": {
            "open": still_open,
            "overdue": overdue,
            "oldest_due": oldest_due(recs),
        },
        "sources": {
            "phrase": source_types["phrase"],
            "phrase_in_full": source_types["phrase_in_full"],
        },
        "source_types": {"first": source_types["first"]},
        "scope": {"concerned": AREAS_CONCERNED if result.areas_recorded else "agencies"},
        **(
            {"areas": _ranked(counts.recorded_areas(result.by_area), "area_of_learning")}
            if result.areas_recorded
            else {}
        ),
        "agencies": _ranked(result.by_agency, "agency", agency_extra),
        "themes": {
            "count": len(result.themes),
            "list": join_words([lower_first(t) for t in result.themes["theme"]]),
            "from": themes_from(recs),
        },
        "input": {
            "file": clean.input.file,
            "sheet": clean.input.sheet or "(CSV)",
            "sha256": clean.input.sha256,
            "sha256_short": clean.input.sha256[:12],
            "rows_read": clean.counts.rows_with_data,
            "rows_below_header": clean.counts.read,
            "blank_rows": clean.counts.blank_dropped,
            "outside_period": clean.counts.outside_period,
        },
        "as_at": {"iso": as_at.isoformat(), "text": format_uk_date(as_at)},
        "code": {"version": code_version or "an unrecorded version of the code"},
        **quality_variables(result),
        **_evidence(recs, taxonomy),
    }


def themes_from(recs: pd.DataFrame) -> dict[str, int]:
    """How many recommendations took their themes from each source (intake/themes.py)."""
    found = recs["theme_source"].value_counts()
    return {source: int(found.get(source, 0)) for source in THEME_SOURCES}


def _evidence(recs: pd.DataFrame, taxonomy: Taxonomy) -> dict[str, Any]:
    """The call for evidence's numbers, under evidence: only when returns were given."""
    found = evidence_variables(recs, taxonomy.implemented_status)
    return {"evidence": found} if found else {}
