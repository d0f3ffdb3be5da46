"""Rendering a report bundle: shortcodes, the report date, the supported Quarto subset, what the
HTML and PDF hold, and the quarto path (with a fake quarto, as quarto cannot be installed here;
the tests marked `quarto` use the real one wherever it is on PATH)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pypandoc
import pytest
import yaml
from helpers import install_fake_quarto, needs_quarto, quarto_calls

from impact_review.markdown import escape_markdown
from impact_review.paths import BRIEFING_TEMPLATE, PAGE_DIR, QUARTO_CONFIG, REPORT_TEMPLATE
from impact_review.publish.safety import html_text, pdf_text
from impact_review.render import RenderError, render_report, stamp_report_date
from impact_review.render import quarto as quarto_path
from impact_review.render.builtin import typst_arguments
from impact_review.render.config import (
    FRONT_MATTER,
    QUARTO_CONFIG_EXAMPLE,
    quarto_merged,
    split_front_matter,
)
from impact_review.render.dates import creation_timestamp, written_date
from impact_review.render.pandoc import run_pandoc
from impact_review.render.preflight import preflight, resolve_report

FIXTURE = Path(__file__).parents[1] / "fixtures" / "render-bundle"
SCRIPT = "<script>alert(1)</script>"
TYPST_CODE = "#set text(red)"
FIGURE_ALT = "Bar chart of recommendations by area of learning: neglect 41,"
TITLE = "The impact of learning and improvement activity, 2015-18"
SUBTITLE = "Recommendations from case reviews and audits, April 2015 to March 2018"
AUTHOR = "Safeguarding Partnership Business Unit"
MARKERS = ("?var:", "?@", "{{<", "Invalid Date")
HOSTILE_VALUES = [
    SCRIPT,
    TYPST_CODE,
    "*x* and _y_ and `z`",
    "$5 & $10",
    "[link](http://example.org) @fig-by-area {#id} <!-- -->",
    "# heading? - list? 1. list? | pipe | \\ backslash",
    "&lt; is an entity",
]


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A copy of the fixture bundle that a test may change."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "bundle"))


def with_narrative(bundle: Path, text: str) -> Path:
    (bundle / "narrative.md").write_text(text, encoding="utf-8")
    return bundle


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def with_front_matter_of(bundle: Path, source: str) -> None:
    """Give the bundle's report.qmd the front matter of source, keeping its body."""
    report = bundle / "report.qmd"
    body = FRONT_MATTER.sub("", report.read_text("utf-8"), count=1)
    report.write_text(FRONT_MATTER.match(source).group(0) + body, encoding="utf-8")


def flat_text(path: Path) -> str:
    """What a reader sees in the HTML or PDF, on one line."""
    text = pdf_text(path) if path.suffix == ".pdf" else html_text(path)
    return " ".join(text.split())


def markdown_as_plain_text(markdown: str) -> str:
    return pypandoc.convert_text(markdown, "plain", format="markdown", extra_args=["--wrap=none"])


# --- shortcodes -----------------------------------------------------------------------------


def test_each_shortcode_kind_resolves() -> None:
    report = resolve_report(FIXTURE)

    assert "Between 1 April 2015 and 31 March 2018 the partnership agreed\n147" in report.body
    assert "(66\\.7%)" in report.body  # var values are escaped markdown
    # meta, with a var inside (whose value is escaped: 2015\-18)
    assert f"This report is {TITLE}: {SUBTITLE}." in re.sub(r"\\(.)", r"\1", report.body)
    assert "### What changed" in report.body  # include narrative.md
    assert "| Neglect" in report.body  # include tables/by-area.md
    assert "::: pagebreak\n:::" in report.body
    assert "{{<" not in report.body
    assert report.metadata["subtitle"] == SUBTITLE
    assert report.metadata["author"] == [AUTHOR]
    assert report.metadata["date"] == "31 March 2018"
    assert "date-format" not in report.metadata


def test_variable_values_read_back_as_literal_text() -> None:
    paragraphs = "\n\n".join(escape_markdown(value) for value in HOSTILE_VALUES)

    assert markdown_as_plain_text(paragraphs).strip().split("\n\n") == HOSTILE_VALUES


def test_shortcodes_in_code_insert_plain_values(bundle: Path) -> None:
    with_narrative(bundle, "`{{< var sources.largest >}}`\n\n```\n{{< var counts.total >}}\n```\n")

    body = resolve_report(bundle).body

    assert f"`Child S {SCRIPT} serious case review`" in body
    assert "```\n147\n```" in body


