"""The comparison's charts: each period's counts side by side, with alt text from the numbers."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd

from impact_review.analyse.figures import DPI, PALETTE, Figure, plotting
from impact_review.compare.tables import Comparison


def _save(fig, path: Path) -> None:
    plt, _ = plotting()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI, metadata={"Software": None})
    plt.close(fig)


def plot_per_period(
    table: pd.DataFrame, labels: list[str], caption: str, label: str, path: Path
) -> Figure:
    """Horizontal bars of each group's recommendations, one bar a period, groups as the table
    orders them (most first)."""
    plt, sns = plotting()
    sns.set_theme(style="whitegrid", context="paper", font_scale=1.1)
    name = table.columns[0]
    long = table.melt(id_vars=[name], value_vars=labels, var_name="period", value_name="n")
    long[name] = long[name].map(lambda text: textwrap.fill(str(text), 34))
    fig, ax = plt.subplots(figsize=(7.5, 0.28 * len(long) + 1.4))
    sns.barplot(
        data=long, x="n", y=name, hue="period", palette=PALETTE, orient="h", ax=ax, dodge=True
    )
    ax.set_xlabel("Recommendations")
    ax.set_ylabel("")
    ax.legend(title="Period", loc="lower right", frameon=True)
    sns.despine(left=True, bottom=True)
    _save(fig, path)
    groups = "; ".join(
        f"{row[name]}: " + ", ".join(f"{row[p]} in {p}" for p in labels)
        for _, row in table.iterrows()
    )
    alt = f"Bar chart of recommendations per period by {name.replace('_', ' ')}. {groups}."
    return Figure(path, caption, alt, label)


def plot_implementation(comparison: Comparison, caption: str, label: str, path: Path) -> Figure:
    """Per period: the share completed and the share recording evidence of impact."""
    plt, sns = plotting()
    sns.set_theme(style="whitegrid", context="paper", font_scale=1.1)
    table = comparison.implementation
    measures = {
        "completed_percent": "Completed (%)",
        "with_impact_percent": "Evidence of impact (%)",
    }
    long = table.melt(
        id_vars=["period"], value_vars=list(measures), var_name="measure", value_name="percent"
    )
    long["measure"] = long["measure"].map(measures)
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    sns.barplot(data=long, x="period", y="percent", hue="measure", palette=PALETTE, ax=ax)
    ax.set_ylim(0, 100)
    ax.set_xlabel("")
    ax.set_ylabel("% of the period's recommendations")
    ax.legend(title="", loc="upper left", frameon=True)
    sns.despine(left=True, bottom=True)
    _save(fig, path)
    values = "; ".join(
        f"{row['period']}: {row['completed_percent']}% completed, "
        f"{row['with_impact_percent']}% with evidence of impact"
        for _, row in table.iterrows()
    )
    alt = f"Bar chart of implementation per period. {values}."
    return Figure(path, caption, alt, label)
