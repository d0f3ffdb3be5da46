"""From a tracker as read to canonical, typed, in-period recommendations.

Every value is mapped through the taxonomy. A value that maps to nothing stops the run with its
file, sheet, row and column: it is never quietly filed under "Other". What was left out, and how
each spelling was read, is recorded for the audit trail (see trail.py).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

import pandas as pd

from impact_review.errors import InputError, Location, Problems
from impact_review.intake.dates import (
    DateProblem,
    parse_uk_date,
)
from impact_review.intake.taxonomy import Taxonomy, Vocabulary, default_taxonomy, normalise_key
from impact_review.intake.themes import (
    ThemeOverride,
    assign_themes,
    load_theme_overrides,
    unapplied_overrides,
)
from impact_review.intake.tracker import ExcelError, Table, TrackerRead
from impact_review.intake.trail import LeftOutRow, Mappings, Note, Reason
from impact_review.paths import shown_path
from impact_review.period import Period, format_uk_date

STATUS_SEPARATORS = re.compile(r"\s[-\u2013\u2014]\s|[:;,(/]")


@dataclass
class CleanResult:
    """The cleaned recommendations in the period, the sources behind them, and what was done."""

    recommendations: pd.DataFrame
    sources: pd.DataFrame
    counts: dict[str, int]
    left_out: tuple[LeftOutRow, ...]
    mappings: pd.DataFrame  # trail.MAPPING_COLUMNS
    repairs: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def tidy_label(value: Any) -> str | None:
    """A short label with its white space collapsed (free text keeps its own)."""
    text = _text(value)
    return " ".join(text.split()) if text else None


class StatusMatch(NamedTuple):
    status: str
    words: str  # the words that matched: the whole cell, or only its opening words
    whole: bool


def map_status(value: str, statuses: Vocabulary) -> StatusMatch | None:
    """A canonical status from free text: the whole value, else its opening words."""
    opening = STATUS_SEPARATORS.split(value, maxsplit=1)[0].strip()
    for candidate in (value, opening):
        if (found := statuses.map(candidate)) is not None:
            return StatusMatch(found, candidate, candidate == value)
    words = normalise_key(value).split()
    for size in (3, 2, 1):
        if len(words) > size and (found := statuses.map(" ".join(words[:size]))) is not None:
            return StatusMatch(found, " ".join(words[:size]), False)
    return None


class ThemesRead(NamedTuple):
    names: list[str]  # canonical themes in taxonomy order
    unknown: list[str]  # parts that matched no theme
    matched: list[tuple[str, str]]  # (part as written, canonical theme)


def map_themes(
    value: str | None, themes: Vocabulary, splitter: re.Pattern[str] | None = None
) -> ThemesRead:
    """The canonical themes of a cell, the parts that matched none, and which part became
    which theme. The cell is split at the taxonomy's input separators (new lines included)
    before each part's white space is tidied."""
    if not value:
        return ThemesRead([], [], [])
    splitter = splitter or default_taxonomy().list_splitter
    matched, unknown = [], []
    for raw_part in splitter.split(value):
        part = tidy_label(raw_part)
        if not part:
            continue
        name = themes.map(part)
        if name is None:
            unknown.append(part)
        else:
            matched.append((part, name))
    found = {name for _, name in matched}
    return ThemesRead([n for n in themes.names if n in found], unknown, matched)


@dataclass
class VocabularySeen:
    """The distinct vocabulary values a tracker holds, and those the configuration lacks: when
    most are unknown the tracker is another partnership's, and the answer is a configuration of
    its own, not aliases one by one."""

    values: set[tuple[str, str]] = field(default_factory=set)
    unknown: set[tuple[str, str]] = field(default_factory=set)

    def add(self, kind: str, label: str, known: bool) -> None:
        self.values.add((kind, normalise_key(label)))
        if not known:
            self.unknown.add((kind, normalise_key(label)))

    def mostly_unknown(self) -> bool:
        return len(self.unknown) * 2 > len(self.values)

    def advice(self, read: TrackerRead, taxonomy: Taxonomy) -> tuple[str, ...]:
        if not self.mostly_unknown():
            return ()
        return (
            f"Most of this tracker's agencies, areas, themes and source types ("
            f"{len(self.unknown)} of {len(self.values)} distinct values) are not in the "
            f"configuration in force ({shown_path(taxonomy.source_file.parent)}): it looks like "
            "another partnership's tracker. Draft its own configuration with `impact-review init "
            f"--tracker {read.path} --out DIR`, check it, then run with `--config DIR`.",
        )