@pytest.mark.parametrize(
    ("narrative", "message"),
    [
        ("{{< video intro.mp4 >}}\n", "narrative.md line 1: {{< video intro.mp4 >}}: unknown"),
        ("One\n\n{{< var counts.missing >}}\n", "narrative.md line 3: {{< var counts.missing >}}"),
        ("{{< meta nothing.here >}}\n", "narrative.md line 1: {{< meta nothing.here >}}: no metad"),
        (
            "{{< include missing.md >}}\n",
            "{{< include missing.md >}}: included file missing.md not",
        ),
        (
            "{{< include ../../secret.md >}}\n",
            "{{< include ../../secret.md >}}: include path leaves",
        ),
        ("{{< include /../secret.md >}}\n", "{{< include /../secret.md >}}: include path leaves"),
        ("{{< include narrative.md >}}\n", "{{< include narrative.md >}}: includes itself"),
        ("See {{< include tables/by-area.md >}}\n", "include must stand alone on its line"),
        ("Text\n{{< include tables/by-area.md >}}\n", "with a blank line before and after"),
        ("{{< include tables/by-area.md >}}\nText\n", "with a blank line before and after"),
        ("- One\n{{< include tables/by-area.md >}}\n- Two\n", "with a blank line before and"),
        ("One\n{{< pagebreak >}}\n", "pagebreak must stand alone on its line, with a blank"),
        ("{{< var counts.total\n", "narrative.md line 1: not a shortcode Quarto reads"),
        ("{{<var counts.total>}}\n", "line 1: not a shortcode Quarto reads '{{<var counts"),
        ("{{< var counts.total>}}\n", "not a shortcode Quarto reads '{{< var counts.total>}}'"),
        ("{{<  var counts.total >}}\n", "not a shortcode Quarto reads '{{<  var"),
        ("{{< >}}\n", "not a shortcode Quarto reads '{{< >}}'"),
        ("{{{< var counts.total >}}}\n", "{{{< var counts.total >}}}: an escaped shortcode"),
        ("{{</* meta title */>}}\n", "{{</* meta title */>}}: an escaped shortcode would print"),
        ("{{< var counts.total counts.completed >}}\n", "takes exactly one argument"),
        ("{{< pagebreak now >}}\n", "pagebreak takes no arguments"),
        ('{{< var "counts.total >}}\n', "cannot read its arguments"),
        ("{{< var counts >}}\n", "{{< var counts >}}: counts is a dict, not a single value"),
    ],
)
def test_shortcode_problems_name_the_shortcode_and_file(
    bundle: Path, narrative: str, message: str
) -> None:
    (bundle.parent / "secret.md").write_text("secret\n")
    with_narrative(bundle, narrative)

    with pytest.raises(RenderError) as raised:
        resolve_report(bundle)

    assert message in str(raised.value)


def test_include_through_a_symlink_out_of_the_bundle_is_refused(bundle: Path) -> None:
    (bundle.parent / "secret.md").write_text("secret\n")
    (bundle / "link.md").symlink_to(bundle.parent / "secret.md")
    with_narrative(bundle, "{{< include link.md >}}\n")

    with pytest.raises(RenderError, match="include path leaves the bundle"):
        resolve_report(bundle)


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("report.qmd", "lang: en-GB", "lang: en-GB\nbibliography: refs.bib", "bibliography not"),
        ("report.qmd", 'title: "The impact', 'titl: "The impact', "titl not supported"),
        ("report.qmd", "lang: en-GB", "lang: fr", "dates can only be written out for English"),
        ("_quarto.yml", "type: default", "type: default\n  output-dir: out", "output-dir not"),
        ("_quarto.yml", "format:", "bibliography: refs.bib\nformat:", "_quarto.yml: bibliography"),
        ("_quarto.yml", "embed-resources: true", "embed-resources: false", "embed-resources: true"),
        (
            "_quarto.yml",
            "    papersize: a4",
            "    papersize: a4\n    keep-typ: true",
            "keep-typ not",
        ),
    ],
)
def test_settings_outside_the_supported_subset_are_refused(
    bundle: Path, file: str, old: str, new: str, message: str
) -> None:
    path = bundle / file
    path.write_text(path.read_text().replace(old, new))

    with pytest.raises(RenderError, match=re.escape(message)):
        resolve_report(bundle)


def test_fixture_quarto_config_is_the_documented_one() -> None:
    fixture = yaml.safe_load((FIXTURE / "_quarto.yml").read_text())

    assert fixture == yaml.safe_load(QUARTO_CONFIG_EXAMPLE)


def test_fixture_front_matter_is_the_shipped_reports_once_stamped() -> None:
    """The fixture renders what the shipped report.qmd asks for: same title, var shortcodes,
    date form and language."""
    shipped = stamp_report_date(REPORT_TEMPLATE.read_text("utf-8"), dt.date(2018, 3, 31))

    fixture_front, _, _ = split_front_matter((FIXTURE / "report.qmd").read_text("utf-8"))
    shipped_front, _, _ = split_front_matter(shipped)

    assert fixture_front == shipped_front
    assert shipped_front["date"] == dt.date(2018, 3, 31)
    assert shipped_front["date-format"] == "D MMMM YYYY"


# --- the report date ------------------------------------------------------------------------


