"""What the comparison says in words, generated from its numbers: the summary, what recurs and
what changed most between the first period and the last."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from impact_review.analyse import counts
from impact_review.bundle.words import count_phrase, join_words, lower_first
from impact_review.compare.tables import Comparison, in_every_period
from impact_review.intake.taxonomy import Succession, Taxonomy
from impact_review.period import format_uk_date

# What each dimension's groups are called in a sentence.
GROUP_WORDS = {
    "by-source": ("source", "sources"),
    "by-area": ("area of learning", "areas of learning"),
    "by-agency": ("agency", "agencies"),
    "themes": ("theme", "themes"),
}


def per_period_phrase(values: list[object], labels: list[str]) -> str:
    """'48 in 2015-16, 52 in 2016-17 and 47 in 2017-18'."""
    return join_words([f"{value} in {label}" for value, label in zip(values, labels, strict=True)])


def direction(before: float, after: float, unit: str, more: str, less: str) -> str:
    """'up 7 points', 'down 12 days', 'unchanged'."""
    if after == before:
        return "unchanged"
    change = after - before
    amount = f"{abs(change):g} {unit}" if unit else f"{abs(change):g}"
    return f"{more if change > 0 else less} {amount}"


@dataclass(frozen=True)
class Shift:
    """A group's share of its period's recommendations, first period and last."""

    dimension: str
    group: str
    first: int
    last: int

    @property
    def points(self) -> int:
        return abs(self.last - self.first)


def shares(comparison: Comparison, name: str) -> list[Shift]:
    """Each group's share of the first and the last period's recommendations."""
    table = comparison.tables[name]
    first, last = comparison.labels[0], comparison.labels[-1]
    totals = comparison.implementation.set_index("period")["recommendations"]
    return [
        Shift(
            name,
            str(row[table.columns[0]]),
            counts.percent(int(row[first]), int(totals[first])),
            counts.percent(int(row[last]), int(totals[last])),
        )
        for _, row in table.iterrows()
        if row[table.columns[0]] != counts.NOT_RECORDED
    ]


def largest_shift(comparison: Comparison, name: str) -> Shift | None:
    """The group whose share moved most (the first such in the table's order at a tie)."""
    found = shares(comparison, name)
    return max(found, key=lambda shift: shift.points) if found else None


def shift_sentence(shift: Shift, first: str, last: str) -> str:
    singular, plural = GROUP_WORDS[shift.dimension]
    if shift.points == 0:
        return f"No {singular}'s share of recommendations moved between {first} and {last}."
    how = direction(shift.first, shift.last, "points", "up", "down")
    return (
        f"Among {plural}, the share of **{shift.group}** changed most: {shift.first}% of "
        f"recommendations in {first} and {shift.last}% in {last} ({how})."
    )


def implementation_sentences(comparison: Comparison) -> list[str]:
    """Completion, overdue, time to complete and evidence of impact, first period against last."""
    table = comparison.implementation
    first, last = table.iloc[0], table.iloc[-1]
    a, b = first["period"], last["period"]

    def compared(what: str, column: str, percent: bool = True) -> str:
        unit = "%" if percent else ""
        how = direction(first[column], last[column], "points" if percent else "", "up", "down")
        return f"{what}: {first[column]}{unit} in {a} and {last[column]}{unit} in {b} ({how})."

    sentences = [
        compared("Completed by the review's as-at day", "completed_percent"),
        compared("Overdue at the review's as-at day", "overdue", percent=False),
    ]
    before, after = first["median_days_to_complete"], last["median_days_to_complete"]
    if pd.notna(before) and pd.notna(after):
        pace = "faster" if after < before else "slower" if after > before else "as fast"
        sentences.append(
            f"Completed recommendations took a median of {int(before)} days from agreement in "
            f"{a} and {int(after)} days in {b}: {pace}."
        )
    sentences.append(
        compared("Recommendations recording evidence of impact", "with_impact_percent")
    )
    return sentences


def changes_passage(comparison: Comparison) -> str:
    """What changed most, first period against last: the largest shift in share within each
    grouping, largest first, then implementation and evidence."""
    first, last = comparison.labels[0], comparison.labels[-1]
    shifts = [s for name in comparison.tables if (s := largest_shift(comparison, name))]
    shifts.sort(key=lambda shift: -shift.points)
    lines = [shift_sentence(shift, first, last) for shift in shifts]
    lines += implementation_sentences(comparison)
    return "\n".join(f"- {line}" for line in lines) + "\n"


def recurring_passage(comparison: Comparison) -> str:
    """The agencies, areas and themes with recommendations in every period."""
    every = "every period" if len(comparison.labels) > 2 else "both periods"
    lines = []
    for name in ("by-agency", "by-area", "themes"):
        if name not in comparison.tables:
            continue
        singular, plural = GROUP_WORDS[name]
        recurring = in_every_period(comparison.tables[name], comparison.labels)
        if name == "by-area":
            recurring = [area for area in recurring if area != counts.NOT_RECORDED]
        if not recurring:
            lines.append(f"No {singular} had recommendations in {every}.")
            continue
        names = [lower_first(n) if name != "by-agency" else n for n in recurring]
        lines.append(
            f"{count_phrase(len(recurring), singular, plural).capitalize()} had recommendations "
            f"in {every}: {join_words(names)}."
        )
    return "\n".join(f"- {line}" for line in lines) + "\n"


def succession_sentence(succession: Succession, taxonomy: Taxonomy) -> str:
    """'SCR was succeeded by Rapid review and LCSPR on 29 September 2019: ... one series.'"""

    def labels(names: tuple[str, ...]) -> str:
        entries = {e["name"]: e for e in taxonomy.vocabularies[succession.vocabulary].entries}
        return join_words([str(entries[n].get("label_plural") or n) for n in names])

    return (
        f"{labels(succession.replaced)} gave way to {labels(succession.successors)} on "
        f"{format_uk_date(succession.date)}; this comparison counts them as one series, "
        f"*{succession.series}*."
    )


def series_note(comparison: Comparison, taxonomy: Taxonomy) -> str:
    """The note on grouped names, or "" when the compared periods use none that changed."""
    if not comparison.successions:
        return ""
    sentences = " ".join(succession_sentence(s, taxonomy) for s in comparison.successions)
    return f"::: {{.callout-note}}\n## Names that changed\n\n{sentences}\n:::\n"
