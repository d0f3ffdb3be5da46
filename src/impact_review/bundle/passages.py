"""Generated passages whose length varies with the data: text/NAME.md, included by report.qmd.

Tracker text reaches them only escaped, so neither renderer can read it as markup."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from impact_review.analyse import counts
from impact_review.analyse.review import Analysis
from impact_review.bundle.words import join_words, lower_first
from impact_review.intake.taxonomy import Taxonomy
from impact_review.markdown import bullet_list, escape_markdown


def write_passages(result: Analysis, text_dir: Path, taxonomy: Taxonomy) -> None:
    text_dir.mkdir(parents=True, exist_ok=True)
    definitions = {e["name"]: e.get("definition", "") for e in taxonomy.themes.entries}
    themes = "".join(
        f"- **{escape_markdown(t)}** ({n} recommendations, {s} learning activities): "
        f"{escape_markdown(definitions.get(t, ''))}\n"
        for t, n, s in zip(
            result.themes["theme"],
            result.themes["recommendations"],
            result.themes["sources"],
            strict=True,
        )
    )
    (text_dir / "themes.md").write_text(
        themes or "No themes were recorded in this period.\n", encoding="utf-8"
    )
    lines = []
    for source, group in result.impact.groupby("source_name", sort=False):
        lines.append(f"\n### {escape_markdown(source)}\n\n")
        lines.append(bullet_list(group["evidence_of_impact"].tolist()))
    impact = "".join(lines).lstrip("\n") or "No evidence of impact was recorded in this period.\n"
    (text_dir / "impact.md").write_text(impact, encoding="utf-8")
    (text_dir / "summary-areas.md").write_text(summary_areas(result.by_area), encoding="utf-8")
    (text_dir / "areas.md").write_text(areas_passage(result.by_area), encoding="utf-8")
    agencies = agencies_passage(result.by_agency, result.recommendations, taxonomy)
    (text_dir / "agencies.md").write_text(agencies, encoding="utf-8")


NO_AREAS = "The tracker records no area of learning for its recommendations.\n"


def summary_areas(by_area: pd.DataFrame) -> str:
    """'The largest area of learning was **policy and procedure (35%)**, followed by ...'."""
    if by_area.empty:
        return f"- {NO_AREAS}"
    items = [
        (escape_markdown(lower_first(a)), p)
        for a, p in zip(by_area["area_of_learning"], by_area["percent"], strict=True)
    ]
    first, rest = items[0], items[1:3]
    text = f"- The largest area of learning was **{first[0]} ({first[1]}%)**"
    if rest:
        text += ", followed by " + join_words([f"{a} ({p}%)" for a, p in rest])
    return text + ".\n"


def areas_passage(by_area: pd.DataFrame) -> str:
    """The ranking of areas of learning in words: the largest with its count, then the next two."""
    records = by_area.to_dict("records")
    if not records:
        return NO_AREAS
    first = records[0]
    name = escape_markdown(lower_first(first["area_of_learning"]))
    if len(records) == 1:
        return f"All {first['recommendations']} recommendations concerned {name}.\n"
    text = (
        f"The largest area was {name}, with {first['recommendations']} recommendations "
        f"({first['percent']}% of all), followed by "
    )
    rest = [
        f"{escape_markdown(lower_first(r['area_of_learning']))} "
        f"({r['recommendations']}, {r['percent']}%)"
        for r in records[1:3]
    ]
    return text + join_words(rest) + ".\n"


def agencies_passage(
    by_agency: pd.DataFrame, recommendations: pd.DataFrame, taxonomy: Taxonomy
) -> str:
    """Which agencies had most recommendations, the leader's main area, and the rest in brief."""
    records = by_agency.to_dict("records")
    first = records[0]
    lines = [
        f"{escape_markdown(first['agency'])} had the most recommendations: "
        f"{first['recommendations']} ({first['percent']}%)."
    ]
    if (top := counts.top_area_of(recommendations, first["agency"], taxonomy)) is not None:
        area, count, total = top
        lines[0] += f" Of these, {count} of {total} concerned {escape_markdown(lower_first(area))}."
    named = [
        f"{escape_markdown(r['agency'])} ({r['recommendations']}, {r['percent']}%)"
        for r in records[1:4]
    ]
    if named:
        then = f", then {join_words(named[1:])}" if len(named) > 1 else ""
        lines.append(f"{named[0].replace(' (', ' had the second most (', 1)}{then}.")
    rest = [
        f"{escape_markdown(r['agency'])} ({r['recommendations']}, {r['percent']}%)"
        for r in records[4:]
    ]
    if rest:
        lines.append(f"The other {len(rest)} agencies had fewer: {join_words(rest)}.")
    return " ".join(lines) + "\n"