class TestStampReportDate:
    def test_replaces_the_templates_date_with_an_iso_day(self) -> None:
        text = '---\ntitle: "T"\ndate: "{{< var as_at.text >}}"\nlang: en-GB\n---\n\nBody\n'

        stamped = stamp_report_date(text, dt.date(2018, 3, 31))

        assert stamped == '---\ntitle: "T"\ndate: 2018-03-31\nlang: en-GB\n---\n\nBody\n'

    def test_replaces_a_date_written_over_several_lines(self) -> None:
        text = "---\ndate:\n  value: today\n  format: iso\nlang: en\n---\nBody\n"

        stamped = stamp_report_date(text, dt.date(2019, 1, 5))

        assert stamped == "---\ndate: 2019-01-05\nlang: en\n---\nBody\n"

    def test_adds_a_date_where_there_is_none(self) -> None:
        stamped = stamp_report_date("---\ntitle: T\n---\nBody\n", dt.date(2018, 3, 31))

        assert stamped == "---\ntitle: T\ndate: 2018-03-31\n---\nBody\n"

    def test_leaves_date_format_and_the_body_alone(self) -> None:
        text = "---\ndate: today\ndate-format: iso\n---\ndate: in the body\n"

        stamped = stamp_report_date(text, dt.date(2018, 3, 31))

        assert stamped == "---\ndate: 2018-03-31\ndate-format: iso\n---\ndate: in the body\n"

    def test_a_datetime_is_stamped_as_its_day(self) -> None:
        stamped = stamp_report_date("---\ndate: today\n---\n", dt.datetime(2018, 3, 31, 23, 59))

        assert stamped == "---\ndate: 2018-03-31\n---\n"

    def test_the_shipped_report_renders_its_stamped_date(self, bundle: Path) -> None:
        shipped = stamp_report_date(REPORT_TEMPLATE.read_text("utf-8"), dt.date(2019, 1, 5))
        with_front_matter_of(bundle, shipped)

        assert resolve_report(bundle).metadata["date"] == "5 January 2019"

    def test_the_unstamped_template_is_refused(self, bundle: Path) -> None:
        with_front_matter_of(bundle, REPORT_TEMPLATE.read_text("utf-8"))

        with pytest.raises(RenderError, match="date: today would make every render differ"):
            resolve_report(bundle)

    def test_text_without_front_matter_is_refused(self) -> None:
        with pytest.raises(RenderError, match="no YAML front matter to stamp the date into"):
            stamp_report_date("# Report\n", dt.date(2018, 3, 31))


class TestWrittenDate:
    @pytest.mark.parametrize(
        ("date_format", "written"),
        [
            ("D MMMM YYYY", "31 March 2018"),
            ("iso", "2018-03-31"),
            ("DD/MM/YYYY", "31/03/2018"),
            ("M-D-YYYY", "3-31-2018"),
            ("dddd D MMM YYYY", "Saturday 31 Mar 2018"),
            ("ddd, MMMM D", "Sat, March 31"),
            ("[As at] D MMMM YYYY", "As at 31 March 2018"),
        ],
    )
    def test_dayjs_tokens_are_written_as_quarto_writes_them(
        self, date_format: str, written: str
    ) -> None:
        assert written_date(dt.date(2018, 3, 31), date_format, "en-GB") == written

    def test_single_digit_days_and_months(self) -> None:
        assert written_date(dt.date(2019, 1, 5), "D/M/YYYY DD/MM", "en") == "5/1/2019 05/01"

    @pytest.mark.parametrize(
        ("date_format", "message"),
        [
            ("long", "date-format: long is written by the JavaScript Intl API"),
            ("Do MMMM YYYY", "date-format 'Do MMMM YYYY': 'Do MMMM YYYY' is not supported"),
            ("D MMMM YY", "date-format 'D MMMM YY': 'YY' is not supported"),
            ("D MMMM YYYY HH:mm", "'HH:mm' is not supported"),
            ("DMMMM YYYY", "'DMMMM YYYY' is not supported"),
            ("[unclosed D", "'[unclosed D' is not supported"),
            (None, 'a date needs a date-format, such as "D MMMM YYYY"'),
        ],
    )
    def test_formats_quarto_would_write_differently_are_refused(
        self, date_format: str | None, message: str
    ) -> None:
        with pytest.raises(RenderError, match=re.escape(message)):
            written_date(dt.date(2018, 3, 31), date_format, "en-GB")

    def test_date_format_may_be_set_in_quarto_yml(self, bundle: Path) -> None:
        edit(bundle / "report.qmd", 'date-format: "D MMMM YYYY"\n', "")
        edit(bundle / "_quarto.yml", "format:", "date-format: iso\n\nformat:")

        assert resolve_report(bundle).metadata["date"] == "2018-03-31"

    @pytest.mark.parametrize(
        ("date_line", "message"),
        [
            ("date: today", "date: today would make every render differ"),
            ("date: last-modified", "date: last-modified would make every render differ"),
            (
                'date: "{{< var as_at.text >}}"',
                "date must be an ISO day such as 2018-03-31, not '{{< var as_at.text >}}' "
                "(Quarto formats the date before it resolves shortcodes, so anything else prints "
                "'Invalid Date')",
            ),
            ("date: 31 March 2018", "date must be an ISO day such as 2018-03-31, not '31 March"),
            ("date:\n  value: 2018-03-31", "date must be an ISO day"),
            ('date: "2018-02-30"', "date 2018-02-30 is not a real day"),
            ("date: 2018-02-30", "front matter is not valid YAML: day is out of range"),
            ("date: 2018-03-31 09:30:00", "date must be a day, not a time"),
        ],
    )
    def test_a_date_that_is_not_an_iso_day_is_refused(
        self, bundle: Path, date_line: str, message: str
    ) -> None:
        edit(bundle / "report.qmd", "date: 2018-03-31", date_line)

        with pytest.raises(RenderError, match=re.escape(message)):
            resolve_report(bundle)


