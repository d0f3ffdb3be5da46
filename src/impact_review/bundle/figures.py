"""The review's charts drawn into the bundle (figures/NAME.png), each with the markdown that
places it with its caption and alt text (figures/NAME.md)."""

from __future__ import annotations

from pathlib import Path

from impact_review.analyse import figures
from impact_review.analyse.review import Analysis
from impact_review.bundle.captions import dated_caption
from impact_review.markdown import escape_markdown, quoted_attribute

# (name, Analysis table, its name column, caption, drawn only when the tracker records areas)
BAR_CHARTS = (
    ("by-source-type", "by_source_type", "source_type", "Recommendations by source type", False),
    ("by-area", "by_area", "area_of_learning", "Recommendations by area of learning", True),
    ("by-agency", "by_agency", "agency", "Recommendations by agency", False),
)


def draw_figures(result: Analysis, figures_dir: Path) -> list[figures.Figure]:
    """The review's charts; the two of areas only when the tracker records areas."""
    areas = result.areas_recorded
    drawn = [
        figures.plot_counts(
            getattr(result, table), column, caption, f"fig-{name}", figures_dir / f"{name}.png"
        )
        for name, table, column, caption, of_areas in BAR_CHARTS
        if areas or not of_areas
    ]
    if not areas:
        return drawn
    drawn.append(
        figures.plot_heatmap(
            result.agency_area,
            "Recommendations by agency and area of learning",
            "fig-agency-area",
            figures_dir / "agency-area.png",
        )
    )
    return drawn


def write_figure_includes(drawn: list[figures.Figure], figures_dir: Path, period: str) -> None:
    """Each chart's figures/NAME.md, captioned with the period (period.describe()): the charts
    count recommendations agreed, none shows where they stand."""
    for figure in drawn:
        alt = quoted_attribute(figure.alt)
        caption = escape_markdown(dated_caption(figure.caption, period))
        text = f"![{caption}](figures/{figure.path.name}){{#{figure.label} fig-alt={alt}}}\n"
        (figures_dir / f"{figure.path.stem}.md").write_text(text, encoding="utf-8")
