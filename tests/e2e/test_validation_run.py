"""Validation in a real run: Data Docs on the sample; a critical failure publishes nothing."""

import json
import re

import pytest
from helpers import HEADER, PERIOD_ARGS, PUBLISHED_LABEL, row, run_cli, write_xlsx

pytestmark = pytest.mark.slow


def test_every_critical_check_passes_on_the_sample(sample_run):
    summary = json.loads(
        (
            sample_run
            / "reports"
            / "2015-18"
            / "audit"
            / "data-quality"
            / "validation-summary.json"
        ).read_text()
    )
    critical = [c for c in summary["checks"] if c["severity"] == "critical"]
    assert len(critical) >= 15
    assert all(c["success"] for c in critical)
    assert summary["critical_failed"] is False
    status = next(c for c in summary["checks"] if c["id"] == "clean.status.recognised")
    assert status["failing_count"] == 6  # the sample's six blank statuses are a published warning


def test_failed_critical_checks_exit_1_name_their_rows_and_publish_nothing(last_good, tmp_path):
    """One run, two critical failures: a reference used twice, and 2106 for 2016, which would put
    the row outside the period and drop it from the review unseen. Both are named."""
    before = last_good.outputs()
    rows = [
        HEADER,
        row("R-011"),
        row("R-012"),
        row("R-012", "CSC"),
        row("R-013", agreed="01/06/2106"),
    ]
    bad = write_xlsx(tmp_path / "bad.xlsx", {"S": rows})
    result = run_cli(
        "--workdir", str(last_good.workdir), "--tracker", str(bad), "--label", PUBLISHED_LABEL,
        *PERIOD_ARGS,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert re.search(r"critical checks failed", result.stderr)
    assert "R-012" in result.stderr
    assert "plausible date agreed" in result.stderr and "rec_id R-013" in result.stderr
    assert last_good.outputs() == before


def test_auditor_page_lists_every_check_with_failing_references(sample_run):
    folder = sample_run / "reports" / "2015-18" / "audit" / "data-quality"
    page = (folder / "checks.html").read_text(encoding="utf-8")
    summary = json.loads((folder / "validation-summary.json").read_text())
    for check in summary["checks"]:
        assert check["id"] in page
    status = next(c for c in summary["checks"] if c["id"] == "clean.status.recognised")
    for rec_id in status["failing_rec_ids"]:
        assert rec_id in page
    assert "https://" not in page and "http://" not in page
