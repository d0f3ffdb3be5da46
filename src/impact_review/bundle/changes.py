"""What changed during a review's period, in one sentence for each day a change took effect: the
partnership's renamings (partnership.yaml renamed:) and the taxonomy's successions (taxonomy.yaml
successions:) that took effect after the period's first day and by its last. A period that saw
no change gets no sentence, so a review of it reads as before."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from impact_review.bundle.sources import full_plural
from impact_review.bundle.words import join_words
from impact_review.intake.taxonomy import Succession, Taxonomy
from impact_review.partnership import Partnership
from impact_review.period import Period, format_uk_date


def changes_sentence(partnership: Partnership, taxonomy: Taxonomy, period: Period) -> str:
    """'On 29 September 2019 the Northshire Board was replaced by the Northshire Partnership, and
    case reviews were succeeded by rapid reviews and practice reviews.'; "" when nothing
    changed."""
    clauses: dict[date, list[str]] = defaultdict(list)
    for renaming in partnership.renamed_between(period.start, period.end):
        before = partnership.on(renaming.date - timedelta(days=1)).name
        clauses[renaming.date].append(f"the {before} was replaced by the {renaming.name}")
    for succession in taxonomy.successions:
        # The board's own succession (board to partnership) is the renaming, named in full above.
        board = succession.vocabulary == "agencies" and succession.date in clauses
        if succession.took_effect_between(period.start, period.end) and not board:
            clauses[succession.date].append(_succeeded(succession, taxonomy))
    return " ".join(
        f"On {format_uk_date(day)} {', and '.join(clauses[day])}." for day in sorted(clauses)
    )


def _succeeded(succession: Succession, taxonomy: Taxonomy) -> str:
    def named(names: tuple[str, ...]) -> str:
        if succession.vocabulary == "source_types":
            return join_words([full_plural(name, taxonomy) for name in names])
        return join_words(list(names))

    one = succession.vocabulary == "agencies" and len(succession.replaced) == 1
    verb = "was" if one else "were"
    return f"{named(succession.replaced)} {verb} succeeded by {named(succession.successors)}"
