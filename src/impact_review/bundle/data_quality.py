"""The report's data quality, in plain English: a short section with what a reader must know to
trust the figures (the checks' outcome, how the rows add up, how statuses and dates are read), and
an appendix with the detail (each warning with its count, what reading the tracker repaired,
narrative text the review leaves out, and where the auditor's restricted evidence is)."""

from __future__ import annotations

import re
from pathlib import Path

from impact_review.bundle.narrative import UnknownHeading
from impact_review.bundle.words import join_words
from impact_review.intake.implementation import CLOSED_LATER
from impact_review.intake.processed import CleanSummary
from impact_review.intake.taxonomy import Taxonomy
from impact_review.layout import ReportFiles
from impact_review.markdown import escape_markdown

# The colour words an analyst may type for a status (a RAG rating), in the order a reader knows.
COLOURS = ("green", "blue", "amber", "red")
_REPAIR = re.compile(r"^(?P<what>.*) \((?P<column>\w+)\)$")


def rows_sentence(clean: CleanSummary) -> str:
    """How the tracker's rows become the recommendations analysed, every step counted."""
    counts = clean.counts
    return (
        f"The tracker has {counts.read} rows below its header row: {counts.blank_dropped} blank "
        f"and {counts.rows_with_data} recommendations. {counts.outside_period} of those were "
        f"agreed outside the period, so {counts.analysed} are analysed in this review."
    )


def status_sentence(taxonomy: Taxonomy) -> str:
    """Which status counts as completed, and how a colour typed as a status is read."""
    implemented = taxonomy.implemented_status
    read_as = []
    for entry in taxonomy.statuses.entries:
        colours = [c for c in COLOURS if c in {str(a).lower() for a in entry.get("aliases", [])}]
        if colours:
            said = join_words([f'"{c.capitalize()}"' for c in colours])
            read_as.append(f"{said} as {escape_markdown(entry['name'])}")
    colours = (
        f" A colour typed as a status is read as a status: {join_words(read_as)}."
        if read_as
        else ""
    )
    return (
        f"A recommendation counts as completed when its status is "
        f"{escape_markdown(implemented)}.{colours}"
    )


def checks_sentence(validation: dict | None) -> str:
    if not validation:
        return "The tracker was not checked in this run."
    checks = validation["checks"]
    critical = [c for c in checks if c["severity"] == "critical"]
    warned = [c for c in checks if c["severity"] == "warning" and not c["success"]]
    warnings = len(checks) - len(critical)
    verb = "was" if len(warned) == 1 else "were"
    outcome = (
        f"{len(warned)} of the {warnings} checks that only raise a warning {verb} not met (see "
        "the appendix)"
        if warned
        else f"all {warnings} checks that only raise a warning passed"
    )
    return (
        f"Before any figure was calculated, the tracker was checked against {len(checks)} rules. "
        f"All {len(critical)} checks that would have stopped the review being published passed; "
        f"{outcome}."
    )


def data_quality_passage(clean: CleanSummary, validation: dict | None, taxonomy: Taxonomy) -> str:
    """The section a reader needs: the checks' outcome and how the figures are counted."""
    points = [rows_sentence(clean), status_sentence(taxonomy)]
    closed_later = clean.repairs.get(CLOSED_LATER.format(status=taxonomy.open_until_completed))
    if closed_later:
        points.append(
            f"The tracker holds each recommendation's status as it is now; {closed_later} it "
            "records as completed (or otherwise closed) on a day after this review's as-at day "
            f"are counted as {escape_markdown(taxonomy.open_until_completed).lower()} on that day, "
            "as they then were."
        )
    if any("read as the month's last day" in what for what in clean.repairs):
        points.append(
            "A target date written as a month without a day is taken as that month's last day, "
            "so nothing is counted late before its month is out."
        )
    return (
        f"{checks_sentence(validation)}\n\nHow the figures are counted:\n\n"
        + "".join(f"- {point}\n" for point in points)
        + "\nThe detail is in the appendix, Data quality in detail.\n"
    )


def repair_line(what: str, count: int) -> str:
    """'- date stored as an Excel number, read as a date, in the date agreed column: 17'."""
    match = _REPAIR.match(what)
    if match is None:
        return f"- {escape_markdown(what)}: {count}\n"
    column = match["column"].replace("_", " ")
    return f"- {escape_markdown(match['what'])}, in the {column} column: {count}\n"


def data_quality_detail(
    clean: CleanSummary,
    validation: dict | None,
    unknown_headings: tuple[UnknownHeading, ...] = (),
) -> str:
    """The appendix: each warning, each repair and note, and where the auditor looks."""
    lines = []
    warned = [
        c
        for c in (validation["checks"] if validation else [])
        if c["severity"] == "warning" and not c["success"]
    ]
    if warned:
        lines.append(
            "Checks that raised a warning, with the number of recommendations concerned (their "
            "references are in the restricted data-quality report):\n\n"
        )
        lines += [
            f"- {escape_markdown(check['description'])}: {check['failing_count']}\n"
            for check in warned
        ]
    elif validation:
        lines.append("No check raised a warning.\n")
    if clean.repairs:
        lines.append("\nWhat reading the tracker repaired, with the number of cells:\n\n")
        lines += [repair_line(what, count) for what, count in clean.repairs.items()]
    if clean.notes:
        lines.append("\nNotes on the tracker as read:\n\n")
        lines += [f"- {escape_markdown(note)}\n" for note in clean.notes]
    if unknown_headings:
        lines.append("\nThe period's narrative file has text the review leaves out:\n\n")
        lines += [f"- {escape_markdown(unknown.describe())}.\n" for unknown in unknown_headings]
    lines.append(f"\n{rows_sentence(clean)}\n")
    quality = ReportFiles(Path(".")).audit.data_quality
    lines.append(
        "\nAuditors: every check's result, with the failing references and tracker rows, is in "
        f"the restricted `{quality.checks_page.as_posix()}` beside this report, with the Great "
        f"Expectations Data Docs in `{quality.docs_index.as_posix()}` (neither is published).\n"
    )
    return "".join(lines)


def write_data_quality(
    clean: CleanSummary,
    validation: dict | None,
    text_dir: Path,
    taxonomy: Taxonomy,
    unknown_headings: tuple[UnknownHeading, ...] = (),
) -> None:
    text_dir.mkdir(parents=True, exist_ok=True)
    (text_dir / "data-quality.md").write_text(
        data_quality_passage(clean, validation, taxonomy), encoding="utf-8"
    )
    (text_dir / "data-quality-detail.md").write_text(
        data_quality_detail(clean, validation, unknown_headings), encoding="utf-8"
    )
