"""The 7-minute briefing published beside each review, read as a person would: at most two A4
pages carrying the same headline figures as the review (the 2018 review's for the sample),
hashed in the manifest, scanned for personal data, and within what the quarto path accepts."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from browser import asked, axe_violations
from helpers import install_fake_quarto, needs_quarto, quarto_calls
from test_report_outputs import html_text, pdf_text

from impact_review.intake.tracker import sha256_of
from impact_review.layout import BRIEFING_SOURCE, RunLayout
from impact_review.paths import DEFAULT_LABEL
from impact_review.render import render_report

pytestmark = pytest.mark.slow

# The 2018 review's headline figures, as the briefing's second section states them.
HEADLINES_2018 = [
    "147 recommendations from 21 learning activities; 51% (75) came from the four SCRs.",
    "136 completed by 14 May 2018; 11 still open, 10 of them overdue (past their target date).",
    "12 with evidence of impact:",
]
SECTIONS = [
    "1. Background",
    "2. Headline numbers",
    "3. Top areas of learning and themes",
    "4. Why it matters",
    "5. What should change",
    "6. How we will know it is embedded",
    "7. Questions to ask yourself, and where to find out more",
]


def headlines(variables: dict) -> list[str]:
    """The headline figures as the briefing writes them, from the review's _variables.yml."""
    counts, top = variables["counts"], variables["source_types"]["first"]
    late = variables["implementation"]
    return [
        f"{counts['total']} recommendations from {counts['sources_phrase']}; {top['percent']}% "
        f"({top['recommendations']}) came from the {top['count_phrase']}.",
        f"{counts['completed']} completed by {variables['as_at']['text']}; {late['open']} still "
        f"open, {late['overdue']} of them overdue (past their target date).",
        f"{counts['with_impact']} with evidence of impact:",
    ]


def review_figures(variables: dict) -> list[str]:
    """The same figures where the review's summary states them."""
    counts, late = variables["counts"], variables["implementation"]
    return [
        f"{counts['total']} recommendations came from {counts['sources_phrase']}",
        f"{late['open']} of the {counts['total']} recommendations were still open",
        f"{counts['completed']} were completed",
    ]


def variables_of(layout: RunLayout) -> dict:
    return yaml.safe_load(layout.bundle.variables.read_text(encoding="utf-8"))


# The sample's period and the later years' are made by two fixtures, each on the worker of its
# own group (tests/conftest.py): a test reads one or the other, so neither is made twice.
@pytest.fixture(scope="module")
def sample_review(sample_run: Path) -> RunLayout:
    return RunLayout.published(sample_run, DEFAULT_LABEL)


@pytest.fixture(scope="module")
def year_reviews(yearly_runs) -> dict[str, RunLayout]:
    return {label: yearly_runs.layout(label) for label in yearly_runs.labels}


def pdf_info(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("form", ["html", "pdf"])
def test_the_samples_briefing_carries_the_2018_reviews_headline_figures(sample_review, form):
    files = sample_review.reports
    text = html_text(files.briefing_html) if form == "html" else pdf_text(files.briefing_pdf)

    for headline in HEADLINES_2018:
        assert headline in text
    assert [section for section in SECTIONS if section in text] == SECTIONS
    assert text.index(SECTIONS[0]) < text.index(SECTIONS[-1])
    assert "Revise the local guidance for Serious Case Reviews" in text  # the analyst's words
    assert "report.html" in text and "report.pdf" in text  # the way to the full review


def test_the_samples_briefing_states_its_reviews_numbers_on_at_most_two_a4_pages(sample_review):
    states_its_reviews_numbers_on_at_most_two_a4_pages(sample_review, DEFAULT_LABEL)


@pytest.mark.parametrize("label", ["2018-19", "2019-20", "2020-21"])
def test_each_years_briefing_states_its_reviews_numbers_on_at_most_two_a4_pages(
    year_reviews, label
):
    states_its_reviews_numbers_on_at_most_two_a4_pages(year_reviews[label], label)


def states_its_reviews_numbers_on_at_most_two_a4_pages(layout: RunLayout, label: str) -> None:
    files, variables = layout.reports, variables_of(layout)
    info = pdf_info(files.briefing_pdf)
    review = pdf_text(files.pdf)

    for form in (html_text(files.briefing_html), pdf_text(files.briefing_pdf)):
        for headline in headlines(variables):
            assert headline in form
    for figure in review_figures(variables):
        assert figure in review
    assert int(re.search(r"^Pages:\s+(\d+)$", info, re.M)[1]) <= 2
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)$", info, re.M)
    assert re.search(rf"^Title:\s+7-minute briefing: .*, {label}$", info, re.M)
    assert 'id="TOC"' not in files.briefing_html.read_text(encoding="utf-8")


