"""The report prints its input's sha256. About one digest in 170 holds ten digits that pass the
NHS check; a tracker whose digest does must still be published (issue "trust", item 1)."""

import hashlib
import json
import re
from pathlib import Path

import pytest
from conftest import HEADER, row, run_cli, write_xlsx
from stdnum.gb import nhs

from impact_review.publish.safety import html_text

pytestmark = pytest.mark.slow
LABEL = "t"
# Each attempt succeeds with a chance of about 1/177, so 4000 attempts all fail about once in 10^10.
MAX_ATTEMPTS = 4000


def nhs_valid_runs(digest: str) -> list[str]:
    """Runs of exactly ten digits in a hex digest that pass the NHS mod-11 check."""
    return [run for run in re.findall(r"(?<!\d)\d{10}(?!\d)", digest) if nhs.is_valid(run)]


def write_tracker_with_nhs_run(path: Path) -> tuple[str, str]:
    """A small tracker whose file digest holds an NHS-valid run: (digest, run)."""
    for attempt in range(MAX_ATTEMPTS):
        text = f"Train staff on the learning (briefing {attempt})."
        write_xlsx(path, {"S": [HEADER, row("R1", text=text), row("R2", "CSC"), row("R3")]})
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if runs := nhs_valid_runs(digest):
            return digest, runs[0]
    pytest.fail(f"no tracker digest held an NHS-valid run in {MAX_ATTEMPTS} attempts")


def test_a_tracker_whose_sha256_holds_an_nhs_number_is_published(tmp_path):
    tracker = tmp_path / "tracker.xlsx"
    digest, run = write_tracker_with_nhs_run(tracker)

    result = run_cli("--workdir", str(tmp_path), "--tracker", str(tracker), "--label", LABEL)

    assert result.returncode == 0, result.stderr
    reports = tmp_path / "reports" / LABEL
    assert (reports / "report.html").is_file() and (reports / "report.pdf").is_file()
    manifest = json.loads((reports / "audit" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["input"]["sha256"] == digest
    assert digest in html_text(reports / "report.html") and run in digest
    scan = json.loads((reports / "audit" / "pii-scan.json").read_text(encoding="utf-8"))
    assert scan["rendered"]["findings"] == 0
