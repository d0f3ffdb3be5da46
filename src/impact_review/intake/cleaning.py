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

import numpy as np
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


@dataclass(frozen=True)
class DistinctCells:
    """A column as its distinct cells and, for each row, which one it holds, so that what is
    worked out for a cell (a mapping, a date, a problem) is worked out once and taken to every
    row holding it. A blank (None) is the last code: a list of results per cell has the blank's
    result appended last."""

    codes: np.ndarray  # per row: index into cells, len(cells) for a blank
    cells: list[Any]

    @classmethod
    def of(cls, values: pd.Series | None, rows: int) -> DistinctCells:
        if values is None:
            return cls(np.zeros(rows, dtype=np.intp), [])
        cells = values.to_numpy(dtype=object)
        if text_only(cells):
            codes, distinct = pd.factorize(cells)
            return cls.blank_last(codes, list(distinct))
        # other types: a dict takes 1, 1.0 and True for one key, but they are different cells
        keyed = np.empty(len(cells), dtype=object)
        keyed[:] = [None if cell is None else (type(cell), cell) for cell in cells]
        codes, distinct = pd.factorize(keyed)
        return cls.blank_last(codes, [key[1] for key in distinct])

    @classmethod
    def blank_last(cls, codes: np.ndarray, cells: list[Any]) -> DistinctCells:
        return cls(np.where(codes < 0, len(cells), codes), cells)

    def take(self, results: list[Any]) -> np.ndarray:
        """Per row, the result of its cell (results: one per cell, then the blank's)."""
        out = np.empty(len(results), dtype=object)
        out[:] = results
        return out[self.codes]

    def counts(self) -> np.ndarray:
        """How many rows hold each cell (the blank last)."""
        return np.bincount(self.codes, minlength=len(self.cells) + 1)

    def positions(self, wanted: list[bool]) -> dict[int, np.ndarray]:
        """The row positions holding each wanted cell (wanted: one flag per cell, then the
        blank's), by cell."""
        return positions_by_code(self.codes, np.asarray(wanted, dtype=bool)[self.codes])


def positions_by_code(codes: np.ndarray, rows: np.ndarray) -> dict[int, np.ndarray]:
    """The positions of the rows wanted (a flag per row), grouped by their code, ascending."""
    where = np.flatnonzero(rows)
    held = codes[where]
    order = np.argsort(held, kind="stable")
    where, held = where[order], held[order]
    if not len(held):
        return {}
    starts = np.flatnonzero(np.r_[True, held[1:] != held[:-1]])
    ends = [*starts[1:].tolist(), len(held)]
    return {int(held[a]): where[a:b] for a, b in zip(starts.tolist(), ends, strict=True)}


def text_only(cells: np.ndarray) -> bool:
    """Whether every cell is text or None (as in every CSV): no Excel error, no number."""
    if pd.api.types.infer_dtype(cells, skipna=True) not in ("string", "empty"):
        return False
    return all(cell is None for cell in cells[pd.isna(cells)])


def text_cells(values: pd.Series | None, rows: int, text: bool | None = None) -> np.ndarray:
    """_text of every cell of a column whose cells are mostly distinct (references, free text);
    text: whether they are text_only, when known."""
    out = np.full(rows, None, dtype=object)
    if values is None:
        return out
    cells = values.to_numpy(dtype=object)
    if text_only(cells) if text is None else text:
        # str.strip in C, the cell's own string kept when there is nothing to strip
        present = ~pd.isna(cells)
        out[present] = np.fromiter(map(str.strip, cells[present]), object, int(present.sum()))
    else:
        out[:] = [_text(cell) for cell in cells]
    out[out == ""] = None
    return out


