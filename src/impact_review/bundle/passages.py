"""Generated passages whose length varies with the data: text/NAME.md, included by report.qmd.

Tracker text reaches them only escaped, so neither renderer can read it as markup. Rankings name
every member of a tie (bundle/ranking.py). Whatever concerns areas of learning is written only
when the tracker records them; otherwise its file is empty and the background says why.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from impact_review.analyse import counts
from impact_review.analyse.evidence import evidence_given
from impact_review.analyse.review import Analysis
from impact_review.bundle.changes import changes_sentence
from impact_review.bundle.evidence import evidence_passage
from impact_review.bundle.implementation import implementation_passages
from impact_review.bundle.quality import quality_passages
from impact_review.bundle.ranking import first_tiers, tiers
from impact_review.bundle.sources import (
    background_plural,
    in_taxonomy_order,
    names_of_type,
    sources_phrase,
    type_count_phrase,
)
from impact_review.bundle.tables import IMPACT_LISTING, listing_file, table_reference
from impact_review.bundle.words import join_words, lower_first
from impact_review.intake.taxonomy import Taxonomy
from impact_review.markdown import bullet_list, escape_markdown
from impact_review.partnership import Partnership
from impact_review.period import Period, format_uk_date
from impact_review.report_settings import report_settings

NO_AREAS = (
    "This tracker does not record an area of learning for each recommendation, so the review "
    "has no section on areas of learning."
)
# The optional columns the background names when the tracker holds them, in its order.
DETAILS = (
    ("area_of_learning", "the area of learning"),
    ("themes", "any themes"),
    ("action", "the action agreed"),
    ("status", "its status"),
)
EVIDENCE = {
    ("evidence_of_completion",): "the evidence that it was completed",
    ("evidence_of_impact",): "the evidence that it made a difference",
    ("evidence_of_completion", "evidence_of_impact"): (
        "the evidence that it was completed and that it made a difference"
    ),
}
AREAS_SECTION = """## Recommendations by area of learning

Each recommendation is filed under the area of practice it asks to improve (@fig-by-area).

{{< include text/areas.md >}}

{{< include figures/by-area.md >}}

{{< include narrative/recommendations-by-area-of-learning.md >}}
"""
AGENCY_AREA = """@fig-agency-area shows how each agency's recommendations spread across the
areas of learning; the counts are in @tbl-agency-area.