def test_creation_timestamp_prefers_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert creation_timestamp(dt.date(2018, 3, 31)) == dt.datetime.fromtimestamp(1700000000, dt.UTC)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert creation_timestamp(dt.date(2018, 3, 31)) == dt.datetime(2018, 3, 31, tzinfo=dt.UTC)
    assert creation_timestamp(None) is None
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(RenderError, match="SOURCE_DATE_EPOCH must be whole seconds, not 'soon'"):
        creation_timestamp(dt.date(2018, 3, 31))


# --- the page files _quarto.yml names (filters, html css, typst include-in-header) ----------

PAGE_SETTINGS = (
    ("project:\n  type: default\n", "project:\n  type: default\nfilters:\n  - page/mark.lua\n"),
    ("embed-resources: true\n", "embed-resources: true\n    css: page/wide.css\n"),
    ("papersize: a4\n", "papersize: a4\n    include-in-header: page/rules.typ\n"),
)
MARK_FILTER = """\
function Str(text)
  if text.text == "Summary" then
    return pandoc.Str("Overview")
  end
end
"""


@pytest.fixture
def with_page_files(bundle: Path) -> Path:
    """The fixture bundle with a filter, a stylesheet and a typst header named in _quarto.yml."""
    page = bundle / "page"
    page.mkdir()
    (page / "mark.lua").write_text(MARK_FILTER)
    (page / "wide.css").write_text(".table-scroll { overflow-x: auto; }\n")
    (page / "rules.typ").write_text("#show heading: set block(sticky: true)\n")
    for old, new in PAGE_SETTINGS:
        edit(bundle / "_quarto.yml", old, new)
    return bundle


def test_the_shipped_quarto_yml_names_the_shipped_page_files() -> None:
    """Each file of page/ is named by _quarto.yml, or (the briefing's) by briefing.qmd."""
    config = yaml.safe_load(QUARTO_CONFIG.read_text(encoding="utf-8"))
    briefing, _, _ = split_front_matter(BRIEFING_TEMPLATE.read_text(encoding="utf-8"))
    named = [
        *config["filters"],
        config["format"]["html"]["css"],
        config["format"]["typst"]["include-in-header"],
        *briefing["format"]["typst"]["include-in-header"],
    ]

    assert sorted(named) == sorted(f"page/{path.name}" for path in PAGE_DIR.iterdir())


@pytest.mark.slow
def test_page_files_reach_both_outputs(with_page_files: Path, tmp_path: Path) -> None:
    report = resolve_report(with_page_files)
    typst_source = run_pandoc(
        report.markdown(), "typst", typst_arguments(report), with_page_files, report.page.filters
    )
    result = render_report(with_page_files, tmp_path / "out", renderer="builtin")
    html = result.html.read_text(encoding="utf-8")

    assert report.page.filters == ((with_page_files / "page" / "mark.lua").resolve(),)
    assert "#show heading: set block(sticky: true)" in typst_source
    assert ".table-scroll { overflow-x: auto; }" in html  # embedded, not linked
    for made in (result.html, result.pdf):  # the bundle's filter ran for both
        assert "Overview" in flat_text(made) and "Summary" not in flat_text(made)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "page/mark.lua\n",
            "quarto\n",
            "_quarto.yml: filters: 'quarto' is not a .lua file of the bundle",
        ),
        ("page/mark.lua", "page/missing.lua", "filters: page/missing.lua is not a file inside"),
        ("page/mark.lua", "../outside.lua", "filters: ../outside.lua is not a file inside"),
        ("page/wide.css", "https://example.org/x.css", "css: https://example.org/x.css is not a"),
        (
            "include-in-header: page/rules.typ",
            "include-in-header:\n      text: '#set text(red)'",
            "include-in-header: {'text': '#set text(red)'} is not a .typ file",
        ),
    ],
)
def test_page_files_the_builtin_path_cannot_read_are_refused(
    with_page_files: Path, old: str, new: str, message: str
) -> None:
    (with_page_files.parent / "outside.lua").write_text(MARK_FILTER)
    edit(with_page_files / "_quarto.yml", old, new)

    with pytest.raises(RenderError, match=re.escape(message)):
        resolve_report(with_page_files)


KEEP_WITH_NEXT = (PAGE_DIR / "keep-with-next.lua",)
TWO_SECTIONS = """\
## Short

One.

Two.

![Chart](figures/by-area.png){#fig-chart}

## Long

One.

Two.

Three.

Four.

- a list
"""


