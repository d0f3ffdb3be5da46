"""The finished HTML and PDF of a document (report.html and report.pdf, or briefing.html and
briefing.pdf): read back as text for what a failed Quarto render leaves in them, and only then
copied into place, both or neither.

Quarto exits 0 when a variable is missing (it prints ?var:name), a cross-reference has no target
(?@fig-x), a shortcode is not resolved, or a date cannot be read (Invalid Date). Both renderers'
outputs are checked the same way, so the previous good report stays where it was.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from pypdf.errors import PyPdfError

from impact_review.publish.safety import html_text, pdf_text
from impact_review.render.errors import RenderError

UNRESOLVED_MARKERS = {
    "?var:": "a variable that _variables.yml does not have",
    "?@": "a cross-reference to no figure or table",
    "{{<": "a shortcode that was not resolved",
    "Invalid Date": "a date Quarto could not read",
}


@dataclass(frozen=True)
class RenderResult:
    """Which renderer made the document, and where the two files are."""

    renderer: str
    html: Path
    pdf: Path


def output_names(source: str) -> tuple[str, str]:
    """The HTML and PDF a document renders to, named after it as Quarto names them:
    report.qmd to report.html and report.pdf."""
    stem = Path(source).stem
    return f"{stem}.html", f"{stem}.pdf"


def collected_outputs(renderer: str, made_in: Path, out_dir: Path, source: str) -> RenderResult:
    """The document's two files, copied from the folder they were made in to out_dir once both
    exist and neither shows a sign of a failed render."""
    html_file, pdf_file = output_names(source)
    for name in (html_file, pdf_file):
        if not (made_in / name).is_file():
            raise RenderError(f"{renderer} finished without writing {name}")
    problems = [
        f"{name} shows {marker!r} ({meaning})"
        for name, text in (
            (html_file, html_text(made_in / html_file)),
            (pdf_file, _readable_pdf_text(made_in / pdf_file)),
        )
        for marker, meaning in UNRESOLVED_MARKERS.items()
        if marker in " ".join(text.split())
    ]
    if problems:
        raise RenderError(f"{renderer} left unresolved content: {'; '.join(problems)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    html = shutil.copyfile(made_in / html_file, out_dir / html_file)
    pdf = shutil.copyfile(made_in / pdf_file, out_dir / pdf_file)
    return RenderResult(renderer=renderer, html=Path(html), pdf=Path(pdf))


def _readable_pdf_text(path: Path) -> str:
    try:
        return pdf_text(path)
    except PyPdfError as error:
        raise RenderError(f"{path.name} cannot be read as a PDF ({error})") from None