class _Cleaner:
    """Holds the context a row needs (tracker, taxonomy, problems) while cleaning one table."""

    def __init__(self, read: TrackerRead, taxonomy: Taxonomy):
        self.read = read
        self.taxonomy = taxonomy
        self.problems = Problems()
        self.repairs: Counter = Counter()
        self.mappings = Mappings.empty()
        self.epoch = read.excel_epoch
        self.seen = VocabularySeen()
        self.unmapped_problems: dict[tuple[str, str], str] = {}

    @property
    def dates(self) -> tuple[str, ...]:
        return self.taxonomy.date_fields

    def where(self, table: Table, row: int, column: str) -> Location:
        return Location(self.read.path, table.sheet, row, table.columns.get(column, column))

    def value(self, table: Table, row: int, column: str, raw: Any, mandatory: bool) -> Any:
        if isinstance(raw, ExcelError):
            if mandatory:
                self.problems.add(
                    f"Excel error {raw.code} in a mandatory column"
                    if raw.code.startswith("#")
                    else f"{raw.code} in a mandatory column",
                    self.where(table, row, column),
                )
            else:
                self.repairs[f"Excel error value (such as #N/A) left empty ({column})"] += 1
            return None
        return raw

    def canonical(
        self, table: Table, row: int, column: str, label: str | None, vocabulary: Vocabulary
    ) -> str | None:
        if label is None:
            return None
        name = vocabulary.map(label)
        self.seen.add(vocabulary.kind, label, name is not None)
        if name is None:
            self.problems.add(
                self.unmapped(label, vocabulary), self.where(table, row, column), label
            )
        return name

    def mapped(
        self, table: Table, row: int, column: str, raw: Any, vocabulary: Vocabulary
    ) -> str | None:
        """The canonical name of a recommendation's cell, its spelling recorded for the trail."""
        label = tidy_label(raw)
        name = self.canonical(table, row, column, label, vocabulary)
        if name is not None:
            self.mappings.add(column, label, name, row)
        return name

    def unmapped(self, label: str, vocabulary: Vocabulary) -> str:
        """Why a value is refused, without the value (the message puts it first); worked out
        once per value, as a suggestion compares it with every alias."""
        key = (vocabulary.kind, normalise_key(label))
        if key not in self.unmapped_problems:
            guess = vocabulary.suggest(label)
            hint = f"did you mean {guess!r}? If so, " if guess else ""
            self.unmapped_problems[key] = (
                f"is not in the {vocabulary.kind.replace('_', ' ')} of "
                f"{shown_path(self.taxonomy.source_file)} ({hint}add it there as an alias)"
            )
        return self.unmapped_problems[key]

    def dated(
        self, table: Table, row: int, column: str, raw: Any, mandatory: bool = False
    ) -> date | None:
        """The cell's date; a word meaning "no date" (TBC, Ongoing) is a counted blank where the
        column may be empty, and a problem where it may not."""
        if isinstance(raw, str) and normalise_key(raw) in self.taxonomy.not_dates:
            word = tidy_label(raw)
            if mandatory:
                self.problems.add(
                    "is not a date, and every recommendation needs one here",
                    self.where(table, row, column),
                    word,
                )
            else:
                self.repairs[f"no-date word (such as TBC or Ongoing) left blank ({column})"] += 1
            return None
        try:
            parsed = parse_uk_date(raw, epoch=self.epoch, month_only=column == "due_date")
        except DateProblem as exc:
            self.problems.add(exc.reason, self.where(table, row, column), exc.written)
            return None
        if parsed is None:
            return None
        if parsed.repair:
            self.repairs[f"{parsed.repair} ({column})"] += 1
        return parsed.value

    def missing_columns(self) -> None:
        """A column the partnership requires and the tracker lacks, as one problem among all."""
        table = self.read.recommendations
        for name in self.read.missing_required:
            self.problems.add(
                f"missing required column: {name.replace('_', ' ')} (required by the "
                f"configuration in {shown_path(self.taxonomy.source_file.parent)})",
                Location(self.read.path, table.sheet, table.header_row),
            )

    def sources(self) -> dict[str, tuple[str | None, date | None, str | None]]:
        """Normalised source name -> (canonical type, date, type as written), from the sources
        sheet."""
        table = self.read.sources
        if table is None:
            return {}
        out = {}
        for record in table.frame.to_dict("records"):
            row = record["sheet_row"]
            name = tidy_label(self.value(table, row, "name", record["name"], True))
            if name is None:
                self.problems.add("blank source name", self.where(table, row, "name"))
                continue
            written = tidy_label(self.value(table, row, "type", record["type"], True))
            kind = self.canonical(table, row, "type", written, self.taxonomy.source_types)
            when = self.dated(table, row, "date", record.get("date"))
            out[normalise_key(name)] = (kind, when, written)
        return out

    def row(self, record: dict[str, Any], sources: dict) -> dict[str, Any]:
        table = self.read.recommendations
        row = record["sheet_row"]
        mandatory = self.taxonomy.mandatory_fields
        cells = {
            column: self.value(table, row, column, record.get(column), column in mandatory)
            for column in self.taxonomy.fields
        }
        for column in mandatory:
            if column in self.read.missing_required:
                continue
            if _text(cells[column]) is None and not isinstance(record.get(column), ExcelError):
                self.problems.add("mandatory value is blank", self.where(table, row, column))
        source_name = tidy_label(cells["source_name"])
        source_type = self.mapped(
            table, row, "source_type", cells["source_type"], self.taxonomy.source_types
        )
        if source_type is None and source_name is not None and cells["source_type"] is None:
            known = sources.get(normalise_key(source_name))
            if known is None:
                self.problems.add(
                    "source type is blank and the source is not on the sources sheet",
                    self.where(table, row, "source_type"),
                )
            else:
                source_type = known[0]
                if source_type is not None:
                    self.mappings.add(
                        "source_type", known[2], source_type, row, Note.FROM_SOURCES_SHEET
                    )
        themes = self.themes(table, row, cells["themes"])
        status = self.status(row, cells["status"])
        return {
            "rec_id": _text(cells["rec_id"]),
            "source_name": source_name,
            "source_type": source_type,
            "agency": self.mapped(table, row, "agency", cells["agency"], self.taxonomy.agencies),
            "area_of_learning": self.mapped(
                table, row, "area_of_learning", cells["area_of_learning"], self.taxonomy.areas
            ),
            "themes": self.taxonomy.list_separator.join(themes),
            **{column: _text(cells[column]) for column in self.taxonomy.free_text_fields},
            **{
                column: self.dated(table, row, column, cells[column], column in mandatory)
                for column in self.dates
            },
            "status": status,
            "priority": self.mapped(
                table, row, "priority", cells["priority"], self.taxonomy.priorities
            ),
            "sheet_row": row,
        }

    def themes(self, table: Table, row: int, raw: Any) -> list[str]:
        themes = self.taxonomy.themes
        read = map_themes(_text(raw), themes, self.taxonomy.list_splitter)
        for part in read.unknown:
            self.seen.add(themes.kind, part, known=False)
            self.problems.add(self.unmapped(part, themes), self.where(table, row, "themes"), part)
        for part, name in read.matched:
            self.seen.add(themes.kind, part, known=True)
            self.mappings.add("themes", part, name, row)
        return read.names

    def status(self, row: int, raw: Any) -> str | None:
        """The canonical status; the trail records only the words that matched (the rest of the
        cell is free text)."""
        text = tidy_label(raw)
        if text is None:
            return None
        match = map_status(text, self.taxonomy.statuses)
        if match is None:
            self.repairs["status not recognised, left empty (status)"] += 1
            self.mappings.add("status", "", "", row, Note.NOT_RECOGNISED)
            return None
        note = Note.CELL if match.whole else Note.OPENING_WORDS
        self.mappings.add("status", match.words, match.status, row, note)
        return match.status

    def left_out(self, frame: pd.DataFrame, in_period: pd.Series) -> tuple[LeftOutRow, ...]:
        """Every row of the recommendations sheet that is not analysed, with its reason."""
        table = self.read.recommendations
        outside = frame.loc[~in_period]
        return (
            *(LeftOutRow(table.sheet, row, Reason.ABOVE_HEADER) for row in table.above_header),
            *(LeftOutRow(table.sheet, row, Reason.BLANK) for row in table.blank_rows),
            *(
                LeftOutRow(table.sheet, int(row), Reason.OUTSIDE_PERIOD, rec_id, agreed.date())
                for row, rec_id, agreed in zip(
                    outside["sheet_row"], outside["rec_id"], outside["date_agreed"], strict=True
                )
            ),
        )


