"""Write the call for evidence: one workbook per agency, listing exactly its recommendations.

Each workbook has a cover sheet saying in plain words what is asked and naming the agency the
list was made for (so a return can be checked against it), and an Evidence sheet whose
reference columns are locked and whose answer columns are open, with drop-downs where the
answer is coded. The bytes are the same on every run for the same tracker and period.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from impact_review.errors import InputError
from impact_review.evidence.form import (
    AGENCY_LABEL,
    COVER_SHEET,
    EVIDENCE_SHEET,
    FORM_COLUMNS,
    HEADER_ROW,
    IMPACT_LEVELS,
)
from impact_review.exports import neutralise_formula
from impact_review.intake.cleaning import clean_tracker
from impact_review.intake.taxonomy import Taxonomy, default_taxonomy
from impact_review.intake.tracker import read_tracker
from impact_review.period import Period
from impact_review.stable_xlsx import save_stable

COVER_TEXT = (
    "The partnership is reviewing the recommendations agreed in {period}. For each "
    "recommendation your agency led, please tell us whether it is now embedded in practice, "
    "what level of impact it has had, and what shows that impact.",
    "Answer on the Evidence sheet, one row per recommendation. The grey columns describe the "
    "recommendation and cannot be changed; please fill in the white columns.",
    "Embedded: is the change now part of everyday practice (Yes, Partly or No)?",
    "Impact level: the furthest the recommendation has reached. "
    + ", ".join(IMPACT_LEVELS)
    + ". An output is evidence that the action was done (training delivered, a policy "
    "written); practice change and outcomes for children are evidence that it made a "
    "difference (a re-audit found practice changed, fewer children re-referred).",
    "Evidence of impact: what shows it, in a sentence or two. Please do not name children, "
    "families or staff, or give dates of birth, addresses or case numbers.",
    "Respondent role: your role, not your name. Date: the date you answered.",
    "Return the workbook to the partnership's business unit without renaming the sheets.",
)
SAFE_NAME = re.compile(r"[^A-Za-z0-9]+")


def request_file_name(short_name: str) -> str:
    """evidence-request-SHORT.xlsx, with only letters, digits and hyphens from the short name."""
    safe = SAFE_NAME.sub("-", short_name).strip("-").lower() or "agency"
    return f"evidence-request-{safe}.xlsx"


def _cell_value(value):
    if pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return neutralise_formula(value) if isinstance(value, str) else value


def _write_cover(workbook: Workbook, agency: str, period: Period, count: int) -> None:
    cover = workbook.active
    cover.title = COVER_SHEET
    cover["A1"] = "Call for evidence: did the recommendations make a difference?"
    cover["A1"].font = Font(bold=True, size=14)
    cover["A3"], cover["B3"] = AGENCY_LABEL, agency
    cover["A4"], cover["B4"] = "Period", period.describe()
    cover["A5"], cover["B5"] = "Recommendations", count
    for row, paragraph in enumerate(COVER_TEXT, start=7):
        cover.cell(row, 1, paragraph.format(period=period.describe()))
        cover.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        cover.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        cover.row_dimensions[row].height = 48
    cover.column_dimensions["A"].width = 20
    cover.column_dimensions["B"].width = 90
    cover.protection.sheet = True


def _write_evidence(workbook: Workbook, recs: pd.DataFrame) -> None:
    sheet = workbook.create_sheet(EVIDENCE_SHEET)
    for index, column in enumerate(FORM_COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, index, column.header)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    last = HEADER_ROW + len(recs)
    for offset, record in enumerate(recs.to_dict("records"), start=1):
        for index, column in enumerate(FORM_COLUMNS, start=1):
            cell = sheet.cell(HEADER_ROW + offset, index)
            if column.response:
                cell.protection = Protection(locked=False)
            else:
                cell.value = _cell_value(record.get(column.field))
                if column.field == "due_date" and cell.value is not None:
                    cell.number_format = "DD/MM/YYYY"
            cell.alignment = Alignment(wrap_text=column.free_text, vertical="top")
    for index, column in enumerate(FORM_COLUMNS, start=1):
        if column.choices and last > HEADER_ROW:
            letter = get_column_letter(index)
            rule = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.header,
                error="Choose one of: " + ", ".join(column.choices),
            )
            rule.add(f"{letter}{HEADER_ROW + 1}:{letter}{last}")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 2)
    sheet.protection.sheet = True
    workbook.active = workbook.index(sheet)


def write_request(agency: str, recs: pd.DataFrame, period: Period, path: Path) -> Path:
    """One agency's request workbook at path."""
    workbook = Workbook()
    _write_cover(workbook, agency, period, len(recs))
    _write_evidence(workbook, recs)
    return save_stable(workbook, path, datetime.combine(period.end, time(9)))


def write_requests(
    recs: pd.DataFrame, period: Period, out: Path, taxonomy: Taxonomy | None = None
) -> tuple[Path, ...]:
    """A request per agency with recommendations in the period, in agency order."""
    taxonomy = taxonomy or default_taxonomy()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    names: dict[str, str] = {}
    for agency, group in recs.groupby("agency", sort=True):
        name = request_file_name(taxonomy.short_name(str(agency)))
        if name in names:
            raise InputError(
                f"agencies {names[name]!r} and {agency!r} would share the request file {name}: "
                "give them different short names in taxonomy.yaml"
            )
        names[name] = str(agency)
        ordered = group.sort_values("sheet_row", kind="mergesort")
        written.append(write_request(str(agency), ordered, period, out / name))
    return tuple(written)


def write_period_requests(
    tracker: Path, sheet: str | None, period: Period, out: Path
) -> tuple[Path, ...]:
    """The requests for the recommendations the tracker has agreed in the period, read and
    cleaned exactly as a run reads them."""
    return write_requests(
        clean_tracker(read_tracker(tracker, sheet), period).recommendations, period, out
    )
