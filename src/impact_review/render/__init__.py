"""Render a document of a report bundle to a self-contained HTML page and an A4 PDF named after
it: report.qmd to report.html and report.pdf (briefing.qmd, the 7-minute briefing, likewise).

Where quarto is on PATH, `quarto render` does the work (quarto.py). Otherwise the built-in path
does (builtin.py): the shortcodes are resolved here (shortcodes.py), pandoc runs the Lua filters
in filters/ (cross-references, figure alt text, callouts, and a check that fails on any other
Quarto feature), and the typst package makes the PDF.

Both paths accept the same subset of Quarto, checked by the same preflight before either runs
(preflight.py), so a bundle never renders on one path and fails on the other, and both show the
same content (the styling differs). Both paths' outputs are then read back as text and refused
if they show what Quarto prints for a failure it does not report (outputs.py). One deliberate
difference from Quarto: values from _variables.yml are literal text, not markdown, because they
come from tracker data; the quarto path escapes them in its copy of the bundle to match.
"""

from __future__ import annotations

from pathlib import Path

from impact_review.render.builtin import render_builtin
from impact_review.render.config import REPORT_FILE
from impact_review.render.dates import stamp_report_date
from impact_review.render.errors import RenderError
from impact_review.render.outputs import RenderResult
from impact_review.render.preflight import preflight
from impact_review.render.quarto import find_quarto, render_with_quarto
from impact_review.render.shortcodes import SHORTCODE, included_names

RENDERERS = ("auto", "quarto", "builtin")

__all__ = [
    "RENDERERS",
    "SHORTCODE",
    "RenderError",
    "RenderResult",
    "included_names",
    "render_report",
    "stamp_report_date",
]


def render_report(
    bundle: Path, out_dir: Path, renderer: str = "auto", source: str = REPORT_FILE
) -> RenderResult:
    """Write the HTML and PDF of the bundle's document source (report.qmd unless another is
    named) into out_dir, with quarto if asked for or (for "auto") if it is installed, else with
    the built-in pandoc and typst path."""
    if renderer not in RENDERERS:
        raise RenderError(f"renderer must be one of {', '.join(RENDERERS)}, not {renderer!r}")
    quarto = None if renderer == "builtin" else find_quarto()
    if renderer == "quarto" and quarto is None:
        raise RenderError("renderer 'quarto' was asked for but quarto is not on PATH")
    bundle = bundle.resolve()
    report = preflight(bundle, source)
    if quarto is not None:
        return render_with_quarto(quarto, bundle, out_dir, report.timestamp, source)
    return render_builtin(report, bundle, out_dir)
