"""The 7-minute briefing's own passages: text/briefing-NAME.md, included by briefing.qmd.

The briefing is a second document of the same bundle, so every number it states is a
{{< var >}} of _variables.yml or comes from the same Analysis tables as the review's: it
restates the review for frontline staff, it never counts anything differently. Its seven
sections follow the conventional layout of safeguarding learning briefings; what the data
decides (which themes recur, whether evidence was returned, whether anything is overdue) is
written here, and the analyst's own recommendations for improvement are shortened to fit two
A4 pages.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from impact_review.analyse import counts
from impact_review.analyse.evidence import evidence_given
from impact_review.analyse.review import Analysis
from impact_review.bundle.implementation import open_counts
from impact_review.bundle.narrative import Narrative
from impact_review.bundle.passages import theme_definitions
from impact_review.bundle.words import join_words, lower_first
from impact_review.intake.taxonomy import Taxonomy
from impact_review.layout import REPORT_HTML, REPORT_PDF
from impact_review.markdown import escape_markdown

IMPROVEMENT_SECTION = "recommendations-for-improvement"
# How much of the review the briefing repeats, so that it stays within two A4 pages.
TOP_THEMES = 5
QUESTION_THEMES = 3
MAX_CHANGES = 8
LIST_ITEM = re.compile(r"(?:[-*+]|\d+[.)])\s")
# Markdown whose blocks span blank lines (fenced divs and code): never cut, only kept whole.
FENCE = re.compile(r"^(?::::|```|~~~)", re.MULTILINE)


def write_briefing(
    result: Analysis, narrative: Narrative, text_dir: Path, taxonomy: Taxonomy
) -> None:
    text_dir.mkdir(parents=True, exist_ok=True)
    passages = {
        "themes": briefing_themes(result, taxonomy),
        "why": why_it_matters(result),
        "change": what_should_change(result, narrative.sections.get(IMPROVEMENT_SECTION)),
        "embedded": how_we_will_know(result),
        "questions": questions_to_ask(result),
        "more": full_review_links(),
        # Kept for the sections under way (issue 14): the share of recommendations that pass
        # every quality check belongs in "How we will know it is embedded", and the count of
        # restated recommendations in "Why it matters". Empty until those analyses exist.
        "quality": "",
        "restated": "",
    }
    for name, text in passages.items():
        (text_dir / f"briefing-{name}.md").write_text(text, encoding="utf-8")


def briefing_themes(result: Analysis, taxonomy: Taxonomy) -> str:
    """The most frequent themes with their definitions, as the review lists them."""
    if result.themes.empty:
        return "No themes were recorded against the recommendations in this period.\n"
    shown = min(len(result.themes), TOP_THEMES)
    lead = (
        f"The {shown} most frequent of {len(result.themes)} themes"
        if len(result.themes) > shown
        else "The themes"
    )
    top = dataclasses.replace(result, themes=result.themes.head(shown))
    return f"{lead} recorded against the recommendations:\n\n{theme_definitions(top, taxonomy)}"


def _recurring_themes(result: Analysis) -> dict[str, int]:
    """Each theme more than one learning activity found, as markdown, with how many found it."""
    recurring = result.themes[result.themes["sources"] > 1]
    return {
        escape_markdown(lower_first(theme)): int(sources)
        for theme, sources in zip(recurring["theme"], recurring["sources"], strict=True)
    }


def why_it_matters(result: Analysis) -> str:
    if recurring := _recurring_themes(result):
        ranked = sorted(recurring.items(), key=lambda item: -item[1])
        found = [f"{theme} in {n}" for theme, n in ranked]
        found[0] += " learning activities"
        recurs = (
            f"The same learning came up again and again: {join_words(found)}. Learning "
            "that recurs review after review has not yet changed practice: each review that "
            "finds it again is evidence that the earlier recommendations were not embedded.\n\n"
        )
    else:
        recurs = "No theme came up in more than one learning activity in this period.\n\n"
    done = (
        "Completing an action is not the same as changing practice: "
        "{{< var counts.completed_with_impact >}} of the {{< var counts.completed >}} "
        "recommendations recorded as completed record evidence of impact."
    )
    _, overdue = open_counts(result)
    late = {
        0: "",
        1: " One is past its target date (due {{< var implementation.oldest_due >}}): until it "
        "is done, the risk it was made to reduce remains.",
    }.get(
        overdue,
        " {{< var implementation.overdue >}} are past their target date (the oldest due "
        "{{< var implementation.oldest_due >}}): until they are done, the risks they were made "
        "to reduce remain.",
    )
    return recurs + done + late + "\n"


def what_should_change(result: Analysis, written: str | None) -> str:
    """The analyst's recommendations for improvement, shortened to their first paragraph or
    list; from the figures when the analyst has not written them."""
    if written and written.strip():
        return shortened(written)
    _, overdue = open_counts(result)
    steps = []
    if overdue:
        steps.append(_overdue_words(overdue, "Complete") + ", oldest first.")
    steps.append(
        "For every recommendation completed, record what changed in practice or for children, "
        "not only that the action was done."
    )
    if recurring := _recurring_themes(result):
        steps.append(
            f"Make the learning on {join_words(list(recurring))} part of everyday practice, so "
            "that the next reviews do not find it again."
        )
    return (
        "The analyst has not written the review's recommendations for improvement for this "
        "period. From the figures:\n\n" + "".join(f"- {step}\n" for step in steps)
    )


def shortened(markdown: str) -> str:
    """The first paragraph or list of markdown (with any heading before it), a list cut to
    MAX_CHANGES items; a note says when the review has more. Fenced divs and code are kept
    whole, as cutting them would break them."""
    text = markdown.strip()
    if FENCE.search(text):
        return text + "\n"
    blocks = re.split(r"\n[ \t]*\n", text)
    kept = 0
    while kept < len(blocks) - 1 and blocks[kept].startswith("#"):
        kept += 1
    first = [blocks[kept]]
    if LIST_ITEM.match(blocks[kept]):
        # A loose list has blank lines between its items: they are one list.
        for block in blocks[kept + 1 :]:
            if not (LIST_ITEM.match(block) or block.startswith((" ", "\t"))):
                break
            first.append(block)
    items = _list_items("\n".join(first))
    shown = items[:MAX_CHANGES] if items else first
    cut = len(items) > MAX_CHANGES or kept + len(first) < len(blocks)
    body = "\n".join([*blocks[:kept], *shown]) if items else "\n\n".join([*blocks[:kept], *shown])
    note = (
        "\n\nThe review's recommendations for improvement have the analyst's text in full."
        if cut
        else ""
    )
    return body + note + "\n"


def _list_items(block: str) -> list[str]:
    """A list's items, each with its continuation lines; none when block is not a list."""
    if not LIST_ITEM.match(block):
        return []
    items: list[list[str]] = []
    for line in block.splitlines():
        if LIST_ITEM.match(line) or not items:
            items.append([line])
        else:
            items[-1].append(line)
    return ["\n".join(lines) for lines in items]


