"""Seeded trackers as analysts mistype them: every spelling of the taxonomy's values with stray
case and spaces, dates in every form the cleaning reads (and some it refuses), Excel errors,
numbers where text is expected and blanks, for tests that cleaning column by column reads each
cell as it would alone."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from impact_review.intake.taxonomy import Taxonomy, Vocabulary
from impact_review.intake.tracker import ExcelError, Table, TrackerRead

MONTHS = ("Jan", "February", "Sept", "mar", "DECEMBER", "Jun.")


def pick(rng: np.random.Generator, items: list[object]) -> object:
    """One of the items, as it is (numpy's choice would turn a mixed list into text)."""
    return items[int(rng.integers(len(items)))]


def respelt(rng: np.random.Generator, text: str) -> str:
    """The text with its case and spacing mistyped the ways trackers do."""
    choice = rng.integers(5)
    if choice == 1:
        text = text.upper()
    elif choice == 2:
        text = text.lower()
    elif choice == 3:
        text = f"  {text}\u00a0"
    elif choice == 4:
        text = text.replace(" ", "  ")
    return text


def vocabulary_cell(rng: np.random.Generator, vocabulary: Vocabulary, bad: float) -> object:
    if rng.random() < bad:
        return str(rng.choice(["Nowhere", "Ofsted?", "ESHT Trsut", "12"]))
    return respelt(rng, str(rng.choice([*vocabulary.names, *vocabulary.lookup])))


def date_cell(rng: np.random.Generator, bad: float, mandatory: bool = False) -> object:
    day = date(2014, 1, 1) + timedelta(days=int(rng.integers(0, 1800)))
    forms = [
        day.strftime("%d/%m/%Y"),
        day.strftime("%d/%m/%y"),
        day.strftime("%-d.%-m.%Y"),
        day.isoformat(),
        f"{day.day}{pick(rng, ['', 'th'])} {day.strftime(pick(rng, ['%b', '%B']))} {day.year}",
        datetime(day.year, day.month, day.day, int(rng.integers(0, 2)) * 13),
        day,
        (day - date(1899, 12, 30)).days,
        str((day - date(1899, 12, 30)).days),
        float((day - date(1899, 12, 30)).days),
    ]
    if not mandatory:
        forms += ["TBC", " ongoing ", "-", None]
    if rng.random() < bad:
        forms = ["31/02/2016", "June 2016", "next week", "2016", 12.5, "13/13/13", True]
    return pick(rng, forms)


def text_cell(rng: np.random.Generator, index: int) -> object:
    choice = rng.integers(1, 8)
    if choice == 1:
        return float(index)
    return respelt(rng, f"Text {index} for row, with words")


def messy_frame(
    rng: np.random.Generator, rows: int, taxonomy: Taxonomy, bad: float = 0.0
) -> pd.DataFrame:
    """A recommendations sheet as read (object columns, None for blank), `bad` the share of
    vocabulary and date cells that cleaning must refuse."""
    themes = taxonomy.themes
    statuses = [*taxonomy.statuses.names, *taxonomy.statuses.lookup]
    frame: dict[str, list[object]] = {name: [] for name in taxonomy.fields}
    for index in range(rows):
        theme_parts = [vocabulary_cell(rng, themes, bad) for _ in range(int(rng.integers(0, 3)))]
        status = respelt(rng, str(rng.choice(statuses)))
        cells = {
            "rec_id": pick(rng, [f"R{index}", float(index), f" R{index} "]),
            "source_name": respelt(rng, f"Review {rng.integers(0, 6)}"),
            "source_type": vocabulary_cell(rng, taxonomy.source_types, bad),
            "agency": vocabulary_cell(rng, taxonomy.agencies, bad),
            "area_of_learning": vocabulary_cell(rng, taxonomy.areas, bad),
            "themes": str(rng.choice([", ", "; ", "\n"])).join(map(str, theme_parts)) or None,
            "date_agreed": date_cell(rng, bad / 3, mandatory=bad == 0),
            "due_date": pick(
                rng,
                [date_cell(rng, bad), f"{rng.choice(MONTHS)} 2017", f"{rng.choice(MONTHS)}-2016"],
            ),
            "date_completed": date_cell(rng, bad),
            "status": pick(rng, [status, f"{status} - see notes", f"{status}: 3/4 done", "?"]),
            "priority": vocabulary_cell(rng, taxonomy.priorities, bad)
            if rng.random() < 0.5
            else None,
        }
        optional = [spec.field for spec in taxonomy.columns if not spec.required]
        if rng.random() < 0.03:
            erring = optional if bad == 0 else ["agency", "date_agreed", *optional]
            cells[str(rng.choice(erring))] = ExcelError("#N/A", f"A{index}")
        for name in taxonomy.fields:
            value = cells[name] if name in cells else text_cell(rng, index)
            if (bad or name in optional) and rng.random() < 0.03:
                value = None
            frame[name].append(None if isinstance(value, str) and not value.strip() else value)
    out = pd.DataFrame({name: pd.Series(cells, dtype=object) for name, cells in frame.items()})
    out["sheet_row"] = pd.Series(range(3, rows + 3), dtype="int64")
    return out


def messy_read(frame: pd.DataFrame, taxonomy: Taxonomy) -> TrackerRead:
    """The frame as a workbook's recommendations sheet read (header on row 2)."""
    columns = {spec.field: spec.headers[0] for spec in taxonomy.columns}
    table = Table("Recs", 2, columns, frame, blank_rows=(), above_header=(1,))
    return TrackerRead(
        path=Path("messy.xlsx"),
        file_format="xlsx",
        size_bytes=1,
        sha256="0" * 64,
        encoding=None,
        delimiter=None,
        recommendations=table,
        sources=None,
        visible_sheets=("Recs",),
        missing_optional=(),
    )
