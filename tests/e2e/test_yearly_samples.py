"""Each year's review of the later years' sample, read as a person would (HTML and PDF text):
it names the body as it was at the year's end, the year that saw the 2019 reforms says what
changed and on which day, and each carries its count of recommendations (data/raw/README.md)."""

import pytest
from test_report_outputs import html_text, pdf_text

pytestmark = pytest.mark.slow

LSCB = "East Sussex Local Safeguarding Children Board"
PARTNERSHIP = "East Sussex Safeguarding Children Partnership"
CHANGE = (
    f"On 29 September 2019 the {LSCB} was replaced by the {PARTNERSHIP}, and Serious Case "
    "Reviews were succeeded by rapid reviews and Local Child Safeguarding Practice Reviews."
)
YEARS = {
    # label: (the body named, recommendations, the summary's sources)
    "2018-19": (LSCB, 63, "two Serious Case Reviews (SCRs), one Individual Management Review"),
    "2019-20": (PARTNERSHIP, 53, "two Serious Case Reviews (SCRs), four quality assurance"),
    "2020-21": (PARTNERSHIP, 48, "five quality assurance (QA) audits, one Local Child "
                "Safeguarding Practice Review (LCSPR) and two rapid reviews"),
}  # fmt: skip


@pytest.fixture(scope="module")
def texts(yearly_runs) -> dict[str, dict[str, str]]:
    found = {}
    for label in yearly_runs.labels:
        reports = yearly_runs.layout(label).reports
        found[label] = {"html": html_text(reports.html), "pdf": pdf_text(reports.pdf)}
    return found


@pytest.mark.parametrize("form", ["html", "pdf"])
@pytest.mark.parametrize("label", list(YEARS))
def test_each_year_names_its_body_and_counts_its_recommendations(texts, label, form):
    body, total, sources = YEARS[label]
    text = texts[label][form]
    other = LSCB if body == PARTNERSHIP else PARTNERSHIP
    assert body in text
    assert f"{total} recommendations came from eight learning activities: {sources}" in text
    if label != "2019-20":
        assert other not in text
        assert "was replaced by" not in text


@pytest.mark.parametrize("form", ["html", "pdf"])
def test_the_year_of_the_reforms_says_what_changed_and_when(texts, form):
    text = texts["2019-20"][form]
    assert CHANGE in text
    assert "(now Child Safeguarding Practice Reviews)" not in text


def test_a_year_before_the_reforms_says_what_its_reviews_became(texts):
    assert (
        "Serious Case Reviews (now Child Safeguarding Practice Reviews)" in texts["2018-19"]["html"]
    )
