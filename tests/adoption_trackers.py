"""Three trackers as other partnerships keep them, written by hand for `impact-review init`'s tests:
their own headers, agencies and spellings, none of them East Sussex's. The free text carries a
marker (FREETEXT) so a test can show it never reaches init's report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from helpers import write_csv_text, write_xlsx

NORTHSHIRE = "Northshire Safeguarding Children Partnership"
WESTVALE = "Westvale Safeguarding Children Partnership"
EASTMERE = "Eastmere Safeguarding Children Partnership"

NORTHSHIRE_HEADER = [
    "Rec No", "Review", "Type of review", "Lead organisation", "Learning theme",
    "Recommendation text", "Agreed", "Target", "RAG", "Update",
]  # fmt: skip
NORTHSHIRE_SOURCES = (
    ("Child A LCSPR", "LCSPR"),
    ("Child B LCSPR", "Local Child Safeguarding Practice Review"),
    ("Rapid review 12", "Rapid review"),
    ("Rapid review 14", "Rapid Reviews"),
    ("Neglect audit", "Multi-agency audit"),
    ("DHR Adult P", "Domestic Homicide Review (DHR)"),
)
NORTHSHIRE_AGENCIES = (
    "Northshire Police",
    "Police",
    "NHS Northshire ICB",
    "Northshire County Council Children's Services (NCC CS)",
    "NCC CS",
    "Education & Skills",
    "Education and Skills",
)
NORTHSHIRE_THEMES = (
    "Neglect; Voice of the child",
    "Neglect",
    "voice of the Child",
    "Domestic abuse, Neglect",
    "Multi-agency working | Neglect",
)
RAG_KEY = (
    ("Blue", "Complete and impact evidenced"),
    ("Green", "Complete"),
    ("Amber", "In progress"),
    ("Red", "Not started / off track"),
)


def northshire_tracker(path: Path, rows: int = 74) -> Path:
    """A title block, the headers above, 74 rows agreed April 2020 to March 2021, a RAG key."""
    sheet: list[list] = [["Northshire SCP recommendations tracker"], ["As at 31 March 2021"], []]
    sheet.append(NORTHSHIRE_HEADER)
    for i in range(rows):
        source, kind = NORTHSHIRE_SOURCES[i % len(NORTHSHIRE_SOURCES)]
        sheet.append(
            [
                f"NS{i + 1:03d}",
                source,
                kind,
                NORTHSHIRE_AGENCIES[i % len(NORTHSHIRE_AGENCIES)],
                NORTHSHIRE_THEMES[i % len(NORTHSHIRE_THEMES)],
                f"Strengthen practice FREETEXT-{i}.",
                date(2020, 4 + i % 9, 1 + i % 27),
                # after the period, before its last day (overdue if open), or on it (not overdue)
                (date(2021, 6, 30), date(2020, 12, 31), date(2021, 3, 31))[i % 3],
                RAG_KEY[i % 4][0],
                f"Progress reported FREETEXT-{i}.",
            ]
        )
    key = [["RAG key"], ["Colour", "Meaning"], *map(list, RAG_KEY)]
    return write_xlsx(path, {"Tracker": sheet, "RAG key": key})


def westvale_tracker(path: Path) -> Path:
    """A semicolon CSV with other names and free-text statuses, and no themes."""
    statuses = (
        "Complete - signed off FREETEXT",
        "In progress: policy drafted FREETEXT",
        "Not yet started",
        "Awaiting evidence",
        "Ongoing",
    )
    agencies = ("Westvale Police", "Westvale CSC", "Children's Social Care", "Westvale ICB")
    sources = (("Child C LCSPR", "LCSPR"), ("RR 7", "Rapid Review"), ("Adult Q SAR", "SAR"))
    areas = ("Training", "Information sharing", "Assessment")
    lines = ["ID,Case review,Type,Agency responsible,Category,Recommendation,"
             "Date of recommendation,Due,Status,Comments"]  # fmt: skip
    for i in range(18):
        source, kind = sources[i % 3]
        lines.append(
            f"W{i + 1},{source},{kind},{agencies[i % 4]},{areas[i % 3]},"
            f"Review the guidance FREETEXT-{i},{1 + i:02d}/06/2021,31/03/2022,"
            f"{statuses[i % 5]},Update FREETEXT-{i}"
        )
    return write_csv_text(path, lines, delimiter=";")


def eastmere_tracker(path: Path) -> Path:
    """An area-of-learning column, no themes and no RAG, and a sources sheet giving the types."""
    header = ["Reference", "Learning activity", "Organisation", "Area of learning",
              "Recommendation", "Date agreed", "Action owner", "Priority"]  # fmt: skip
    agencies = ("Eastmere ICB", "Eastmere Integrated Care Board", "Police", "Eastmere Police")
    sources = ("Child D LCSPR", "Audit 2022-1", "Mr E SAR")
    areas = ("Policy & procedure", "Policy and procedure", "Supervision", "Record keeping")
    rows = [header] + [
        [f"E-{i + 1}", sources[i % 3], agencies[i % 4], areas[i % 4],
         f"Audit the records FREETEXT-{i}.", date(2022, 5, 2 + i), "Team manager FREETEXT", "High"]
        for i in range(12)
    ]  # fmt: skip
    reviews = [
        ["Name", "Type", "Date published"],
        ["Child D LCSPR", "Local Child Safeguarding Practice Reviews", date(2022, 3, 1)],
        ["Audit 2022-1", "Multi-agency audit", date(2022, 4, 1)],
        ["Mr E SAR", "Safeguarding Adults Review", date(2022, 2, 1)],
    ]
    return write_xlsx(path, {"Recommendations": rows, "Reviews": reviews})