{{< include figures/agency-area.md >}}
"""


def write_passages(
    result: Analysis, text_dir: Path, taxonomy: Taxonomy, period: Period, partnership: Partnership
) -> None:
    text_dir.mkdir(parents=True, exist_ok=True)
    areas = result.areas_recorded
    passages = {
        "background": background_passage(result, taxonomy, period, partnership),
        "method": method_passage(result, period),
        "summary-sources": summary_sources(result, taxonomy),
        "summary-areas": summary_areas(result.by_area) if areas else "",
        "summary-agencies": summary_agencies(result.by_agency),
        "sources": sources_passage(result, taxonomy),
        "areas-section": AREAS_SECTION if areas else "",
        "areas": areas_passage(result.by_area) if areas else "",
        "agencies": agencies_passage(result.by_agency, result.recommendations, taxonomy),
        "agency-area": AGENCY_AREA if areas else "",
        "themes": themes_passage(result, taxonomy),
        "impact": impact_passage(result),
        "evidence": evidence_passage(result.recommendations),
        **implementation_passages(result, taxonomy),
        **quality_passages(result, taxonomy),
    }
    for name, text in passages.items():
        (text_dir / f"{name}.md").write_text(text, encoding="utf-8")


def method_passage(result: Analysis, period: Period) -> str:
    """How the review was done, in the three steps a board would recognise, from what this
    run actually had: the call for evidence is described only when its returns were merged."""
    recs, held = result.recommendations, counts.holds_any
    by = ["learning activity", "agency"]
    by += ["area of learning"] if result.areas_recorded else []
    by += ["theme"] if held(recs, "themes") else []
    steps = [
        "1. **Compiling the recommendations.** Every recommendation agreed between "
        f"{format_uk_date(period.start)} and {format_uk_date(period.end)} was taken from the "
        "partnership's tracker, with the learning activity it came from and the agency "
        "responsible: {{< var counts.total >}} recommendations from "
        "{{< var counts.sources_phrase >}}.\n",
        "2. **A desktop analysis.** The recommendations were counted by "
        f"{join_words(by)}, recurring themes were drawn out, and each one's recorded progress "
        "was read against its target date as at {{< var as_at.text >}}.\n",
    ]
    if evidence_given(recs):
        steps.append(
            "3. **A call for evidence.** Each agency was sent its own recommendations and asked "
            "whether each is now embedded in practice, what difference it has made, and what "
            "shows it; agencies answered for {{< var evidence.answered >}} of them.\n"
        )
    else:
        steps.append(
            "3. **A call for evidence** would ask each agency whether its recommendations are "
            "embedded and what difference they made; none was returned for this review, so "
            "evidence of impact is what the tracker itself records.\n"
        )
    return (
        "The review took three steps.\n\n"
        + "".join(steps)
        + "\nEvery figure is calculated from the tracker by the same published code each time, "
        "none typed by hand, and the restricted audit trail names the recommendations behind "
        "each one.\n"
    )


def theme_definitions(result: Analysis, taxonomy: Taxonomy) -> str:
    """Each theme recorded, with its count, learning activities and definition, as a list."""
    definitions = {e["name"]: e.get("definition", "") for e in taxonomy.themes.entries}
    return "".join(
        f"- **{escape_markdown(t)}** ({n} recommendation{'' if n == 1 else 's'}, {s} learning "
        f"activit{'y' if s == 1 else 'ies'}): "
        f"{escape_markdown(definitions.get(t, ''))}\n"
        for t, n, s in zip(
            result.themes["theme"],
            result.themes["recommendations"],
            result.themes["sources"],
            strict=True,
        )
    )


def themes_passage(result: Analysis, taxonomy: Taxonomy) -> str:
    themes = theme_definitions(result, taxonomy)
    if not themes:
        return "No themes were recorded in this period.\n"
    return (
        f"What each theme means, as the partnership defines it and its rules apply it:\n\n{themes}"
    )


def impact_passage(result: Analysis, max_rows: int | None = None) -> str:
    """The evidence of impact recorded, under the activity it came from; past max_rows (default:
    the configured register_max_rows) the number of them and the file that lists them."""
    limit = report_settings().register_max_rows if max_rows is None else max_rows
    if len(result.impact) > limit:
        return (
            f"{len(result.impact)} recommendations record evidence of impact, too many to quote "
            f"here: their evidence is listed in {listing_file(IMPACT_LISTING)}, a CSV file "
            "published beside the review, by learning activity.\n"
        )
    lines = []
    for source, group in result.impact.groupby("source_name", sort=False):
        lines.append(f"\n### {escape_markdown(source)}\n\n")
        lines.append(bullet_list(group["evidence_of_impact"].tolist()))
    return "".join(lines).lstrip("\n") or "No evidence of impact was recorded in this period.\n"


def upper_first(text: str) -> str:
    """'the partnership' -> 'The partnership': a name that opens a sentence."""
    return text[:1].upper() + text[1:]


def serial_list(items: list[str]) -> str:
    """'a, b, and c': the comma before the last item keeps an item that contains 'and' whole."""
    return join_words(items) if len(items) < 3 else ", ".join(items[:-1]) + ", and " + items[-1]


def background_passage(
    result: Analysis, taxonomy: Taxonomy, period: Period, partnership: Partnership
) -> str:
    """What the tracker records, from the source types and optional columns it actually holds;
    what changed in the period (the partnership's name, the kinds of review), when anything did;
    and what the review counts; why there is no section on areas when it records none."""
    recs, held = result.recommendations, counts.holds_any
    kinds = [
        escape_markdown(background_plural(r["source_type"], taxonomy, period.end))
        for r in in_taxonomy_order(result.by_source_type, taxonomy)
    ]
    details = ["the agency responsible"]
    details += [words for column, words in DETAILS if held(recs, column)]
    evidence = tuple(c for c in ("evidence_of_completion", "evidence_of_impact") if held(recs, c))
    if evidence:
        details.append(EVIDENCE[evidence])
    by = ["source", "agency"]
    if result.areas_recorded:
        by.append("area of learning")
    if held(recs, "themes"):
        by.append("theme")
    impact = held(recs, "evidence_of_impact")
    changed = escape_markdown(changes_sentence(partnership, taxonomy, period))
    text = (
        f"{upper_first(escape_markdown(partnership.on(period.end).short_name))} tracks each "
        f"recommendation from its {join_words(kinds)}, with "
        f"{serial_list(details)}.\n\n"
        + (f"{changed}\n\n" if changed else "")
        + f"This review counts every recommendation agreed between {format_uk_date(period.start)} "
        f"and {format_uk_date(period.end)}, by {join_words(by)}"
        f"{', and draws out the recorded evidence of impact' if impact else ''}.\n"
    )
    return text if result.areas_recorded else f"{text}\n{NO_AREAS}\n"


def _type_phrase(record: dict, taxonomy: Taxonomy) -> str:
    phrase = type_count_phrase(record["source_type"], int(record["sources"]), taxonomy)
    return escape_markdown(phrase)


def summary_sources(result: Analysis, taxonomy: Taxonomy) -> str:
    """'- **75 of 147 (51%)** came from the two LCSPRs.', or the types that tie for the most."""
    top, total = tiers(result.by_source_type)[0], len(result.recommendations)
    share = f"**{top.recommendations} of {total} ({top.percent}%)**"
    types = join_words([f"the {_type_phrase(r, taxonomy)}" for r in top.records])
    if top.tied:
        return f"- {types[0].upper()}{types[1:]} gave the most recommendations: {share} each.\n"
    return f"- {share} came from {types}.\n"


def sources_passage(result: Analysis, taxonomy: Taxonomy) -> str:
    """The recommendations by source in words: every type, then the type (or tied types) that
    gave the largest share, with its activities named."""
    top, total = tiers(result.by_source_type)[0], len(result.recommendations)
    reference = table_reference("by-source", len(result.by_source))
    named = join_words(
        [
            f"the {_type_phrase(r, taxonomy)}"
            + (
                f" ({escape_markdown(names_of_type(result.by_source, r['source_type'], taxonomy))})"
                if reference.startswith("@")
                else ""
            )
            for r in top.records
        ]
    )
    share = f"{top.recommendations} of the {total} ({top.percent}%)"
    largest = f"{share} each, the largest shares" if top.tied else f"{share}, the largest share"
    return (
        f"In total, {total} recommendations arose from "
        f"{escape_markdown(sources_phrase(result.by_source_type, taxonomy))} "
        f"(@tbl-by-source-type). {named[0].upper()}{named[1:]} gave {largest}. "
        f"Recommendations from each learning activity are listed in {reference}"
        f"{' in the appendix' if reference.startswith('@') else ''}.\n"
    )


def _area(name: str) -> str:
    return escape_markdown(lower_first(name))


def summary_areas(by_area: pd.DataFrame) -> str:
    """'- The largest area of learning was **policy and procedure (35%)**, followed by ...'."""
    (top, *_), rest = first_tiers(counts.recorded_areas(by_area), 1)
    names = join_words([_area(name) for name in top.names("area_of_learning")])
    text = (
        f"- The largest areas of learning were **{names} ({top.percent}% each)**"
        if top.tied
        else f"- The largest area of learning was **{names} ({top.percent}%)**"
    )
    after = _following(rest, lambda r: f"{_area(r['area_of_learning'])} ({r['percent']}%)")
    return text + after + ".\n"


def _following(rest: list[dict], words) -> str:
    """', followed by' the next two rows (more when a tie straddles the second), each in words."""
    shown, _ = first_tiers(pd.DataFrame(rest), 2) if rest else ([], [])
    items = [words(record) for tier in shown for record in tier.records]
    return ", followed by " + join_words(items) if items else ""


def areas_passage(by_area: pd.DataFrame) -> str:
    """The ranking of areas of learning in words: the largest (every one of a tie) with its
    count, then the next two; and how many recommendations have no area recorded."""
    recorded = counts.recorded_areas(by_area)
    unrecorded = by_area[by_area["area_of_learning"] == counts.NOT_RECORDED].to_dict("records")
    (top, *_), rest = first_tiers(recorded, 1)
    names = join_words([_area(name) for name in top.names("area_of_learning")])
    if len(recorded) == 1 and not unrecorded:
        text = f"All {top.recommendations} recommendations concerned {names}."
    elif top.tied:
        text = (
            f"The largest areas were {names}, with {top.recommendations} "
            f"recommendation{'' if top.recommendations == 1 else 's'} each "
            f"({top.percent}% of all)"
        )
    else:
        text = (
            f"The largest area was {names}, with {top.recommendations} recommendations "
            f"({top.percent}% of all)"
        )
    if not text.endswith("."):
        text += (
            _following(
                rest,
                lambda r: (
                    f"{_area(r['area_of_learning'])} ({r['recommendations']}, {r['percent']}%)"
                ),
            )
            + "."
        )
    if unrecorded:
        text += " " + not_recorded_sentence(unrecorded[0])
    return text + "\n"


def not_recorded_sentence(record: dict) -> str:
    """How many recommendations have no area, and that the review counts them, not drops them."""
    n, p = record["recommendations"], record["percent"]
    has, them = ("recommendation has", "it") if n == 1 else ("recommendations have", "them")
    return (
        f"{n} {has} no area of learning recorded in the tracker ({p}% of all); the tables and "
        f'charts count {them} as "{counts.NOT_RECORDED}" rather than leave {them} out.'
    )


def _agency_counts(record: dict) -> str:
    name = escape_markdown(record["agency"])
    return f"{name} ({record['recommendations']}, {record['percent']}%)"


def summary_agencies(by_agency: pd.DataFrame) -> str:
    """'- **X** had the most recommendations (26, 18%).', every agency of a tie in bold."""
    top = tiers(by_agency)[0]
    names = join_words([f"**{escape_markdown(name)}**" for name in top.names("agency")])
    return (
        f"- {names} had the most recommendations ({top.recommendations}{top.each}, "
        f"{top.percent}%).\n"
    )


def _main_area(
    recommendations: pd.DataFrame, agency: str, taxonomy: Taxonomy, own: str | None
) -> str:
    """' Of these, 14 of 26 concerned training and skills.' (own: the agency's name, for a
    sentence about one of several agencies); nothing when it has no area recorded."""
    areas, count, total = counts.top_areas_of(recommendations, agency, taxonomy)
    if not areas:
        return ""
    names = join_words([_area(area) for area in areas])
    whose = f"{escape_markdown(own)}'s {total}" if own else "these"
    if len(areas) > 1:
        return f" Of {whose}, the most concerned {names}: {count} each."
    return f" Of {whose}, {count}{'' if own else f' of {total}'} concerned {names}."


def agencies_passage(
    by_agency: pd.DataFrame, recommendations: pd.DataFrame, taxonomy: Taxonomy
) -> str:
    """Which agencies had most recommendations (all of a tie), the leaders' main areas, the
    second most and the next, then the rest in brief."""
    (top, *following), rest = first_tiers(by_agency, 4)
    names = join_words([escape_markdown(name) for name in top.names("agency")])
    text = (
        f"{names} had the most recommendations: {top.recommendations}{top.each} ({top.percent}%)."
    )
    for agency in top.names("agency"):
        text += _main_area(recommendations, agency, taxonomy, agency if top.tied else None)
    if following:
        second, *then = following
        seconds = join_words([escape_markdown(name) for name in second.names("agency")])
        text += (
            f" {seconds} had the second most ({second.recommendations}{second.each}, "
            f"{second.percent}%)"
        )
        named = [_agency_counts(record) for tier in then for record in tier.records]
        text += (f", then {join_words(named)}" if named else "") + "."
    if len(rest) == 1:
        text += f" The other agency had fewer: {_agency_counts(rest[0])}."
    elif rest:
        listed = join_words([_agency_counts(record) for record in rest])
        text += f" The other {len(rest)} agencies had fewer: {listed}."
    return text + "\n"