class _Cleaner:
    """Holds the context the cells need (tracker, taxonomy, problems) while cleaning one table.

    The recommendations are cleaned column by column (each distinct cell once); their problems
    are kept with the row and the step of a row's cleaning that meets them, and put back in that
    order, so the refusal reads as a row-by-row read would give it."""

    def __init__(self, read: TrackerRead, taxonomy: Taxonomy):
        self.read = read
        self.taxonomy = taxonomy
        self.problems = Problems()
        self.repairs: Counter = Counter()
        self.mappings = Mappings.empty()
        self.epoch = read.excel_epoch
        self.seen = VocabularySeen()
        self.unmapped_problems: dict[tuple[str, str], str] = {}
        # (row position, step, part) -> problem, column, value: the recommendations' problems
        self.found: list[tuple[tuple[int, int, int], str, str, str | None]] = []
        self.step = 0

    @property
    def dates(self) -> tuple[str, ...]:
        return self.taxonomy.date_fields

    def where(self, table: Table, row: int, column: str) -> Location:
        return Location(self.read.path, table.sheet, row, table.columns.get(column, column))

    def value(self, table: Table, row: int, column: str, raw: Any, mandatory: bool) -> Any:
        if isinstance(raw, ExcelError):
            if mandatory:
                self.problems.add(self.excel_error(raw), self.where(table, row, column))
            else:
                self.repairs[f"Excel error value (such as #N/A) left empty ({column})"] += 1
            return None
        return raw

    @staticmethod
    def excel_error(raw: ExcelError) -> str:
        return (
            f"Excel error {raw.code} in a mandatory column"
            if raw.code.startswith("#")
            else f"{raw.code} in a mandatory column"
        )

    def name_of(self, label: str | None, vocabulary: Vocabulary) -> str | None:
        """The canonical name of a label, noted as seen."""
        if label is None:
            return None
        name = vocabulary.map(label)
        self.seen.add(vocabulary.kind, label, name is not None)
        return name

    def canonical(
        self, table: Table, row: int, column: str, label: str | None, vocabulary: Vocabulary
    ) -> str | None:
        name = self.name_of(label, vocabulary)
        if label is not None and name is None:
            self.problems.add(
                self.unmapped(label, vocabulary), self.where(table, row, column), label
            )
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

    def date_of(
        self, column: str, raw: Any, mandatory: bool
    ) -> tuple[date | None, tuple[str, str | None] | None, str | None]:
        """(the cell's date, its problem (reason, value shown), its repair): a word meaning
        "no date" (TBC, Ongoing) is a counted blank where the column may be empty, and a
        problem where it may not."""
        if isinstance(raw, str) and normalise_key(raw) in self.taxonomy.not_dates:
            if mandatory:
                problem = "is not a date, and every recommendation needs one here"
                return None, (problem, tidy_label(raw)), None
            return None, None, f"no-date word (such as TBC or Ongoing) left blank ({column})"
        try:
            parsed = parse_uk_date(raw, epoch=self.epoch, month_only=column == "due_date")
        except DateProblem as exc:
            return None, (exc.reason, exc.written), None
        if parsed is None:
            return None, None, None
        return parsed.value, None, f"{parsed.repair} ({column})" if parsed.repair else None

    def dated(
        self, table: Table, row: int, column: str, raw: Any, mandatory: bool = False
    ) -> date | None:
        """The cell's date (see date_of), its problem or repair recorded."""
        value, problem, repair = self.date_of(column, raw, mandatory)
        if problem is not None:
            self.problems.add(problem[0], self.where(table, row, column), problem[1])
        if repair is not None:
            self.repairs[repair] += 1
        return value

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

    # --- the recommendations, column by column ----------------------------------------------

    def found_at(
        self,
        positions: np.ndarray,
        problem: str,
        column: str,
        value: str | None = None,
        part: int = 0,
    ) -> None:
        """A problem of the current step on the rows at these positions."""
        self.found.extend(
            ((position, self.step, part), problem, column, value) for position in positions.tolist()
        )

    def next_step(self) -> None:
        self.step += 1

    def add_found(self, sheet_rows: np.ndarray) -> None:
        """The recommendations' problems, in row order and, within a row, in step order."""
        table = self.read.recommendations
        for (position, _, _), problem, column, value in sorted(self.found, key=lambda f: f[0]):
            self.problems.add(problem, self.where(table, int(sheet_rows[position]), column), value)
        self.found = []

    def usable(self, column: str, cells: DistinctCells, mandatory: bool) -> DistinctCells:
        """The column with its Excel error cells blanked: a problem in a mandatory column, a
        counted repair elsewhere."""
        self.next_step()
        errors = [isinstance(cell, ExcelError) for cell in cells.cells]
        if not any(errors):
            return cells
        counts = cells.counts()
        for code, positions in cells.positions([*errors, False]).items():
            if mandatory:
                self.found_at(positions, self.excel_error(cells.cells[code]), column)
            else:
                repair = f"Excel error value (such as #N/A) left empty ({column})"
                self.repairs[repair] += int(counts[code])
        kept = [None if error else cell for cell, error in zip(cells.cells, errors, strict=True)]
        return DistinctCells(cells.codes, kept)

    def blanks(self, column: str, cells: DistinctCells, raw: DistinctCells) -> None:
        """A problem on each row whose mandatory cell is blank (an Excel error is one already)."""
        self.next_step()
        blank = [
            _text(cell) is None and not isinstance(cell_as_read, ExcelError)
            for cell, cell_as_read in zip(cells.cells, raw.cells, strict=True)
        ]
        for positions in cells.positions([*blank, True]).values():
            self.found_at(positions, "mandatory value is blank", column)

    def mapped_column(
        self, column: str, cells: DistinctCells, vocabulary: Vocabulary, sheet_rows: np.ndarray
    ) -> np.ndarray:
        """The canonical names of a column's cells; each spelling recorded for the trail, each
        value that maps to nothing a problem on its rows."""
        self.next_step()
        labels = [tidy_label(cell) for cell in cells.cells]
        names = [self.name_of(label, vocabulary) for label in labels]
        for code, positions in cells.positions(
            [label is not None for label in labels] + [False]
        ).items():
            label, name = labels[code], names[code]
            if name is None:
                self.found_at(positions, self.unmapped(label, vocabulary), column, label)
            else:
                self.mappings.add_rows(column, label, name, sheet_rows[positions])
        return cells.take([*names, None])

    def from_sources_sheet(
        self,
        source_type: np.ndarray,
        type_cells: DistinctCells,
        names: DistinctCells,
        sources: dict,
        sheet_rows: np.ndarray,
    ) -> None:
        """Fill a blank source type from the sources sheet, by the source's name; a problem
        where the source is not there."""
        self.next_step()
        labels = [tidy_label(cell) for cell in names.cells]
        blank_type = np.asarray([cell is None for cell in type_cells.cells] + [True])
        wanted = blank_type[type_cells.codes] & (source_type == None)  # noqa: E711
        named = np.asarray([label is not None for label in labels] + [False])
        wanted &= named[names.codes]
        for code, positions in positions_by_code(names.codes, wanted).items():
            known = sources.get(normalise_key(labels[code]))
            if known is None:
                self.found_at(
                    positions,
                    "source type is blank and the source is not on the sources sheet",
                    "source_type",
                )
            elif known[0] is not None:
                source_type[positions] = known[0]
                self.mappings.add_rows(
                    "source_type",
                    known[2],
                    known[0],
                    sheet_rows[positions],
                    Note.FROM_SOURCES_SHEET,
                )

    def themes_column(self, cells: DistinctCells, sheet_rows: np.ndarray) -> np.ndarray:
        self.next_step()
        themes = self.taxonomy.themes
        reads = [
            map_themes(_text(cell), themes, self.taxonomy.list_splitter) for cell in cells.cells
        ]
        for code, positions in cells.positions(
            [bool(r.unknown or r.matched) for r in reads] + [False]
        ).items():
            read = reads[code]
            for part_index, part in enumerate(read.unknown):
                self.seen.add(themes.kind, part, known=False)
                self.found_at(positions, self.unmapped(part, themes), "themes", part, part_index)
            for part, name in read.matched:
                self.seen.add(themes.kind, part, known=True)
                self.mappings.add_rows("themes", part, name, sheet_rows[positions])
        separator = self.taxonomy.list_separator
        return cells.take([*(separator.join(read.names) for read in reads), ""])

    def status_column(self, cells: DistinctCells, sheet_rows: np.ndarray) -> np.ndarray:
        """The canonical statuses; the trail records only the words that matched (the rest of
        the cell is free text)."""
        self.next_step()
        texts = [tidy_label(cell) for cell in cells.cells]
        matches = [
            None if text is None else map_status(text, self.taxonomy.statuses) for text in texts
        ]
        for code, positions in cells.positions(
            [text is not None for text in texts] + [False]
        ).items():
            match, rows = matches[code], sheet_rows[positions]
            if match is None:
                self.repairs["status not recognised, left empty (status)"] += len(positions)
                self.mappings.add_rows("status", "", "", rows, Note.NOT_RECOGNISED)
            else:
                note = Note.CELL if match.whole else Note.OPENING_WORDS
                self.mappings.add_rows("status", match.words, match.status, rows, note)
        return cells.take([*(m.status if m else None for m in matches), None])

    def dates_column(self, column: str, cells: DistinctCells, mandatory: bool) -> np.ndarray:
        self.next_step()
        read = [self.date_of(column, cell, mandatory) for cell in cells.cells]
        counts = cells.counts()
        for code, (_, _, repair) in enumerate(read):
            if repair is not None:
                self.repairs[repair] += int(counts[code])
        flagged = [problem is not None for _, problem, _ in read]
        for code, positions in cells.positions([*flagged, False]).items():
            reason, written = read[code][1]
            self.found_at(positions, reason, column, written)
        values = pd.Series([*(value for value, _, _ in read), None], dtype=object)
        return pd.to_datetime(values).astype("datetime64[ms]").to_numpy()[cells.codes]

    def recommendations(self, sources: dict) -> pd.DataFrame:
        """The recommendations' cells cleaned, every row, in the tracker's order."""
        table = self.read.recommendations
        frame, taxonomy = table.frame, self.taxonomy
        rows, sheet_rows = len(frame), frame["sheet_row"].to_numpy()
        mandatory = taxonomy.mandatory_fields
        column_of = {name: frame.get(name) for name in taxonomy.fields}
        # references and free text, when they are text only: as they are mostly distinct, each
        # is tidied where it is (it can hold no Excel error; blank is what tidies to nothing)
        texts = {
            name: text_cells(column_of[name], rows, text=True)
            for name in ("rec_id", *taxonomy.free_text_fields)
            if column_of[name] is not None and text_only(column_of[name].to_numpy(dtype=object))
        }
        distinct = {
            name: DistinctCells.of(column_of[name], rows)
            for name in taxonomy.fields
            if name not in texts
        }
        raw = dict(distinct)
        for name in taxonomy.fields:
            if name in texts:
                self.next_step()
            else:
                distinct[name] = self.usable(name, distinct[name], name in mandatory)
        for name in mandatory:
            if name in self.read.missing_required:
                continue
            if name in texts:
                self.next_step()
                blank = np.flatnonzero(texts[name] == None)  # noqa: E711
                self.found_at(blank, "mandatory value is blank", name)
            else:
                self.blanks(name, distinct[name], raw[name])
        source_type = self.mapped_column(
            "source_type", distinct["source_type"], taxonomy.source_types, sheet_rows
        )
        self.from_sources_sheet(
            source_type, distinct["source_type"], distinct["source_name"], sources, sheet_rows
        )
        themes = self.themes_column(distinct["themes"], sheet_rows)
        status = self.status_column(distinct["status"], sheet_rows)
        agency = self.mapped_column("agency", distinct["agency"], taxonomy.agencies, sheet_rows)
        area = self.mapped_column(
            "area_of_learning", distinct["area_of_learning"], taxonomy.areas, sheet_rows
        )
        dates = {
            name: self.dates_column(name, distinct[name], name in mandatory) for name in self.dates
        }
        priority = self.mapped_column(
            "priority", distinct["priority"], taxonomy.priorities, sheet_rows
        )
        self.add_found(sheet_rows)
        for name in ("rec_id", *taxonomy.free_text_fields):
            if name not in texts:
                texts[name] = text_cells(self.usable_text(column_of[name], raw[name]), rows)
        source_name = distinct["source_name"]
        cleaned = {
            "rec_id": texts["rec_id"],
            "source_name": source_name.take([*map(tidy_label, source_name.cells), None]),
            "source_type": source_type,
            "agency": agency,
            "area_of_learning": area,
            "themes": themes,
            **{name: texts[name] for name in taxonomy.free_text_fields},
            **dates,
            "status": status,
            "priority": priority,
        }
        out = pd.DataFrame(
            {name: cleaned.get(name, np.full(rows, None, dtype=object)) for name in taxonomy.fields}
        )
        out["sheet_row"] = sheet_rows.astype("int64")
        return out

    @staticmethod
    def usable_text(values: pd.Series | None, raw: DistinctCells) -> pd.Series | None:
        """A text column with its Excel error cells blanked."""
        if values is None or not any(isinstance(cell, ExcelError) for cell in raw.cells):
            return values
        return values.map(lambda cell: None if isinstance(cell, ExcelError) else cell)

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
    frame = cleaner.recommendations(sources)
    taxonomy = cleaner.taxonomy
    cleaner.problems.raise_if_any(cleaner.seen.advice(read, taxonomy))
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
