"""The Excel annex: every table the review shows, in a workbook laid out as the Analysis
Function's guidance on releasing statistics in spreadsheets asks (a cover, contents, notes, then
one table per sheet with its title and source), written with gptables, which implements it.

The tables are bundle.tables' own (the same rows, captions and column headers as the report), so
the annex can say nothing the review does not; where the report leaves a cell blank the annex
writes [z], the guidance's symbol for "not applicable", and says so beside the table. Every
cell is data: text a spreadsheet would run as a formula is neutralised as in the processed CSV,
and XlsxWriter is told never to read a string as a formula, a number or a link.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from gptables import Cover, GPTable, produce_workbook
from gptables.core.gptable import FormatList
from pandas.errors import PandasDeprecationWarning

from impact_review.analyse.review import Analysis
from impact_review.bundle.tables import (
    IMPACT_HEADERS,
    IMPACT_LISTING,
    TABLES,
    TableSpec,
    listing_file,
    table_frames,
)
from impact_review.exports import neutralise_formula, write_csv
from impact_review.period import format_uk_date
from impact_review.report_settings import report_settings

NOT_APPLICABLE = "[z]"
NOT_APPLICABLE_LEGEND = (
    f"{NOT_APPLICABLE} = not applicable: the review leaves this cell blank, as there is nothing "
    "to give (for example, no median days late where no recommendation is late)."
)
NO_ROWS = f"The review's table has no rows for this period; its one row here is {NOT_APPLICABLE}."
# gptables' own names, which a table's sheet must not take (Excel reserves History).
FIXED_SHEETS = ("Cover", "Contents", "Notes", "History")
SHEET_NAME_LIMIT = 31
WORKBOOK_OPTIONS = {
    "in_memory": True,  # zip members stamped 1 January 1980, not the time of writing
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
# gptables turns text like "[a](b)" in a cell into a link, and refuses a cell with no letter or
# digit; such text is handed over as rich text, which it writes as it is.
_LINK_LIKE = re.compile(r"\[.+\]\(.+\)")
_NO_LETTER_OR_DIGIT = re.compile(r"^[^a-zA-Z0-9]*$")


@dataclass(frozen=True)
class Provenance:
    """What the annex says of where its numbers come from, as the report says it."""

    partnership: str
    period: str
    as_at: date
    tracker: str
    sha256: str
    rows_read: int
    outside_period: int
    analysed: int
    code_version: str

    @classmethod
    def of(cls, variables: dict[str, Any]) -> Provenance:
        """From the report's variables (the render bundle's _variables.yml)."""
        source = variables["input"]
        return cls(
            partnership=variables["partnership"]["name"],
            period=variables["period"]["text"],
            as_at=date.fromisoformat(variables["as_at"]["iso"]),
            tracker=source["file"],
            sha256=source["sha256"],
            rows_read=int(source["rows_read"]),
            outside_period=int(source["outside_period"]),
            analysed=int(variables["counts"]["total"]),
            code_version=variables["code"]["version"],
        )

    @property
    def source(self) -> str:
        return (
            f"Source: {self.tracker} (sha256 {self.sha256}), analysed by impact-review at "
            f"{self.code_version}."
        )


def read_provenance(variables_file: Path) -> Provenance:
    return Provenance.of(yaml.safe_load(variables_file.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Note:
    """One entry of the Notes sheet, referred to from the headers of the columns it explains."""

    key: str
    text: str
    columns: tuple[str, ...] = ()


def listings_note(listings: dict[str, int]) -> tuple[Note, ...]:
    """Where the listings too long for the review are, when there are any (no sheet has them)."""
    if not listings:
        return ()
    files = "; ".join(f"{listing_file(name)} ({rows} rows)" for name, rows in listings.items())
    return (
        Note(
            "listings",
            "Listings too long to print in the review are not worksheets here: each is a CSV "
            f"file published beside this workbook, with the same columns: {files}.",
        ),
    )


def annex_notes(provenance: Provenance, listings: dict[str, int] | None = None) -> tuple[Note, ...]:
    """The notes, the first referred to from every table's source line; the last, when there
    are listings too long for the review, says where they are."""
    return (
        Note(
            "rows",
            f"The tracker had {provenance.rows_read} rows of recommendations, "
            f"{provenance.outside_period} of them agreed outside the period; the review analyses "
            f"{provenance.analysed} recommendations agreed {provenance.period}.",
        ),
        Note(
            "percent",
            "% of all: the row's recommendations as a percentage of all the recommendations "
            "analysed, a whole number with halves rounded up, so a column may not add up to 100.",
            ("percent",),
        ),
        Note(
            "themes",
            "A recommendation may carry more than one theme, so the themes' counts add up to more "
            "than the number of recommendations.",
            ("theme",),
        ),
        Note(
            "as_at",
            f"Statuses are as the tracker recorded them; whether a recommendation is overdue, how "
            f"many days late it is and its RAG rating are worked out as at "
            f"{format_uk_date(provenance.as_at)}.",
            ("status", "rag", "open", "overdue", "days_overdue"),
        ),
        *listings_note(listings or {}),
    )


def reference(note: Note) -> str:
    """How gptables marks a reference to a note (it numbers them as [note N])."""
    return f"$${note.key}$$"


def column_notes(columns: Sequence[str], notes: Iterable[Note]) -> dict[int, str]:
    """Each column's note references, by its position: the ones whose notes explain it."""
    found: dict[int, str] = {}
    for note in notes:
        for position, column in enumerate(columns):
            if column in note.columns:
                found[position] = found.get(position, "") + reference(note)
    return found


