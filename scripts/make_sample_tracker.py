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

from impact_review.sample_workbook import (
    AGENCY_WORDS,
    ASC,
    CAFCASS,
    CCG,
    CSC,
    EDU,
    EH,
    ESHT,
    GP,
    HOUSING,
    LSCB,
    PH,
    POLICE,
    PROB,
    SCFT,
    SPELLINGS,
    SPFT,
    STATUS_TEXT,
    TEMPLATES,
    Layout,
    Recommendation,
    tracker_workbook,
    typed_row,
    typed_themes,
)
from impact_review.stable_xlsx import save_stable

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "raw" / "sample" / "east-sussex-lscb-tracker-2015-18.xlsx"
FIXED_TIME = datetime(2018, 5, 14, 9, 0, 0)

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
        theme_text = typed_themes(row["themes"], rng)
        impact = None
        if row["source"] in impact_left and impact_left[row["source"]] and state == "done":
            impact = impact_left[row["source"]].pop(0)
        recommendation = Recommendation(
            ref=ref,
            source=row["source"],
            source_type=row["type"],
            agency=row["agency"],
            area=row["area"],
            themes=theme_text,
            text=text,
            action_with=AGENCY_WORDS[row["agency"]].removeprefix("The "),
            lead=f"{row['agency']} safeguarding lead",
            agreed=agreed,
            due=due,
            status=status,
            completed=completed,
            impact=impact,
        )
        rows.append(typed_row(recommendation, rng))
    missing = [k for k, v in impact_left.items() if v]
    assert not missing, f"impact evidence not placed for {missing}"
    return rows


LAYOUT = Layout(
    notes=[
        "East Sussex LSCB learning and improvement tracker",
        "Sample data: an illustrative reconstruction for the impact-review project.",
        "One row per recommendation. Keep the reference unique. Use dd/mm/yyyy for dates.",
        "Agency and learning area lists are on the hidden Lookups sheet.",
    ],
    title="East Sussex LSCB – Learning and Improvement Tracker",
    subtitle="Recommendations from Serious Case Reviews, IMRs and multi-agency QA audits",
    last_updated=date(2018, 5, 14),
    lookups=SPELLINGS,
)


def build_workbook(rng: random.Random) -> Workbook:
    sources = [(name, kind, published) for name, kind, published, *_ in SOURCES]
    return tracker_workbook(LAYOUT, tracker_rows(rng), sources)


def write_sample(out: Path = OUT) -> Path:
    return save_stable(build_workbook(random.Random(2018)), out, FIXED_TIME)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the workbook")
    print(f"wrote {write_sample(parser.parse_args().out)}")