def clean_tracker(
    read: TrackerRead,
    period: Period,
    taxonomy: Taxonomy | None = None,
    overrides: dict[str, ThemeOverride] | None = None,
) -> CleanResult:
    """Canonical recommendations agreed within the period, their themes set by precedence
    (themes.py; overrides default to the taxonomy's folder's); InputError lists every unusable
    cell."""
    cleaner = _Cleaner(read, taxonomy or default_taxonomy())
    if overrides is None:
        folder = cleaner.taxonomy.source_file.parent
        overrides = load_theme_overrides(folder, cleaner.taxonomy.themes)
    cleaner.missing_columns()
    sources = cleaner.sources()
    rows = [
        cleaner.row(record, sources) for record in read.recommendations.frame.to_dict("records")
    ]
    taxonomy = cleaner.taxonomy
    cleaner.problems.raise_if_any(cleaner.seen.advice(read, taxonomy))
    frame = pd.DataFrame.from_records(rows, columns=[*taxonomy.fields, "sheet_row"])
    for column in taxonomy.date_fields:
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ms]")
    frame["sheet_row"] = frame["sheet_row"].astype("int64")
    in_period = frame["date_agreed"].between(pd.Timestamp(period.start), pd.Timestamp(period.end))
    if not in_period.any():
        raise_empty_period(read, frame["date_agreed"], period)
    kept = frame.loc[in_period].sort_values("sheet_row", kind="mergesort").reset_index(drop=True)
    kept = assign_themes(kept, taxonomy, overrides)
    blank = len(read.recommendations.blank_rows)
    counts = {
        "read": len(read.recommendations.frame) + blank,
        "blank_dropped": blank,
        "outside_period": int((~in_period).sum()),
        "analysed": len(kept),
    }
    return CleanResult(
        recommendations=kept,
        sources=summarise_sources(kept, sources),
        counts=counts,
        left_out=cleaner.left_out(frame, in_period),
        mappings=cleaner.mappings.frame(taxonomy.fields, kept["sheet_row"]),
        repairs=cleaner.repairs,
        notes=[*read.notes, *unapplied_overrides(overrides, frame["rec_id"])],
    )