def annex_cell(value: Any) -> Any:
    """One cell as the annex writes it: numbers as numbers, text as text that cannot be run,
    and a blank as NOT_APPLICABLE."""
    if isinstance(value, str):
        if not value.strip():
            return NOT_APPLICABLE
        text = neutralise_formula(value)
        misread = _LINK_LIKE.search(text) or _NO_LETTER_OR_DIGIT.match(text)
        return FormatList([{}, text]) if misread else text
    if pd.isna(value):
        return NOT_APPLICABLE
    return value.item() if hasattr(value, "item") else value  # numpy scalars as Python's


def annex_rows(frame: pd.DataFrame, headers: dict[str, str]) -> pd.DataFrame:
    """The table's cells as the annex writes them, under the report's column headers; a table
    with no rows keeps one row of NOT_APPLICABLE, as gptables writes no empty table."""
    if frame.empty:
        frame = pd.DataFrame([[None] * len(frame.columns)], columns=frame.columns)
    cells = frame.astype(object).map(annex_cell).reset_index(drop=True)
    return cells.rename(columns=headers)


def sheet_names(names: Sequence[str]) -> dict[str, str]:
    """A valid, distinct Excel sheet name for each table name: letters, digits and underscores,
    at most 31 characters, none of gptables' own sheets (compared as Excel does, ignoring case)."""
    taken = {name.casefold() for name in FIXED_SHEETS}
    found = {}
    for name in names:
        base = re.sub(r"\W", "_", name, flags=re.ASCII)[:SHEET_NAME_LIMIT] or "Table"
        candidate, number = base, 2
        while candidate.casefold() in taken:
            suffix = f"_{number}"
            candidate = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
            number += 1
        taken.add(candidate.casefold())
        found[name] = candidate
    return found


def table_name(sheet: str) -> str:
    """The Excel table's name: the prefix keeps it from reading as a cell reference (BY1)."""
    return f"tbl_{sheet}"


def annex_table(
    spec: TableSpec,
    frame: pd.DataFrame,
    sheet: str,
    provenance: Provenance,
    listings: dict[str, int] | None = None,
) -> GPTable:
    """The table's sheet; its source line refers to the notes on where the data come from and,
    when some listings are CSV files instead of sheets, on where they are."""
    notes = annex_notes(provenance, listings)
    elsewhere = f" Listings too long for the review: {reference(notes[-1])}" if listings else ""
    rows = annex_rows(frame, spec.headers)
    blank = (rows == NOT_APPLICABLE).to_numpy().any()
    return GPTable(
        table=rows,
        table_name=table_name(sheet),
        title=spec.dated_caption(provenance.period, provenance.as_at),
        subtitles=[
            provenance.partnership,  # the title says the period (bundle.captions)
            *([NO_ROWS] if frame.empty else []),
        ],
        source=f"{provenance.source} {reference(notes[0])}{elsewhere}",
        legend=[NOT_APPLICABLE_LEGEND] if blank else [],
        table_notes=column_notes(list(frame.columns), notes),
    )


