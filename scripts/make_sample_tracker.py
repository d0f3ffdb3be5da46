"""Write the shipped sample tracker: data/raw/sample/east-sussex-lscb-tracker-2015-18.xlsx.

The 2018 East Sussex LSCB review published aggregates only, so these rows are an illustrative
reconstruction: every count the review published holds for the rows agreed between 1 April 2015
and 31 March 2018, and the text is written for this project. The workbook is laid out the way
analysts really keep trackers (a notes sheet first, a hidden lookup sheet, a title block above
the header, agency abbreviations, mixed date forms, free-text status, formatted blank rows), so
the sample exercises the reader as a real tracker would.

Deterministic: the same script gives the same bytes (fixed seed, fixed workbook timestamps).
Run: python scripts/make_sample_tracker.py
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Border, Font, PatternFill, Side

from impact_review.stable_xlsx import save_stable

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "raw" / "sample" / "east-sussex-lscb-tracker-2015-18.xlsx"
FIXED_TIME = datetime(2018, 5, 14, 9, 0, 0)

EDU, ESHT, CSC, LSCB = "Education", "ESHT", "CSC", "LSCB"
POLICE, SPFT, SCFT, CCG, GP = "Police", "SPFT", "SCFT", "CCGs", "GPs"
PROB, ASC, EH, HOUSING, CAFCASS, PH = "Probation", "ASC", "Early help", "Housing", "Cafcass", "PH"

# How each canonical agency is typed in the tracker: several spellings per agency, as in life.
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

# (name, type as typed, date, focus, themes, {agency: count}). In-period sources first.
SOURCES = [
    (
        "Child S SCR",
        "SCR",
        date(2015, 9, 17),
        "domestic abuse and the child's daily life",
        ["Domestic abuse", "Child's lived experience"],
        {ESHT: 4, CSC: 5, LSCB: 4, POLICE: 3, EDU: 2, GP: 2, PROB: 2},
    ),
    (
        "Child M SCR",
        "Serious Case Review",
        date(2016, 6, 23),
        "children unseen by services",
        ["Hidden children"],
        {EDU: 3, ESHT: 4, CSC: 4, LSCB: 3, SCFT: 2, GP: 1, HOUSING: 1},
    ),
    (
        "Child P SCR",
        "SCR",
        date(2016, 11, 30),
        "private law proceedings and domestic abuse",
        ["Domestic abuse"],
        {CSC: 4, LSCB: 3, CAFCASS: 3, POLICE: 2, ESHT: 2, SPFT: 2, EDU: 1},
    ),
    (
        "Child K SCR",
        "scr",
        date(2017, 7, 12),
        "a large family known to many services",
        ["Working with large families", "Hidden children"],
        {ESHT: 5, EDU: 3, CSC: 3, LSCB: 3, EH: 2, SCFT: 1, CCG: 1},
    ),
    (
        "Child Q IMR",
        "IMR",
        date(2016, 2, 4),
        "safeguarding in a secondary school",
        ["Safeguarding practice in schools"],
        {EDU: 6, LSCB: 1, CSC: 1},
    ),
    (
        "Child N IMR",
        "Individual Management Review",
        date(2016, 3, 10),
        "safeguarding in a primary school",
        ["Safeguarding practice in schools"],
        {EDU: 5, LSCB: 1, ESHT: 1},
    ),
    (
        "QA audit: child sexual abuse",
        "QA audit",
        date(2015, 7, 8),
        "child sexual abuse",
        ["Child's lived experience"],
        {ESHT: 2, CSC: 1, POLICE: 1, SPFT: 1},
    ),
    (
        "QA audit: neglect",
        "QA",
        date(2015, 10, 21),
        "neglect",
        ["Child's lived experience"],
        {CCG: 1, EH: 1, EDU: 1, GP: 1},
    ),
    (
        "QA audit: domestic abuse",
        "QA audit",
        date(2015, 12, 9),
        "domestic abuse",
        ["Domestic abuse"],
        {POLICE: 1, ESHT: 1, PROB: 1, LSCB: 1},
    ),
    (
        "QA audit: child sexual exploitation",
        "Case file audit",
        date(2016, 1, 20),
        "child sexual exploitation",
        [],
        {POLICE: 1, LSCB: 1, SPFT: 1, ESHT: 1},
    ),
    (
        "QA audit: missing children",
        "QA audit",
        date(2016, 4, 13),
        "children who go missing",
        ["Hidden children"],
        {SCFT: 1, CSC: 1, EDU: 1, LSCB: 1},
    ),
    (
        "QA audit: pre-birth assessment",
        "QA audit",
        date(2016, 7, 6),
        "pre-birth assessment",
        [],
        {ESHT: 3, CCG: 1},
    ),
    (
        "QA audit: disabled children",
        "QA audit",
        date(2016, 9, 14),
        "disabled children",
        ["Child's lived experience"],
        {SCFT: 1, CSC: 1, EDU: 1},
    ),
    (
        "QA audit: early help step-down",
        "QA",
        date(2016, 12, 7),
        "stepping down to early help",
        [],
        {EH: 2, CCG: 1, EDU: 1},
    ),
    (
        "QA audit: strategy discussions",
        "QA audit",
        date(2017, 2, 15),
        "strategy discussions",
        [],
        {POLICE: 1, CCG: 1, ESHT: 1, LSCB: 1},
    ),
    (
        "QA audit: section 47 enquiries",
        "QA audit",
        date(2017, 4, 19),
        "section 47 enquiries",
        [],
        {CSC: 1, SPFT: 1, LSCB: 1},
    ),
    (
        "QA audit: parental mental health",
        "QA audit",
        date(2017, 6, 14),
        "parental mental health",
        ["Child's lived experience"],
        {SPFT: 2, ASC: 1, GP: 1},
    ),
    (
        "QA audit: private fostering",
        "QA audit",
        date(2017, 9, 20),
        "private fostering",
        [],
        {CSC: 1, EDU: 1, HOUSING: 1, PH: 1},
    ),
    (
        "QA audit: parental substance misuse",
        "QA audit",
        date(2017, 11, 8),
        "parental substance misuse",
        ["Domestic abuse"],
        {ASC: 2, PH: 1},
    ),
    (
        "QA audit: adolescents at risk",
        "QA audit",
        date(2018, 1, 17),
        "adolescents at risk",
        [],
        {PROB: 1, EDU: 1, SCFT: 1, PH: 1},
    ),
    (
        "QA audit: working with large families",
        "QA audit",
        date(2018, 3, 7),
        "large sibling groups",
        ["Working with large families"],
        {CSC: 1, HOUSING: 1, LSCB: 1},
    ),
    # Outside 1 April 2015 - 31 March 2018: the period filter must leave these out.
    ("Child L SCR", "SCR", date(2014, 11, 26), "a baby's injuries", [], {ESHT: 2, POLICE: 1}),
    (
        "QA audit: bruising in non-mobile babies",
        "QA audit",
        date(2018, 5, 9),
        "bruising in babies who are not yet mobile",
        [],
        {ESHT: 1, GP: 1, CSC: 1},
    ),
]

# Area totals for the 147 in-period rows: Education's 26 first (14 in training and skills).
EDUCATION_AREAS = Counter(
    {
        "Training and skills": 14,
        "Policy and procedure": 6,
        "Information sharing": 2,
        "Record keeping": 2,
        "Assessment": 1,
        "Escalation": 1,
    }
)
OTHER_AREAS = Counter(
    {
        "Policy and procedure": 45,
        "Training and skills": 23,
        "Assessment": 15,
        "Multi-agency working": 9,
        "Information sharing": 8,
        "Supervision and management oversight": 8,
        "Voice of the child": 7,
        "Record keeping": 3,
        "Escalation": 3,
    }
)
OUT_OF_PERIOD_AREAS = [
    "Policy and procedure",
    "Training and skills",
    "Assessment",
    "Information sharing",
    "Policy and procedure",
    "Record keeping",
]

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

# Evidence of impact, in this project's own words, drawn from what the 2018 review reported.
IMPACT = {
    "Child Q IMR": [
        "Showed that the local authority needed more capacity to support safeguarding in schools; "
        "safeguarding is now part of the school improvement approach.",
        "Safeguarding Reviews introduced for schools; schools reviewed since recognise and respond "
        "to risk better.",
    ],
    "Child N IMR": [
        "DSL Networks set up: designated leads say they feel supported and practice has improved.",
        "Revised DSL training: DSLs and head teachers report more confidence and knowledge.",
    ],
    "QA audit: child sexual abuse": [
        "Paediatric assessments are now considered in good time, as later CSA and MACE audits "
        "found.",
        "Assessment of teenage pregnancy where the relationship may be exploitative is stronger, "
        "through MACE and CSE practice.",
        "Practice managers show more professional curiosity when signing off assessments.",
    ],
    "Child K SCR": [
        "Midwives and health visitors now share risks flagged on Additional Support forms, through "
        "Team Around the Family meetings and shared early help plans; the forms are more detailed.",
    ],
    "Child P SCR": [
        "The judiciary reflected on the case and the review's findings; professionals' "
        "understanding "
        "of the court's and Cafcass's roles was found to be a gap.",
        "The review went to the Local Family Justice Board and the annual training conference; "
        "training now covers Section 7 reports, private law proceedings and assessing domestic "
        "abuse.",
        "About 80 social workers attended the training in 2017 and found it helped their "
        "assessments and recommendations.",
        "The training, template and guidance are going to the National Justice Board for possible "
        "national roll-out.",
    ],
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


def canonical_rows(rng: random.Random) -> list[dict]:
    """One dict per recommendation with canonical agency, area and source."""
    edu_areas = [a for a, n in sorted(EDUCATION_AREAS.items()) for _ in range(n)]
    other_areas = [a for a, n in sorted(OTHER_AREAS.items()) for _ in range(n)]
    rng.shuffle(edu_areas)
    rng.shuffle(other_areas)
    out_areas = list(OUT_OF_PERIOD_AREAS)
    rows = []
    for name, kind, agreed, focus, themes, agencies in SOURCES:
        in_period = date(2015, 4, 1) <= agreed <= date(2018, 3, 31)
        for agency, count in agencies.items():
            for _ in range(count):
                if not in_period:
                    area = out_areas.pop()
                elif agency == EDU:
                    area = edu_areas.pop()
                else:
                    area = other_areas.pop()
                rows.append(
                    {
                        "source": name,
                        "type": kind,
                        "agreed": agreed,
                        "focus": focus,
                        "themes": themes,
                        "agency": agency,
                        "area": area,
                    }
                )
    assert not edu_areas and not other_areas and not out_areas
    return rows


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


def tracker_rows(rng: random.Random) -> list[list]:
    rows = []
    impact_left = {k: list(v) for k, v in IMPACT.items()}
    for number, row in enumerate(canonical_rows(rng), start=1):
        prefix = row["source"].split()[0] if row["type"] != "QA audit" else "QA"
        ref = (
            f"{prefix}-{row['agreed']:%y}-{number:03d}"
            if "QA" in row["source"]
            else f"{row['source'].split()[1]}-{number:03d}"
        )
        agreed = row["agreed"] + timedelta(days=rng.randint(0, 20))
        due = agreed + timedelta(days=rng.choice([90, 120, 180, 270, 365]))
        state = rng.choices(["done", "doing", "todo", "blank"], weights=[14, 5, 1, 1])[0]
        if agreed.year < 2017 and state != "blank":
            state = "done"
        status = rng.choice(STATUS_TEXT[state]) if state != "blank" else None
        completed = due - timedelta(days=rng.randint(0, 60)) if state == "done" else None
        if completed and completed > date(2018, 5, 1):
            completed = date(2018, 4, rng.randint(1, 30))
        template = rng.choice(TEMPLATES[row["area"]])
        text = template.format(agency=AGENCY_WORDS[row["agency"]], focus=row["focus"])
        themes = row["themes"]
        theme_text = None
        if themes and rng.random() < 0.85:
            theme_text = (
                "; ".join(themes) if rng.random() < 0.7 else ", ".join(t.lower() for t in themes)
            )
        impact = None
        if row["source"] in impact_left and impact_left[row["source"]] and state == "done":
            impact = impact_left[row["source"]].pop(0)
        rows.append(
            [
                ref,
                row["source"],
                row["type"]
                if rng.random() < 0.9
                else None,  # blanks are filled from the Sources sheet
                rng.choice(SPELLINGS[row["agency"]]),
                rng.choice(AREA_SPELLINGS[row["area"]]),
                theme_text,
                text,
                f"Action plan agreed with {AGENCY_WORDS[row['agency']].removeprefix('The ')}.",
                f"{row['agency']} safeguarding lead",
                messy_date(agreed, rng),
                messy_date(due, rng) if rng.random() < 0.9 else due.strftime("%B %Y"),
                status,
                messy_date(completed, rng) if completed else None,
                "Procedure, training record or minutes held by the lead." if completed else None,
                impact,
            ]
        )
    missing = [k for k, v in impact_left.items() if v]
    assert not missing, f"impact evidence not placed for {missing}"
    return rows


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


def build_workbook(rng: random.Random) -> Workbook:
    wb = Workbook()
    notes = wb.active
    notes.title = "Read me"
    for line in [
        ["East Sussex LSCB learning and improvement tracker"],
        ["Sample data: an illustrative reconstruction for the impact-review project."],
        ["One row per recommendation. Keep the reference unique. Use dd/mm/yyyy for dates."],
        ["Agency and learning area lists are on the hidden Lookups sheet."],
    ]:
        notes.append(line)
    lookups = wb.create_sheet("Lookups")
    lookups.sheet_state = "hidden"
    for agency in SPELLINGS:
        lookups.append([agency])
    recs = wb.create_sheet("Recommendations")
    recs.append(["East Sussex LSCB – Learning and Improvement Tracker"])
    recs.append(["Recommendations from Serious Case Reviews, IMRs and multi-agency QA audits"])
    recs.append(["Last updated: 14/05/2018"])
    recs.append([])
    recs.append(HEADER)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in recs[5]:
        cell.font = bold
        cell.fill = fill
    recs["A1"].font = Font(bold=True, size=14)
    for row in tracker_rows(rng):
        recs.append(row)
    thin = Side(style="thin", color="BBBBBB")
    last = recs.max_row
    for row in range(last + 1, last + 26):  # formatted but empty rows, as trackers accumulate
        for column in range(1, len(HEADER) + 1):
            recs.cell(row=row, column=column).border = Border(bottom=thin)
    for column, width in zip(
        "ABCDEFGHIJKLMNO", [12, 34, 14, 30, 26, 30, 60, 40, 24, 14, 14, 22, 14, 40, 60], strict=True
    ):
        recs.column_dimensions[column].width = width
    sources = wb.create_sheet("Sources")
    sources.append(["Review", "Type", "Date published"])
    for name, kind, agreed, *_ in SOURCES:
        sources.append([name, kind, datetime(agreed.year, agreed.month, agreed.day)])
    wb.properties.creator = "impact-review sample generator"
    return wb


def write_sample(out: Path = OUT) -> Path:
    return save_stable(build_workbook(random.Random(2018)), out, FIXED_TIME)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the workbook")
    print(f"wrote {write_sample(parser.parse_args().out)}")
