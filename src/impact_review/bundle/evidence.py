"""The call-for-evidence section: its numbers for _variables.yml (each with lineage in
bundle/lineage.py) and its passage, text/evidence.md, which quotes them by var shortcode so no
number is typed into the text."""

from __future__ import annotations

from typing import Any

import pandas as pd

from impact_review.analyse import counts
from impact_review.analyse.evidence import evidence_given, impact_examples
from impact_review.evidence.form import EMBEDDED, IMPACT_LEVELS, IMPACT_REACHED
from impact_review.markdown import bullet_list, escape_markdown

NOT_RUN = (
    "No returns to a call for evidence were given for this period, so the review cannot yet "
    "say which recommendations are embedded or made a difference. The partnership can send "
    "each agency its list with `impact-review evidence-request` and rerun the review with the "
    "returns (`--evidence`).\n"
)


def key_of(answer: str) -> str:
    """An answer as a variable key: 'Practice change' is practice_change."""
    return answer.lower().replace(" ", "_")


def evidence_variables(recs: pd.DataFrame, completed: str) -> dict[str, Any]:
    """The section's numbers; none when no evidence was returned."""
    if not evidence_given(recs):
        return {}
    done = recs[recs["status"] == completed]
    return {
        "answered": int(recs["impact_level"].notna().sum()),
        "levels": {
            key_of(level): int((recs["impact_level"] == level).sum()) for level in IMPACT_LEVELS
        },
        "embedded": {
            key_of(answer): int((recs["embedded"] == answer).sum()) for answer in EMBEDDED
        },
        "completed_at": {
            key_of(level): int((done["impact_level"] == level).sum()) for level in IMPACT_REACHED
        },
        "completed_with_impact": int(done["impact_level"].isin(IMPACT_REACHED).sum()),
    }


def evidence_passage(recs: pd.DataFrame) -> str:
    """What the returns said, with the examples of impact grouped by their review or audit."""
    if not evidence_given(recs):
        return NOT_RUN
    areas = "area_of_learning" in recs and counts.areas_recorded(recs)
    by_area = "; by area of learning, @tbl-evidence-coverage-by-area" if areas else ""
    lines = [
        "Agencies answered for {{< var evidence.answered >}} of the {{< var counts.total >}} "
        "recommendations. {{< var evidence.embedded.yes >}} are embedded in practice, "
        "{{< var evidence.embedded.partly >}} partly and {{< var evidence.embedded.no >}} not "
        "(@tbl-evidence-embedded).\n\n",
        "An output (training delivered, a policy written) is evidence that a recommendation was "
        "completed; practice change and better outcomes for children are evidence that it made "
        "a difference. {{< var evidence.levels.output >}} answers reached an output only. Of "
        "the {{< var counts.completed >}} recommendations recorded as completed, "
        "{{< var evidence.completed_with_impact >}} have evidence of impact: "
        "{{< var evidence.completed_at.practice_change >}} of practice change and "
        "{{< var evidence.completed_at.outcome_for_children >}} of outcomes for children "
        f"(@tbl-evidence-levels, @tbl-evidence-coverage{by_area}).\n\n",
        "### Impact the returns describe\n\n",
    ]
    for source, group in impact_examples(recs).groupby("source_name", sort=False):
        lines.append(f"**{escape_markdown(source)}**\n\n")
        lines.append(bullet_list(group["impact_evidence"].tolist()) + "\n")
    return "".join(lines)
