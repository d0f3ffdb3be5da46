"""The report's data-quality section, in words: what was checked, each warning with its count,
what cleaning repaired, narrative text the review leaves out, and where the auditor's restricted
evidence is."""

from __future__ import annotations

from pathlib import Path

from impact_review.bundle.narrative import UnknownHeading
from impact_review.intake.processed import CleanSummary
from impact_review.layout import ReportFiles
from impact_review.markdown import escape_markdown


def data_quality_passage(
    clean: CleanSummary,
    validation: dict | None,
    unknown_headings: tuple[UnknownHeading, ...] = (),
) -> str:
    checks = validation["checks"] if validation else []
    critical = [c for c in checks if c["severity"] == "critical"]
    warnings = [c for c in checks if c["severity"] == "warning" and not c["success"]]
    lines = [
        f"The tracker was checked against {len(checks)} data-quality rules before any figure was "
        f"computed: {len(critical)} critical rules, which stop publication if any fails, and "
        f"{len(checks) - len(critical)} warnings, which are reported here. "
        f"All {len(critical)} critical rules passed.\n"
        if validation
        else "The tracker was not validated in this run.\n"
    ]
    if warnings:
        lines.append(
            "\nWarnings (the references of the recommendations concerned are in the restricted "
            "data-quality report):\n\n"
        )
        for check in warnings:
            lines.append(
                f"- {escape_markdown(check['description'])}: {check['failing_count']} not met.\n"
            )
    elif validation:
        lines.append("\nNo warning was raised.\n")
    if clean.repairs:
        lines.append("\nRepairs made while reading the tracker, each counted:\n\n")
        for what, count in clean.repairs.items():
            lines.append(f"- {escape_markdown(what)}: {count}\n")
    for note in clean.notes:
        lines.append(f"- Note: {escape_markdown(note)}\n")
    if unknown_headings:
        lines.append("\nThe period's narrative file has text the review leaves out:\n\n")
        for unknown in unknown_headings:
            lines.append(f"- {escape_markdown(unknown.describe())}.\n")
    counts = clean.counts
    lines.append(
        f"\nOf {counts.read} rows below the header, {counts.blank_dropped} were blank and "
        f"{counts.outside_period} were agreed outside the period; "
        f"{counts.analysed} were analysed.\n"
    )
    quality = ReportFiles(Path(".")).audit.data_quality
    lines.append(
        "\nAuditors: the full results, with the failing references and tracker rows, are in the "
        f"restricted `{quality.checks_page.as_posix()}` beside this report, with the Great "
        f"Expectations Data Docs in `{quality.docs_index.as_posix()}` (neither is published).\n"
    )
    return "".join(lines)


def write_data_quality(
    clean: CleanSummary,
    validation: dict | None,
    text_dir: Path,
    unknown_headings: tuple[UnknownHeading, ...] = (),
) -> None:
    text_dir.mkdir(parents=True, exist_ok=True)
    (text_dir / "data-quality.md").write_text(
        data_quality_passage(clean, validation, unknown_headings), encoding="utf-8"
    )
