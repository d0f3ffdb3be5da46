"""Safe publishing, end to end: bad trackers exit with clear errors and publish nothing,
personal data is never published, tracker text stays text, a failure anywhere leaves the last good
outputs, and reruns are exact. The session's `published` run is what every failure must leave
alone; the sample is run twice (see conftest.py)."""

import hashlib
import json
import re
import subprocess
from datetime import date

import pytest
from broken_trackers import BROKEN, assert_located
from helpers import (
    FORMULA,
    HEADER,
    HOSTILE,
    PERIOD_ARGS,
    PUBLISHED_LABEL,
    row,
    run_cli,
    tree_digest,
    write_csv_text,
    write_xlsx,
)

from impact_review.layout import RunLayout, failed_build_dir, staging_dir
from impact_review.paths import SAMPLE_TRACKER
from impact_review.period import Period
from impact_review.publish.safety import html_text

pytestmark = pytest.mark.slow
# One broken tracker goes through the command here (an unmappable value does in
# test_pipeline_clean.py); tests/unit/test_bad_trackers.py reads every one in-process.
THROUGH_THE_COMMAND = ("XML entity bomb",)


def run_bad(last_good, tracker, *extra: str):
    before = last_good.outputs()
    result = run_cli(
        "--workdir",
        str(last_good.workdir),
        "--tracker",
        str(tracker),
        "--label",
        PUBLISHED_LABEL,
        *PERIOD_ARGS,
        *extra,
    )
    assert last_good.outputs() == before, "a failed run changed the published outputs"
    return result


def error_line(result) -> str:
    return next(
        line for line in result.stderr.splitlines() if line.startswith("impact-review: error:")
    )


@pytest.mark.parametrize(
    ("name", "build", "file", "sheet", "row_number", "column"),
    [case for case in BROKEN if case[0] in THROUGH_THE_COMMAND],
    ids=THROUGH_THE_COMMAND,
)
def test_broken_tracker_exits_2_with_a_located_message(
    last_good, tmp_path, name, build, file, sheet, row_number, column
):
    tracker = build(tmp_path)
    result = run_bad(last_good, tracker)
    assert result.returncode == 2, result.stderr
    line = error_line(result)
    assert_located(line, file, sheet, row_number, column)


def test_oversized_tracker_is_refused_before_parsing(last_good, tmp_path):
    tracker = write_csv_text(
        tmp_path / "big.csv",
        [",".join(HEADER)] + [",".join(map(str, row(f"R{i}"))) for i in range(60_000)],
    )
    assert tracker.stat().st_size > 3_000_000
    result = run_bad(last_good, tracker, "--max-bytes", "1000000")
    assert result.returncode == 2
    assert "over the limit" in error_line(result)


PLANTED = {
    "nhs": "999 000 0018",
    "ni": "AB 12 34 56 C",
    "postcode": "BN1 1AA",
    "phone": "07700 900123",
    "email": "carer@example.org",
    "dob": "DOB 01/02/2012",
    "name": "Sarah Jones",
}


def test_personal_data_stops_publication_without_repeating_it(last_good, tmp_path):
    rows = [[*HEADER, "Evidence of impact"]]
    for number, (_kind, value) in enumerate(PLANTED.items(), start=1):
        rows.append(
            [*row(f"P{number}", text=f"Follow up with the family ({value})."), f"Seen by {value}."]
        )
    result = run_bad(last_good, write_xlsx(tmp_path / "pii.xlsx", {"S": rows}))
    assert result.returncode == 1, result.stderr
    line = error_line(result)
    assert "personal data found" in line
    assert "rec_id P1, column 'evidence_of_impact': nhs_number" in line or "rec_id P1" in line
    for value in PLANTED.values():
        assert value not in result.stderr and value not in result.stdout
    failed = failed_build_dir(last_good.workdir, PUBLISHED_LABEL)
    audit = RunLayout.staged(failed).audit
    pii = json.loads(audit.pii_scan.read_text())
    assert set(pii["tracker_text"]["by_kind"]) >= {
        "nhs_number",
        "ni_number",
        "postcode",
        "phone",
        "email",
        "date_of_birth",
        "person_name",
    }
    assert not any(value in json.dumps(pii) for value in PLANTED.values())
    assert not RunLayout.staged(failed).processed.recommendations.exists(), "written before scan"
    for path in [
        *audit.root.rglob("*.ipynb"),
        *audit.root.rglob("*.log"),
    ]:
        text = path.read_text(encoding="utf-8")
        assert not any(value in text for value in PLANTED.values()), path.name


