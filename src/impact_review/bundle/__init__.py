"""The render bundle that report.qmd presents: see writer.py for its layout."""

from impact_review.bundle.figures import draw_figures
from impact_review.bundle.writer import write_bundle

__all__ = ["draw_figures", "write_bundle"]