def how_we_will_know(result: Analysis) -> str:
    if evidence_given(result.recommendations):
        found = (
            "Agencies answered the call for evidence for {{< var evidence.answered >}} of the "
            "{{< var counts.total >}} recommendations: {{< var evidence.embedded.yes >}} are "
            "embedded in practice, {{< var evidence.embedded.partly >}} partly and "
            "{{< var evidence.embedded.no >}} not. {{< var evidence.levels.output >}} answers "
            "show an output only (training delivered, a policy written); of the "
            "{{< var counts.completed >}} recommendations completed, "
            "{{< var evidence.completed_with_impact >}} show a change in practice or better "
            "outcomes for children.\n\n"
        )
    else:
        found = (
            "No call for evidence was returned for this period, so what shows that learning is "
            "embedded is the evidence of impact the tracker records: "
            "{{< var counts.with_impact >}} of the {{< var counts.total >}} recommendations.\n\n"
        )
    _, overdue = open_counts(result)
    checks = [
        "that every completed recommendation shows a change in practice or in outcomes for "
        "children, not only an output"
    ]
    if overdue:
        done_or_why = (
            "is completed, or its lead agency says why not"
            if overdue == 1
            else "are completed, or their lead agencies say why not"
        )
        checks.append(f"{_overdue_words(overdue, 'that')} {done_or_why}")
    checks += [
        "whether the same learning comes up again in the next reviews and audits: if it "
        "does, it was not embedded",
        "what practitioners say has changed, through multi-agency audits and the next call "
        "for evidence",
    ]
    return (
        found
        + "What {{< var partnership.short >}} will check:\n\n"
        + "".join(f"- {check};\n" for check in checks[:-1])
        + f"- {checks[-1]}.\n"
    )


def _overdue_words(overdue: int, before: str) -> str:
    """'Complete the overdue recommendation', or 'Complete the 10 overdue recommendations'."""
    if overdue == 1:
        return f"{before} the overdue recommendation"
    return f"{before} the {{{{< var implementation.overdue >}}}} overdue recommendations"


def questions_to_ask(result: Analysis) -> str:
    questions = []
    if not result.themes.empty:
        names = [escape_markdown(lower_first(t)) for t in result.themes["theme"][:QUESTION_THEMES]]
        questions.append(
            f"Which of these themes have you met in your own work ({join_words(names)}), and "
            "what do you do differently because of the learning?"
        )
    if result.areas_recorded:
        top = counts.recorded_areas(result.by_area)["area_of_learning"].iloc[0]
        questions.append(
            f"What has changed in your team's practice on {escape_markdown(lower_first(top))} "
            "since these recommendations, and how do you know?"
        )
    questions += [
        "Do you know which recommendations concerned your agency, what they asked, and "
        "whether they are done?",
        "How would you show that a change you made has made a difference for a child?",
    ]
    return "Questions to ask yourself:\n\n" + "".join(f"- {q}\n" for q in questions)


def full_review_links() -> str:
    return (
        "The full review, with every table and chart and the evidence behind these figures, is "
        f"published beside this briefing: [{REPORT_HTML}]({REPORT_HTML}) and "
        f"[{REPORT_PDF}]({REPORT_PDF}).\n"
    )