def test_words_introducing_a_figure_or_table_stick_to_it_in_typst_only() -> None:
    typst_source = run_pandoc(TWO_SECTIONS, "typst", [], FIXTURE, KEEP_WITH_NEXT)
    html = run_pandoc(TWO_SECTIONS, "html", [], FIXTURE, KEEP_WITH_NEXT)
    sticky = re.findall(r"#block\(sticky: true\)\[\n(\w+)\.\n", typst_source)

    # both paragraphs of the short introduction, and only the last of the long one
    assert sticky == ["One", "Two", "Four"]
    assert "sticky" not in html


# --- the Quarto subset (pandoc and the Lua filters) -----------------------------------------


@pytest.mark.parametrize(
    ("narrative", "message"),
    [
        ("::: {.callout-danger}\nText.\n:::\n", "callout type .callout-danger"),
        ("::: {.callout-note collapse=true}\nText.\n:::\n", 'attribute collapse="..."'),
        ("::: {.panel-tabset}\nText.\n:::\n", "class .panel-tabset"),
        ("::: {#fig-panel}\nText.\n:::\n", "#fig-panel on a div"),
        ("See @sec-summary.\n", "@sec-summary: only figures (@fig-) and tables (@tbl-)"),
        ("As @smith2020 found.\n", "@smith2020: only figures"),
        ("See @fig-missing.\n", "@fig-missing refers to no figure or table"),
        ("See [@fig-by-area; @tbl-by-area].\n", "one figure or table at a time"),
        ("It cost $x^2$.\n", "math `x^2`"),
        ("```{python}\nprint(1)\n```\n", "executable code cell"),
        ("Inline `{python} len(x)` value.\n", "executable code cell"),
        ("![Logo](http://example.org/logo.png)\n", "images must be files inside the bundle"),
        ("![Chart](figures/by-area.png){width=50%}\n", 'attribute width="..." on an image'),
        (
            "![Missing](figures/missing.png)\n",
            "image figures/missing.png: no such file in the bundle",
        ),
        ("\\newpage\n", "raw tex content"),
        (
            "![Chart {draft}](figures/by-area.png){#fig-chart}\n",
            "a { in the caption of figure #fig-chart",
        ),
        (
            "| a |\n|---|\n| 1 |\n\n: Counts \\{draft\\} {#tbl-counts}\n",
            "a { in the caption of table #tbl-counts",
        ),
    ],
)
def test_unsupported_quarto_features_fail_loudly(
    bundle: Path, narrative: str, message: str
) -> None:
    with_narrative(bundle, narrative)

    with pytest.raises(RenderError) as raised:
        preflight(bundle)

    assert message in str(raised.value)


# --- a second document of the bundle, with its own format options (the briefing) ----------

SECOND_DOCUMENT = """\
---
title: "A short briefing, {{< var period.label >}}"
date: 2018-03-31
date-format: "D MMMM YYYY"
lang: en-GB
format:
  html:
    toc: false
  typst:
    margin:
      x: 1cm
      y: 2cm
    fontsize: 9pt
    include-in-header:
      - page/brief.typ
---

## In short

{{< var counts.total >}} recommendations.
"""


@pytest.fixture
def with_second_document(bundle: Path) -> Path:
    """The fixture bundle with brief.qmd beside report.qmd, and the typst header it names."""
    (bundle / "brief.qmd").write_text(SECOND_DOCUMENT, encoding="utf-8")
    (bundle / "page").mkdir()
    (bundle / "page" / "brief.typ").write_text("#set list(spacing: 0.5em)\n", encoding="utf-8")
    return bundle


def test_quarto_merged_joins_lists_and_puts_the_documents_values_over_the_projects() -> None:
    project = {
        "html": {"toc": True, "css": "page/screen.css"},
        "typst": {"include-in-header": "page/print.typ", "margin": {"x": "2cm", "y": "3cm"}},
    }
    document = {
        "html": {"toc": False},
        "typst": {
            "include-in-header": ["page/brief.typ", "page/print.typ"],
            "margin": {"y": "1cm"},
        },
    }

    assert quarto_merged(project, document) == {
        "html": {"toc": False, "css": "page/screen.css"},
        "typst": {
            "include-in-header": ["page/print.typ", "page/brief.typ"],
            "margin": {"x": "2cm", "y": "1cm"},
        },
    }
    assert quarto_merged(None, ["a.typ"]) == quarto_merged(["a.typ"], None) == ["a.typ"]