PHONE = 375
PAGE_WIDTH = "return {inner: window.innerWidth, scroll: document.documentElement.scrollWidth};"


def test_the_briefing_reads_on_a_phone(sample_review, tmp_path):
    """At a phone's width nothing makes the page wider than the screen, and axe-core finds
    nothing serious."""
    page = sample_review.reports.briefing_html.read_text(encoding="utf-8")

    width = asked(page, PAGE_WIDTH, PHONE, tmp_path / "width")
    violations = axe_violations(page, PHONE, tmp_path / "axe")

    assert width["scroll"] <= width["inner"] == PHONE
    assert [v["id"] for v in violations if v["impact"] in {"serious", "critical"}] == []


def test_the_briefing_is_published_and_hashed_with_the_review(sample_runs):
    layout = sample_runs.layout
    manifest = json.loads(layout.audit.manifest.read_text(encoding="utf-8"))
    published = manifest["outputs"]["published"]

    for path in (layout.reports.briefing_html, layout.reports.briefing_pdf):
        assert published[path.name] == sha256_of(path)
    assert "render-bundle/briefing.qmd" in manifest["outputs"]["audit"]  # what it came from


def test_personal_data_in_the_narrative_stops_the_briefing_too(narrative_rerun):
    """The narrative's resources-and-contacts text reaches the briefing, so the phone number
    the analyst added is found in both of its files, and nothing is published."""
    result = narrative_rerun.result
    scan = json.loads(narrative_rerun.failed.audit.pii_scan.read_text(encoding="utf-8"))
    found = scan["rendered"]["by_file_and_kind"]

    assert result.returncode == 1, result.stderr
    assert "personal data found, nothing published" in result.stderr
    for name in ("briefing.html", "briefing.pdf"):  # the name and the number, each once
        assert found[f"{name}: phone"] == found[f"{name}: person_name"] == 1
    for said in (result.stdout, result.stderr):
        assert "Patel" not in said and "07700" not in said
    assert narrative_rerun.published_now() == narrative_rerun.published_before


def test_the_briefing_passes_the_quarto_path_preflight(sample_review, tmp_path, monkeypatch):
    """briefing.qmd and its front matter stay within what both renderers honour: the quarto
    path (with a stand-in quarto) accepts it and renders it by name."""
    log = install_fake_quarto(tmp_path, monkeypatch)
    bundle = sample_review.bundle.root

    result = render_report(bundle, tmp_path / "out", renderer="quarto", source=BRIEFING_SOURCE)

    assert [call["argv"][:4] for call in quarto_calls(log)][1:] == [
        ["render", "briefing.qmd", "--to", "html"],
        ["render", "briefing.qmd", "--to", "typst"],
    ]
    assert (result.html.name, result.pdf.name) == ("briefing.html", "briefing.pdf")


@pytest.mark.quarto
@needs_quarto
def test_real_quarto_renders_the_briefing_on_two_pages(sample_review, tmp_path):
    bundle = sample_review.bundle.root

    result = render_report(bundle, tmp_path / "out", renderer="quarto", source=BRIEFING_SOURCE)

    assert int(re.search(r"^Pages:\s+(\d+)$", pdf_info(result.pdf), re.M)[1]) <= 2
    for headline in HEADLINES_2018:
        assert headline in pdf_text(result.pdf) and headline in html_text(result.html)
