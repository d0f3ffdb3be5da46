"""The finished report.html and report.pdf: read back as text for what a failed Quarto render
leaves in them, and only then copied into place, both or neither.

Quarto exits 0 when a variable is missing (it prints ?var:name), a cross-reference has no target
(?@fig-x), a shortcode is not resolved, or a date cannot be read (Invalid Date). Both renderers'
outputs are checked the same way, so the previous good report stays where it was.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from pypdf.errors import PyPdfError

from impact_review.layout import REPORT_HTML, REPORT_PDF
from impact_review.publish.safety import html_text, pdf_text
from impact_review.render.errors import RenderError

HTML_FILE = REPORT_HTML
PDF_FILE = REPORT_PDF
UNRESOLVED_MARKERS = {
    "?var:": "a variable that _variables.yml does not have",
    "?@": "a cross-reference to no figure or table",
    "{{<": "a shortcode that was not resolved",
    "Invalid Date": "a date Quarto could not read",
}


@dataclass(frozen=True)
class RenderResult:
    """Which renderer made the report, and where the two files are."""

    renderer: str
    html: Path
    pdf: Path


def collected_outputs(renderer: str, made_in: Path, out_dir: Path) -> RenderResult:
    """The report's two files, copied from the folder they were made in to out_dir once both
    exist and neither shows a sign of a failed render."""
    for name in (HTML_FILE, PDF_FILE):
        if not (made_in / name).is_file():
            raise RenderError(f"{renderer} finished without writing {name}")
    problems = [
        f"{name} shows {marker!r} ({meaning})"
        for name, text in (
            (HTML_FILE, html_text(made_in / HTML_FILE)),
            (PDF_FILE, _readable_pdf_text(made_in / PDF_FILE)),
        )
        for marker, meaning in UNRESOLVED_MARKERS.items()
        if marker in " ".join(text.split())
    ]
    if problems:
        raise RenderError(f"{renderer} left unresolved content: {'; '.join(problems)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    html = shutil.copyfile(made_in / HTML_FILE, out_dir / HTML_FILE)
    pdf = shutil.copyfile(made_in / PDF_FILE, out_dir / PDF_FILE)
    return RenderResult(renderer=renderer, html=Path(html), pdf=Path(pdf))


def _readable_pdf_text(path: Path) -> str:
    try:
        return pdf_text(path)
    except PyPdfError as error:
        raise RenderError(f"{PDF_FILE} cannot be read as a PDF ({error})") from None
