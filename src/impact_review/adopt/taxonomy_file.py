"""The draft's files as text: taxonomy.yaml with a comment on everything that was guessed, and
partnership.yaml. Written by hand rather than dumped, so the comments sit where the analyst reads;
the same draft always gives the same bytes."""

from __future__ import annotations

import yaml

from impact_review.adopt.draft import SHORT_NAME, Draft, VocabularyDraft
from impact_review.adopt.rag import StatusEntry

HEAD = """\
# {name}: the vocabulary DRAFTED by `impact-review init` from {tracker}.
# Check every entry marked "guessed" or "grouped", write each definition, then run the review with
# --config on this folder (see INIT-REPORT.md beside it and docs/partnership-config.md). Matching
# ignores case, spacing and punctuation. Never add a catch-all ("Other"): a value that maps to
# nothing is reported with its row, not hidden.
version: 1
"""

SECTIONS = {
    "source_types": "# How the review writes each type in a sentence; name_suffix is the word a\n"
    "# source's name ends with, dropped where the names are listed by type.",
    "agencies": "# short: an abbreviation the tracker uses, else the name without the place name.",
    "areas_of_learning": "# Write each definition: it says what the area covers.",
    "themes": "# Write each definition: the review prints it beside the theme.",
    "priorities": "# How soon each is to be acted on (the review checks each has a priority).",
}


def _flow(value) -> str:
    """A YAML scalar or flow list on one line."""
    text = yaml.safe_dump([value], default_flow_style=True, width=10**9, allow_unicode=True)
    return text.strip()[1:-1]


def _entry(entry: dict, comment: str | None) -> list[str]:
    lines = [f"  # {comment}"] if comment else []
    first = True
    for key, value in entry.items():
        lines.append(f"  {'- ' if first else '  '}{key}: {_flow(value)}")
        first = False
    return lines


def _vocabulary(draft: VocabularyDraft) -> list[str]:
    lines = ["", SECTIONS[draft.kind], f"{draft.kind}:" + ("" if draft.entries else " []")]
    for entry in draft.entries:
        lines += _entry(entry, draft.comments.get(entry["name"]))
    return lines


def _status(entry: StatusEntry) -> list[str]:
    notes = []
    if entry.colours:
        notes.append("RAG " + ", ".join(entry.colours))
    if entry.guessed:
        notes.append("guessed: not a status init knows; check closed")
    data: dict = {"name": entry.name}
    if entry.meaning:
        data["meaning"] = entry.meaning
    if entry.closed:
        data["closed"] = True
    if entry.implemented:
        data["implemented"] = True
    data["aliases"] = entry.aliases
    return _entry(data, "; ".join(notes) or None)


def taxonomy_text(draft: Draft) -> str:
    lines = [HEAD.format(name=draft.name, tracker=draft.tracker.name).rstrip("\n")]
    if draft.columns:
        lines += [
            "",
            "# Header names this tracker uses that config/schema.yaml does not know.",
            "columns:",
        ]
        for field, spec in draft.columns.items():
            guessed = "guessed from the header's words" if "headers" in spec else "no such column"
            lines.append(f"  {field}: {_flow(spec)}  # {guessed}")
    for kind in ("source_types", "agencies", "areas_of_learning", "themes"):
        lines += _vocabulary(draft.vocabularies[kind])
    if draft.vocabularies["priorities"].entries:  # only a tracker with a priority column
        lines += _vocabulary(draft.vocabularies["priorities"])
    lines += [
        "",
        f"# Statuses; RAG colours from {draft.rag.source}. closed: needs no further action;",
        "# implemented: carried out (what the review counts as completed). A colour is not a date.",
        "statuses:",
    ]
    for entry in draft.statuses:
        lines += _status(entry)
    return "\n".join(lines) + "\n"


def partnership_text(draft: Draft) -> str:
    note = "" if draft.named else "  # CHANGE ME: the name the review's title page gives"
    return (
        "# The partnership this configuration folder describes (drafted by `impact-review init`).\n"
        f"name: {_flow(draft.name)}{note}\n"
        f"short_name: {_flow(SHORT_NAME)}\n"
    )