def test_pseudonyms_and_agency_names_are_not_personal_data(published):
    scan = json.loads(published.layout.audit.pii_scan.read_text(encoding="utf-8"))
    assert scan["tracker_text"]["findings"] == 0 and scan["rendered"]["findings"] == 0
    assert "Child K's midwife" in html_text(published.layout.reports.html).replace("\u2019", "'")


def test_tracker_text_is_data_in_html_pdf_and_csv(published):
    layout = published.layout
    html = layout.reports.html.read_text(encoding="utf-8")
    assert '<script>alert("x")' not in html and "&lt;script&gt;alert" in html
    pdf = subprocess.run(
        ["pdftotext", str(layout.reports.pdf), "-"], capture_output=True, text=True
    ).stdout
    assert "#set text(red)" in " ".join(pdf.split())
    assert "<script>" in pdf
    csv = layout.processed.recommendations_csv.read_text(encoding="utf-8")
    assert f"'{FORMULA}" in csv and "'=HYPERLINK" not in csv.split("\n")[0]
    assert HOSTILE.split()[0] in pdf


def test_a_failure_in_the_render_step_leaves_the_last_good_outputs(published, monkeypatch):
    """The notebook steps are stood in for by copies of the published run's outputs (the
    notebooks themselves run in every other test here); the render step then fails."""
    import shutil

    from impact_review import pipeline

    def copied_step(step, parameters, layout, kernel=None):
        source = published.layout
        shutil.copytree(source.processed.root, layout.processed.root, dirs_exist_ok=True)
        shutil.copytree(source.audit.root, layout.audit.root, dirs_exist_ok=True)

    def broken_render(*args, **kwargs):
        raise pipeline.RenderError("injected failure")

    monkeypatch.setattr(pipeline, "run_notebook", copied_step)
    monkeypatch.setattr(pipeline, "render_report", broken_render)
    before = published.outputs()
    request = pipeline.RunRequest(
        tracker=published.tracker,
        period=Period(date(2015, 4, 1), date(2018, 3, 31), PUBLISHED_LABEL),
        workdir=published.workdir,
    )
    outcome = pipeline.run_review(request, progress=lambda _: None)
    assert outcome.exit_code == 3
    assert "injected failure" in outcome.message
    assert outcome.failed_build == failed_build_dir(published.workdir, PUBLISHED_LABEL)
    assert published.outputs() == before
    staged = staging_dir(published.workdir).iterdir()
    assert not [p for p in staged if p.name.startswith(f"{PUBLISHED_LABEL}-")]


def test_personal_data_in_the_annex_alone_stops_publication_naming_it(
    published, tmp_path, monkeypatch
):
    """The notebook steps are stood in for by copies of the published run's outputs, with a phone
    number and an NHS number planted in a cell of the annex, which nothing else holds."""
    import shutil

    import openpyxl

    from impact_review import pipeline

    def copied_step(step, parameters, layout, kernel=None):
        source = published.layout
        shutil.copytree(source.processed.root, layout.processed.root, dirs_exist_ok=True)
        shutil.copytree(source.audit.root, layout.audit.root, dirs_exist_ok=True)
        annex = openpyxl.load_workbook(source.reports.annex)
        annex.worksheets[-1]["A1"] = f"Ring {PLANTED['phone']} about {PLANTED['nhs']}"
        annex.save(layout.reports.annex)

    monkeypatch.setattr(pipeline, "run_notebook", copied_step)
    request = pipeline.RunRequest(
        tracker=published.tracker,
        period=Period(date(2015, 4, 1), date(2018, 3, 31), PUBLISHED_LABEL),
        workdir=tmp_path,
        reuse=False,
    )
    outcome = pipeline.run_review(request, progress=lambda _: None)
    annex = published.layout.reports.annex.name
    assert outcome.exit_code == 1, outcome.message
    assert f"{annex}: phone" in outcome.message and f"{annex}: nhs_number" in outcome.message
    assert "report.html" not in outcome.message and "report.pdf" not in outcome.message
    assert PLANTED["phone"] not in outcome.message and PLANTED["nhs"] not in outcome.message
    assert not RunLayout.published(tmp_path, PUBLISHED_LABEL).reports.root.exists()
    scan = json.loads(RunLayout.staged(outcome.failed_build).audit.pii_scan.read_text())
    assert scan["rendered"]["by_file_and_kind"] == {
        f"{annex}: nhs_number": 1,
        f"{annex}: phone": 1,
    }


