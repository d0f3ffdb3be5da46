"""The few full runs the end-to-end tests share, each made once per session:

- sample_runs: the shipped sample run twice into one workdir (the rerun reuses every step and must
  say it is identical); narrative_rerun: once more, in a copy, with personal data added to the
  narrative;
- yearly_runs: the later years' sample (2018-21) reviewed a financial year at a time, three runs
  into one workdir, without evidence;
- published: a small good tracker published under label "t" — with hostile text, a pseudonym, a
  file digest that holds an NHS-valid run of ten digits, and its call for evidence requested and
  answered — which every failing run must leave exactly as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from helpers import (
    FORMULA,
    HEADER,
    HOSTILE,
    PERIOD_ARGS,
    PSEUDONYMS,
    PUBLISHED_LABEL,
    row,
    run_cli,
    tree_digest,
    write_xlsx,
)
from stdnum.gb import nhs

from impact_review.cli import main
from impact_review.evidence.form import EVIDENCE_SHEET
from impact_review.layout import RunLayout, failed_build_dir, step_cache_dir
from impact_review.paths import DEFAULT_LABEL, SAMPLE_TRACKER, SAMPLE_YEARS_TRACKER

# Each attempt succeeds with a chance of about 1/177, so 4000 attempts all fail about once in 10^10.
MAX_ATTEMPTS = 4000


@dataclass(frozen=True)
class SampleRuns:
    workdir: Path
    tracker_sha256_before: str
    first: subprocess.CompletedProcess
    first_manifest: dict
    second: subprocess.CompletedProcess

    @property
    def layout(self) -> RunLayout:
        return RunLayout.published(self.workdir, DEFAULT_LABEL)


@pytest.fixture(scope="session")
def sample_runs(tmp_path_factory) -> SampleRuns:
    workdir = tmp_path_factory.mktemp("sample-run")
    before = hashlib.sha256(SAMPLE_TRACKER.read_bytes()).hexdigest()
    first = run_cli("--workdir", str(workdir))
    assert first.returncode == 0, first.stderr
    layout = RunLayout.published(workdir, DEFAULT_LABEL)
    manifest = json.loads(layout.audit.manifest.read_text(encoding="utf-8"))
    second = run_cli("--workdir", str(workdir))
    assert second.returncode == 0, second.stderr
    return SampleRuns(workdir, before, first, manifest, second)


@dataclass(frozen=True)
class NarrativeRerun:
    """The sample rerun in a copy of its workdir (its published review and step cache) after the
    analyst added a sentence to the narrative, one that holds a name and a mobile number."""

    workdir: Path
    result: subprocess.CompletedProcess
    published_before: dict[str, dict[str, bytes]]

    @property
    def published(self) -> RunLayout:
        return RunLayout.published(self.workdir, DEFAULT_LABEL)

    @property
    def failed(self) -> RunLayout:
        return RunLayout.staged(failed_build_dir(self.workdir, DEFAULT_LABEL))

    def published_now(self) -> dict[str, dict[str, bytes]]:
        return {str(root): tree_digest(root) for root in self.published.roots}


NARRATIVE_PII = "Call Mrs Patel on 07700 900123 about the new training dates."


@pytest.fixture(scope="session")
def narrative_rerun(sample_runs: SampleRuns, tmp_path_factory) -> NarrativeRerun:
    """Clean and validate should be reused, analyse and render run again, and the scan of the
    rendered review refuse to publish."""
    workdir = tmp_path_factory.mktemp("narrative-rerun")
    shutil.copytree(
        step_cache_dir(sample_runs.workdir, DEFAULT_LABEL), step_cache_dir(workdir, DEFAULT_LABEL)
    )
    published = RunLayout.published(workdir, DEFAULT_LABEL)
    for source, target in zip(sample_runs.layout.roots, published.roots, strict=True):
        shutil.copytree(source, target)
    before = {str(root): tree_digest(root) for root in published.roots}
    original = SAMPLE_TRACKER.parent / f"narrative-{DEFAULT_LABEL}.md"
    narrative = workdir / "narrative.md"
    narrative.write_text(
        f"{original.read_text(encoding='utf-8')}\n{NARRATIVE_PII}\n", encoding="utf-8"
    )
    result = run_cli("--workdir", str(workdir), "--narrative", str(narrative))
    return NarrativeRerun(workdir, result, before)


@pytest.fixture(scope="session")
def sample_run(sample_runs: SampleRuns) -> Path:
    """The workdir of the sample's published review."""
    return sample_runs.workdir


YEARS = ("2018-19", "2019-20", "2020-21")


@dataclass(frozen=True)
class YearlyRuns:
    """The workdir holding each year's published review, and the years' labels in order."""

    workdir: Path
    labels: tuple[str, ...]

    def layout(self, label: str) -> RunLayout:
        return RunLayout.published(self.workdir, label)


