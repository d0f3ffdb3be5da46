"""Synthetic trackers of any size, drawn from a partnership's taxonomy, for the benchmarks and the
scale tests: every agency, area, theme, source type and status is one of the taxonomy's names or
aliases (so a tracker of any size cleans without a problem), dates are typed as UK analysts type
them, and the free text is written from the sample's templates, so it holds nothing personal.

Deterministic: the same size, seed, period and taxonomy give the same rows. About 47
recommendations per learning activity, as English reviews average.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from impact_review.intake.taxonomy import Taxonomy
from impact_review.sample_workbook import HEADER as SAMPLE_HEADER
from impact_review.sample_workbook import TEMPLATES

HEADER = SAMPLE_HEADER  # the sample's headers, as an analyst's tracker names its columns
PER_ACTIVITY = 47
GENERIC = (
    "{agency} to act on the learning about {focus} and report progress to the board.",
    "{agency} to audit practice on {focus} and share what it finds with partners.",
)
FOCUS = ("referrals", "information sharing", "supervision", "neglect", "home visits")
LEADS = ("Head of Safeguarding", "Named Nurse", "Designated Officer", "Service Manager")
COMPLETION = "Procedure, training record or minutes held by the lead."
IMPACT = "A re-audit found practice had changed: {focus} was recorded on most files."


@dataclass(frozen=True)
class SyntheticSpec:
    rows: int
    start: date
    end: date
    as_at: date
    seed: int = 15


def _spellings(taxonomy: Taxonomy, kind: str) -> tuple[list[str], list[str]]:
    """(canonical name per spelling, spelling) for every name and alias of a vocabulary."""
    names, spellings = [], []
    for entry in taxonomy.vocabularies[kind].entries:
        for spelling in (entry["name"], *entry.get("aliases", ())):
            names.append(entry["name"])
            spellings.append(spelling)
    return names, spellings


def _picked(values: list[str] | tuple[str, ...], index: np.ndarray) -> list[str]:
    return np.array(values, dtype=object)[index].tolist()


def _uk(days: np.ndarray) -> pl.Series:
    """numpy datetime64[D] days as dd/mm/yyyy text (NaT as null)."""
    return pl.Series(days).dt.strftime("%d/%m/%Y")


def synthetic_tracker(spec: SyntheticSpec, taxonomy: Taxonomy) -> pl.DataFrame:
    """spec.rows recommendations agreed within the spec's period, as a tracker holds them."""
    rng = np.random.default_rng(spec.seed)
    n = spec.rows
    activities = max(1, -(-n // PER_ACTIVITY))
    _, type_spellings = _spellings(taxonomy, "source_types")
    agency_names, agency_spellings = _spellings(taxonomy, "agencies")
    area_names = list(taxonomy.areas.names)
    theme_names = list(taxonomy.themes.names)
    status_names, status_spellings = _spellings(taxonomy, "statuses")
    closed = set(taxonomy.closed_statuses)
    implemented = taxonomy.implemented_status

    activity = np.sort(rng.integers(0, activities, n))
    activity_type = rng.integers(0, len(type_spellings), activities)
    span = (spec.end - spec.start).days
    activity_day = rng.integers(0, span + 1, activities)
    start = np.datetime64(spec.start, "D")
    as_at = np.datetime64(spec.as_at, "D")
    agreed = start + activity_day[activity].astype("timedelta64[D]")
    due = agreed + rng.integers(60, 400, n).astype("timedelta64[D]")
    finished = agreed + rng.integers(20, 700, n).astype("timedelta64[D]")
    is_done = (rng.random(n) < 0.6) & (finished <= as_at)

    agency = rng.integers(0, len(agency_spellings), n)
    area = rng.integers(0, len(area_names), n)
    focus = rng.integers(0, len(FOCUS), n)
    texts = [TEMPLATES.get(name, GENERIC) for name in area_names]
    template = (rng.random(n) * np.array([len(texts[a]) for a in area])).astype(int)
    words = {
        (a, t, g, f): texts[a][t].format(agency=agency_names[g], focus=FOCUS[f])
        for a, t, g, f in set(zip(area, template, agency, focus, strict=True))
    }
    recommendation = [words[key] for key in zip(area, template, agency, focus, strict=True)]

    open_statuses = [i for i, name in enumerate(status_names) if name not in closed]
    done_statuses = [i for i, name in enumerate(status_names) if name == implemented]
    status = np.where(
        is_done,
        rng.choice(done_statuses, n),
        rng.choice(open_statuses, n),
    )
    status_text = np.array(status_spellings, dtype=object)[status]
    status_text[(~is_done) & (rng.random(n) < 0.1)] = None

    theme_count = rng.integers(0, 3, n)
    first, second = rng.integers(0, len(theme_names), (2, n))
    themes = [
        "; ".join(dict.fromkeys([theme_names[a], theme_names[b]][:k])) or None
        for a, b, k in zip(first, second, theme_count, strict=True)
    ]
    impact = np.where(is_done & (rng.random(n) < 0.3), focus, -1)
    nat = np.datetime64("NaT", "D")
    return pl.DataFrame(
        {
            "Ref": [f"R-{i + 1:07d}" for i in range(n)],
            "Source review": [f"Learning activity {a + 1:06d}" for a in activity],
            "Type of review": _picked(type_spellings, activity_type[activity]),
            "Lead agency": _picked(agency_spellings, agency),
            "Learning area": _picked(area_names, area),
            "Theme(s)": themes,
            "Recommendation": recommendation,
            "Action agreed": "Action plan agreed with the lead agency.",
            "Lead officer": _picked(LEADS, rng.integers(0, len(LEADS), n)),
            "Date agreed": _uk(agreed),
            "Target date": _uk(due),
            "RAG / Status": status_text.tolist(),
            "Date completed": _uk(np.where(is_done, finished, nat)),
            "Evidence of completion": np.where(is_done, COMPLETION, None).tolist(),
            "Evidence of impact": [
                IMPACT.format(focus=FOCUS[f]) if f >= 0 else None for f in impact
            ],
        },
        schema=dict.fromkeys(HEADER, pl.String),
    )


def write_tracker(frame: pl.DataFrame, path: Path) -> Path:
    """The rows as a CSV (by its suffix) or an xlsx workbook with one sheet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        frame.write_csv(path)
        return path
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Recommendations")
    sheet.write_row(0, 0, frame.columns)
    for number, values in enumerate(frame.iter_rows(), start=1):
        sheet.write_row(number, 0, ["" if value is None else value for value in values])
    workbook.close()
    return path


def default_period(rows: int) -> tuple[date, date]:
    """A period long enough for the rows to be plausible: 3 years, or more for big trackers."""
    years = max(3, rows // 50_000)
    end = date(2025, 3, 31)
    return date(end.year - years, 4, 1), end


def as_at_for(end: date) -> date:
    """The as-at day of a synthetic tracker: a month after its period, as an export would be."""
    return end + timedelta(days=30)


def review_command(tracker: Path, spec: SyntheticSpec, workdir: Path) -> list[str]:
    """The command that reviews a synthetic tracker over its period, as at its as-at day."""
    return [
        sys.executable,
        "-m",
        "impact_review.cli",
        "run",
        "--tracker",
        str(tracker),
        "--from",
        spec.start.isoformat(),
        "--to",
        spec.end.isoformat(),
        "--as-at",
        spec.as_at.isoformat(),
        "--workdir",
        str(workdir),
        "--renderer",
        "builtin",
    ]


def main(argv: list[str] | None = None) -> None:
    import argparse

    from impact_review.intake.taxonomy import default_taxonomy

    parser = argparse.ArgumentParser(description="Write a synthetic tracker (.csv or .xlsx).")
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    start, end = default_period(args.rows)
    spec = SyntheticSpec(args.rows, start, end, as_at_for(end), args.seed)
    write_tracker(synthetic_tracker(spec, default_taxonomy()), args.out)
    print(f"{args.out}: {args.rows:,} recommendations agreed {start} to {end}, as at {spec.as_at}")


if __name__ == "__main__":
    main()
