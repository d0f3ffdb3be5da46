"""The call for evidence end to end, on the session's published tracker: evidence-request wrote
one list per agency, the agencies answered them, and the published run merged the answers into
the processed recommendations and the review's section (see conftest.py); a conflicting return
is refused and publishes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import answer
from helpers import PERIOD_ARGS, PUBLISHED_LABEL, run_cli

pytestmark = pytest.mark.slow


def test_one_request_per_agency_with_recommendations(published):
    assert published.request_files == [
        "evidence-request-csc.xlsx",
        "evidence-request-esht.xlsx",
    ]


def test_processed_recommendations_carry_the_answers(published):
    layout = published.layout
    csv = pd.read_csv(layout.processed.recommendations_csv, dtype=str, keep_default_na=False)
    assert csv[["rec_id", "embedded", "impact_level"]].values.tolist() == [
        ["R1", "Yes", "Outcome for children"],
        ["R2", "Partly", "Output"],
        ["R3", "Yes", "Practice change"],
        ["R4", "", ""],
    ]
    assert csv["impact_evidence"].tolist()[3] == ""
    manifest = json.loads(layout.audit.manifest.read_text(encoding="utf-8"))
    assert sorted(manifest["parameters"]["evidence"]) == published.request_files


def test_section_states_what_the_returns_found(published):
    bundle = published.layout.bundle
    evidence = yaml.safe_load(bundle.variables.read_text(encoding="utf-8"))["evidence"]
    assert evidence["answered"] == 3
    assert evidence["embedded"] == {"yes": 2, "partly": 1, "no": 0}
    assert evidence["completed_at"] == {"practice_change": 1, "outcome_for_children": 1}
    assert evidence["completed_with_impact"] == 2
    text = (bundle.text / "evidence.md").read_text(encoding="utf-8")
    assert "Re\\-audit found babies" in text and "Training delivered" not in text
    coverage = (bundle.tables / "evidence-coverage.md").read_text(encoding="utf-8")
    assert "| East Sussex Healthcare NHS Trust | Completed | Outcome for children | 1 |" in coverage
    assert "| Children\\'s Social Care | Completed | Practice change | 1 |" in coverage
    html = published.layout.reports.html.read_text(encoding="utf-8")
    assert "What the call for evidence found" in html


def test_conflicting_return_refused_and_nothing_published(
    published_inputs, last_good, tmp_path: Path
):
    conflicting = tmp_path / "returns"
    conflicting.mkdir()
    for path in published_inputs.requests.iterdir():
        (conflicting / path.name).write_bytes(path.read_bytes())
    copy = conflicting / "esht again.xlsx"
    copy.write_bytes((published_inputs.requests / "evidence-request-esht.xlsx").read_bytes())
    answer(copy, {2: ["No"]})
    before = last_good.outputs()
    done = run_cli(
        "--tracker", str(published_inputs.tracker), *PERIOD_ARGS, "--label", PUBLISHED_LABEL,
        "--workdir", str(last_good.workdir), "--evidence", str(conflicting),
    )  # fmt: skip
    assert done.returncode == 2
    assert "file esht again.xlsx, sheet 'Evidence', column 'Embedded'" in done.stderr
    assert "answers Ref R1 differently" in done.stderr
    assert last_good.outputs() == before
