"""The "Quality of recommendations" section's words and numbers: text/quality.md,
text/restated.md and the quality: and restated: variables. Numbers are var shortcodes (each has
its lineage) or cells of the section's tables; what varies with the data (which check fails most,
which fields the tracker never records, the activities flagged) is chosen here."""

from __future__ import annotations

from typing import Any

from impact_review.analyse import counts
from impact_review.analyse.quality import CHECKS, EVERY_CHECK, QualityRules, most_failed
from impact_review.analyse.quality import untracked_fields as untracked
from impact_review.analyse.restated import RESTATES, RestatedRule
from impact_review.analyse.review import Analysis
from impact_review.bundle.tables import table_reference
from impact_review.bundle.words import join_words
from impact_review.intake.taxonomy import Taxonomy
from impact_review.markdown import escape_markdown

EVERY, EVERY_PERCENT, TOTAL = (
    "{{< var quality.every_check >}}",
    "{{< var quality.every_check_percent >}}",
    "{{< var counts.total >}}",
)
# What a tracker that never fills a check's field is said not to record.
FIELD_WORDS = {
    "lead": "lead",
    "due_date": "target date",
    "desired_outcome": "desired outcome",
    "priority": "priority",
}


def quality_variables(result: Analysis) -> dict[str, Any]:
    """The numbers the section's words quote: how many pass every check and the check failed
    most (of those the tracker records at all); how many restate an earlier recommendation."""
    recs = result.recommendations
    every = int(recs[EVERY_CHECK].sum())
    quality: dict[str, Any] = {
        "every_check": every,
        "every_check_percent": counts.percent(every, len(recs)),
    }
    if (worst := most_failed(recs)) is not None:
        column, failing = worst
        quality["most_failed"] = {"check": CHECKS[column][0], "failing": failing}
    return {"quality": quality, "restated": {"count": int(recs[RESTATES].notna().sum())}}


def untracked_sentence(result: Analysis) -> str:
    """'The tracker records no desired outcome or priority for any recommendation ...', or ''."""
    words = [FIELD_WORDS[field] for field in untracked(result.recommendations)]
    if not words:
        return ""
    listed = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"
    return (
        f"The tracker records no {listed} for any recommendation, so every recommendation fails "
        f"{'that check' if len(words) == 1 else 'those checks'}: a finding about how the "
        "tracker is kept as much as about the recommendations. "
    )


def worst_sentence(result: Analysis) -> str:
    if "most_failed" not in quality_variables(result)["quality"]:
        return "Every recommendation passes each check the tracker has the columns for."
    other = "Of the other checks, the" if untracked(result.recommendations) else "The"
    return (
        f"{other} one failed most often is "
        "\u201c{{< var quality.most_failed.check >}}\u201d: "
        "{{< var quality.most_failed.failing >}} recommendations fail it."
    )


def flagged_sentence(result: Analysis, taxonomy: Taxonomy) -> str:
    rules = QualityRules.of(taxonomy)
    limit = (
        f"more than {rules.at_most} recommendations and more than {rules.multiple_words()} the "
        "median of the other activities of its source type"
    )
    flagged = result.flagged_activities
    if flagged.empty:
        return (
            f"No learning activity made {limit}, the rule for being flagged as out of proportion."
        )
    reference = table_reference("quality-flagged", len(flagged))
    names = (
        join_words([escape_markdown(name) for name in flagged["source_name"]])
        if reference.startswith("@")
        else f"{len(flagged)} learning activities"
    )
    return (
        f"{names} made {limit}: {reference} sets {'each' if len(flagged) > 1 else 'it'}"
        " against that median. So many recommendations are hard to follow up and to evidence."
    )


def quality_passage(result: Analysis, taxonomy: Taxonomy) -> str:
    return (
        "The partnership's own review of 2018 asked for recommendations that are prioritised "
        "(immediate or longer term), clear about the impact they seek and proportionate. Each "
        "recommendation is checked against the rules in @tbl-quality-checks, which are the "
        "partnership's configuration, not judgements made case by case.\n\n"
        f"{EVERY} of the {TOTAL} recommendations ({EVERY_PERCENT}%) pass every check. "
        f"{untracked_sentence(result)}{worst_sentence(result)} "
        "@tbl-quality-by-source-type and @tbl-quality-by-agency show the share passing every "
        "check by source type and by agency.\n\n"
        f"{flagged_sentence(result, taxonomy)}\n"
    )


def restated_passage(result: Analysis, taxonomy: Taxonomy) -> str:
    rule = RestatedRule.of(taxonomy)
    method = (
        "A recommendation restates an earlier one when their words (the recommendation and its "
        "action, without the agencies' names) have a similarity of at least "
        f"{rule.min_similarity:g}, on a scale from 0 (nothing in common) to 1 (the same words), "
        "and the earlier one came from another learning activity. The measure is the cosine "
        "similarity of the texts' TF-IDF weighted character sequences, which finds a "
        "recommendation made again in other words."
    )
    if result.restated.empty:
        return f"{method} No recommendation restates an earlier one.\n"
    return (
        f"{method} {{{{< var restated.count >}}}} of the {TOTAL} recommendations restate an "
        "earlier one. Learning that recurs from one review to the next is evidence that it was "
        "not embedded the first time. @tbl-restated lists the most alike; the run's processed data "
        "holds every pair.\n"
    )


def quality_passages(result: Analysis, taxonomy: Taxonomy) -> dict[str, str]:
    """The section's passages by file name (text/NAME.md)."""
    return {
        "quality": quality_passage(result, taxonomy),
        "restated": restated_passage(result, taxonomy),
    }
