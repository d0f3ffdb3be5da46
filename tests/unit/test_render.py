"""Rendering a report bundle: shortcodes, the supported Quarto subset, what the HTML and PDF
hold, and the quarto path (with a fake quarto, as quarto cannot be installed here)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pypandoc
import pytest
import yaml

from impact_review.render import (
    QUARTO_CONFIG_EXAMPLE,
    RenderError,
    check_builtin_subset,
    creation_timestamp,
    escape_markdown,
    render_report,
    resolve_report,
    run_pandoc,
    typst_arguments,
)

FIXTURE = Path(__file__).parents[1] / "fixtures" / "render-bundle"
SCRIPT = "<script>alert(1)</script>"
TYPST_CODE = "#set text(red)"
FIGURE_ALT = "Bar chart of recommendations by area of learning: neglect 41,"
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


def markdown_as_plain_text(markdown: str) -> str:
    return pypandoc.convert_text(markdown, "plain", format="markdown", extra_args=["--wrap=none"])


# --- shortcodes -----------------------------------------------------------------------------


def test_each_shortcode_kind_resolves() -> None:
    report = resolve_report(FIXTURE)

    assert "Between 1 April 2015 and 31 March 2018 the partnership agreed\n147" in report.body
    assert "(66\\.7%)" in report.body  # var values are escaped markdown
    assert "This is the Learning and improvement impact review, April 2015 to March 2018." in (
        report.body
    )  # meta, including a front matter value that came from a var
    assert "### What changed" in report.body  # include narrative.md
    assert "| Neglect" in report.body  # include tables/by-area.md
    assert "::: pagebreak\n:::" in report.body
    assert "{{<" not in report.body
    assert report.metadata["subtitle"] == "April 2015 to March 2018"
    assert report.metadata["date"] == "31 March 2018"


def test_variable_values_read_back_as_literal_text() -> None:
    paragraphs = "\n\n".join(escape_markdown(value) for value in HOSTILE_VALUES)

    assert markdown_as_plain_text(paragraphs).strip().split("\n\n") == HOSTILE_VALUES


def test_shortcodes_in_code_insert_plain_values(bundle: Path) -> None:
    with_narrative(bundle, "`{{< var sources.largest >}}`\n\n```\n{{< var counts.total >}}\n```\n")

    body = resolve_report(bundle).body

    assert f"`Child S {SCRIPT} serious case review`" in body
    assert "```\n147\n```" in body


def test_escaped_shortcodes_render_as_written(bundle: Path) -> None:
    with_narrative(bundle, "Write {{{< var counts.total >}}} or {{</* meta title */>}}.\n")

    body = resolve_report(bundle).body

    assert "Write {{< var counts.total >}} or {{< meta title >}}." in markdown_as_plain_text(body)


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
        ("{{< var counts.total\n", "narrative.md line 1: unclosed shortcode"),
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
        ("report.qmd", "date: 2018-03-31", "date: today", "date: today would make every render"),
        ("report.qmd", 'title: "Learning', 'titl: "Learning', "titl not supported"),
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


def test_creation_timestamp_prefers_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert creation_timestamp(dt.date(2018, 3, 31)) == dt.datetime.fromtimestamp(1700000000, dt.UTC)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert creation_timestamp(dt.date(2018, 3, 31)) == dt.datetime(2018, 3, 31, tzinfo=dt.UTC)


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
    ],
)
def test_unsupported_quarto_features_fail_loudly(
    bundle: Path, narrative: str, message: str
) -> None:
    with_narrative(bundle, narrative)

    with pytest.raises(RenderError) as raised:
        check_builtin_subset(resolve_report(bundle), bundle)

    assert message in str(raised.value)


def test_typst_images_carry_their_alt_text() -> None:
    report = resolve_report(FIXTURE)

    typst_source = run_pandoc(report, "typst", typst_arguments(report), FIXTURE)

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
    assert "<title>Learning and improvement impact review</title>" in result.html.read_text()
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
    assert re.search(r"^Title:\s+Learning and improvement impact review$", info, re.M)
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
def test_typst_errors_are_render_errors(bundle: Path, tmp_path: Path) -> None:
    with_narrative(bundle, "```{=typst}\n#undefined-function()\n```\n")

    with pytest.raises(RenderError, match=r"report\.qmd \(pdf\): typst: unknown variable"):
        render_report(bundle, tmp_path / "out", renderer="builtin")
    assert not (tmp_path / "out" / "report.html").exists()


# --- the quarto path ------------------------------------------------------------------------

FAKE_QUARTO = """\
#!{python}
import json, os, pathlib, sys
log = pathlib.Path({log!r})
with log.open("a") as out:
    out.write(json.dumps({{
        "argv": sys.argv[1:], "cwd": os.getcwd(),
        "epoch": os.environ.get("SOURCE_DATE_EPOCH"),
        "variables": pathlib.Path("_variables.yml").read_text(),
    }}) + "\\n")
if sys.argv[1:] == ["--version"]:
    print("1.6.40")
    sys.exit(0)
if {fail!r}:
    print("ERROR: typst compile failed", file=sys.stderr)
    sys.exit(1)
target = sys.argv[sys.argv.index("--to") + 1]
if target == "html" or {write_pdf!r}:
    name = "report.html" if target == "html" else "report.pdf"
    pathlib.Path(name).write_text("made by fake quarto for " + target)
"""


def install_fake_quarto(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail: bool = False, write_pdf: bool = True
) -> Path:
    """Put a quarto first on PATH that logs how it was called; returns the log."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "quarto-calls.jsonl"
    quarto = bin_dir / "quarto"
    quarto.write_text(
        FAKE_QUARTO.format(python=sys.executable, log=str(log), fail=fail, write_pdf=write_pdf)
    )
    quarto.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return log


def quarto_calls(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]


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
    assert result.renderer == "quarto 1.6.40"
    assert result.html == tmp_path / "out" / "report.html"
    assert result.html.read_text() == "made by fake quarto for html"
    assert result.pdf.read_text() == "made by fake quarto for typst"


def test_quarto_path_reads_variables_as_literal_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = install_fake_quarto(tmp_path, monkeypatch)

    render_report(FIXTURE, tmp_path / "out", renderer="quarto")

    seen = yaml.safe_load(quarto_calls(log)[1]["variables"])
    assert seen["sources"]["largest"] == escape_markdown(f"Child S {SCRIPT} serious case review")
    assert seen["counts"]["total"] == 147
    assert markdown_as_plain_text(seen["sources"]["theme_note"]).startswith(TYPST_CODE)


def test_quarto_path_without_outputs_is_a_render_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_fake_quarto(tmp_path, monkeypatch, write_pdf=False)

    with pytest.raises(RenderError, match=r"quarto finished without writing report\.pdf"):
        render_report(FIXTURE, tmp_path / "out")
    assert not (tmp_path / "out" / "report.html").exists()


def test_quarto_failure_is_a_render_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_fake_quarto(tmp_path, monkeypatch, fail=True)

    with pytest.raises(
        RenderError, match=r"quarto render report\.qmd --to html failed: ERROR: typst"
    ):
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
