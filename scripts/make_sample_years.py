"""Write the later years' sample tracker: data/raw/sample/east-sussex-tracker-2018-21.xlsx.

One continuing tracker, as partnerships keep them, holding the recommendations agreed from
April 2018 to March 2021 (and a few either side, which a year's review leaves out). It crosses
the 2019 reforms, and takes their names and dates from the taxonomy's successions and the
partnership's renamings, never from this script: a recommendation for the board is the LSCB's
before the day the partnership took over and the partnership's from it; a case review begun
before that day is an SCR (one begun in spring 2019 still reports that autumn, as the
transitional arrangements allowed), and one begun from it is a rapid review, which may lead to an
LCSPR. Illustrative, not real case data: children are pseudonyms (letters the 2015-18 sample
does not use) and the text is written for this project.

The years differ as a comparison should show: fewer recommendations each year, information
sharing recurring as the largest area, completion taking less time, evidence of impact recorded
more often, and some recommendations still open past their target at every year's end (statuses
are as at the tracker's last update, April 2021).

Deterministic: the same script gives the same bytes (fixed seed, fixed workbook timestamps).
Run: python scripts/make_sample_years.py
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

from impact_review.intake.taxonomy import Succession, Taxonomy, load_taxonomy
from impact_review.partnership import Partnership, load_partnership
from impact_review.paths import SAMPLE_CONFIG_DIR, SAMPLE_YEARS_TRACKER
from impact_review.period import financial_year, format_uk_date
from impact_review.sample_workbook import (
    AGENCY_WORDS,
    CSC,
    EDU,
    EH,
    ESHT,
    GP,
    HOUSING,
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

FIXED_TIME = datetime(2021, 5, 4, 9, 0, 0)
LAST_UPDATED = date(2021, 4, 30)
YEARS = ("2018-19", "2019-20", "2020-21")
# The board's recommendations: the LSCB's or the partnership's, by the day they were agreed.
BOARD = "board"
# How the partnership's agency name is typed once it exists.
PARTNERSHIP_SPELLINGS = [
    "Safeguarding Children Partnership",
    "ESSCP",
    "East Sussex Safeguarding Children Partnership",
    "ESSCP ",
]
# How each source type is typed (one spelling per source, chosen when it is first entered).
TYPE_SPELLINGS = {
    "SCR": ["SCR", "Serious Case Review", "scr"],
    "Rapid review": ["Rapid review", "Rapid Review", "RR"],
    "LCSPR": ["LCSPR", "Local Child Safeguarding Practice Review", "CSPR"],
    "IMR": ["IMR", "Individual Management Review"],
    "QA audit": ["QA audit", "QA", "Case file audit"],
}
CASE_REVIEW, RAPID_REVIEW, IMR, AUDIT = "case review", "rapid review", "IMR", "QA audit"


@dataclass(frozen=True)
class Source:
    """A learning activity as commissioned: its kind (a case review's type follows from the day
    it began), the child's pseudonym letter or an audit's subject, and who it asked to act."""

    kind: str
    subject: str
    begun: date
    published: date
    focus: str
    themes: tuple[str, ...]
    agencies: dict[str, int]


SOURCES = [
    # Agreed before 1 April 2018: a 2018-19 review leaves it out.
    Source(AUDIT, "sexual abuse within the family", date(2018, 2, 7), date(2018, 3, 7),
           "sexual abuse within the family", (), {ESHT: 1, CSC: 1, POLICE: 1}),
    # 2018-19: the LSCB's year.
    Source(AUDIT, "neglect", date(2018, 4, 4), date(2018, 5, 9), "neglect",
           ("Hidden children",), {CSC: 2, EH: 2, EDU: 1, ESHT: 1}),
    Source(CASE_REVIEW, "A", date(2017, 10, 2), date(2018, 6, 13),
           "neglect in a large family", ("Hidden children", "Working with large families"),
           {CSC: 4, ESHT: 3, BOARD: 3, EDU: 2, POLICE: 2, GP: 2}),
    Source(AUDIT, "domestic abuse", date(2018, 6, 6), date(2018, 7, 18), "domestic abuse",
           ("Domestic abuse",), {POLICE: 2, CSC: 1, ESHT: 1, PROB: 1}),
    Source(IMR, "C", date(2018, 4, 18), date(2018, 9, 19),
           "safeguarding in a further education college", ("Safeguarding practice in schools",),
           {EDU: 5, BOARD: 1}),
    Source(AUDIT, "children missing education", date(2018, 9, 5), date(2018, 10, 10),
           "children missing education", ("Hidden children",), {EDU: 3, CSC: 1, BOARD: 1}),
    Source(AUDIT, "front door information sharing", date(2018, 11, 7), date(2018, 12, 5),
           "concerns reported at the front door", (), {CSC: 2, POLICE: 1, ESHT: 1, GP: 1}),
    Source(CASE_REVIEW, "B", date(2018, 3, 5), date(2019, 1, 16),
           "an adolescent exploited outside the home", ("Child's lived experience",),
           {POLICE: 4, CSC: 3, EDU: 3, BOARD: 2, SPFT: 2, EH: 1}),
    Source(AUDIT, "self-harm in adolescents", date(2019, 1, 9), date(2019, 2, 20),
           "self-harm in adolescents", (), {SPFT: 2, EDU: 1, ESHT: 1, SCFT: 1}),
    # 2019-20: the reforms take effect part way through.
    Source(AUDIT, "private fostering", date(2019, 4, 10), date(2019, 5, 15), "private fostering",
           (), {CSC: 2, EDU: 1, HOUSING: 1, BOARD: 1}),
    Source(CASE_REVIEW, "D", date(2018, 11, 7), date(2019, 7, 10),
           "a baby's injuries and a father not known to services", ("Hidden children",),
           {CSC: 3, ESHT: 3, BOARD: 2, SCFT: 2, GP: 1, HOUSING: 1}),
    Source(AUDIT, "neglect re-audit", date(2019, 8, 7), date(2019, 9, 4), "neglect",
           ("Hidden children",), {CSC: 2, EH: 1, GP: 1, ESHT: 1}),
    Source(RAPID_REVIEW, "E", date(2019, 10, 16), date(2019, 11, 13),
           "safe sleeping advice for babies", ("Child's lived experience",),
           {CSC: 2, ESHT: 2, POLICE: 1, BOARD: 1}),
    Source(CASE_REVIEW, "H", date(2019, 4, 3), date(2019, 11, 27),
           "domestic abuse and a child's school attendance",
           ("Domestic abuse", "Child's lived experience"),
           {CSC: 3, POLICE: 2, EDU: 2, BOARD: 2, SPFT: 1}),
    Source(AUDIT, "contextual safeguarding", date(2019, 11, 6), date(2019, 12, 11),
           "harm to adolescents outside the home", (), {POLICE: 2, EDU: 1, CSC: 1, BOARD: 1}),
    Source(RAPID_REVIEW, "F", date(2020, 1, 22), date(2020, 2, 19),
           "a child not seen while home educated", ("Hidden children",),
           {EDU: 2, CSC: 2, EH: 1, BOARD: 1}),
    Source(AUDIT, "disabled children", date(2020, 2, 5), date(2020, 3, 4), "disabled children",
           ("Child's lived experience",), {SCFT: 2, CSC: 1, EDU: 1}),
    # 2020-21: the partnership's year.
    Source(RAPID_REVIEW, "G", date(2020, 5, 6), date(2020, 6, 3),
           "children unseen during the lockdown", ("Hidden children",),
           {EDU: 2, CSC: 2, POLICE: 1, EH: 1, BOARD: 1}),
    Source(AUDIT, "vulnerable children during lockdown", date(2020, 6, 10), date(2020, 7, 15),
           "vulnerable children out of school", ("Hidden children",),
           {EDU: 3, CSC: 1, EH: 1, BOARD: 1}),
    Source(CASE_REVIEW, "E", date(2019, 11, 20), date(2020, 9, 23),
           "safe sleeping advice for families under pressure", ("Child's lived experience",),
           {CSC: 3, ESHT: 3, POLICE: 2, BOARD: 2, EDU: 2, GP: 1, PH: 1}),
    Source(AUDIT, "domestic abuse re-audit", date(2020, 9, 9), date(2020, 10, 14),
           "domestic abuse", ("Domestic abuse",), {POLICE: 2, CSC: 1, PROB: 1}),
    Source(RAPID_REVIEW, "J", date(2020, 11, 18), date(2020, 12, 9),
           "an adolescent's mental health crisis", (), {ESHT: 2, CSC: 1, SPFT: 1, BOARD: 1}),
    Source(AUDIT, "online harm", date(2020, 11, 4), date(2020, 12, 2), "harm online", (),
           {EDU: 2, POLICE: 1, CSC: 1}),
    Source(AUDIT, "early help assessments", date(2020, 12, 9), date(2021, 1, 13),
           "early help assessments", (), {EH: 2, EDU: 1, ESHT: 1}),
    Source(AUDIT, "strategy discussions", date(2021, 1, 20), date(2021, 2, 17),
           "strategy discussions", (), {POLICE: 1, CSC: 1, ESHT: 1, BOARD: 1}),
    # Agreed after 31 March 2021: a 2020-21 review leaves it out.
    Source(AUDIT, "neglect of adolescents", date(2021, 3, 3), date(2021, 4, 7),
           "neglect of adolescents", ("Hidden children",), {CSC: 1, EDU: 1, BOARD: 1}),
]  # fmt: skip

# Information sharing weighs most in every year: the area a comparison finds recurring.
AREA_WEIGHTS = {
    "Information sharing": 7,
    "Policy and procedure": 4,
    "Training and skills": 4,
    "Assessment": 3,
    "Multi-agency working": 2,
    "Supervision and management oversight": 2,
    "Voice of the child": 2,
    "Record keeping": 1,
    "Escalation": 1,
}
# Each year's pace (days from agreed to completed, fewest and most) and the chance that a
# completed recommendation has evidence of impact recorded: faster, and better evidenced, later.
PACE = {"2018-19": (150, 420), "2019-20": (90, 300), "2020-21": (45, 200)}
IMPACT_SHARE = {"2018-19": 0.12, "2019-20": 0.3, "2020-21": 0.5}
# The chance a recommendation is still open at the last update whatever its pace: work that
# stalled, which every year's review reports as overdue once its target has passed.
STALLED = 0.1
# Acting on the 2018 review's advice (recommendations prioritised and clear about the impact they
# seek), the partnership records a priority and how it will know each recommendation worked for
# more of them each year. Drawn from a random source of their own, after every other draw, so
# the rest of the tracker is as it was before these columns.
QUALITY_SEED = 2029
PRIORITY_SHARE = {"2018-19": 0.2, "2019-20": 0.6, "2020-21": 0.9}
OUTCOME_SHARE = {"2018-19": 0.1, "2019-20": 0.5, "2020-21": 0.85}
PRIORITY_SPELLINGS = {
    "Immediate": ["Immediate", "Urgent", "Short term", "High"],
    "Longer term": ["Longer term", "Long term", "Medium term", "Low"],
}
OUTCOMES = {
    "Policy and procedure": "Staff asked in the annual survey say when and to whom to refer.",
    "Training and skills": "Nine in ten of the staff concerned trained within a year; a "
    "follow-up audit finds the learning used.",
    "Assessment": "A dip sample of assessments finds every child in the household considered.",
    "Information sharing": "Referrals carry the information partners need, checked at the "
    "monthly front door audit.",
    "Multi-agency working": "Plans name a lead agency, checked in the next multi-agency audit.",
    "Supervision and management oversight": "Supervision records show cases reviewed each quarter.",
    "Voice of the child": "Case files record the child's own words, checked by audit.",
    "Record keeping": "Files audited hold a current chronology.",
    "Escalation": "Escalations are logged and resolved within the protocol's timescales.",
}
QUALITY_COLUMNS = (("Priority", 14), ("How will we know", 50))
IMPACT = {
    "Policy and procedure": "A re-audit found staff following the revised procedure on {focus}, "
    "with referrals reaching the right service first time.",
    "Training and skills": "Staff trained on {focus} say they are more confident, and "
    "supervisors see the learning used in case records.",
    "Assessment": "A dip sample found that assessments where {focus} was a concern now consider "
    "every child in the household.",
    "Information sharing": "The multi-agency re-audit found partners sharing concerns about "
    "{focus} within a working day.",
    "Multi-agency working": "Joint planning meetings are now held sooner where {focus} is "
    "identified, and families are asked the same questions less often.",
    "Supervision and management oversight": "Managers' case reviews now record decisions on "
    "{focus}, and fewer of these cases drift.",
    "Voice of the child": "Records now give children's own words about {focus} more often, as "
    "the re-audit found.",
    "Record keeping": "A dip sample found chronologies on most files where {focus} is recorded.",
    "Escalation": "Professionals now use the escalation protocol when they disagree about "
    "{focus}, and disagreements are settled sooner.",
}


@dataclass(frozen=True)
class Reforms:
    """What the configuration says changed and when: the board's succession, the statutory case
    reviews' succession, and the partnership's names."""

    board: Succession
    case_reviews: Succession
    partnership: Partnership
    taxonomy: Taxonomy

    def board_agency(self, day: date) -> str:
        (agency,) = self.board.in_force(day)
        return agency

    def source_type(self, source: Source) -> str:
        """A case review's type by the day it began: an SCR before the reforms; after them a
        rapid review, and the LCSPR that may follow it (the successors, in that order)."""
        if source.kind not in (CASE_REVIEW, RAPID_REVIEW):
            return source.kind
        in_force = self.case_reviews.in_force(source.begun)
        if source.kind == RAPID_REVIEW:
            assert len(in_force) == 2, f"no rapid reviews on {source.begun}"
            return in_force[0]
        return in_force[-1]

    def source_name(self, source: Source) -> str:
        if source.kind == AUDIT:
            return f"QA audit: {source.subject}"
        wording = self.taxonomy.source_type_wording(self.source_type(source))
        return f"Child {source.subject} {wording.singular}"


def load_reforms() -> Reforms:
    taxonomy = load_taxonomy(SAMPLE_CONFIG_DIR)
    by_vocabulary = {s.vocabulary: s for s in taxonomy.successions}
    return Reforms(
        by_vocabulary["agencies"],
        by_vocabulary["source_types"],
        load_partnership(SAMPLE_CONFIG_DIR),
        taxonomy,
    )


def year_of(day: date) -> str:
    """The financial year of YEARS a day falls in; the first or last for a day before or after
    them (whose pace and evidence follow the nearest year's)."""
    starts = [financial_year(label).start for label in YEARS]
    return YEARS[max(0, sum(start <= day for start in starts) - 1)]


def recommendations(rng: random.Random, reforms: Reforms) -> list[Recommendation]:
    typed_types = {kind: rng.choice(spellings) for kind, spellings in TYPE_SPELLINGS.items()}
    areas, weights = list(AREA_WEIGHTS), list(AREA_WEIGHTS.values())
    found = []
    for source in SOURCES:
        name, kind = reforms.source_name(source), reforms.source_type(source)
        prefix = f"{TYPE_SPELLINGS[kind][0]}-{source.subject}" if kind != AUDIT else "QA"
        for code, count in source.agencies.items():
            for _ in range(count):
                agreed = source.published + timedelta(days=rng.randint(0, 20))
                year = year_of(agreed)
                agency = reforms.board_agency(agreed) if code == BOARD else code
                area = rng.choices(areas, weights)[0]
                due = agreed + timedelta(days=rng.choice([90, 120, 180, 270, 365]))
                pace = PACE[year]
                completed = agreed + timedelta(days=rng.randint(*pace))
                state = "stalled" if rng.random() < STALLED else "done"
                if state == "done" and completed > LAST_UPDATED:
                    state = "doing"
                if state != "done":
                    completed = None
                    state = rng.choice(["doing", "doing", "doing", "todo", "blank"])
                status = rng.choice(STATUS_TEXT[state]) if state in STATUS_TEXT else None
                impact = None
                if completed and rng.random() < IMPACT_SHARE[year]:
                    impact = IMPACT[area].format(focus=source.focus)
                words = _agency_words(agency, agreed, reforms)
                lead = reforms.taxonomy.short_name(agency) if code == BOARD else code
                found.append(
                    Recommendation(
                        ref=f"{prefix}-{len(found) + 1:03d}",
                        source=name,
                        source_type=typed_types[kind],
                        agency=agency,
                        area=area,
                        themes=typed_themes(list(source.themes), rng),
                        text=rng.choice(TEMPLATES[area]).format(agency=words, focus=source.focus),
                        action_with=words[0].lower() + words[1:] if code == BOARD else words,
                        lead=f"{lead} safeguarding lead",
                        agreed=agreed,
                        due=due,
                        status=status,
                        completed=completed,
                        impact=impact,
                    )
                )
    return found


def _agency_words(agency: str, day: date, reforms: Reforms) -> str:
    """How a recommendation's text names its agency: the board by its short name on the day."""
    if agency in AGENCY_WORDS:
        return AGENCY_WORDS[agency]
    short = reforms.partnership.on(day).short_name
    return short[0].upper() + short[1:]


def build_workbook(rng: random.Random) -> Workbook:
    reforms = load_reforms()
    partnership = reforms.partnership
    changed = reforms.board.date
    spellings = SPELLINGS | {reforms.board_agency(changed): PARTNERSHIP_SPELLINGS}
    found = recommendations(rng, reforms)
    rows = [typed_row(rec, rng, spellings) for rec in found]
    quality = random.Random(QUALITY_SEED)
    rows = [[*row, *quality_cells(rec, quality)] for row, rec in zip(rows, found, strict=True)]
    layout = Layout(
        notes=[
            f"{partnership.on(LAST_UPDATED).name} learning and improvement tracker",
            "Sample data: illustrative, made up for the impact-review project.",
            f"Kept by {partnership.on(changed - timedelta(days=1)).short_name} until "
            f"{format_uk_date(changed - timedelta(days=1))}, and by "
            f"{partnership.on(changed).short_name} from {format_uk_date(changed)}.",
            "One row per recommendation. Keep the reference unique. Use dd/mm/yyyy for dates.",
            "Agency and learning area lists are on the hidden Lookups sheet.",
        ],
        title=f"{partnership.on(LAST_UPDATED).name} – Learning and Improvement Tracker",
        subtitle="Recommendations from case reviews, rapid reviews, IMRs and multi-agency QA "
        "audits",
        last_updated=LAST_UPDATED,
        lookups=spellings,
    )
    sources = [
        (reforms.source_name(s), TYPE_SPELLINGS[reforms.source_type(s)][0], s.published)
        for s in SOURCES
    ]
    return tracker_workbook(layout, rows, sources, QUALITY_COLUMNS)


def quality_cells(rec: Recommendation, rng: random.Random) -> list[str | None]:
    """The row's priority and how we will know, each recorded for its year's share."""
    year = year_of(rec.agreed)
    priority = rng.choice(list(PRIORITY_SPELLINGS))
    typed = rng.choice(PRIORITY_SPELLINGS[priority])
    outcome = OUTCOMES[rec.area]
    return [
        typed if rng.random() < PRIORITY_SHARE[year] else None,
        outcome if rng.random() < OUTCOME_SHARE[year] else None,
    ]


def write_sample(out: Path = SAMPLE_YEARS_TRACKER) -> Path:
    return save_stable(build_workbook(random.Random(2028)), out, FIXED_TIME)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=SAMPLE_YEARS_TRACKER, help="where to write the workbook"
    )
    print(f"wrote {write_sample(parser.parse_args().out)}")
