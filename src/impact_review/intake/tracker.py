"""Reading a tracker as an analyst keeps it: find the sheet and the header row, keep every cell as
typed, and record where each row came from. Nothing here interprets values (see cleaning.py)."""

from __future__ import annotations

import codecs
import csv
import gc
import hashlib
import zipfile
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from impact_review.errors import InputError, Location
from impact_review.intake.dates import EXCEL_EPOCH_1900, EXCEL_EPOCH_1904
from impact_review.intake.taxonomy import ColumnSpec, Taxonomy, default_taxonomy, normalise_key
from impact_review.paths import shown_path

HEADER_SCAN_ROWS = 20
CSV_DELIMITERS = (",", ";", "\t", "|")
CSV_ENCODINGS = ("utf-8-sig", "cp1252")
CSV_CHUNK_ROWS = 1 << 12  # rows parsed at a time: small enough that a chunk stays in cache
EXCEL_ERRORS = frozenset({"#REF!", "#N/A", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"})


# Bytes of memory a whole run holds at its peak per byte of CSV tracker, measured at a million
# rows (docs/performance.md): what sets the largest CSV a machine can review.
CSV_MEMORY_PER_BYTE = 9


def machine_csv_bytes() -> int:
    """The largest CSV tracker this machine's memory can carry through a run."""
    import psutil

    return psutil.virtual_memory().total // CSV_MEMORY_PER_BYTE


@dataclass(frozen=True)
class Limits:
    """What a tracker may be before it is rejected unread (zip and XML bombs, runaway exports).

    A workbook's size limit is a safeguard, set low: its XML unpacks to many times its size. A
    CSV's is what this machine can hold (machine_csv_bytes). --max-bytes sets both."""

    max_file_bytes: int = 50 * 1024 * 1024
    max_csv_bytes: int = field(default_factory=machine_csv_bytes)
    max_unzipped_bytes: int = 500 * 1024 * 1024
    max_compression_ratio: float = 100.0
    max_rows: int = 2_000_000

    @classmethod
    def given(cls, max_bytes: int | None) -> Limits:
        """The limits, with a size limit the analyst gave (--max-bytes) for every kind of file."""
        return cls(max_file_bytes=max_bytes, max_csv_bytes=max_bytes) if max_bytes else cls()


@dataclass(frozen=True)
class UnusedColumn:
    """A headed column that is no field, so none of its cells is read ("Update", "Notes"): said
    in the data-quality notes, since a column the analyst relies on may be misnamed. A header
    is not personal data; the cells below it are never read."""

    sheet: str | None
    header: str
    letter: str

    def describe(self) -> str:
        where = f"sheet {self.sheet!r}, " if self.sheet is not None else ""
        return f"{self.header!r} ({where}column {self.letter})"


@dataclass(frozen=True)
class Table:
    """One sheet's rows under its detected header: canonical field -> header as written.

    The rows not in the frame are kept by number, so the audit trail can say which they were:
    those above the header (titles, notes) and the blank ones below it.
    """

    sheet: str | None
    header_row: int
    columns: dict[str, str]
    frame: pd.DataFrame  # canonical fields as columns (object dtype), plus sheet_row
    blank_rows: tuple[int, ...]  # sheet rows below the header with nothing in a known column
    above_header: tuple[int, ...]  # sheet rows before the header row
    unused: tuple[UnusedColumn, ...] = ()  # headed columns that are no field


@dataclass(frozen=True)
class TrackerRead:
    """A tracker as read, with everything the manifest needs to say how it was read."""

    path: Path
    file_format: str
    size_bytes: int
    sha256: str
    encoding: str | None
    delimiter: str | None
    recommendations: Table
    sources: Table | None
    visible_sheets: tuple[str, ...]
    missing_optional: tuple[str, ...]
    # Columns the partnership requires that the tracker lacks: reported by cleaning with every
    # other problem, so a tracker from elsewhere hears about all of them at once.
    missing_required: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    # The day Excel's date serial 0 stands for: workbooks saved with the 1904 date system count
    # from 1904 (see dates.py).
    excel_epoch: date = EXCEL_EPOCH_1900

    @property
    def sheet(self) -> str | None:
        return self.recommendations.sheet

    @property
    def unused_columns(self) -> tuple[UnusedColumn, ...]:
        """Headed columns of the recommendations and sources sheets that were not read."""
        sources = self.sources.unused if self.sources is not None else ()
        return (*self.recommendations.unused, *sources)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    deque(_blocks(path, digest), maxlen=0)
    return digest.hexdigest()


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def match_header(
    cells: list[Any], specs: tuple[ColumnSpec, ...]
) -> tuple[dict[str, int], list[tuple[str, int, int, str]]]:
    """(canonical field -> column index, duplicates) for one candidate header row.

    A duplicate is (field, first column, second column, header as written): two columns claiming
    one field, which is an error only if this row turns out to be the header.
    """
    found: dict[str, int] = {}
    duplicates: list[tuple[str, int, int, str]] = []
    for index, cell in enumerate(cells):
        if _is_blank(cell):
            continue
        key = normalise_key(str(cell))
        for spec in specs:
            if key in spec.headers:
                if spec.field in found:
                    duplicates.append((spec.field, found[spec.field], index, str(cell).strip()))
                else:
                    found[spec.field] = index
                break
    return found, duplicates


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _required(specs: tuple[ColumnSpec, ...], optional: frozenset[str]) -> set[str]:
    return {s.field for s in specs if s.required and s.field not in optional}


def find_header(
    rows: list[list[Any]],
    specs: tuple[ColumnSpec, ...],
    where: Location,
    optional: frozenset[str] = frozenset(),
) -> tuple[int, dict[str, int]] | None:
    """(0-based row index, field -> column index) of the first row holding every required header.

    Two columns with the same meaning in the header row stop the run: keeping either copy
    silently would be a guess.
    """
    required = _required(specs, optional)
    for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        found, duplicates = match_header(cells, specs)
        if not required <= found.keys():
            continue
        if duplicates:
            name, first, second, written = duplicates[0]
            raise InputError(
                f"two columns ({_column_letter(first)} and {_column_letter(second)}) are both "
                f"headed as {name.replace('_', ' ')!r}; keep one",
                Location(where.file, where.sheet, index + 1, written),
            )
        return index, found
    return None


def _best_partial_header(rows: list[list[Any]], specs: tuple[ColumnSpec, ...]) -> dict[str, int]:
    """The most complete header-like row, to say which required columns are missing."""
    return max(
        (match_header(cells, specs)[0] for cells in rows[:HEADER_SCAN_ROWS]), key=len, default={}
    )


def _column_cells(body: list[list[Any]], index: int, shortest: int) -> list[Any]:
    """The cells of one column (None past a short row's end; shortest: the shortest row's
    length)."""
    if shortest > index:
        return list(map(itemgetter(index), body))
    return [cells[index] if len(cells) > index else None for cells in body]


def _blank_cells(cells: list[Any] | np.ndarray) -> np.ndarray:
    """Which cells are blank (None, or white space only)."""
    try:  # a column of text only (every CSV column): str.strip in C
        return ~np.fromiter(map(bool, map(str.strip, cells)), bool, len(cells))
    except TypeError:
        return np.fromiter(map(_is_blank, cells), bool, len(cells))


def _repeats(values: np.ndarray, sample: int = 1000) -> bool:
    """Whether a column's first cells repeat enough to be worth sharing (not free text)."""
    first = values[:sample]
    return len(set(first)) * 2 <= len(first)


def _column_values(cells: list[Any], shared: dict[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """(the cells as an object array, which are blank). In a text column with few distinct
    values (agencies, statuses, dates) every row holding a value points at one string, not a
    copy of its own (a million rows of CSV would otherwise hold a million copies of each), and
    each distinct value is tested for blankness once. shared: the column's strings kept so far,
    so rows read in chunks point at one string too."""
    values = np.empty(len(cells), dtype=object)
    values[:] = cells
    if pd.api.types.infer_dtype(values, skipna=False) == "string" and _repeats(values):
        codes, distinct = pd.factorize(values)
        if len(distinct) * 2 <= len(values):
            distinct = np.fromiter(
                (shared.setdefault(value, value) for value in distinct), object, len(distinct)
            )
            return distinct[codes], _blank_cells(distinct)[codes]
    return values, _blank_cells(values)


@dataclass
class _Body:
    """The rows below a header as they are read, chunk by chunk: each field's cells of the rows
    holding anything, and the sheet rows of those rows and of the blank ones. A chunk's rows
    are let go once its cells are taken, so a large CSV never holds every row's every cell."""

    columns: dict[str, int]
    next_row: int
    cells: dict[str, list[np.ndarray]] = field(default_factory=dict)
    shared: dict[str, dict[str, str]] = field(default_factory=dict)
    kept: list[np.ndarray] = field(default_factory=list)
    blank: list[np.ndarray] = field(default_factory=list)

    def add(self, rows: list[list[Any]]) -> None:
        filled = np.zeros(len(rows), dtype=bool)
        shortest = min(map(len, rows), default=0)
        chunk: dict[str, np.ndarray] = {}
        for name, index in self.columns.items():
            values, blank = _column_values(
                _column_cells(rows, index, shortest), self.shared.setdefault(name, {})
            )
            values[blank] = None
            filled |= ~blank
            chunk[name] = values
        for name, values in chunk.items():
            self.cells.setdefault(name, []).append(values[filled])
        numbers = np.arange(self.next_row, self.next_row + len(rows), dtype="int64")
        self.next_row += len(rows)
        self.kept.append(numbers[filled])
        self.blank.append(numbers[~filled])

    def column(self, name: str) -> np.ndarray:
        return np.concatenate([np.empty(0, dtype=object), *self.cells.get(name, ())])

    def sheet_rows(self) -> np.ndarray:
        return np.concatenate([np.empty(0, dtype="int64"), *self.kept])

    def blank_rows(self) -> tuple[int, ...]:
        return tuple(np.concatenate([np.empty(0, dtype="int64"), *self.blank]).tolist())


def build_table(
    rows: list[list[Any]],
    header_index: int,
    columns: dict[str, int],
    specs: tuple[ColumnSpec, ...],
    sheet: str | None,
    row_offset: int = 1,
) -> Table:
    """Rows below the header as a frame of canonical fields; blank rows dropped and listed."""
    chunks = (rows[header_index + 1 :],)
    return table_of_chunks(
        rows[header_index], chunks, header_index, columns, specs, sheet, row_offset
    )


def table_of_chunks(
    header_cells: list[Any],
    chunks: Iterable[list[list[Any]]],
    header_index: int,
    columns: dict[str, int],
    specs: tuple[ColumnSpec, ...],
    sheet: str | None,
    row_offset: int = 1,
) -> Table:
    """build_table of the rows below the header given in chunks, in order."""
    body = _Body(columns, header_index + 1 + row_offset)
    for chunk in chunks:
        body.add(chunk)
    sheet_rows = body.sheet_rows()
    # object columns keep None as None (pandas 3 would infer str columns and turn None into NaN)
    frame = pd.DataFrame(
        {
            s.field: pd.Series(
                body.column(s.field)
                if s.field in columns
                else np.full(len(sheet_rows), None, dtype=object),
                dtype=object,
            )
            for s in specs
        }
    )
    frame["sheet_row"] = pd.Series(sheet_rows, dtype="int64")
    written = {name: str(header_cells[index]).strip() for name, index in columns.items()}
    above = tuple(range(row_offset, header_index + row_offset))
    used = set(columns.values())
    unused = tuple(
        UnusedColumn(sheet, " ".join(str(cell).split()), _column_letter(index))
        for index, cell in enumerate(header_cells)
        if index not in used and not _is_blank(cell)
    )
    return Table(sheet, header_index + row_offset, written, frame, body.blank_rows(), above, unused)


# --- file type and safety -------------------------------------------------------------------


def _looks_like_workbook(magic: bytes, suffix: str) -> bool:
    return magic.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or suffix in {".xlsx", ".xlsm"}


def _check_size(size: int, limits: Limits, workbook: bool, path: Path) -> None:
    limit = limits.max_file_bytes if workbook else limits.max_csv_bytes
    if size <= limit:
        return
    why = (
        "a workbook's limit guards against zip bombs"
        if workbook
        else f"a CSV's limit is what this machine's memory can carry through a run, about "
        f"{CSV_MEMORY_PER_BYTE} bytes of memory per byte of CSV"
    )
    raise InputError(
        f"file is {size:,} bytes, over the limit of {limit:,} "
        f"(impact-review run --max-bytes N raises it); {why}",
        Location(path),
    )


def check_file(path: Path, limits: Limits) -> str:
    """The file's real format ('xlsx' or 'csv') after size and zip-bomb checks, before any parse."""
    if not path.exists():
        raise InputError("file not found", Location(path))
    if path.is_dir():
        raise InputError("is a folder, not a tracker file", Location(path))
    size = path.stat().st_size
    if size == 0:
        raise InputError("file is empty (0 bytes)", Location(path))
    with path.open("rb") as handle:
        magic = handle.read(8)
    suffix = path.suffix.lower()
    _check_size(size, limits, _looks_like_workbook(magic, suffix), path)
    if magic.startswith(b"PK\x03\x04"):
        _check_zip(path, size, limits)
        return "xlsx"
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            "is an old binary Excel (.xls) or an encrypted workbook; save it as .xlsx",
            Location(path),
        )
    if suffix in {".xlsx", ".xlsm"}:
        raise InputError(
            f"is named {suffix} but is not an Excel workbook (it looks like text or CSV)",
            Location(path),
        )
    if suffix not in {".csv", ".txt", ".tsv"}:
        raise InputError(
            f"unsupported file type {suffix or '(none)'}: use .xlsx or .csv", Location(path)
        )
    return "csv"


def _check_zip(path: Path, size: int, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise InputError("is not a readable .xlsx workbook (damaged zip)", Location(path)) from exc
    if unzipped > limits.max_unzipped_bytes:
        raise InputError(
            f"workbook unpacks to {unzipped:,} bytes, over the limit of "
            f"{limits.max_unzipped_bytes:,}",
            Location(path),
        )
    if unzipped / size > limits.max_compression_ratio:
        raise InputError(
            f"workbook compresses {unzipped / size:.0f}:1, over the limit of "
            f"{limits.max_compression_ratio:.0f}:1 (a zip bomb?)",
            Location(path),
        )


# --- xlsx -----------------------------------------------------------------------------------


def sheet_rows(worksheet, max_rows: int, path: Path) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for index, row in enumerate(worksheet.iter_rows(), start=1):
        if index > max_rows:
            raise InputError(
                f"sheet has more than {max_rows:,} rows", Location(path, worksheet.title)
            )
        values = []
        for cell in row:
            if cell.data_type == "e" or (
                isinstance(cell.value, str) and cell.value in EXCEL_ERRORS
            ):
                values.append(ExcelError(str(cell.value), cell.coordinate))
            else:
                values.append(cell.value)
        rows.append(values)
    return rows


@dataclass(frozen=True)
class ExcelError:
    """An Excel error cell (#REF!, #N/A, ...): kept distinct from a blank so it is never lost."""

    code: str
    coordinate: str

    def __str__(self) -> str:
        return self.code


UNCACHED_FORMULA = "formula with no saved value (open and save the workbook in Excel)"


def _mark_uncached_formulas(
    path: Path,
    sheet: str,
    rows: list[list[Any]],
    header_index: int,
    columns: dict[str, int],
    mandatory: set[str],
) -> None:
    """Turn blank mandatory cells that are really formulas Excel never calculated into errors.

    openpyxl reads such a cell as empty, which would be reported as a blank value; only a second,
    formula-preserving read can tell the two apart, so it is done only when a mandatory cell is
    empty.
    """
    wanted = {columns[f] for f in mandatory if f in columns}
    empty = {
        (r, c)
        for r in range(header_index + 1, len(rows))
        for c in wanted
        if c < len(rows[r]) and rows[r][c] is None
    }
    if not empty:
        return
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        for r, row in enumerate(workbook[sheet].iter_rows()):
            for c, cell in enumerate(row):
                if (r, c) in empty and cell.data_type == "f":
                    rows[r][c] = ExcelError(UNCACHED_FORMULA, cell.coordinate)
    finally:
        workbook.close()


def load_workbook(path: Path):
    import openpyxl  # deferred: it is slow to import and CSV runs do not need it

    try:
        return openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise InputError(
            f"could not be opened as an .xlsx workbook ({type(exc).__name__})", Location(path)
        ) from exc


def _check_merged(
    worksheet, table: Table, columns: dict[str, int], mandatory: set[str], path: Path
):
    for merged in worksheet.merged_cells.ranges:
        if merged.max_row <= table.header_row:
            continue
        for name in mandatory:
            column = columns.get(name)
            if column is not None and merged.min_col <= column + 1 <= merged.max_col:
                raise InputError(
                    f"merged cells {merged.coord} cover the mandatory column; unmerge them and "
                    "fill every row",
                    Location(path, worksheet.title, merged.min_row, table.columns[name]),
                )


@dataclass(frozen=True)
class _Workbook:
    recommendations: Table
    sources: Table | None
    visible: tuple[str, ...]
    notes: list[str]
    epoch: date


def read_xlsx(path: Path, taxonomy: Taxonomy, sheet: str | None, limits: Limits) -> _Workbook:
    workbook = load_workbook(path)
    visible = tuple(ws.title for ws in workbook.worksheets if ws.sheet_state == "visible")
    notes: list[str] = []
    epoch = EXCEL_EPOCH_1904 if workbook.epoch.year == 1904 else EXCEL_EPOCH_1900
    if epoch == EXCEL_EPOCH_1904:
        notes.append("workbook uses the 1904 date system")
    if sheet is not None and sheet not in workbook.sheetnames:
        raise InputError(
            f"no sheet named {sheet!r}; visible sheets: {', '.join(visible) or '(none)'}",
            Location(path),
        )
    candidates = [sheet] if sheet is not None else list(visible)
    rows_by_sheet = {name: sheet_rows(workbook[name], limits.max_rows, path) for name in candidates}
    recs: Table | None = None
    for name in candidates:
        rows = rows_by_sheet[name]
        hit = find_header(
            rows, taxonomy.columns, Location(path, name), taxonomy.header_optional_fields
        )
        if hit is not None:
            header_index, columns = hit
            mandatory = {s.field for s in taxonomy.columns if s.required}
            _mark_uncached_formulas(path, name, rows, header_index, columns, mandatory)
            recs = build_table(rows, header_index, columns, taxonomy.columns, name)
            _check_merged(workbook[name], recs, columns, mandatory, path)
            break
    if recs is None:
        _raise_no_header(path, candidates, rows_by_sheet, taxonomy, sheet, visible)
    sources = None
    for name in visible:
        if name == recs.sheet:
            continue
        rows = rows_by_sheet.get(name) or sheet_rows(workbook[name], limits.max_rows, path)
        hit = find_header(rows, taxonomy.sources_columns, Location(path, name))
        if hit is not None:
            sources = build_table(rows, *hit, taxonomy.sources_columns, name)
            break
    return _Workbook(recs, sources, visible, notes, epoch)


def missing_columns(missing: list[str], taxonomy: Taxonomy, path: Path) -> str:
    """Which required columns a header row lacks, whose configuration requires them, and the way
    forward for a tracker the configuration was not written for."""
    names = ", ".join(m.replace("_", " ") for m in missing)
    folder = taxonomy.source_file.parent
    return (
        f"missing required column(s): {names} (required by the configuration in "
        f"{shown_path(folder)}; if this is another partnership's tracker, draft its own "
        f"configuration with `impact-review init --tracker {path.name} --out DIR`)"
    )


def _raise_no_header(path, candidates, rows_by_sheet, taxonomy, sheet, visible) -> None:
    specs = taxonomy.columns
    best_sheet, best_found = None, {}
    for name in candidates:
        found = _best_partial_header(rows_by_sheet[name], specs)
        if len(found) > len(best_found):
            best_sheet, best_found = name, found
    required = _required(specs, taxonomy.header_optional_fields)
    if len(best_found) >= 3:
        missing = sorted(required - best_found.keys())
        raise InputError(missing_columns(missing, taxonomy, path), Location(path, best_sheet))
    if sheet is not None:
        raise InputError(
            f"no header row with the required columns in the first {HEADER_SCAN_ROWS} rows",
            Location(path, sheet),
        )
    raise InputError(
        f"no visible sheet has a header row with the required columns in its first "
        f"{HEADER_SCAN_ROWS} rows; visible sheets: {', '.join(visible) or '(none)'}",
        Location(path),
    )


# --- csv ------------------------------------------------------------------------------------


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """(text, encoding): strict UTF-8 (with or without BOM), else strict cp1252, never lossy."""
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputError(
        "text is neither UTF-8 nor Windows-1252 (cp1252); save the CSV as UTF-8", Location(path)
    )


def _blocks(path: Path, digest: Any = None) -> Iterator[bytes]:
    """The file's bytes in 1 MiB blocks, each added to digest (a hashlib hash) if given."""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            if digest is not None:
                digest.update(block)
            yield block


def _decodes(blocks: Iterator[bytes], encoding: str) -> bool:
    """Whether the blocks decode strictly (stops at the first that does not)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for block in blocks:
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def digest_and_encoding(path: Path) -> tuple[str, str]:
    """(the file's sha256, its encoding: the first of CSV_ENCODINGS that decodes every byte
    strictly) from its 1 MiB blocks, never the whole file decoded at once; UTF-8 is tested on
    the pass that hashes."""
    digest = hashlib.sha256()
    blocks = _blocks(path, digest)
    utf8 = _decodes(blocks, CSV_ENCODINGS[0])
    deque(blocks, maxlen=0)  # the blocks after a byte UTF-8 refuses are hashed too
    if utf8:
        return digest.hexdigest(), CSV_ENCODINGS[0]
    for encoding in CSV_ENCODINGS[1:]:
        if _decodes(_blocks(path), encoding):
            return digest.hexdigest(), encoding
    raise InputError(
        "text is neither UTF-8 nor Windows-1252 (cp1252); save the CSV as UTF-8", Location(path)
    )


@contextmanager
def csv_rows(path: Path, encoding: str, delimiter: str) -> Iterator[Iterator[list[str]]]:
    """The file's rows, parsed as its lines are read and decoded, every line ending read as
    \\n (a decoded copy of a large file would not fit beside its rows)."""
    with path.open(encoding=encoding, newline=None) as handle:
        yield csv.reader(handle, delimiter=delimiter)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a parser makes a list per row: the rows hold only
    text, so there is no cycle to find, and its passes over the ever more rows already made
    would double the time a large CSV takes to read."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def row_chunks(
    rows: Iterator[list[str]], read: int, limits: Limits, path: Path
) -> Iterator[list[list[str]]]:
    """The rows in lists of CSV_CHUNK_ROWS; read: the rows already taken (the header and above),
    counted against limits.max_rows."""
    while chunk := list(islice(rows, CSV_CHUNK_ROWS)):
        read += len(chunk)
        if read > limits.max_rows:
            raise InputError(f"file has more than {limits.max_rows:,} rows", Location(path))
        yield chunk


def _has_text(path: Path, encoding: str) -> bool:
    with path.open(encoding=encoding, newline=None) as handle:
        return any(block.strip() for block in iter(lambda: handle.read(1 << 20), ""))


def read_csv(path: Path, taxonomy: Taxonomy, limits: Limits, encoding: str) -> tuple[Table, str]:
    """(the table under the header, the delimiter): each delimiter tried on the first rows, and
    the rest of the file read with the one whose rows hold the header."""
    best_partial: dict[str, int] = {}
    where = Location(path)
    for delimiter in CSV_DELIMITERS:
        with csv_rows(path, encoding, delimiter) as rows, collector_paused():
            head = list(islice(rows, HEADER_SCAN_ROWS))
            hit = find_header(head, taxonomy.columns, where, taxonomy.header_optional_fields)
            if hit is not None:
                header_index, columns = hit
                chunks = chain(
                    (head[header_index + 1 :],), row_chunks(rows, len(head), limits, path)
                )
                table = table_of_chunks(
                    head[header_index], chunks, header_index, columns, taxonomy.columns, None
                )
                return table, delimiter
        best_partial = max(best_partial, _best_partial_header(head, taxonomy.columns), key=len)
    if not _has_text(path, encoding):
        raise InputError("file has no content", where)
    required = _required(taxonomy.columns, taxonomy.header_optional_fields)
    if len(best_partial) >= 3:
        missing = sorted(required - best_partial.keys())
        raise InputError(missing_columns(missing, taxonomy, path), where)
    raise InputError(
        f"no header row with the required columns in the first {HEADER_SCAN_ROWS} rows "
        "(delimiters tried: comma, semicolon, tab, bar)",
        where,
    )


# --- entry point ----------------------------------------------------------------------------


def excel_lock_file(path: Path) -> Path | None:
    """Excel's owner file beside a workbook it has open (~$NAME.xlsx; Excel may drop the first
    two letters of a long name): the analyst may have changes not yet saved."""
    for name in (f"~${path.name}", f"~${path.name[2:]}"):
        lock = path.with_name(name)
        if lock.is_file():
            return lock
    return None


def lock_file_warning(path: Path) -> str | None:
    """The warning to give when the tracker is open in Excel, else None."""
    lock = excel_lock_file(path)
    if lock is None:
        return None
    return (
        f"{lock.name} beside the tracker says it is open in Excel: changes not yet saved there "
        "are not in this review (save and close it, then run again)"
    )


def read_tracker(
    path: Path | str,
    sheet: str | None = None,
    taxonomy: Taxonomy | None = None,
    limits: Limits = Limits(),
) -> TrackerRead:
    """Read a tracker (.xlsx or .csv) without changing it; raise InputError on anything unusable."""
    path = Path(path)
    taxonomy = taxonomy or default_taxonomy()
    file_format = check_file(path, limits)
    encoding = delimiter = None
    epoch = EXCEL_EPOCH_1900
    if file_format == "xlsx":
        workbook = read_xlsx(path, taxonomy, sheet, limits)
        recs, sources, visible = workbook.recommendations, workbook.sources, workbook.visible
        notes, epoch = workbook.notes, workbook.epoch
        digest = sha256_of(path)
    else:
        digest, encoding = digest_and_encoding(path)
        recs, delimiter = read_csv(path, taxonomy, limits, encoding)
        sources, visible, notes = None, (), []
    if recs.frame.empty:
        raise InputError(
            "has a header row but no data rows", Location(path, recs.sheet, recs.header_row)
        )
    found = set(recs.columns)
    missing_required = tuple(sorted(taxonomy.required_by_partnership - found))
    missing_optional = tuple(
        s.field
        for s in taxonomy.columns
        if s.field not in found and s.field not in missing_required
    )
    if taxonomy.sheet_given_fields & set(missing_optional) and sources is None:
        raise InputError(
            "missing required column: source type (or a sources sheet giving each source's type)",
            Location(path, recs.sheet, recs.header_row),
        )
    for name in missing_optional:
        notes.append(f"optional column {name.replace('_', ' ')!r} is absent; treated as empty")
    if warning := lock_file_warning(path):
        notes.append(warning)
    read = TrackerRead(
        path=path,
        file_format=file_format,
        size_bytes=path.stat().st_size,
        sha256=digest,
        encoding=encoding,
        delimiter=delimiter,
        recommendations=recs,
        sources=sources,
        visible_sheets=visible,
        missing_optional=missing_optional,
        missing_required=missing_required,
        notes=notes,
        excel_epoch=epoch,
    )
    if read.unused_columns:
        notes.append("Columns not used: " + ", ".join(c.describe() for c in read.unused_columns))
    return read
