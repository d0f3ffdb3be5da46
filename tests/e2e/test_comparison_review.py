"""impact-review compare on the three yearly reviews of the 2018-21 sample (the yearly_runs
fixture): what it publishes, that its counts are the single-year reviews' counts, and what it
refuses."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from helpers import tree_digest

from impact_review.layout import RunLayout
from impact_review.paths import ROOT

pytestmark = pytest.mark.slow
COMPARED = "compare-2018-19-2020-21"


def compare_cli(workdir: Path, *labels: str) -> subprocess.CompletedProcess:
    """`impact-review compare LABELS --workdir WORKDIR`, as an analyst types it."""
    return subprocess.run(
        [sys.executable, "-m", "impact_review.cli", "compare", *labels, "--workdir", str(workdir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )


@pytest.fixture(scope="session")
def compared(yearly_runs) -> tuple[Path, subprocess.CompletedProcess]:
    workdir = yearly_runs.workdir
    # Given out of order: the comparison puts the periods in order.
    result = compare_cli(workdir, "2020-21", "2018-19", "2019-20")
    assert result.returncode == 0, result.stderr
    return workdir, result


def lineage_values(workdir: Path, label: str) -> dict[str, int]:
    path = RunLayout.published(workdir, label).audit.lineage
    return {f["figure"]: f["value"] for f in json.loads(path.read_text())["figures"]}


def pdf_text(path: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True
    )
    return " ".join(result.stdout.split())


def test_the_comparison_is_published_as_html_and_pdf_with_its_periods(compared):
    workdir, result = compared
    layout = RunLayout.published(workdir, COMPARED)
    assert f"published {COMPARED}" in result.stdout
    text = pdf_text(layout.reports.pdf)
    assert "The impact of learning and improvement activity, 2018-19 to 2020-21" in text
    assert "compared across periods, as at 31 March 2021" in text
    assert "East Sussex Safeguarding Children Partnership" in text
    # The 2019 change: SCRs, rapid reviews and LCSPRs are one series, and the note says so.
    assert "Statutory case reviews" in text and "29 September 2019" in text
    html = layout.reports.html.read_text(encoding="utf-8")
    for caption in (
        "Recommendations per period by agency: agreed 2018-19 to 2020-21",
        "What changed most",
    ):
        assert caption in html
    manifest = json.loads(layout.audit.manifest.read_text())
    assert manifest["parameters"]["labels"] == ["2018-19", "2019-20", "2020-21"]
    assert set(manifest["compared"]) == {"2018-19", "2019-20", "2020-21"}
    assert manifest["personal_data_scan"]["rendered"]["findings"] == 0
    assert (layout.audit.executed_notebook("04-compare.ipynb")).is_file()


def members(name: str, taxonomy_names: dict[str, list[str]]) -> list[str]:
    return taxonomy_names.get(name, [name])


def test_each_periods_counts_are_its_single_year_reviews_counts(compared):
    """Every cell of every per-period table equals what that year's own review published
    (a series: the sum of its members' published counts)."""
    from impact_review.intake.taxonomy import default_taxonomy

    workdir, _ = compared
    series = {s.series: list(s.names) for s in default_taxonomy().successions}
    processed = RunLayout.published(workdir, COMPARED).processed
    tables = {"by-source": "by-source-type", "by-agency": "by-agency", "by-area": "by-area"}
    checked = 0
    for label in ("2018-19", "2019-20", "2020-21"):
        published = lineage_values(workdir, label)
        for ours, theirs in {**tables, "themes": "themes"}.items():
            frame = pd.read_csv(processed.table_csv(ours))
            for _, row in frame.iterrows():
                expected = sum(
                    published.get(f"table:{theirs}:{name}:recommendations", 0)
                    for name in members(str(row.iloc[0]), series)
                )
                assert row[label] == expected, (label, ours, row.iloc[0])
                checked += 1
        implementation = pd.read_csv(processed.table_csv("implementation")).set_index("period")
        year = implementation.loc[label]
        assert year["recommendations"] == published["counts.total"]
        assert year["completed"] == published["counts.completed"]
        assert year["open"] == published["implementation.open"]
        assert year["overdue"] == published["implementation.overdue"]
        assert year["with_impact"] == published["counts.with_impact"]
    assert checked > 60


def copy_of(workdir: Path, tmp_path: Path, labels: tuple[str, ...]) -> Path:
    """The published runs of the labels, copied to a working folder of their own."""
    copy = tmp_path / "work"
    for label in labels:
        for source in RunLayout.published(workdir, label).roots:
            shutil.copytree(source, copy / source.relative_to(workdir))
    return copy


def refused(copy: Path, *labels: str) -> str:
    before = tree_digest(copy)
    result = compare_cli(copy, *labels)
    assert result.returncode == 2, result.stderr
    assert tree_digest(copy) == before
    assert not (copy / "reports" / COMPARED).exists()
    return " ".join(result.stderr.split())


def test_a_label_not_run_is_refused(compared, tmp_path):
    copy = copy_of(compared[0], tmp_path, ("2018-19", "2020-21"))
    message = refused(copy, "2018-19", "2019-20", "2020-21")
    assert "2019-20 has not been run in" in message and "run it first" in message


def test_a_label_run_with_another_taxonomy_is_refused(compared, tmp_path):
    copy = copy_of(compared[0], tmp_path, ("2018-19", "2019-20"))
    manifest_path = RunLayout.published(copy, "2019-20").audit.manifest
    manifest = json.loads(manifest_path.read_text())
    key = next(k for k in manifest["configuration"] if k.endswith("taxonomy.yaml"))
    manifest["configuration"][key] = "0" * 64
    manifest_path.write_text(json.dumps(manifest))
    message = refused(copy, "2018-19", "2019-20")
    assert "2019-20 was run with a different taxonomy.yaml" in message


def test_a_label_whose_code_counted_differently_is_refused(compared, tmp_path):
    copy = copy_of(compared[0], tmp_path, ("2018-19", "2019-20"))
    lineage_path = RunLayout.published(copy, "2018-19").audit.lineage
    lineage = json.loads(lineage_path.read_text())
    total = next(f for f in lineage["figures"] if f["figure"] == "counts.total")
    total["value"] += 1
    lineage_path.write_text(json.dumps(lineage))
    message = refused(copy, "2018-19", "2019-20")
    assert "counted differently from this code: counts.total is" in message
    assert "--rebuild" in message


def test_overlapping_periods_are_refused(compared, tmp_path):
    copy = copy_of(compared[0], tmp_path, ("2018-19", "2019-20"))
    manifest_path = RunLayout.published(copy, "2019-20").audit.manifest
    manifest = json.loads(manifest_path.read_text())
    manifest["parameters"]["period_start"] = "2019-03-01"
    manifest_path.write_text(json.dumps(manifest))
    assert "overlap" in refused(copy, "2018-19", "2019-20")


def test_the_comparison_passes_the_quarto_path_preflight(compared, tmp_path, monkeypatch):
    """compare.qmd stays within what both renderers honour: the quarto path (with a stand-in
    quarto, as none installs here) accepts the comparison's bundle."""
    from helpers import install_fake_quarto, quarto_calls

    from impact_review.render import render_report

    log = install_fake_quarto(tmp_path, monkeypatch)
    bundle = RunLayout.published(compared[0], COMPARED).bundle.root
    result = render_report(bundle, tmp_path / "out", renderer="quarto")
    assert [c["argv"][:4] for c in quarto_calls(log)][1:] == [
        ["render", "report.qmd", "--to", "html"],
        ["render", "report.qmd", "--to", "typst"],
    ]
    assert result.renderer.startswith("quarto")


@pytest.mark.parametrize("width", [1280, 375])
def test_a_reader_of_the_comparison_meets_nothing_serious(compared, width, tmp_path):
    """axe-core finds nothing serious at a desktop's width or a phone's, and nothing makes the
    phone page wider than the phone."""
    from browser import asked, axe_violations

    page = RunLayout.published(compared[0], COMPARED).reports.html.read_text(encoding="utf-8")
    violations = axe_violations(page, width, tmp_path / "axe")
    assert [v["id"] for v in violations if v["impact"] in {"serious", "critical"}] == []
    widths = asked(
        page,
        "return [window.innerWidth, document.documentElement.scrollWidth];",
        width,
        tmp_path / "layout",
    )
    assert widths[1] <= widths[0]
