"""Data-quality checks for the recommendations tracker, run with Great Expectations (GX Core 1.x).

`validate_tracker` runs the raw and clean suites (one per severity), writes Data Docs that open
offline and validation-summary.json (or nothing, given no folder), and returns a
`ValidationReport`; `raise_for_critical()` on it is how a failed critical check ends the run.
"""

import os

# Before GX is imported anywhere: GX reads this once, and the runs must make no network calls.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from typing import TYPE_CHECKING, Any

from checks.report import SUMMARY_FILE, CheckResult, ValidationReport
from checks.suites import CHECKS, Check, Severity, SuiteName, SuiteParameters

if TYPE_CHECKING:
    from checks.runner import validate_tracker


def __getattr__(name: str) -> Any:
    """validate_tracker imports Great Expectations, so only when a run asks for it."""
    if name == "validate_tracker":
        from checks.runner import validate_tracker

        return validate_tracker
    raise AttributeError(f"module 'checks' has no attribute {name!r}")


__all__ = [
    "CHECKS",
    "SUMMARY_FILE",
    "Check",
    "CheckResult",
    "Severity",
    "SuiteName",
    "SuiteParameters",
    "ValidationReport",
    "validate_tracker",
]
