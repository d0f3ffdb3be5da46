"""Publication safety: no personal data leaves in a published file.

Tracker free text is scanned before the analysis writes anything publishable, and every published
file (the rendered HTML and PDF, the Excel annex) is scanned again as text, as a reader would see
it, before they are moved into place. Findings name the recommendation, column or file and the
kind of data; never the text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from impact_review.errors import ValidationFailed
from impact_review.evidence.form import MERGED_FREE_TEXT
from impact_review.exports import write_json
from impact_review.intake.taxonomy import Taxonomy, default_taxonomy
from impact_review.publish.pii import (
    FrameFinding,
    PiiRules,
    default_pii_rules,
    find_personal_data,
    mask_generated_tokens,
    scan_frame,
)

SHOWN_IN_MESSAGE = 5
# The only kind a term in config/pii-allow.yaml can excuse: the allow file quiets the name
# heuristic, never a number, postcode, email, date or deny-listed name.
ALLOWABLE_KINDS = frozenset({"person_name"})


def scanned_columns(taxonomy: Taxonomy | None = None) -> tuple[str, ...]:
    """Text columns that reach the report: the free text, the learning activities' names, and
    the evidence returned to the call for evidence."""
    free_text = sorted((taxonomy or default_taxonomy()).free_text_fields)
    return (*free_text, "source_name", *MERGED_FREE_TEXT)


def scan_tracker_text(frame: pd.DataFrame, rules: PiiRules | None = None) -> list[FrameFinding]:
    """Personal data in the cleaned recommendations' text columns (those present)."""
    columns = [c for c in scanned_columns() if c in frame.columns]
    return scan_frame(frame, columns, rules=rules or default_pii_rules())


# Elements a reader sees as separate blocks (cells, paragraphs, items). Their text is kept apart
# by more space than a phone number may hold, so a number in one table cell and a count in the
# next never read as one number, and one hides the other; text within a block runs on as shown.
BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    }
)
BLOCK_BREAK = "\n\n\n"


class _VisibleText(HTMLParser):
    """Text a reader sees or hears: element text and alt/title attributes, not scripts or styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        if tag in BLOCK_TAGS:
            self.parts.append(BLOCK_BREAK)
        for name, value in attrs:
            if name in ("alt", "title", "aria-label") and value:
                self.parts += [BLOCK_BREAK, value, BLOCK_BREAK]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1
        if tag in BLOCK_TAGS:
            self.parts.append(BLOCK_BREAK)

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_text(path: Path) -> str:
    parser = _VisibleText()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts)


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader  # deferred: only the publication step needs it

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def published_pattern(value: str) -> re.Pattern[str]:
    """A declared contact value as it may appear in extracted text: any spacing or line break
    between its characters, and for a phone number any separators between its digits."""
    if re.fullmatch(r"[0-9 ()+-]+", value):
        parts, between = [c for c in value if c.isdigit()], r"[\s().+-]*"
    else:
        parts, between = [c for c in value if not c.isspace()], r"\s*"
    return re.compile(between.join(re.escape(part) for part in parts), re.IGNORECASE)


def mask_published(text: str, published: Sequence[str]) -> str:
    """The text with each declared public contact value replaced by as many "x"s."""
    for value in published:
        text = published_pattern(value).sub(lambda match: "x" * len(match.group()), text)
    return text


def workbook_cells(path: Path) -> list[str]:
    """The text of every cell of every sheet. Each is scanned on its own, as a reader sees it:
    joined, a count in the next cell would run on from a phone number and hide it."""
    from openpyxl import load_workbook  # deferred: only the publication step needs it

    workbook = load_workbook(path, read_only=True)
    try:
        return [
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
    finally:
        workbook.close()


def csv_cells(path: Path) -> list[str]:
    """The distinct text of the cells of a CSV file (a listing too long for the review), its
    header's included: each is scanned on its own, as a workbook's cells are."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, header=None)
    distinct = set()
    for column in frame.columns:
        distinct.update(frame[column].unique())
    distinct.discard("")
    return sorted(distinct)


# The files read cell by cell: a cell's text is scanned once however many cells hold it.
CELL_FILES = {".xlsx": workbook_cells, ".csv": csv_cells}


