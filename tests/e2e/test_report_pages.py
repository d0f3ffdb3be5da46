"""How the sample review sits on a screen and on A4: axe-core finds nothing serious at a desktop
width or a phone's, nothing makes the phone page wider than the phone, every table scrolls in a
named region, and in the PDF no heading ends a page and the register's header repeats."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import asked, axe_violations

from impact_review.layout import ReportFiles

pytestmark = pytest.mark.slow

PHONE, DESKTOP = 375, 1280
SERIOUS = {"serious", "critical"}
# What a phone-width page is asked: its width, each table's region and caption, each image.
LAYOUT = """
const caption = (table) =>
  table.querySelector("caption") || table.closest("figure")?.querySelector("figcaption");
return {
  innerWidth: window.innerWidth,
  scrollWidth: document.documentElement.scrollWidth,
  tables: [...document.querySelectorAll("table")].map((table) => {
    const region = table.closest('[role="region"]');
    const shown = caption(table)?.getBoundingClientRect();
    return {
      caption: caption(table)?.textContent.trim() ?? null,
      captionShown: Boolean(
        shown && shown.height > 0 && shown.left >= 0 && shown.right <= window.innerWidth
      ),
      tabindex: region?.getAttribute("tabindex") ?? null,
      name: region?.getAttribute("aria-label") ?? null,
      overflowX: region ? getComputedStyle(region).overflowX : null,
      regionRight: region?.getBoundingClientRect().right ?? null,
      tableWidth: table.getBoundingClientRect().width,
    };
  }),
  images: [...document.images].map((image) => ({
    alt: image.alt,
    left: image.getBoundingClientRect().left,
    right: image.getBoundingClientRect().right,
  })),
};
"""
REGISTER_HEADER = re.compile(
    r"Reference\s+Recommendation \(shortened\)\s+Agency\s+Target date\s+Status\s+RAG"
)
REFERENCE = r"(?:S|M|P|K|Q|N|QA-\d\d)-\d{3}"
# The first line of a register row: its reference at the left and its RAG at the right.
REGISTER_ROW = re.compile(rf"^\s*{REFERENCE}\s.*\s(?:Red|Amber|Green|Grey)\s*$")


@pytest.fixture(scope="module")
def review(sample_run: Path) -> ReportFiles:
    return ReportFiles(sample_run / "reports" / "2015-18")


@pytest.fixture(scope="module")
def phone_layout(review: ReportFiles, tmp_path_factory) -> dict:
    page = review.html.read_text(encoding="utf-8")
    return asked(page, LAYOUT, PHONE, tmp_path_factory.mktemp("phone"))


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_axe_finds_nothing_serious(review: ReportFiles, width: int, tmp_path: Path):
    violations = axe_violations(review.html.read_text(encoding="utf-8"), width, tmp_path)

    assert [v for v in violations if v["impact"] in SERIOUS] == []


def test_axe_finds_an_image_without_alt_text(tmp_path: Path):
    """The check above cannot pass because axe did not run: here it must find something."""
    page = (
        '<!DOCTYPE html><html lang="en"><head><title>Bad</title></head><body><main>'
        '<h1>Bad</h1><img src="data:image/png;base64,iVBORw0KGgo="></main></body></html>'
    )

    violations = axe_violations(page, PHONE, tmp_path)

    assert [(v["id"], v["impact"], v["targets"]) for v in violations] == [
        ("image-alt", "critical", ["img"])
    ]


def test_nothing_makes_the_phone_page_wider_than_the_phone(phone_layout: dict):
    assert phone_layout["innerWidth"] == PHONE
    assert phone_layout["scrollWidth"] <= phone_layout["innerWidth"]


def test_every_table_scrolls_in_a_focusable_region_named_by_its_caption(phone_layout: dict):
    tables = phone_layout["tables"]
    wider = [table for table in tables if table["tableWidth"] > PHONE]

    # the 16 tables of the figures and the register, the glossary, and the quality section's
    # four (no activity is flagged); some must scroll, or the check would be vacuous
    assert len(tables) == 21 and len(wider) >= 5
    for table in tables:
        number, caption = re.fullmatch(r"(Table \d+): (.+)", words(table["caption"])).groups()
        assert (table["tabindex"], table["name"]) == ("0", caption), number
        assert table["overflowX"] == "auto" and table["regionRight"] <= PHONE, number
        assert table["captionShown"], number


def test_every_image_fits_the_phone_and_has_alt_text(phone_layout: dict):
    images = phone_layout["images"]

    assert len(images) == 4
    for image in images:
        assert image["alt"] and image["left"] >= 0 and image["right"] <= PHONE


class Headings(HTMLParser):
    """The text of each h2 and h3 in a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._open: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("h2", "h3"):
            self._open = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3") and self._open is not None:
            self.texts.append(" ".join("".join(self._open).split()))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)


@pytest.fixture(scope="module")
def pdf_pages(review: ReportFiles) -> list[list[str]]:
    """Each page of the PDF as its non-blank lines, laid out, without the page number."""
    count = int(
        re.search(
            r"Pages:\s+(\d+)",
            subprocess.run(
                ["pdfinfo", str(review.pdf)], capture_output=True, text=True, check=True
            ).stdout,
        ).group(1)
    )
    pages = []
    for number in range(1, count + 1):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(review.pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        lines = [line for line in text.splitlines() if line.strip()]
        if lines and lines[-1].strip() == str(number):
            lines.pop()
        pages.append(lines)
    return pages


def words(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())


def test_no_pdf_page_ends_with_a_heading(review: ReportFiles, pdf_pages: list[list[str]]):
    headings = set(Headings(review.html.read_text(encoding="utf-8")).texts)
    endings = [
        (number, words(" ".join(lines[-size:])))
        for number, lines in enumerate(pdf_pages, 1)
        for size in (1, 2)
        if len(lines) >= size
    ]

    assert len(pdf_pages) >= 15 and len(headings) >= 15
    assert {"Learning identified", "Appendix: tables"} <= headings
    assert [(number, text) for number, text in endings if text in headings] == []


def test_the_register_repeats_its_header_and_breaks_only_between_rows(pdf_pages):
    register = [
        (number, lines)
        for number, lines in enumerate(pdf_pages, 1)
        if any(REGISTER_ROW.match(line) for line in lines)
    ]
    rows = sum(1 for _, lines in register for line in lines if REGISTER_ROW.match(line))

    assert rows == 147 and len(register) >= 5
    for number, lines in register:
        header = next(i for i, line in enumerate(lines) if REGISTER_HEADER.search(line))
        # a page of the register starts a row (no row's end carried over) under its header
        assert REGISTER_ROW.match(lines[header + 1]), number


def test_the_register_lists_open_ones_first_and_no_tracker_row(
    review: ReportFiles, pdf_pages: list[list[str]]
):
    rows = [line for lines in pdf_pages for line in lines if REGISTER_ROW.match(line)]
    rags = [line.split()[-1] for line in rows]
    html = review.html.read_text(encoding="utf-8")

    assert rags[:11].count("Red") == 10 and rags[:11].count("Amber") == 1
    assert set(rags[11:]) == {"Green"} and len(rags[11:]) == 136
    assert [line.split()[0] for line in rows[11:14]] == ["K-058", "K-059", "K-060"]
    for shown in (html, "\n".join(line for lines in pdf_pages for line in lines)):
        assert "Tracker row" not in shown
