"""The evidence form, defined once: its sheets, its columns and the answers its lists allow.

The request writer lays the form out from these; the returns reader finds and checks the same
columns, so a column renamed here is renamed on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass

EVIDENCE_SHEET = "Evidence"
COVER_SHEET = "About this request"
# The cover sheet names the agency the list was made for, beside this label.
AGENCY_LABEL = "Agency"
HEADER_ROW = 1

EMBEDDED = ("Yes", "Partly", "No")
# Ordered from no impact to the most: practice change and above is evidence of impact, an
# output (training delivered, a policy written) is evidence of completion only.
IMPACT_LEVELS = ("None", "Output", "Practice change", "Outcome for children")
IMPACT_REACHED = IMPACT_LEVELS[IMPACT_LEVELS.index("Practice change") :]


@dataclass(frozen=True)
class FormColumn:
    """One column of the Evidence sheet: its header, the processed column it fills (if any),
    the answers its drop-down allows (if coded) and whether the respondent writes in it."""

    header: str
    field: str
    width: int
    choices: tuple[str, ...] = ()
    response: bool = False
    free_text: bool = False


REFERENCE_COLUMNS = (
    FormColumn("Ref", "rec_id", 10),
    FormColumn("Source", "source_name", 28),
    FormColumn("Recommendation", "recommendation", 60, free_text=True),
    FormColumn("Action", "action", 40, free_text=True),
    FormColumn("Target date", "due_date", 14),
    FormColumn("Status", "status", 14),
)
RESPONSE_COLUMNS = (
    FormColumn("Embedded", "embedded", 12, choices=EMBEDDED, response=True),
    FormColumn("Impact level", "impact_level", 22, choices=IMPACT_LEVELS, response=True),
    FormColumn("Evidence of impact", "impact_evidence", 60, response=True, free_text=True),
    FormColumn("Respondent role", "respondent_role", 24, response=True, free_text=True),
    FormColumn("Date", "response_date", 14, response=True),
)
FORM_COLUMNS = (*REFERENCE_COLUMNS, *RESPONSE_COLUMNS)
# The answers joined to the processed recommendations (docs/data-dictionary.md).
MERGED_FIELDS = ("embedded", "impact_level", "impact_evidence")


def reaches_impact(level: str | None) -> bool:
    """True for practice change or above: evidence of impact rather than of completion."""
    return level in IMPACT_REACHED


# The returned free text that reaches the processed tables, scanned for personal data as the
# tracker's own free text is.
MERGED_FREE_TEXT = tuple(
    column.field
    for column in RESPONSE_COLUMNS
    if column.free_text and column.field in MERGED_FIELDS
)