def output_hashes(manifest: dict) -> dict[str, dict[str, str]]:
    """The manifest's sha256 of every output, by group, with the render bundle as its own."""
    outputs = manifest["outputs"]
    audit = outputs["audit"]
    return {
        "published": outputs["published"],
        "processed": outputs["processed"],
        "bundle": {k: v for k, v in audit.items() if k.startswith("render-bundle/")},
        "data-quality": {k: v for k, v in audit.items() if k.startswith("data-quality/")},
    }


def test_an_unchanged_rerun_reuses_every_step_and_is_byte_identical(sample_runs):
    second = json.loads(sample_runs.layout.audit.manifest.read_text(encoding="utf-8"))
    first = sample_runs.first_manifest

    assert first["steps_reused"] == []
    assert second["steps_reused"] == ["clean", "validate", "analyse", "render"]
    assert "reused clean, validate, analyse, render" in sample_runs.second.stdout
    assert output_hashes(first) == output_hashes(second)
    assert len(output_hashes(first)["bundle"]) >= 10


def test_a_changed_narrative_reruns_only_the_analysis_and_render(sample_runs, narrative_rerun):
    """The steps before the analysis are reused; the analysis and render run again, and all they
    build but the narrative's words is byte-identical to the first run (a recompute is exact).
    The run is refused at the end (see the next test), so its build is the failed one."""
    said = narrative_rerun.result.stdout
    first, failed = sample_runs.layout, narrative_rerun.failed
    bundle_before, bundle_now = tree_digest(first.bundle.root), tree_digest(failed.bundle.root)
    changed = {name for name, data in bundle_now.items() if bundle_before.get(name) != data}

    for step in ("clean", "validate"):
        assert re.search(rf"{step}: .*\n +reused its last outputs", said), said
    assert re.search(r"analyse: .*\n +done in", said), said
    assert tree_digest(failed.processed.root) == tree_digest(first.processed.root)
    assert tree_digest(failed.audit.data_quality.root) == tree_digest(first.audit.data_quality.root)
    assert bundle_now.keys() == bundle_before.keys()
    assert changed and all(name.startswith("narrative/") for name in changed), changed
    assert any(name.startswith("figures/") for name in bundle_now)


def test_personal_data_in_the_narrative_is_caught_after_rendering(narrative_rerun):
    result = narrative_rerun.result
    assert result.returncode == 1, result.stderr
    assert "report.html: phone" in result.stderr and "report.pdf: phone" in result.stderr
    for said in (result.stdout, result.stderr):
        assert "07700" not in said and "Patel" not in said
    assert narrative_rerun.published_now() == narrative_rerun.published_before


def test_a_rerun_says_it_is_identical_and_the_manifest_records_the_input(sample_runs):
    assert "identical to the previous run" not in sample_runs.first.stdout
    assert "identical to the previous run" in sample_runs.second.stdout
    layout = sample_runs.layout
    manifest = json.loads(layout.audit.manifest.read_text(encoding="utf-8"))
    assert manifest["input"]["sha256"] == hashlib.sha256(SAMPLE_TRACKER.read_bytes()).hexdigest()
    assert manifest["input"]["sheet"] == "Recommendations" and manifest["input"]["header_row"] == 5
    assert manifest["rows"]["analysed"] == 147 and manifest["rows"]["outside_period"] == 6
    assert manifest["renderer"].startswith(("builtin", "quarto"))
    assert re.fullmatch(r"[0-9a-f]{40}", manifest["code"]["commit"] or "0" * 40)
    pdf = subprocess.run(
        ["pdftotext", str(layout.reports.pdf), "-"], capture_output=True, text=True
    ).stdout
    assert manifest["input"]["sha256"][:40] in pdf.replace("\n", "")


def test_raw_data_is_untouched(sample_runs):
    after = hashlib.sha256(SAMPLE_TRACKER.read_bytes()).hexdigest()
    assert after == sample_runs.tracker_sha256_before
