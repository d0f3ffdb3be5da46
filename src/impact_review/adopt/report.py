"""The draft report (INIT-REPORT.md, also printed): what init read and guessed, and what the
analyst should check. It names headers and vocabulary values only, never a free-text cell."""

from __future__ import annotations

from impact_review.adopt.draft import DEFINITION_PLACEHOLDER, Draft
from impact_review.adopt.knowledge import knowledge

REPORT_FILE = "INIT-REPORT.md"
TITLES = {
    "source_types": "Source types",
    "agencies": "Agencies",
    "areas_of_learning": "Areas of learning",
    "themes": "Themes",
}


def _where(draft: Draft) -> str:
    sheet = f"sheet {draft.header.sheet!r}, " if draft.header.sheet else ""
    return f"{draft.tracker.name}, {sheet}header row {draft.header.row}"


def _columns(draft: Draft) -> list[str]:
    lines = ["## Columns", "", "| header | field | how |", "|---|---|---|"]
    for column in draft.header.columns:
        if column.field is None:
            continue
        how = "guessed from its words (added under `columns:`)" if column.inferred else "schema"
        lines.append(f"| {column.header} | {column.field} | {how} |")
    ignored = draft.header.ignored
    lines.append("")
    lines.append(
        "Not recognised, ignored by the run: " + ", ".join(ignored) + "."
        if ignored
        else "Every header was recognised."
    )
    if "area_of_learning" in draft.columns and "headers" not in draft.columns["area_of_learning"]:
        lines.append(
            "The tracker has no area-of-learning column: the draft makes it optional "
            "(`columns: {area_of_learning: {required: false}}`)."
        )
    if draft.sources_sheet:
        lines.append(f"Sources sheet: {draft.sources_sheet!r} (it gives each source's type).")
    return lines


def _vocabularies(draft: Draft) -> list[str]:
    lines = ["## Vocabularies", ""]
    for kind, title in TITLES.items():
        vocabulary = draft.vocabularies[kind]
        lines.append(
            f"- **{title}**: {vocabulary.distinct} distinct values as written, "
            f"{len(vocabulary.entries)} entries."
        )
        for group in vocabulary.grouped:
            lines.append(f"  - grouped: {' | '.join(group.spellings)}")
        for entry in vocabulary.entries:
            comment = vocabulary.comments.get(entry["name"], "")
            if comment.startswith("guessed"):
                lines.append(f"  - {entry['name']}: {comment}")
    if draft.places:
        places = ", ".join(sorted(draft.places))
        lines.append(f"- Read as the place name, ignored when grouping agencies: {places}.")
    return lines


def _rag(draft: Draft) -> list[str]:
    by_colour = {c: e for e in draft.statuses for c in e.colours}
    lines = ["## RAG colours and statuses", "", f"Meanings from {draft.rag.source}:", ""]
    for colour, meaning in draft.rag.meanings.items():
        entry = by_colour[colour]
        flags = ", ".join(
            f for f, on in (("closed", entry.closed), ("implemented", entry.implemented)) if on
        )
        lines.append(f"- {colour}: {meaning} → {entry.name}" + (f" ({flags})" if flags else ""))
    lines += [
        "",
        "A colour is not a date: Red is read as a status, never as overdue. Whether a "
        "recommendation is overdue follows from its target date and is computed elsewhere, not "
        "from its colour.",
    ]
    guessed = [e.name for e in draft.statuses if e.guessed]
    if guessed:
        lines.append(
            "Statuses init does not know (not closed until you say so): " + ", ".join(guessed) + "."
        )
    return lines


def _checks(draft: Draft) -> list[str]:
    items = []
    if not draft.named:
        items.append("Set `name:` in partnership.yaml (it is a placeholder).")
    items += [
        "Read every entry marked `grouped` or `guessed` in taxonomy.yaml: split a group that is "
        "two things, join two entries that are one.",
        f"Replace each `definition: {DEFINITION_PLACEHOLDER}` with what the theme or area covers.",
        "Check each status's `closed:` and `implemented:` flags, and each source type's wording.",
        "Check the headers listed as not recognised: add one under `columns:` if the review "
        "needs it.",
    ]
    if not draft.rag.source.startswith("the key"):
        convention = ", ".join(
            f"{c.capitalize()}: {m}" for c, m in knowledge().rag_convention.items()
        )
        items.append(f"Confirm your RAG colours mean what is usual ({convention}).")
    return ["## Check before you publish", "", *(f"{i}. {t}" for i, t in enumerate(items, 1))]


def report_text(draft: Draft) -> str:
    lines = [
        f"# Draft configuration for {draft.name}",
        "",
        f"Drafted by `impact-review init` from {_where(draft)}. Only headers and vocabulary "
        "values are shown here, never the text of a recommendation, action or update.",
        "",
        *_columns(draft),
        "",
        *_vocabularies(draft),
        "",
        *_rag(draft),
        "",
        *_checks(draft),
    ]
    return "\n".join(lines) + "\n"
