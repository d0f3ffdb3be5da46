"""The implementation section's words and summary bullet: text/implementation.md and
text/summary-implementation.md. Their numbers are var shortcodes (each has its lineage); what
varies with the data (whether any are open or overdue, the areas named) is chosen here."""

from __future__ import annotations

from impact_review.analyse.implementation import rag_rule
from impact_review.analyse.review import Analysis
from impact_review.bundle.tables import table_reference
from impact_review.bundle.words import join_words, lower_first
from impact_review.intake.taxonomy import Taxonomy
from impact_review.markdown import escape_markdown

OPEN, OVERDUE, TOTAL = (
    "{{< var implementation.open >}}",
    "{{< var implementation.overdue >}}",
    "{{< var counts.total >}}",
)
AS_AT = "{{< var as_at.text >}}"
COMPLETED = (
    "{{< var counts.completed >}} were completed, of which {{< var counts.completed_with_impact >}}"
    " record evidence of impact."
)
TABLES = (
    "@tbl-slippage-by-agency and @tbl-slippage-by-source-type show, for each agency and each "
    "source type, how many recommendations were completed, open and overdue, how late the "
    "overdue ones were (the median days late) and how long the completed ones took (the median "
    "days from the date agreed to the date completed)."
)


def open_counts(result: Analysis) -> tuple[int, int]:
    """(open, overdue): how many recommendations were open, and overdue, at the as-at date."""
    recs = result.recommendations
    return int((~recs["closed"]).sum()), int(recs["overdue"].sum())


def summary_implementation(result: Analysis) -> str:
    """The summary bullet: how many were open and overdue at the as-at date, and completed."""
    still_open, overdue = open_counts(result)
    if not still_open:
        return f"- **Every recommendation was closed** at {AS_AT}. {COMPLETED}\n"
    late = (
        f"{OVERDUE} of them past the target date (the oldest due "
        "{{< var implementation.oldest_due >}})"
        if overdue
        else "none of them past the target date"
    )
    still = f"**{OPEN} of the {TOTAL} recommendations were still open**"
    return f"- {still} at {AS_AT}, {late}. {COMPLETED}\n"


def rule_sentence(taxonomy: Taxonomy) -> str:
    """The RAG rule in words, from the rule in config/schema.yaml."""
    parts = [f"{colour} when {words}" for colour, words in rag_rule(taxonomy).items()]
    return (
        "Its RAG rating is derived from these, never typed by hand: "
        f"{'; '.join(parts[:-1])}; and {parts[-1]} (@tbl-rag)."
    )


def progress_sentence(result: Analysis, taxonomy: Taxonomy) -> str:
    below = taxonomy.implementation.little_progress_below_percent
    kind = "area of learning" if result.areas_recorded else "theme"
    if not result.little_progress:
        return f"In every {kind}, at least {below}% of the recommendations were completed."
    names = join_words([escape_markdown(lower_first(name)) for name in result.little_progress])
    return (
        f"Little or no progress was made in {names}: fewer than {below}% of the recommendations "
        f"in {'each' if len(result.little_progress) > 1 else 'it'} were completed."
    )


def implementation_passage(result: Analysis, taxonomy: Taxonomy) -> str:
    still_open, overdue = open_counts(result)
    listed = (
        f"{OPEN} recommendations were open at {AS_AT} and {OVERDUE} of them overdue; "
        f"{table_reference('overdue', overdue)} lists the overdue ones, most overdue first."
        if overdue
        else f"{OPEN} recommendations were open at {AS_AT}, and none was overdue."
    )
    return (
        f"This section shows where the recommendations stood at {AS_AT}. A recommendation is "
        "closed when its status "
        "needs no further action, and open otherwise (one without a status is open); "
        "@tbl-statuses says what each status means. An open recommendation is overdue when its "
        f"target date is before {AS_AT}: one due on that day is not overdue, and one with no "
        f"target date never is. {rule_sentence(taxonomy)}\n\n"
        f"{listed if still_open else 'No recommendation was open.'}\n\n"
        f"{TABLES}\n\n"
        f"{progress_sentence(result, taxonomy)}\n"
    )


def implementation_passages(result: Analysis, taxonomy: Taxonomy) -> dict[str, str]:
    """The section's passages by file name (text/NAME.md)."""
    return {
        "summary-implementation": summary_implementation(result),
        "implementation": implementation_passage(result, taxonomy),
    }
