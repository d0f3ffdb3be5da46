"""What a reader of the sample review sees, read from the HTML and the PDF as a person would."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import chromium

from impact_review.layout import ReportFiles
from impact_review.paths import ROOT
from impact_review.publish.safety import html_text as visible_html_text

pytestmark = pytest.mark.slow

ARTIFACTS = ROOT / "test-artifacts"


def normalise(text: str) -> str:
    return " ".join(
        text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u2060", "").split()
    )


def html_text(path: Path) -> str:
    return normalise(visible_html_text(path))


def pdf_text(path: Path) -> str:
    return normalise(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    )


@pytest.fixture(scope="module")
def outputs(sample_run) -> dict[str, str]:
    reports = sample_run / "reports" / "2015-18"
    return {"html": html_text(reports / "report.html"), "pdf": pdf_text(reports / "report.pdf")}


EXPECTED = [
    r"147 recommendations came from 21 learning activities: four Serious Case Reviews \(SCRs\), "
    r"two Individual Management Reviews \(IMRs\) and 15 quality assurance \(QA\) audits",
    r"SCR 4 75 51 18\.8",
    r"IMR 2 15 10 7\.5",
    r"QA audit 15 57 39 3\.8",
    r"75 of 147 \(51%\) came from the four SCRs",
    r"The four SCRs \(Child S, Child M, Child P and Child K\) gave 75 of the 147 \(51%\)",
    r"policy and procedure \(35%\)",
    r"training and skills \(25%\)",
    r"assessment \(11%\)",
    r"East Sussex Children's Services – Education had the most recommendations: 26 \(18%\)",
    r"Of these, 14 of 26 concerned training and skills",
    r"East Sussex Healthcare NHS Trust had the second most \(24, 16%\)",
    # The LSCB is written in full where the review first names it, in its background.
    r"then Children's Social Care \(23, 16%\) and LSCB \(21, 14%\)",
    r"The Local Safeguarding Children Board \(LSCB\) tracks each recommendation",
    r"child's lived experience",
    r"domestic abuse",
    r"hidden children",
    r"safeguarding practice in schools",
    r"working with large families",
]
# What the review adds on implementation at 14 May 2018, the day the sample tracker was exported
# (issue 11): 11 of the 147 still open, 10 of them past their target date, the oldest due July
# 2016; 136 completed, 12 with evidence of impact. The overdue table lists the ten, the longest
# overdue (S-006, due 1 July 2016) first.
IMPLEMENTATION = [
    r"11 of the 147 recommendations were still open at 14 May 2018, 10 of them past the "
    r"target date \(the oldest due July 2016\)\. 136 were completed, of which 12 record "
    r"evidence of impact",
    r"Red when open, and its target date is before the as-at date",
]

# Where the themes came from (issue 14): the tracker's theme cell for 98, the keyword rules for 26
# of the 49 it leaves blank; the 2018 review published no theme counts, so these are the
# project's own. Each theme's count and its definition below the table.
THEMES = [
    r"Themes were recorded against 124 of the 147 recommendations\. Of the 147, 98 took their "
    r"themes from the tracker.s theme column, 26 from the keyword rules the partnership keeps "
    r"for each theme \(where that column was blank\), and 0 had them set by hand in its theme "
    r"overrides \(which may also set none\); 23 matched no rule and have no theme",
    r"Domestic abuse 46 31 4",
    r"Hidden children 41 28 4",
    r"Child's lived experience 38 26 5",
    r"Working with large families 21 14 2",
    r"Safeguarding practice in schools 15 10 2",
    r"Hidden children \(41 recommendations, 4 learning activities\): Children not seen by "
    r"professionals",
]


@pytest.mark.parametrize("kind", ["html", "pdf"])
@pytest.mark.parametrize("pattern", THEMES)
def test_themes_are_counted_with_their_sources_and_definitions(outputs, kind, pattern):
    assert re.search(pattern, outputs[kind]), pattern


@pytest.mark.parametrize("kind", ["html", "pdf"])
@pytest.mark.parametrize("pattern", IMPLEMENTATION)
def test_implementation_at_the_as_at_date_is_stated(outputs, kind, pattern):
    assert re.search(pattern, outputs[kind]), pattern


def test_the_overdue_table_lists_the_ten_most_overdue_first(sample_run):
    bundle = ReportFiles(sample_run / "reports" / "2015-18").audit.bundle
    table = bundle.tables / "overdue.md"
    text = re.sub(r"\\(.)", r"\1", table.read_text(encoding="utf-8"))  # markdown escapes
    rows = [line.split("|") for line in text.splitlines() if line.startswith("|")][2:12]
    days = [int(cells[5]) for cells in rows]

    assert [cells[1].strip() for cells in rows][:2] == ["S-006", "M-033"]
    assert rows[0][4].strip() == "1 July 2016"
    assert len(rows) == 10 and days[0] == 682 and days == sorted(days, reverse=True)


@pytest.mark.parametrize("kind", ["html", "pdf"])
@pytest.mark.parametrize("pattern", EXPECTED)
def test_the_2018_figures_are_in_the_text(outputs, kind, pattern):
    assert re.search(pattern, outputs[kind], re.IGNORECASE), pattern


@pytest.mark.parametrize("kind", ["html", "pdf"])
def test_no_template_syntax_leaks(outputs, kind):
    text = outputs[kind]
    for leftover in (
        "{{<",
        ">}}",
        "{{",
        "}}",
        "$if(",
        "$endif$",
        "$body$",
        "#set ",
        "::: {",
        "@fig-",
        "@tbl-",
        "callout-",
    ):
        assert leftover not in text, leftover


def test_examples_of_impact_are_grouped_by_source(outputs):
    text = outputs["html"]
    for source in (
        "Child P SCR",
        "Child K SCR",
        "Child Q IMR",
        "Child N IMR",
        "QA audit: child sexual abuse",
    ):
        assert source in text
    assert "About 80 social workers attended the training in 2017" in text


def test_pdf_is_a4_titled_and_tagged(sample_run):
    info = subprocess.run(
        ["pdfinfo", str(sample_run / "reports" / "2015-18" / "report.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "595.28 x 841.89" in info or "595.276 x 841.89" in info
    assert "Title:           The impact of learning and improvement activity, 2015-18" in info
    assert re.search(r"Tagged:\s+yes", info)


def test_html_is_self_contained_with_alt_text(sample_run):
    html = (sample_run / "reports" / "2015-18" / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en-GB"' in html or 'lang="en-GB"' in html
    assert not re.search(r'<(img|script|link)[^>]+(src|href)="https?://', html)
    alts = re.findall(r'<img[^>]*alt="([^"]+)"', html)
    assert len(alts) == 4
    assert any("Policy and procedure 51 (35%)" in alt for alt in alts)


def test_publishable_folder_holds_only_the_report(sample_run):
    reports = sample_run / "reports" / "2015-18"
    assert sorted(p.name for p in reports.iterdir()) == [
        "audit",
        "briefing.html",
        "briefing.pdf",
        "report-tables.xlsx",
        "report.html",
        "report.pdf",
    ]
    assert not list(reports.glob("*.ipynb"))
    assert (reports / "audit" / "notebooks" / "03-analyse.ipynb").exists()


def test_pages_and_screenshot_are_kept_as_artifacts(sample_run, tmp_path):
    """Renders what a board member sees into test-artifacts/ for a person to look at."""
    reports = sample_run / "reports" / "2015-18"
    out = ARTIFACTS / "report"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(reports / "report.pdf"), str(out / "page")],
        check=True,
        capture_output=True,
    )
    pages = sorted(out.glob("page-*.png"))
    assert len(pages) >= 8
    # a desktop's width and a phone's, each deep enough to show Table 1 and Figure 1
    for width, height in ((1280, 2400), (375, 6000)):
        shot = out / f"html-{width}.png"
        chromium(
            tmp_path / f"profile-{width}",
            f"--window-size={width},{height}",
            "--hide-scrollbars",
            f"--screenshot={shot}",
            (reports / "report.html").as_uri(),
        )
        assert shot.exists() and shot.stat().st_size > 50_000
        assert png_size(shot) == (width, height)


def png_size(path: Path) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its IHDR chunk."""
    header = path.read_bytes()[16:24]
    return int.from_bytes(header[:4], "big"), int.from_bytes(header[4:], "big")


def test_the_real_report_passes_the_quarto_path_preflight(sample_run, tmp_path, monkeypatch):
    """The shipped report.qmd and _quarto.yml stay within what both renderers honour: the
    quarto path (with a stand-in quarto, as none installs here) accepts the sample's bundle."""
    from helpers import install_fake_quarto, quarto_calls

    from impact_review.render import render_report

    log = install_fake_quarto(tmp_path, monkeypatch)
    bundle = sample_run / "reports" / "2015-18" / "audit" / "render-bundle"
    result = render_report(bundle, tmp_path / "out", renderer="quarto")
    assert [c["argv"][:4] for c in quarto_calls(log)][1:] == [
        ["render", "report.qmd", "--to", "html"],
        ["render", "report.qmd", "--to", "typst"],
    ]
    assert result.renderer.startswith("quarto")
