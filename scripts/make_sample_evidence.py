"""Write the shipped sample's returned evidence: data/raw/sample/evidence-2015-18/.

The requests `impact-review evidence-request` writes for the sample tracker's 2015-18 period,
answered as the agencies might have answered them, so `make report` shows the whole method.
The answers follow the 2018 review's examples of impact (the Child Q and N IMRs together, the
sexual abuse audit, Child K and Child P); the sentences are written for this project. Training
delivered, or a report sent on, is an output (evidence of completion); a change found in
practice or in what happened to children is impact. One agency (Cafcass) did not return its
list, as some agencies do not. Deterministic: the same script gives the same bytes.
Run: python scripts/make_sample_evidence.py
"""

from __future__ import annotations

import argparse
import shutil
from datetime import date, datetime, time
from pathlib import Path

import openpyxl

from impact_review.evidence.form import EVIDENCE_SHEET, FORM_COLUMNS, HEADER_ROW
from impact_review.evidence.request import request_file_name, write_period_requests
from impact_review.paths import (
    DEFAULT_PERIOD_END,
    DEFAULT_PERIOD_START,
    SAMPLE_EVIDENCE,
    SAMPLE_TRACKER,
)
from impact_review.period import Period
from impact_review.stable_xlsx import save_stable

ANSWERED_ON = date(2018, 5, 14)
NOT_RETURNED = ("Cafcass",)
# Ref -> (embedded, impact level, evidence): the returns' own words for the review's examples.
EXAMPLES = {
    "Q-076": (
        "Yes",
        "Practice change",
        "Schools safeguarding is now part of how the local "
        "authority supports school improvement, with capacity added to do it.",
    ),
    "Q-077": (
        "Yes",
        "Practice change",
        "Schools that have had a Safeguarding Review since "
        "spot risk sooner and act on it more consistently.",
    ),
    "N-084": (
        "Yes",
        "Practice change",
        "Designated safeguarding leads meet in networks and "
        "say their practice is better supported and has improved.",
    ),
    "N-085": (
        "Yes",
        "Practice change",
        "Leads and head teachers trained on the revised course "
        "report more knowledge and confidence in their role.",
    ),
    "QA-15-091": (
        "Yes",
        "Outcome for children",
        "Later audits found children who may have "
        "been sexually abused are now seen for a paediatric assessment in good time.",
    ),
    "QA-15-092": (
        "Partly",
        "Practice change",
        "Teenage pregnancies where the relationship may "
        "be exploitative are now assessed with the exploitation pathway in mind.",
    ),
    "QA-15-093": (
        "Yes",
        "Practice change",
        "Managers question assessments more closely before "
        "they sign them off, as dip samples show.",
    ),
    "K-058": (
        "Yes",
        "Outcome for children",
        "Risks flagged by midwives reach health visitors "
        "and early help before birth, so families get support from the start.",
    ),
    "P-041": ("Yes", "Output", "The review's findings were discussed with the judiciary."),
    "P-042": (
        "Yes",
        "Practice change",
        "Assessments for private law courts now follow the "
        "training and template, and the reports are fuller.",
    ),
    "P-043": ("Yes", "Output", "Training delivered to about 80 social workers in 2017."),
    "P-044": ("Partly", "Output", "Training and guidance passed to the national board."),
}
OUTPUTS = (
    "Training delivered and attendance recorded.",
    "Procedure updated and published on the partnership website.",
    "Briefing circulated to the teams concerned.",
)
ROLES = ("Designated safeguarding lead", "Head of safeguarding", "Service manager")


def answer_for(ref: str, status: str, index: int) -> tuple[str, str, str | None]:
    """The answer for one row: the example's, else a plain one by status."""
    if ref in EXAMPLES:
        return EXAMPLES[ref]
    if status == "Completed":
        return ("Yes" if index % 3 else "Partly", "Output", OUTPUTS[index % len(OUTPUTS)])
    if status == "In progress":
        return ("Partly", "None", None)
    return ("No", "None", None)


def fill(path: Path, stamp: datetime) -> None:
    """Answer every row of one request, as its agency returned it."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[EVIDENCE_SHEET]
    column = {c.field: i for i, c in enumerate(FORM_COLUMNS, start=1)}
    for index, row in enumerate(range(HEADER_ROW + 1, sheet.max_row + 1)):
        ref = sheet.cell(row, column["rec_id"]).value
        status = sheet.cell(row, column["status"]).value
        embedded, level, evidence = answer_for(ref, status, index)
        sheet.cell(row, column["embedded"], embedded)
        sheet.cell(row, column["impact_level"], level)
        sheet.cell(row, column["impact_evidence"], evidence)
        sheet.cell(row, column["respondent_role"], ROLES[index % len(ROLES)])
        sheet.cell(row, column["response_date"], ANSWERED_ON).number_format = "DD/MM/YYYY"
    save_stable(workbook, path, stamp)


def write_sample_evidence(out: Path = SAMPLE_EVIDENCE) -> tuple[Path, ...]:
    period = Period(
        date.fromisoformat(DEFAULT_PERIOD_START), date.fromisoformat(DEFAULT_PERIOD_END), "sample"
    )
    shutil.rmtree(out, ignore_errors=True)
    written = write_period_requests(SAMPLE_TRACKER, None, period, out)
    not_returned = {request_file_name(short) for short in NOT_RETURNED}
    stamp = datetime.combine(ANSWERED_ON, time(9))
    kept = []
    for path in written:
        if path.name in not_returned:
            path.unlink()
            continue
        fill(path, stamp)
        kept.append(path)
    return tuple(kept)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=SAMPLE_EVIDENCE, help="the folder to write")
    for written in write_sample_evidence(parser.parse_args().out):
        print(f"wrote {written}")