def raise_empty_period(read: TrackerRead, agreed: pd.Series, period: Period) -> None:
    """Stop before an analysis of nothing (every table empty, every chart without a scale)."""
    raise InputError(
        f"no recommendation in {read.path.name} was agreed between "
        f"{format_uk_date(period.start)} and {format_uk_date(period.end)}; the tracker's dates "
        f"agreed run from {format_uk_date(agreed.min().date())} to "
        f"{format_uk_date(agreed.max().date())} "
        "(choose the period with --year or with --from and --to)",
        Location(read.path, read.sheet),
    )


def summarise_sources(recommendations: pd.DataFrame, sheet: dict) -> pd.DataFrame:
    """One row per source with recommendations in the period, dated from the sources sheet."""
    grouped = (
        recommendations.groupby(["source_type", "source_name"], sort=False)
        .agg(recommendations=("rec_id", "size"), first_row=("sheet_row", "min"))
        .reset_index()
        .sort_values("first_row", kind="mergesort")
    )
    grouped["source_date"] = [
        (sheet.get(normalise_key(name)) or (None, None, None))[1] for name in grouped["source_name"]
    ]
    grouped["source_date"] = pd.to_datetime(grouped["source_date"]).astype("datetime64[ms]")
    return grouped[["source_name", "source_type", "source_date", "recommendations"]].reset_index(
        drop=True
    )