def annex_sheets(
    result: Analysis,
    provenance: Provenance,
    frames: dict[str, pd.DataFrame] | None = None,
    listings: dict[str, int] | None = None,
) -> dict[str, GPTable]:
    """One sheet per table the review shows (frames, default all its tables), in the order
    bundle.tables lists them."""
    frames = table_frames(result) if frames is None else frames
    specs = [spec for spec in TABLES if spec.name in frames]
    names = sheet_names([spec.name for spec in specs])
    return {
        names[spec.name]: annex_table(
            spec, frames[spec.name], names[spec.name], provenance, listings
        )
        for spec in specs
    }


def referenced_notes(sheets: dict[str, GPTable], notes: Iterable[Note]) -> pd.DataFrame:
    """The Notes sheet's table: the notes some sheet refers to (gptables numbers them)."""
    cited = {
        key
        for table in sheets.values()
        for text in (table.source, *table.table_notes.values())
        for key in re.findall(r"\$\$(.*?)\$\$", text)
    }
    return pd.DataFrame(
        [(note.key, note.text) for note in notes if note.key in cited],
        columns=["Note reference", "Note text"],
    )


def annex_title(provenance: Provenance) -> str:
    return f"Recommendations from case reviews and audits, {provenance.period}: the review's tables"


def annex_cover(provenance: Provenance, listings: dict[str, int] | None = None) -> Cover:
    as_at = format_uk_date(provenance.as_at)
    elsewhere = (
        [
            "Listings too long to print in the review are CSV files beside this workbook, not "
            "worksheets: the Notes worksheet names them."
        ]
        if listings
        else []
    )
    return Cover(
        title=annex_title(provenance),
        intro=[
            f"Every table in {provenance.partnership}'s review of the recommendations from its "
            f"case reviews and multi-agency audits agreed {provenance.period}, with the same rows "
            "and numbers as the review this workbook is published with.",
            "Each table is on its own worksheet, titled with the review's caption for it. The "
            "Contents worksheet lists them; the Notes worksheet explains the notes that their "
            "column headings and sources refer to.",
            *elsewhere,
        ],
        about=[
            f"The review is dated {as_at}: statuses are as the tracker recorded them, and "
            f"overdue recommendations and RAG ratings are worked out as at {as_at}.",
            provenance.source,
        ],
        contact=[
            f"{provenance.partnership} published the review; its contacts are given in the review."
        ],
    )


def listing_frames(
    result: Analysis, frames: dict[str, pd.DataFrame], max_rows: int
) -> dict[str, pd.DataFrame]:
    """The listings too long for the review, by name, under the report's column headers: its
    tables' and its examples of impact."""
    long = {
        spec.name: frames[spec.name].rename(columns=spec.headers)
        for spec in TABLES
        if spec.name in frames and not spec.listed(len(frames[spec.name]), max_rows)
    }
    if len(result.impact) > max_rows:
        long[IMPACT_LISTING] = result.impact[list(IMPACT_HEADERS)].rename(columns=IMPACT_HEADERS)
    return long


def write_listings(listings: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """Each listing as CSV (listing_file) in folder: text that could run as a formula is
    neutralised, as in the processed CSV."""
    written = []
    for name, frame in listings.items():
        written.append(folder / listing_file(name))
        write_csv(frame, written[-1])
    return written


def write_annex(
    result: Analysis, provenance: Provenance, path: Path, max_rows: int | None = None
) -> Path:
    """Write the annex to path, with the same bytes for the same tables: the workbook is dated
    the review's as-at day, not the moment it is written. A listing longer than max_rows
    (default: the configured register_max_rows) is a CSV file beside it instead of a sheet."""
    limit = report_settings().register_max_rows if max_rows is None else max_rows
    frames = table_frames(result)
    listings = listing_frames(result, frames, limit)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_listings(listings, path.parent)
    rows = {name: len(frame) for name, frame in listings.items()}
    sheets = annex_sheets(
        result, provenance, {name: f for name, f in frames.items() if name not in listings}, rows
    )
    with warnings.catch_warnings():
        # gptables 2.0.2 calls pandas in ways pandas 3 deprecates; its own warnings still show.
        warnings.filterwarnings("ignore", category=PandasDeprecationWarning, module="gptables")
        workbook = produce_workbook(
            filename=str(path),
            sheets=sheets,
            cover=annex_cover(provenance, rows),
            notes_table=referenced_notes(sheets, annex_notes(provenance, rows)),
            workbook_options=WORKBOOK_OPTIONS,
        )
    workbook.set_properties(
        {
            "title": annex_title(provenance),
            "author": provenance.partnership,
            "created": datetime.combine(provenance.as_at, time()),
        }
    )
    workbook.close()
    return path
