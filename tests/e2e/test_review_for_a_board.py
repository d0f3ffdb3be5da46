"""The sample review read as a board member reads it: whom to call, with links that work in the
HTML and the PDF, the aims and method, the analyst's interpretation, abbreviations explained,
and data quality in plain words whose row counts add up."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from impact_review.layout import RunLayout
from impact_review.paths import DEFAULT_LABEL
from impact_review.publish.safety import html_text, pdf_text

pytestmark = pytest.mark.slow

# The 2018 review's resources: its procedures, training programme and portal, case review
# reports and audit briefings, and the SPoA's and Emergency Duty Service's numbers.
LINKS_2018 = {
    "https://sussexchildprotection.procedures.org.uk/",
    "http://eastsussexlscb.org.uk/wp-content/uploads/ESx-LSCB-Training-Programme-2019-20-v2.pdf",
    "https://www.eastsussexlearning.org.uk/cpd/portal.asp",
    "http://eastsussexlscb.org.uk/professionals/serious-case-reviews-2/",
    "http://eastsussexlscb.org.uk/about-us/home-working-groups/sub-quality/",
    "mailto:0-19.SPOA@eastsussex.gov.uk",
    "tel:+441323464222",
    "tel:+441273335905",
    "tel:+441273335906",
}


@pytest.fixture(scope="module")
def layout(sample_run: Path) -> RunLayout:
    return RunLayout.published(sample_run, DEFAULT_LABEL)


@pytest.fixture(scope="module")
def text(layout) -> str:
    return " ".join(html_text(layout.reports.html).split())


def pdf_links(path: Path) -> set[str]:
    """Every URI a PDF reader can follow: the link annotations of each page."""
    from pypdf import PdfReader

    found = set()
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                found.add(str(action["/URI"]))
    return found


def test_whom_to_call_is_in_both_with_links_that_work(layout, text):
    html = layout.reports.html.read_text(encoding="utf-8")
    hrefs = set(re.findall(r'href="([^"#][^"]*)"', html))
    pdf = " ".join(pdf_text(layout.reports.pdf).split())

    assert hrefs >= LINKS_2018
    assert pdf_links(layout.reports.pdf) >= LINKS_2018
    for said in (text, pdf):
        assert "Phone 01323 464222" in said
        assert "Open Monday to Friday, 8.30am to 5pm" in said
        assert "01273 335905 or 01273 335906" in said


def test_the_contacts_passed_the_personal_data_scan(layout):
    scan = json.loads(layout.audit.pii_scan.read_text(encoding="utf-8"))
    assert scan["rendered"]["findings"] == 0


def test_aims_and_method_are_the_reviews_own(text):
    aims = text.index(" Aims ")
    method = text.index(" Method ", aims)
    assert (
        "what evidence there is that its learning and improvement work has changed"
        in (text[aims:method])
    )
    steps = text[method : text.index("Recommendations by source", method)]
    for step in ("Compiling the recommendations.", "A desktop analysis.", "A call for evidence."):
        assert step in steps
    assert "147 recommendations from 21 learning activities" in steps
    assert "agencies answered for 144 of them" in steps


def test_the_analysts_interpretation_sits_in_its_section(text):
    section = text[text.index("Recommendations by agency East Sussex") :]
    section = section[: section.index("Learning identified")]
    assert "The analyst’s interpretation" in section or "The analyst's interpretation" in section
    assert "safeguarding in education" in section


def test_abbreviations_are_written_in_full_first_and_listed(text):
    body = text[text.index("Summary This review") :]
    assert body.index("Serious Case Reviews (SCRs)") < body.index(" SCR")
    assert "quality assurance (QA) audits" in body
    glossary = body[body.index("Abbreviation Meaning") : body.index("Appendix: tables")]
    for term, meaning in (
        ("SCR", "Serious Case Review"),
        ("IMR", "Individual Management Review"),
        ("SPoA", "Single Point of Advice"),
        ("LSCB", "Local Safeguarding Children Board"),
    ):
        assert f"{term} {meaning}" in glossary


def test_data_quality_is_plain_and_its_row_counts_add_up(text):
    section = text[text.index("Data quality Before") : text.index("Resources and contacts If")]
    assert "All 18 checks that would have stopped the review being published passed" in section
    assert (
        "The tracker has 178 rows below its header row: 25 blank and 153 recommendations. 6 of "
        "those were agreed outside the period, so 147 are analysed"
    ) in section
    assert '"Green" and "Blue" as Completed' in section.replace("“", '"').replace("”", '"')
    assert "date_agreed" not in section and "Excel serial" not in section
    appendix = text[text.index("Appendix: data quality in detail") :]
    assert "in the date agreed column: 17" in appendix
    assert (
        "178 rows below the header, of which 25 blank and 153 recommendations, 6 of them agreed "
        "outside the period and 147 analysed"
    ) in appendix


def test_the_agency_grid_names_agencies_as_the_tables_do(layout):
    """Figure 4's labels are the tables' agency names, so its alt text says them in full."""
    html = layout.reports.html.read_text(encoding="utf-8")
    (alt,) = re.findall(r'alt="(Grid of recommendations by agency[^"]*)"', html)
    assert "East Sussex Children&#39;s Services – Education, Training and skills: 14" in alt or (
        "East Sussex Children's Services – Education, Training and skills: 14" in alt
    )
    assert "ESHT," not in alt