def published_texts(path: Path) -> list[str]:
    """A published file's text as its kind of file is read: a workbook's or a CSV file's cell by
    cell, the PDF's or the HTML's whole."""
    if path.suffix in CELL_FILES:
        return CELL_FILES[path.suffix](path)
    return [pdf_text(path) if path.suffix == ".pdf" else html_text(path)]


def scan_rendered(
    paths: list[Path], rules: PiiRules | None = None, published: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """(file name, kind) for each piece of personal data in the published files' text.

    The report prints its own provenance (the input's sha256, the commit id); those tokens are
    masked first, so a digest that happens to hold a valid NHS number cannot stop a release. So
    are the public contacts the narrative declares (published: their numbers, addresses and web
    addresses), which the review prints on purpose; nothing else is. A workbook's or CSV file's
    cells are scanned as one frame of their distinct texts (a text in many cells is found once):
    a listing of a million recommendations is a few seconds' scan, not a page of text.
    """
    rules = rules or default_pii_rules()
    found = []
    cell_kinds: dict[str, list[str]] = {}  # each cell text's kinds, once for all the files
    for path in paths:
        texts = [mask_published(mask_generated_tokens(t), published) for t in published_texts(path)]
        if path.suffix in CELL_FILES:
            cell_kinds |= scanned_cells([t for t in texts if t not in cell_kinds], rules)
            findings = [kind for text in texts for kind in cell_kinds[text]]
        else:
            findings = [f.kind for text in texts for f in find_personal_data(text, rules)]
        found += [(path.name, kind) for kind in findings]
    return found


def scanned_cells(texts: list[str], rules: PiiRules) -> dict[str, list[str]]:
    """The kinds of personal data in each of these cell texts, scanned as one frame."""
    kinds: dict[str, list[str]] = {text: [] for text in texts}
    cells = pd.DataFrame({"cell": range(len(texts)), "text": texts})
    for finding in scan_frame(cells, ["text"], id_column="cell", rules=rules):
        kinds[texts[int(finding.rec_id)]].append(finding.kind)
    return kinds


def pii_summary(tracker: list[FrameFinding], rendered: list[tuple[str, str]] | None = None) -> dict:
    """Counts by kind and column, and the rec_ids concerned: for the restricted audit folder."""
    return {
        "tracker_text": {
            "findings": len(tracker),
            "by_kind": dict(sorted(Counter(f.kind for f in tracker).items())),
            "by_column": dict(sorted(Counter(f.column for f in tracker).items())),
            "rec_ids": sorted({f.rec_id for f in tracker}),
        },
        "rendered": {
            "findings": len(rendered or []),
            "by_file_and_kind": dict(
                sorted(Counter(f"{n}: {k}" for n, k in rendered or []).items())
            ),
        },
    }


def write_pii_summary(summary: dict, path: Path) -> Path:
    write_json(summary, path)
    return path


def raise_for_personal_data(
    tracker: list[FrameFinding], rendered: list[tuple[str, str]] = ()
) -> None:
    """Stop publication, naming where personal data was found and its kind, never the data."""
    places = [f"rec_id {f.rec_id}, column {f.column!r}: {f.kind}" for f in tracker]
    places += [f"{name}: {kind}" for name, kind in rendered]
    if not places:
        return
    shown = "; ".join(places[:SHOWN_IN_MESSAGE])
    more = f"; and {len(places) - SHOWN_IN_MESSAGE} more" if len(places) > SHOWN_IN_MESSAGE else ""
    advice = "; ".join(_advice({f.kind for f in tracker}, {kind for _, kind in rendered}))
    raise ValidationFailed(f"personal data found, nothing published ({shown}{more}); {advice}")


def _advice(tracker_kinds: set[str], rendered_kinds: set[str]) -> list[str]:
    """What the person running the report can do: the allow file only where it can help."""
    advice = []
    if (tracker_kinds | rendered_kinds) & ALLOWABLE_KINDS:
        advice.append("if a flagged name is not a person's, add it to config/pii-allow.yaml")
    others = sorted((tracker_kinds | rendered_kinds) - ALLOWABLE_KINDS)
    if others:
        source = (
            "the tracker's cells, its file name or its sheet name"
            if rendered_kinds - ALLOWABLE_KINDS
            else "the tracker"
        )
        advice.append(
            f"remove the {', '.join(others)} from {source} "
            "(config/pii-allow.yaml excuses flagged names only)"
        )
    return advice
