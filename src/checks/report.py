"""What a validation run found, per check, in a form a pipeline and an auditor can both use.

Results name failing rows by rec_id and sheet_row only: never by a cell's value."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from checks.suites import Severity, SuiteName
from impact_review.errors import ValidationFailed
from impact_review.layout import VALIDATION_SUMMARY

SUMMARY_FILE = VALIDATION_SUMMARY
IDS_IN_MESSAGE = 3
# The summary and the checks page list at most this many references and sheet rows per check;
# every failing row is in the check's failing-rows file.
ROWS_LISTED = 50


@dataclass(frozen=True)
class CheckResult:
    id: str
    suite: SuiteName
    description: str
    severity: Severity
    columns: tuple[str, ...]
    success: bool
    failing_count: int
    failing_rec_ids: tuple[str, ...] = ()
    failing_sheet_rows: tuple[int, ...] = ()
    missing_columns: tuple[str, ...] = ()
    errored: bool = False

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "suite": self.suite,
            "description": self.description,
            "severity": self.severity,
            "success": self.success,
            "failing_count": self.failing_count,
            "failing_rec_ids": list(self.failing_rec_ids[:ROWS_LISTED]),
            "failing_sheet_rows": list(self.failing_sheet_rows[:ROWS_LISTED]),
            "missing_columns": list(self.missing_columns),
            "column": self.columns[0] if self.columns else None,
            "columns": list(self.columns),
            "errored": self.errored,
        }

    def where(self) -> str:
        """Which rows or columns failed, for a one-line message."""
        if self.missing_columns:
            return "missing columns " + ", ".join(self.missing_columns)
        if self.failing_rec_ids:
            return "rec_id " + first_few(self.failing_rec_ids)
        if self.failing_sheet_rows:
            return "sheet row " + first_few(tuple(map(str, self.failing_sheet_rows)))
        return "could not be run" if self.errored else f"{self.failing_count} failing"


def first_few(values: tuple[str, ...]) -> str:
    shown = ", ".join(values[:IDS_IN_MESSAGE])
    more = len(values) - IDS_IN_MESSAGE
    return f"{shown} and {more} more" if more > 0 else shown


@dataclass(frozen=True)
class ValidationReport:
    """Every check's result. `passed` means no critical check failed; warnings may have."""

    checks: tuple[CheckResult, ...]
    summary_path: Path | None = None  # None when the run wrote nothing
    docs_index: Path | None = None

    @property
    def critical_failures(self) -> tuple[CheckResult, ...]:
        return tuple(c for c in self.checks if c.severity == "critical" and not c.success)

    @property
    def warnings(self) -> tuple[CheckResult, ...]:
        """Warning checks that failed: published, with their counts."""
        return tuple(c for c in self.checks if c.severity == "warning" and not c.success)

    @property
    def passed(self) -> bool:
        return not self.critical_failures

    def result(self, check_id: str) -> CheckResult:
        for check in self.checks:
            if check.id == check_id:
                return check
        raise KeyError(check_id)

    def raise_for_critical(self) -> None:
        """Checkpoint.run() never raises on failed expectations, so the pipeline calls this."""
        failures = self.critical_failures
        if not failures:
            return
        noun = "check failed" if len(failures) == 1 else "checks failed"
        listed = "; ".join(f"{c.description} ({c.where()})" for c in failures[:IDS_IN_MESSAGE])
        more = len(failures) - IDS_IN_MESSAGE
        also = f"; and {more} more (see {SUMMARY_FILE})" if more > 0 else ""
        raise ValidationFailed(f"critical {noun}: {listed}{also}")


def summary(
    results: tuple[CheckResult, ...],
    rows: Mapping[str, int],
    as_at: datetime | None = None,
    failing_rows_files: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The summary as JSON-ready data: counts and ids only, checks in declaration order, each
    listing at most ROWS_LISTED references and sheet rows; failing_rows_files names, by check
    id, the file (relative to the summary) that lists all of a check's failing rows."""
    failed = [c for c in results if not c.success]
    content: dict[str, Any] = {
        "checks": [c.summary() for c in results],
        "critical_failed": any(c.severity == "critical" for c in failed),
        "counts": {
            "checks": len(results),
            "passed": len(results) - len(failed),
            "failed": len(failed),
            "critical_failed": sum(c.severity == "critical" for c in failed),
            "warnings_failed": sum(c.severity == "warning" for c in failed),
        },
        "rows": dict(rows),
        "rows_listed_at_most": ROWS_LISTED,
        "failing_rows_files": dict(failing_rows_files or {}),
    }
    if as_at is not None:
        content["as_at"] = as_at.isoformat()
    return content


def write_summary(content: Mapping[str, Any], directory: Path) -> Path:
    path = directory / SUMMARY_FILE
    text = json.dumps(content, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8", newline="\n")
    return path