def test_a_documents_own_format_options_reach_its_typst(with_second_document: Path) -> None:
    report = resolve_report(with_second_document, "brief.qmd")
    typst_source = run_pandoc(
        report.markdown(), "typst", typst_arguments(report), with_second_document
    )

    assert report.source == "brief.qmd" and "147 recommendations." in report.body
    assert report.formats["html"] == {"embed-resources": True, "toc": False}
    assert report.page.typst_headers == ((with_second_document / "page" / "brief.typ").resolve(),)
    assert "margin: (x: 1cm, y: 2cm)" in typst_source
    assert 'font: "Libertinus Serif", size: 9pt)' in typst_source
    assert "#set list(spacing: 0.5em)" in typst_source
    # report.qmd, beside it, keeps _quarto.yml's options and the template's page
    assert "margin: (x: 2.3cm, y: 2.5cm)" in run_pandoc(
        resolve_report(with_second_document).markdown(),
        "typst",
        typst_arguments(resolve_report(with_second_document)),
        with_second_document,
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("      x: 1cm\n", "      inside: 1cm\n", "format typst margin: inside not supported"),
        ("fontsize: 9pt", "fontsize: big", "format typst: fontsize 'big' is not a length"),
        ("      y: 2cm", "      y: 2", "format typst: margin y 2 is not a length"),
        ("format:\n", "format:\n  pdf:\n    toc: false\n", "front matter format: pdf not"),
        ("    toc: false\n", "    keep-md: true\n", "format html: keep-md not supported"),
        ('title: "A short', 'bibliography: refs.bib\ntitle: "A short', "brief.qmd front matter"),
    ],
)
def test_a_documents_format_options_outside_the_subset_are_refused(
    with_second_document: Path, old: str, new: str, message: str
) -> None:
    edit(with_second_document / "brief.qmd", old, new)

    with pytest.raises(RenderError, match=re.escape(message)):
        resolve_report(with_second_document, "brief.qmd")


