"""How the shipped sample trackers are typed and laid out: the spellings analysts use for each
agency and area, the recommendation templates, dates in mixed forms, and the untidy workbook
(a notes sheet first, a hidden lookups sheet, a title block above the header, formatted blank
rows, a sources sheet). Shared by scripts/make_sample_tracker.py (2015-18) and
scripts/make_sample_years.py (2018-21), so both samples exercise the reader alike.

Every draw from the generator's random source happens in a fixed order, so a sample's bytes
depend only on its seed: reordering the draws here changes every committed sample.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

EDU, ESHT, CSC, LSCB = "Education", "ESHT", "CSC", "LSCB"
POLICE, SPFT, SCFT, CCG, GP = "Police", "SPFT", "SCFT", "CCGs", "GPs"
PROB, ASC, EH, HOUSING, CAFCASS, PH = "Probation", "ASC", "Early help", "Housing", "Cafcass", "PH"

# How each agency is typed in the tracker: several spellings per agency, as in life.
SPELLINGS = {
    EDU: [
        "Education",
        "ESCC Education",
        "Children's Services - Education",
        "education ",
        "East Sussex Children's Services – Education",
    ],
    ESHT: ["ESHT", "East Sussex Healthcare NHS Trust", "East Sussex Healthcare NHS Trust ", "esht"],
    CSC: ["CSC", "Children's Social Care", "East Sussex Children's Social Care", "csc"],
    LSCB: ["LSCB", "East Sussex LSCB", "LSCB ", "East Sussex Local Safeguarding Children Board"],
    POLICE: ["Sussex Police", "Police"],
    SPFT: ["SPFT", "Sussex Partnership NHS FT"],
    SCFT: ["SCFT", "Sussex Community NHS FT"],
    CCG: ["CCGs", "East Sussex CCGs"],
    GP: ["GPs", "Primary care"],
    PROB: ["Probation", "National Probation Service"],
    ASC: ["Adult Social Care", "ASC"],
    EH: ["Early Help", "early help"],
    HOUSING: ["Housing", "District and borough councils"],
    CAFCASS: ["Cafcass", "CAFCASS"],
    PH: ["Public Health", "public health"],
}
AREA_SPELLINGS = {
    "Policy and procedure": ["Policy and procedure", "Policy & procedure", "policy and procedure"],
    "Training and skills": ["Training and skills", "Training", "training and skills "],
    "Assessment": ["Assessment", "assessment"],
    "Information sharing": ["Information sharing", "Info sharing"],
    "Multi-agency working": ["Multi-agency working", "Multi agency working"],
    "Supervision and management oversight": ["Supervision and management oversight", "Supervision"],
    "Voice of the child": ["Voice of the child", "Child's voice"],
    "Record keeping": ["Record keeping", "Recording"],
    "Escalation": ["Escalation"],
}
TEMPLATES = {
    "Policy and procedure": [
        "{agency} to revise its procedure on {focus} so that staff know when to refer and to whom.",
        "{agency} to add guidance on {focus} to the pan-Sussex procedures and tell staff of the "
        "change.",
        "{agency} to set out in policy who checks that actions on {focus} are followed up.",
    ],
    "Training and skills": [
        "{agency} to include the learning on {focus} in its single-agency safeguarding training.",
        "{agency} to make sure designated leads complete refresher training covering {focus}.",
        "{agency} to run practice workshops on {focus} and record who attends.",
    ],
    "Assessment": [
        "{agency} to make assessments where {focus} is a concern consider every child in the "
        "household.",
        "{agency} to check that assessments record the history when {focus} is raised.",
    ],
    "Information sharing": [
        "{agency} to share concerns about {focus} with the other agencies involved without delay.",
        "{agency} to agree how information on {focus} passes between health visitors and midwives.",
    ],
    "Multi-agency working": [
        "{agency} to take part in joint planning meetings where {focus} is identified.",
        "{agency} to agree with partners who leads when several services work on {focus}.",
    ],
    "Supervision and management oversight": [
        "{agency} to make managers review cases involving {focus} in supervision.",
        "{agency} to audit management oversight of cases where {focus} is present.",
    ],
    "Voice of the child": [
        "{agency} to record what the child says about {focus}, in the child's own words.",
        "{agency} to see children alone when {focus} is a concern.",
    ],
    "Record keeping": [
        "{agency} to keep a chronology on files where {focus} is recorded.",
        "{agency} to record decisions and their reasons when {focus} is discussed.",
    ],
    "Escalation": [
        "{agency} to remind staff how to escalate disagreements about {focus}.",
        "{agency} to use the resolution and escalation protocol when partners disagree on {focus}.",
    ],
}
AGENCY_WORDS = {
    EDU: "Education services",
    ESHT: "East Sussex Healthcare NHS Trust",
    CSC: "Children's Social Care",
    LSCB: "The LSCB",
    POLICE: "Sussex Police",
    SPFT: "Sussex Partnership NHS FT",
    SCFT: "Sussex Community NHS FT",
    CCG: "The CCGs",
    GP: "GP practices",
    PROB: "Probation",
    ASC: "Adult Social Care",
    EH: "Early Help",
    HOUSING: "District and borough housing teams",
    CAFCASS: "Cafcass",
    PH: "Public Health",
}
STATUS_TEXT = {
    "done": [
        "Complete",
        "Completed",
        "Completed - see evidence",
        "complete ",
        "Closed",
        "Completed – training delivered",
        "Green",
    ],
    "doing": ["In progress", "Ongoing", "ongoing - awaiting audit", "In progress (see update)"],
    "todo": ["Not started", "not yet started"],
}
HEADER = [
    "Ref",
    "Source review",
    "Type of review",
    "Lead agency",
    "Learning area",
    "Theme(s)",
    "Recommendation",
    "Action agreed",
    "Lead officer",
    "Date agreed",
    "Target date",
    "RAG / Status",
    "Date completed",
    "Evidence of completion",
    "Evidence of impact",
]
COLUMN_WIDTHS = [12, 34, 14, 30, 26, 30, 60, 40, 24, 14, 14, 22, 14, 40, 60]
COMPLETION_EVIDENCE = "Procedure, training record or minutes held by the lead."


@dataclass(frozen=True)
class Recommendation:
    """One tracker row before it is typed: canonical agency (a SPELLINGS key) and area."""

    ref: str
    source: str
    source_type: str
    agency: str
    area: str
    themes: str | None
    text: str
    action_with: str  # who the action plan was agreed with, in words
    lead: str
    agreed: date
    due: date
    status: str | None
    completed: date | None
    impact: str | None


@dataclass(frozen=True)
class Layout:
    """The words around the rows: the notes sheet, the title block and the lookups."""

    notes: list[str]
    title: str
    subtitle: str
    last_updated: date
    lookups: Iterable[str]


def messy_date(day: date, rng: random.Random):
    """The same date as an analyst might have entered it: a date cell, text, ISO or a serial."""
    form = rng.choices(["cell", "uk", "iso", "serial"], weights=[5, 3, 1, 1])[0]
    if form == "cell":
        return datetime(day.year, day.month, day.day)
    if form == "uk":
        return day.strftime("%d/%m/%Y")
    if form == "iso":
        return day.isoformat()
    return (day - date(1899, 12, 30)).days


def typed_themes(themes: list[str], rng: random.Random) -> str | None:
    """The themes as typed: often left blank, joined with semicolons or lower-case commas."""
    if themes and rng.random() < 0.85:
        return "; ".join(themes) if rng.random() < 0.7 else ", ".join(t.lower() for t in themes)
    return None


def typed_row(
    rec: Recommendation, rng: random.Random, spellings: dict[str, list[str]] = SPELLINGS
) -> list:
    """The row as the tracker holds it: a source type sometimes left for the Sources sheet to
    give, the agency (a key of spellings) and area in one of their spellings, dates in mixed
    forms."""
    return [
        rec.ref,
        rec.source,
        rec.source_type if rng.random() < 0.9 else None,
        rng.choice(spellings[rec.agency]),
        rng.choice(AREA_SPELLINGS[rec.area]),
        rec.themes,
        rec.text,
        f"Action plan agreed with {rec.action_with}.",
        rec.lead,
        messy_date(rec.agreed, rng),
        messy_date(rec.due, rng) if rng.random() < 0.9 else rec.due.strftime("%B %Y"),
        rec.status,
        messy_date(rec.completed, rng) if rec.completed else None,
        COMPLETION_EVIDENCE if rec.completed else None,
        rec.impact,
    ]


def tracker_workbook(
    layout: Layout,
    rows: list[list],
    sources: list[tuple[str, str, date]],
    extra: tuple[tuple[str, int], ...] = (),
) -> Workbook:
    """The tracker: notes, hidden lookups, the recommendations under a title block (header on
    row 5) with formatted blank rows after, and a Sources sheet of (name, type, date). extra:
    the (header, width) of columns after HEADER's that the rows fill."""
    header = [*HEADER, *(name for name, _ in extra)]
    widths = [*COLUMN_WIDTHS, *(width for _, width in extra)]
    wb = Workbook()
    notes = wb.active
    notes.title = "Read me"
    for line in layout.notes:
        notes.append([line])
    lookups = wb.create_sheet("Lookups")
    lookups.sheet_state = "hidden"
    for agency in layout.lookups:
        lookups.append([agency])
    recs = wb.create_sheet("Recommendations")
    recs.append([layout.title])
    recs.append([layout.subtitle])
    recs.append([f"Last updated: {layout.last_updated:%d/%m/%Y}"])
    recs.append([])
    recs.append(header)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in recs[5]:
        cell.font = bold
        cell.fill = fill
    recs["A1"].font = Font(bold=True, size=14)
    for row in rows:
        recs.append(row)
    thin = Side(style="thin", color="BBBBBB")
    last = recs.max_row
    for row in range(last + 1, last + 26):  # formatted but empty rows, as trackers accumulate
        for column in range(1, len(header) + 1):
            recs.cell(row=row, column=column).border = Border(bottom=thin)
    for column, width in enumerate(widths, start=1):
        recs.column_dimensions[get_column_letter(column)].width = width
    sheet = wb.create_sheet("Sources")
    sheet.append(["Review", "Type", "Date published"])
    for name, kind, published in sources:
        sheet.append([name, kind, datetime(published.year, published.month, published.day)])
    wb.properties.creator = "impact-review sample generator"
    return wb
