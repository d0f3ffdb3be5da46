"""The review's charts: seaborn, a colour-blind-safe palette, and alt text written from the data.

PNG files carry no timestamp, so the same counts give the same bytes.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure as Chart

PALETTE = "colorblind"
DPI = 150
HEATMAP_LABEL_ANGLE = 45  # degrees: the area names under the grid


def plotting() -> tuple[ModuleType, ModuleType]:
    """matplotlib.pyplot (drawing off screen) and seaborn, imported by the first chart: they take
    a second to import, and nothing but drawing needs them."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    return plt, sns


@dataclass(frozen=True)
class Figure:
    """A written chart and the words that describe it to someone who cannot see it."""

    path: Path
    caption: str
    alt: str
    label: str  # cross-reference id, e.g. fig-by-area


def describe_counts(counts: pd.DataFrame, name_column: str) -> str:
    """'Policy and procedure 51 (35%), Training and skills 37 (25%), ...' for alt text."""
    return ", ".join(
        f"{name} {n} ({p}%)"
        for name, n, p in zip(
            counts[name_column], counts["recommendations"], counts["percent"], strict=True
        )
    )


def plot_counts(
    counts: pd.DataFrame, name_column: str, caption: str, label: str, path: Path
) -> Figure:
    """A horizontal bar chart of recommendations per category, each bar labelled 'n (p%)'."""
    plt, sns = plotting()
    sns.set_theme(style="whitegrid", context="paper", font_scale=1.1)
    height = 0.45 * len(counts) + 1.0
    fig, ax = plt.subplots(figsize=(7.5, height))
    names = [textwrap.fill(str(n), 38) for n in counts[name_column]]
    colour = sns.color_palette(PALETTE)[0]
    sns.barplot(x=counts["recommendations"].to_numpy(), y=names, color=colour, ax=ax, orient="h")
    for index, (n, p) in enumerate(zip(counts["recommendations"], counts["percent"], strict=True)):
        ax.text(n, index, f"  {n} ({p}%)", va="center", fontsize=9)
    ax.set_xlabel("Recommendations")
    ax.set_ylabel("")
    ax.set_xlim(0, max(counts["recommendations"].max(), 1) * 1.2 if len(counts) else 1)
    ax.grid(axis="y", visible=False)
    sns.despine(left=True, bottom=True)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI, metadata={"Software": None})
    plt.close(fig)
    subject = caption.split(" by ", 1)[-1].lower()
    alt = f"Bar chart of recommendations by {subject}: {describe_counts(counts, name_column)}."
    return Figure(path, caption, alt, label)


def heatmap_chart(body: pd.DataFrame) -> Chart:
    """The agency (rows) by area (columns) grid, drawn but not saved: each cell shaded and
    labelled with its count, under the axis titles."""
    plt, sns = plotting()
    sns.set_theme(style="white", context="paper", font_scale=1.1)
    fig, ax = plt.subplots(figsize=(7.5, 0.38 * len(body) + 2.6))
    if body.columns.empty:  # a tracker with no area-of-learning column: nothing to shade
        ax.set_axis_off()
    else:
        sns.heatmap(body, annot=True, fmt="d", cmap="Blues", cbar=False, linewidths=0.5, ax=ax)
    # Area names run to 36 characters: each on one slanted line keeps clear of its neighbours
    # (wrapped lines, slanted or not, run into the next column's).
    ax.set_xticklabels(
        [str(c) for c in body.columns],
        rotation=HEATMAP_LABEL_ANGLE,
        ha="right",
        rotation_mode="anchor",
    )
    ax.tick_params(axis="y", rotation=0)
    ax.set_xlabel("Area of learning", fontweight="bold")
    ax.set_ylabel("Agency", fontweight="bold")
    fig.tight_layout()
    return fig


def plot_heatmap(table: pd.DataFrame, caption: str, label: str, path: Path) -> Figure:
    """Agency by area counts as a shaded grid, each cell labelled with its count; the agencies
    by the names the tables give them (wrapped), so the chart and its table read alike."""
    body = table.drop(index="Total", columns="Total")
    chart = heatmap_chart(body.rename(index=lambda agency: textwrap.fill(str(agency), 32)))
    path.parent.mkdir(parents=True, exist_ok=True)
    chart.savefig(path, dpi=DPI, metadata={"Software": None})
    plotting()[0].close(chart)
    if body.columns.empty:
        alt = "Empty grid: the tracker records no area of learning for its recommendations."
        return Figure(path, caption, alt, label)
    largest = body.stack().sort_values(ascending=False, kind="mergesort").head(3)
    cells = "; ".join(f"{agency}, {area}: {n}" for (agency, area), n in largest.items())
    alt = (
        f"Grid of recommendations by agency (rows) and area of learning (columns). "
        f"The largest cells are {cells}. The full counts are in the appendix table."
    )
    return Figure(path, caption, alt, label)