@pytest.mark.slow
def test_a_second_document_renders_to_files_named_after_it(
    with_second_document: Path, tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"

    result = render_report(with_second_document, out_dir, renderer="builtin", source="brief.qmd")

    assert (result.html, result.pdf) == (out_dir / "brief.html", out_dir / "brief.pdf")
    assert sorted(path.name for path in out_dir.iterdir()) == ["brief.html", "brief.pdf"]
    assert flat_text(result.pdf).startswith("A short briefing, 2015-18 31 March 2018 In short 147")
    assert "<nav" not in result.html.read_text(encoding="utf-8")  # its own toc: false


def test_the_quarto_path_renders_the_document_named(
    with_second_document: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = install_fake_quarto(tmp_path, monkeypatch)

    result = render_report(with_second_document, tmp_path / "out", "quarto", source="brief.qmd")

    assert [call["argv"] for call in quarto_calls(log)][1:] == [
        ["render", "brief.qmd", "--to", "html"],
        ["render", "brief.qmd", "--to", "typst"],
    ]
    assert result.html == tmp_path / "out" / "brief.html"
    assert flat_text(result.pdf) == "made by fake quarto for typst"


def test_typst_images_carry_their_alt_text() -> None:
    report = resolve_report(FIXTURE)

    typst_source = run_pandoc(report.markdown(), "typst", typst_arguments(report), FIXTURE)

    assert f'#image("figures/by-area.png", alt: "{FIGURE_ALT}' in typst_source
    assert "caption: [\n    Figure 1: Recommendations by area of learning" in typst_source


# --- the built-in outputs -------------------------------------------------------------------


class Page(HTMLParser):
    """Elements with their attributes, and the text a reader sees in the body."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self._in_body = False
        self._current: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        self._in_body = self._in_body or tag == "body"
        self._current.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._current:
            del self._current[len(self._current) - 1 - self._current[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        if self._in_body and not {"script", "style"} & set(self._current):
            self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.elements if name == tag]

    def visible_text(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory):
    out_dir = tmp_path_factory.mktemp("rendered")
    result = render_report(FIXTURE, out_dir, renderer="builtin")
    return result, Page(result.html.read_text(encoding="utf-8"))


def poppler(tool: str, *arguments: str | Path) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    command = [tool, *map(str, arguments)]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
def test_html_names_its_language_and_title(rendered) -> None:
    result, page = rendered

    assert page.all("html")[0]["lang"] == "en-GB"
    assert f"<title>{TITLE}</title>" in result.html.read_text()
    assert result.renderer.startswith("builtin (pandoc 3.")


@pytest.mark.slow
def test_html_makes_no_external_requests(rendered) -> None:
    _, page = rendered

    assert page.all("script") == []
    assert [attrs for attrs in page.all("link") if attrs.get("rel") == "stylesheet"] == []
    assert all(image["src"].startswith("data:image/png;base64,") for image in page.all("img"))


@pytest.mark.slow
def test_html_figure_has_alt_text_number_and_working_anchor(rendered) -> None:
    result, page = rendered
    html = result.html.read_text()

    (image,) = page.all("img")
    assert image["alt"].startswith(FIGURE_ALT)
    assert "<figcaption>Figure 1: Recommendations by area of learning</figcaption>" in html
    assert '<a href="#fig-by-area" class="quarto-xref">Figure 1</a>' in html
    ids = {attrs["id"] for _, attrs in page.elements if "id" in attrs}
    internal_links = {a["href"][1:] for a in page.all("a") if a.get("href", "").startswith("#")}
    assert {"fig-by-area", "tbl-by-area"} <= internal_links <= ids


@pytest.mark.slow
def test_html_table_callouts_and_contents(rendered) -> None:
    result, page = rendered
    html = result.html.read_text()

    assert "<caption>Table 1: Recommendations by area of learning" in html
    assert len(page.all("th")) == 3
    assert {"callout callout-note", "callout callout-warning"} <= {
        div.get("class") for div in page.all("div")
    }
    assert "How to read these figures" in page.visible_text()
    assert "Data quality" in page.visible_text()
    assert [nav.get("id") for nav in page.all("nav")] == ["TOC"]


@pytest.mark.slow
def test_hostile_values_are_text_in_html(rendered) -> None:
    _, page = rendered
    text = page.visible_text()

    assert page.all("script") == []
    assert SCRIPT in text
    assert (
        f"{TYPST_CODE} and *not emphasis*, $5 & [not a link](http://example.org) @fig-by-area"
        in (text)
    )
    assert page.all("em") == []


@pytest.mark.slow
def test_no_shortcode_leftovers_in_either_output(rendered) -> None:
    result, page = rendered
    pdf_text = poppler("pdftotext", result.pdf, "-")

    for text in (page.visible_text(), pdf_text):
        assert "{{<" not in text
        assert "}}" not in text


@pytest.mark.slow
def test_pdf_is_a4_titled_and_tagged(rendered) -> None:
    result, _ = rendered
    info = poppler("pdfinfo", result.pdf)

    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert (round(width, 2), round(height, 2)) == (595.28, 841.89)
    assert re.search(rf"^Title:\s+{TITLE}$", info, re.M)
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert b"/StructTreeRoot" in result.pdf.read_bytes()


@pytest.mark.slow
def test_pdf_shows_values_and_numbers_as_text(rendered) -> None:
    result, _ = rendered
    text = " ".join(poppler("pdftotext", result.pdf, "-").split())

    assert SCRIPT in text
    assert f"{TYPST_CODE} and *not emphasis*, $5 & [not a link](http://example.org)" in text
    assert "Figure 1: Recommendations by area of learning" in text
    assert "Table 1: Recommendations by area of learning" in text
    assert "Figure 1 shows how" in text


@pytest.mark.slow
def test_builtin_render_is_deterministic_and_auto_falls_back_to_it(
    rendered, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = rendered
    monkeypatch.setenv("PATH", str(tmp_path))  # no quarto

    again = render_report(FIXTURE, tmp_path / "again", renderer="auto")

    assert again.renderer == first.renderer
    assert again.pdf.read_bytes() == first.pdf.read_bytes()
    assert again.html.read_bytes() == first.html.read_bytes()


@pytest.mark.slow
def test_both_outputs_show_the_title_block_with_the_formatted_date(rendered) -> None:
    result, _ = rendered
    html = " ".join(result.html.read_text(encoding="utf-8").split())
    pdf_title_block = flat_text(result.pdf).split(" Summary ")[0]

    assert '<p class="date">31 March 2018</p>' in html
    assert f'<p class="author">{AUTHOR}</p>' in html
    assert f'<p class="subtitle">{SUBTITLE}</p>' in html
    assert pdf_title_block == f"{TITLE} {SUBTITLE} {AUTHOR} 31 March 2018"


@pytest.mark.slow
@pytest.mark.parametrize("marker", MARKERS)
def test_builtin_outputs_showing_a_failure_marker_are_refused(
    bundle: Path, tmp_path: Path, marker: str
) -> None:
    edit(bundle / "_variables.yml", "serious case review", f"serious case review {marker}")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "report.html").write_text("the last good report")

    with pytest.raises(RenderError) as raised:
        render_report(bundle, out_dir, renderer="builtin")

    message = str(raised.value)
    assert message.startswith("builtin (pandoc 3.")
    assert f"left unresolved content: report.html shows {marker!r} (" in message
    assert f"; report.pdf shows {marker!r} (" in message
    assert (out_dir / "report.html").read_text() == "the last good report"
    assert not (out_dir / "report.pdf").exists()


@pytest.mark.slow
def test_typst_errors_are_render_errors(bundle: Path, tmp_path: Path) -> None:
    with_narrative(bundle, "```{=typst}\n#undefined-function()\n```\n")

    with pytest.raises(RenderError, match=r"report\.qmd \(pdf\): typst: unknown variable"):
        render_report(bundle, tmp_path / "out", renderer="builtin")
    assert not (tmp_path / "out" / "report.html").exists()


# --- the quarto path ------------------------------------------------------------------------


def test_quarto_path_renders_both_formats_in_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = install_fake_quarto(tmp_path, monkeypatch)

    result = render_report(FIXTURE, tmp_path / "out", renderer="auto")

    calls = quarto_calls(log)
    assert [call["argv"] for call in calls] == [
        ["--version"],
        ["render", "report.qmd", "--to", "html"],
        ["render", "report.qmd", "--to", "typst"],
    ]
    assert all(Path(call["cwd"]) != FIXTURE.resolve() for call in calls[1:])
    assert calls[1]["epoch"] == str(int(dt.datetime(2018, 3, 31, tzinfo=dt.UTC).timestamp()))
    assert result.renderer == "quarto 1.7.32"
    assert result.html == tmp_path / "out" / "report.html"
    assert flat_text(result.html) == "made by fake quarto for html"
    assert flat_text(result.pdf) == "made by fake quarto for typst"


def test_quarto_path_reads_variables_as_literal_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = install_fake_quarto(tmp_path, monkeypatch)

    render_report(FIXTURE, tmp_path / "out", renderer="quarto")

    seen = yaml.safe_load(quarto_calls(log)[1]["variables"])
    assert seen["sources"]["largest"] == escape_markdown(f"Child S {SCRIPT} serious case review")
    assert seen["counts"]["total"] == 147
    assert markdown_as_plain_text(seen["sources"]["theme_note"]).startswith(TYPST_CODE)


@pytest.mark.parametrize(("target", "name"), [("html", "report.html"), ("typst", "report.pdf")])
@pytest.mark.parametrize("marker", MARKERS)
def test_quarto_outputs_showing_a_failure_marker_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, marker: str, target: str, name: str
) -> None:
    """Quarto exits 0 on an unknown variable, a missing cross-reference, an unresolved shortcode
    and an unreadable date; what it prints instead is caught."""
    install_fake_quarto(tmp_path, monkeypatch, shows={target: f" {marker}counts.missing"})

    with pytest.raises(RenderError) as raised:
        render_report(FIXTURE, tmp_path / "out", renderer="quarto")

    assert str(raised.value).startswith(
        f"quarto 1.7.32 left unresolved content: {name} shows {marker!r} ("
    )
    assert ";" not in str(raised.value)  # only the one output
    assert not (tmp_path / "out" / "report.html").exists()


def test_quarto_path_without_outputs_is_a_render_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_fake_quarto(tmp_path, monkeypatch, pdf="missing")

    with pytest.raises(RenderError, match=r"quarto 1\.7\.32 finished without writing report\.pdf"):
        render_report(FIXTURE, tmp_path / "out")
    assert not (tmp_path / "out" / "report.html").exists()


def test_quarto_path_with_an_unreadable_pdf_is_a_render_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_fake_quarto(tmp_path, monkeypatch, pdf="damaged")

    with pytest.raises(RenderError, match=r"report\.pdf cannot be read as a PDF"):
        render_report(FIXTURE, tmp_path / "out")
    assert not (tmp_path / "out" / "report.html").exists()


def test_quarto_failure_is_a_render_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_fake_quarto(tmp_path, monkeypatch, fail_with="ERROR: typst compile failed")

    with pytest.raises(
        RenderError, match=r"quarto render report\.qmd --to html failed: ERROR: typst"
    ):
        render_report(FIXTURE, tmp_path / "out")


def test_quarto_messages_that_are_not_utf8_are_still_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_fake_quarto(tmp_path, monkeypatch, fail_with="ERROR: caf\xe9 font")

    with pytest.raises(RenderError, match="failed: ERROR: caf\ufffd font"):
        render_report(FIXTURE, tmp_path / "out")


def test_a_quarto_that_hangs_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_fake_quarto(tmp_path, monkeypatch, sleep=30)
    monkeypatch.setattr(quarto_path, "QUARTO_TIMEOUT_SECONDS", 1)

    with pytest.raises(RenderError, match=r"quarto render report\.qmd --to html did not finish"):
        render_report(FIXTURE, tmp_path / "out")


def test_quarto_path_refuses_what_the_builtin_path_refuses(
    bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = install_fake_quarto(tmp_path, monkeypatch)
    with_narrative(bundle, "::: {.callout-danger}\nText.\n:::\n")

    with pytest.raises(RenderError, match="callout-danger"):
        render_report(bundle, tmp_path / "out", renderer="quarto")
    assert quarto_calls(log) == []


def test_quarto_asked_for_but_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(RenderError, match="quarto is not on PATH"):
        render_report(FIXTURE, tmp_path / "out", renderer="quarto")


def test_unknown_renderer_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="renderer must be one of auto, quarto, builtin"):
        render_report(FIXTURE, tmp_path / "out", renderer="latex")


# --- the real quarto (skipped where it is not installed) ------------------------------------


@pytest.mark.quarto
@pytest.mark.slow
@needs_quarto
def test_real_quarto_shows_what_the_builtin_path_shows(rendered, tmp_path: Path) -> None:
    builtin, _ = rendered

    result = render_report(FIXTURE, tmp_path / "out", renderer="quarto")

    assert result.renderer.startswith("quarto 1.")
    for made, expected in ((result.html, builtin.html), (result.pdf, builtin.pdf)):
        text = flat_text(made)
        for shown in (TITLE, SUBTITLE, SCRIPT, "Figure 1: Recommendations by area of learning"):
            assert shown in text
        # The period's end in the body, and the report's date.
        assert text.count("31 March 2018") == flat_text(expected).count("31 March 2018") == 2


@pytest.mark.quarto
@pytest.mark.slow
@needs_quarto
def test_real_quarto_renders_the_shipped_review(sample_run: Path, tmp_path: Path) -> None:
    bundle = sample_run / "reports" / "2015-18" / "audit" / "render-bundle"

    result = render_report(bundle, tmp_path / "out", renderer="quarto")

    assert result.renderer.startswith("quarto 1.")
    for path in (result.html, result.pdf):
        text = flat_text(path)
        assert TITLE in text
        assert "31 March 2018" in text