@pytest.fixture(scope="session")
def yearly_runs(tmp_path_factory) -> YearlyRuns:
    workdir = tmp_path_factory.mktemp("yearly-runs")
    for label in YEARS:
        result = run_cli(
            "--tracker", str(SAMPLE_YEARS_TRACKER), "--year", label, "--no-evidence",
            "--workdir", str(workdir),
        )  # fmt: skip
        assert result.returncode == 0, f"{label}: {result.stderr}"
    return YearlyRuns(workdir, YEARS)


def nhs_valid_runs(digest: str) -> list[str]:
    """Runs of exactly ten digits in a hex digest that pass the NHS mod-11 check."""
    return [run for run in re.findall(r"(?<!\d)\d{10}(?!\d)", digest) if nhs.is_valid(run)]


@dataclass(frozen=True)
class Published:
    workdir: Path
    tracker: Path
    digest: str
    nhs_run: str
    result: subprocess.CompletedProcess
    requests: Path  # the call for evidence, answered, which the run merged
    request_files: list[str]

    @property
    def layout(self) -> RunLayout:
        return RunLayout.published(self.workdir, PUBLISHED_LABEL)

    def outputs(self) -> dict[str, dict[str, bytes]]:
        return {str(root): tree_digest(root) for root in self.layout.roots}


def write_published_tracker(path: Path) -> tuple[str, str]:
    """The good tracker, varied until its file digest holds an NHS-valid run: (digest, run)."""
    for attempt in range(MAX_ATTEMPTS):
        rows = [
            [*HEADER, "Evidence of impact", "Status"],
            [*row("R1"), HOSTILE, "Completed"],
            [*row("R2", text=FORMULA), None, "Completed"],
            [*row("R3", "CSC"), PSEUDONYMS, "Completed"],
            [
                *row("R4", text=f"Train staff on the learning (briefing {attempt})."),
                None,
                "Started",
            ],
        ]
        write_xlsx(path, {"S": rows})
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if runs := nhs_valid_runs(digest):
            return digest, runs[0]
    pytest.fail(f"no tracker digest held an NHS-valid run in {MAX_ATTEMPTS} attempts")


def answer(path: Path, rows: dict[int, list]) -> None:
    """Fill in an evidence request as an agency would: its answers from column G on."""
    workbook = openpyxl.load_workbook(path)
    for number, values in rows.items():
        for offset, value in enumerate(values):
            workbook[EVIDENCE_SHEET].cell(number, 7 + offset, value)
    workbook.save(path)


def request_and_answer_evidence(tracker: Path, requests: Path) -> list[str]:
    """The call for evidence for the published tracker, answered by both its agencies; returns
    the request files written."""
    with contextlib.redirect_stdout(io.StringIO()):
        command = ["evidence-request", "--tracker", str(tracker), *PERIOD_ARGS]
        assert main([*command, "--out", str(requests)]) == 0
    answer(
        requests / "evidence-request-esht.xlsx",
        {
            2: ["Yes", "Outcome for children", "Re-audit found babies' risks shared before birth."],
            3: ["Partly", "Output", "Training delivered to 40 midwives."],
        },
    )
    answer(
        requests / "evidence-request-csc.xlsx",
        {2: ["Yes", "Practice change", "Dip sample found neglect referrals made sooner."]},
    )
    return sorted(path.name for path in requests.iterdir())


@dataclass(frozen=True)
class PublishedInputs:
    tracker: Path
    digest: str
    nhs_run: str
    requests: Path  # its call for evidence, answered
    request_files: list[str]


@pytest.fixture(scope="session")
def published_inputs(tmp_path_factory) -> PublishedInputs:
    """The published run's tracker and answered call for evidence (cheap: no run)."""
    folder = tmp_path_factory.mktemp("published-inputs")
    tracker = folder / "good.xlsx"
    digest, run = write_published_tracker(tracker)
    requests = folder / "requests"
    written = request_and_answer_evidence(tracker, requests)
    return PublishedInputs(tracker, digest, run, requests, written)


@pytest.fixture(scope="session")
def published(tmp_path_factory, published_inputs: PublishedInputs) -> Published:
    workdir = tmp_path_factory.mktemp("published")
    inputs = published_inputs
    result = run_cli(
        "--workdir", str(workdir), "--tracker", str(inputs.tracker), "--label", PUBLISHED_LABEL,
        *PERIOD_ARGS, "--evidence", str(inputs.requests),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return Published(
        workdir,
        inputs.tracker,
        inputs.digest,
        inputs.nhs_run,
        result,
        inputs.requests,
        inputs.request_files,
    )


@dataclass(frozen=True)
class LastGood:
    """A workdir whose label already holds published outputs, which a failing run must leave as
    they were. Their bytes are stand-ins: whatever is there must stay, so no run is needed."""

    workdir: Path

    @property
    def layout(self) -> RunLayout:
        return RunLayout.published(self.workdir, PUBLISHED_LABEL)

    def outputs(self) -> dict[str, dict[str, bytes]]:
        return {str(root): tree_digest(root) for root in self.layout.roots}


@pytest.fixture
def last_good(tmp_path) -> LastGood:
    found = LastGood(tmp_path / "work")
    layout = found.layout
    for path in (*layout.processed.files(), *layout.reports.published, layout.audit.manifest):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"the last good {path.name}\n".encode())
    return found
