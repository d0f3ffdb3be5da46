"""The built-in renderer, for machines without Quarto: pandoc (from pypandoc-binary) with the
Lua filters writes the HTML and Typst source, and the typst package compiles the PDF."""

from __future__ import annotations

import datetime as dt
import re
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pypandoc
import typst

from impact_review.render import typst_pdf
from impact_review.render.errors import RenderError
from impact_review.render.guard import run_limited
from impact_review.render.outputs import RenderResult, collected_outputs, output_names
from impact_review.render.pandoc import TEMPLATES_DIR, run_pandoc
from impact_review.render.preflight import ResolvedReport

TYPST_TEMPLATE = TEMPLATES_DIR / "report.typ"
HTML_STYLESHEET = TEMPLATES_DIR / "report.css"
DEFAULT_TOC_TITLE = "Table of contents"
DEFAULT_TOC_DEPTH = 3


def render_builtin(report: ResolvedReport, bundle: Path, out_dir: Path) -> RenderResult:
    """Both outputs are made and checked in a scratch folder before either reaches out_dir, so a
    failure never leaves a new HTML beside an old PDF."""
    markdown, source = report.markdown(), report.source
    filters = report.page.filters
    with ThreadPoolExecutor(max_workers=2) as pool:  # two programs, side by side
        html = pool.submit(
            run_pandoc, markdown, "html", _html_arguments(report), bundle, filters, source
        )
        typst_source = run_pandoc(
            markdown, "typst", typst_arguments(report), bundle, filters, source
        )
        pdf_bytes = _pdf_from_typst(typst_source, bundle, report.timestamp, source)
        html_text = html.result()
    html_file, pdf_file = output_names(source)
    with tempfile.TemporaryDirectory(prefix="impact-review-render-") as temporary:
        made_in = Path(temporary)
        (made_in / html_file).write_text(html_text, encoding="utf-8")
        (made_in / pdf_file).write_bytes(pdf_bytes)
        return collected_outputs(_renderer_name(), made_in, out_dir, source)


def typst_arguments(report: ResolvedReport) -> list[str]:
    typst_options = report.formats["typst"]
    return [
        "--standalone",
        f"--template={TYPST_TEMPLATE}",
        f"--variable=papersize:{typst_options.get('papersize', 'a4')}",
        *_page_arguments(typst_options),
        *_toc_arguments(typst_options),
        *(f"--include-in-header={path}" for path in report.page.typst_headers),
    ]


def _page_arguments(options: dict[str, Any]) -> list[str]:
    """The typst margin (written as typst's margin dictionary) and fontsize, when given."""
    margin = ", ".join(f"{side}: {length}" for side, length in options.get("margin", {}).items())
    given = {"margin": margin, "fontsize": options.get("fontsize", "")}
    return [f"--variable={name}:{value}" for name, value in given.items() if value]


def _html_arguments(report: ResolvedReport) -> list[str]:
    return [
        "--standalone",
        "--embed-resources",
        "--section-divs",
        f"--css={HTML_STYLESHEET}",
        *(f"--css={path}" for path in report.page.stylesheets),
        *_toc_arguments(report.formats["html"]),
    ]


def _toc_arguments(options: dict[str, Any]) -> list[str]:
    if not options.get("toc"):
        return []
    return [
        "--toc",
        f"--toc-depth={options.get('toc-depth', DEFAULT_TOC_DEPTH)}",
        f"--metadata=toc-title:{options.get('toc-title', DEFAULT_TOC_TITLE)}",
    ]


def _renderer_name() -> str:
    return f"builtin (pandoc {pypandoc.get_pandoc_version()}, typst {_typst_version()})"


def _typst_version() -> str:
    """The typst compiler's version, e.g. 0.14.2 (not the Python package's)."""
    return ".".join(re.findall(r"\d+", typst.eval(b"", "sys.version")))


def _pdf_from_typst(
    typst_source: str, bundle: Path, timestamp: dt.datetime | None, source: str
) -> bytes:
    """typst's PDF, compiled under the render's limits (render/typst_pdf.py)."""
    stamp = timestamp.isoformat() if timestamp is not None else ""
    completed = run_limited(
        [sys.executable, "-P", typst_pdf.__file__, str(bundle), stamp],
        f"{source} (pdf): typst",
        input=typst_source.encode("utf-8"),
    )
    if completed.returncode == typst_pdf.TYPST_FAILED:
        message = completed.stderr.decode("utf-8", errors="replace")
        raise RenderError(f"{source} (pdf): typst: {message}")
    if completed.returncode != 0:
        problem = completed.stderr.decode("utf-8", errors="replace").strip()
        raise RenderError(f"{source} (pdf): typst stopped ({problem or completed.returncode})")
    return completed.stdout
