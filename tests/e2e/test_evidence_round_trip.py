"""The call for evidence end to end on a small tracker: evidence-request writes the lists, the
agencies answer them, and run --evidence merges the answers into the processed recommendations
and the review's section; a conflicting return is refused and publishes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from helpers import HEADER, PERIOD_ARGS, row, run_cli, tree_digest, write_xlsx

from impact_review.cli import main
from impact_review.evidence.form import EVIDENCE_SHEET
from impact_review.layout import RunLayout

pytestmark = pytest.mark.slow
LABEL = "ev"


def answer(path: Path, rows: dict[int, list]) -> None:
    workbook = openpyxl.load_workbook(path)
    for number, values in rows.items():
        for offset, value in enumerate(values):
            workbook[EVIDENCE_SHEET].cell(number, 7 + offset, value)
    workbook.save(path)


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("evidence")
    tracker = write_xlsx(
        root / "tracker.xlsx",
        {
            "Recommendations": [
                [*HEADER, "Status"],
                [*row("E1", "ESHT", source="Child K SCR"), "Completed"],
                [*row("E2", "ESHT", source="Child K SCR"), "Completed"],
                [*row("E3", "Police", source="QA audit: neglect", type="QA audit"), "Completed"],
                [*row("E4", "Police", source="QA audit: neglect", type="QA audit"), "In progress"],
            ]
        },
    )
    requests = root / "requests"
    assert (
        main(["evidence-request", "--tracker", str(tracker), *PERIOD_ARGS, "--out", str(requests)])
        == 0
    )
    assert sorted(p.name for p in requests.iterdir()) == [
        "evidence-request-esht.xlsx",
        "evidence-request-police.xlsx",
    ]
    answer(
        requests / "evidence-request-esht.xlsx",
        {
            2: ["Yes", "Outcome for children", "Re-audit found babies' risks shared before birth."],
            3: ["Partly", "Output", "Training delivered to 40 midwives."],
        },
    )
    answer(
        requests / "evidence-request-police.xlsx",
        {
            2: ["Yes", "Practice change", "Dip sample found neglect referrals made sooner."],
        },
    )
    workdir = root / "work"
    done = run_cli(
        "--tracker",
        str(tracker),
        *PERIOD_ARGS,
        "--label",
        LABEL,
        "--workdir",
        str(workdir),
        "--renderer",
        "builtin",
        "--evidence",
        str(requests),
    )
    assert done.returncode == 0, done.stderr
    return workdir, requests


def test_processed_recommendations_carry_the_answers(round_trip):
    workdir, _ = round_trip
    layout = RunLayout.published(workdir, LABEL)
    csv = pd.read_csv(layout.processed.recommendations_csv, dtype=str, keep_default_na=False)
    assert csv[["rec_id", "embedded", "impact_level"]].values.tolist() == [
        ["E1", "Yes", "Outcome for children"],
        ["E2", "Partly", "Output"],
        ["E3", "Yes", "Practice change"],
        ["E4", "", ""],
    ]
    assert csv["impact_evidence"].tolist()[3] == ""
    manifest = json.loads(layout.audit.manifest.read_text(encoding="utf-8"))
    assert sorted(manifest["parameters"]["evidence"]) == [
        "evidence-request-esht.xlsx",
        "evidence-request-police.xlsx",
    ]


def test_section_states_what_the_returns_found(round_trip):
    workdir, _ = round_trip
    bundle = RunLayout.published(workdir, LABEL).bundle
    evidence = yaml.safe_load(bundle.variables.read_text(encoding="utf-8"))["evidence"]
    assert evidence["answered"] == 3
    assert evidence["embedded"] == {"yes": 2, "partly": 1, "no": 0}
    assert evidence["completed_at"] == {"practice_change": 1, "outcome_for_children": 1}
    assert evidence["completed_with_impact"] == 2
    text = (bundle.text / "evidence.md").read_text(encoding="utf-8")
    assert "Re\\-audit found babies" in text and "Training delivered" not in text
    coverage = (bundle.tables / "evidence-coverage.md").read_text(encoding="utf-8")
    assert "| East Sussex Healthcare NHS Trust | Completed | Outcome for children | 1 |" in coverage
    assert "| Sussex Police | Completed | Practice change | 1 |" in coverage
    html = RunLayout.published(workdir, LABEL).reports.html.read_text(encoding="utf-8")
    assert "What the call for evidence found" in html


def test_conflicting_return_refused_and_nothing_published(round_trip, tmp_path: Path):
    workdir, requests = round_trip
    conflicting = tmp_path / "returns"
    conflicting.mkdir()
    for path in requests.iterdir():
        (conflicting / path.name).write_bytes(path.read_bytes())
    copy = conflicting / "esht again.xlsx"
    copy.write_bytes((requests / "evidence-request-esht.xlsx").read_bytes())
    answer(copy, {2: ["No"]})
    before = tree_digest(workdir / "reports")
    tracker = requests.parent / "tracker.xlsx"
    done = run_cli(
        "--tracker",
        str(tracker),
        *PERIOD_ARGS,
        "--label",
        LABEL,
        "--workdir",
        str(workdir),
        "--renderer",
        "builtin",
        "--evidence",
        str(conflicting),
    )
    assert done.returncode == 2
    assert "file esht again.xlsx, sheet 'Evidence', column 'Embedded'" in done.stderr
    assert "answers Ref E1 differently" in done.stderr
    assert tree_digest(workdir / "reports") == before
