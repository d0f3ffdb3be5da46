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

import numpy as np
import pandas as pd
import polars as pl

from impact_review.errors import ValidationFailed
from impact_review.evidence.form import MERGED_FREE_TEXT
from impact_review.exports import write_json
from impact_review.intake.taxonomy import Taxonomy, default_taxonomy
from impact_review.publish.pii import (
    ASCII_SPACE,
    GENERATED_TOKEN_SCREEN,
    FrameFinding,
    PiiRules,
    default_pii_rules,
    find_personal_data,
    kinds_in_texts,
    mask_generated_tokens,
    scan_frame,
    screened,
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


def published_regex(value: str, spaces: str = r"\s") -> str:
    """A declared contact value as it may appear in extracted text: any spacing or line break
    between its characters, and for a phone number any separators between its digits. spaces:
    the class of spaces, as the engine that runs the pattern spells it."""
    if re.fullmatch(r"[0-9 ()+-]+", value):
        parts, between = [c for c in value if c.isdigit()], rf"[{spaces}().+-]*"
    else:
        parts, between = [c for c in value if not c.isspace()], rf"[{spaces}]*"
    return between.join(re.escape(part) for part in parts)


def published_pattern(value: str) -> re.Pattern[str]:
    return re.compile(published_regex(value), re.IGNORECASE)


def mask_published(text: str, published: Sequence[str]) -> str:
    """The text with each declared public contact value replaced by as many "x"s."""
    for value in published:
        text = published_pattern(value).sub(lambda match: "x" * len(match.group()), text)
    return text


def published_screen(value: str) -> str:
    """published_pattern(value) for screened (RE2 over ASCII text), Python's \\s spelled out. A
    value that is not ASCII may match ASCII text under Python's case folding and not RE2's ("ı"
    matches "i"), so its screen, empty, passes every text."""
    return f"(?i:{published_regex(value, ASCII_SPACE)})" if value.isascii() else ""


def masked_texts(texts: Sequence[str], published: Sequence[str] = ()) -> list[str]:
    """Each text with the report's generated tokens and its declared public contacts masked
    (mask_generated_tokens, then mask_published); the texts a screen shows neither can change
    are passed through as they are."""
    screen = "|".join([GENERATED_TOKEN_SCREEN, *map(published_screen, published)])
    masked = list(texts)
    for i in np.flatnonzero(screened(texts, screen)):
        masked[i] = mask_published(mask_generated_tokens(texts[i]), published)
    return masked


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
    header's included, in order: each is scanned on its own, as a workbook's cells are."""
    frame = pl.read_csv(path, has_header=False, infer_schema=False)
    cells = pl.concat([frame[column].unique() for column in frame.columns]).unique().drop_nulls()
    return cells.filter(cells != "").sort().to_list()


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
    cells are scanned each on its own, and a screen run over all of them at once passes on to
    the full scan only those that could hold personal data (could_hold_personal_data): a listing
    of a million recommendations, nearly all references and dates, is a scan of about a second.
    """
    rules = rules or default_pii_rules()
    found = []
    for path in paths:
        texts = masked_texts(published_texts(path), published)
        if path.suffix in CELL_FILES:
            findings = [kind for kinds in kinds_in_texts(texts, rules) for kind in kinds]
        else:
            findings = [f.kind for text in texts for f in find_personal_data(text, rules)]
        found += [(path.name, kind) for kind in findings]
    return found


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
