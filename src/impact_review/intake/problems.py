"""The problems file a refused tracker leaves in its failed build: every problem, grouped by
column and value, where the terminal shows only the first lines.

Like the message, it names values only of vocabulary and date columns, never free text; it is
restricted all the same, as the failed build is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd

from impact_review.errors import ProblemsFound
from impact_review.exports import write_csv
from impact_review.layout import AuditFiles

PROBLEM_COLUMNS = ("sheet", "column", "value", "problem", "rows", "sheet_rows")


def problems_frame(error: ProblemsFound) -> pd.DataFrame:
    """One row per group: the value as written ("" where none is shown), how many rows hold it
    and which, space-separated."""
    records = [
        (
            g.sheet or "",
            g.column or "",
            g.value or "",
            g.problem,
            len(g.rows),
            " ".join(map(str, g.rows)),
        )
        for g in error.groups
    ]
    return pd.DataFrame.from_records(records, columns=list(PROBLEM_COLUMNS))


def problems_page(error: ProblemsFound) -> str:
    """The problems as Markdown: a heading per sheet and column, a line per value."""
    lines = [f"# Problems in {error.where.describe()}\n", f"\n{error.problem.splitlines()[0]}\n"]
    lines += [f"\n{advice}\n" for advice in error.advice]
    place = None
    for group in error.groups:
        if group.place(True) != place:
            place = group.place(True)
            lines.append(f"\n## {place}\n\n")
        lines.append(f"- {group.text()}\n")
    return "".join(lines)


def write_problems(error: ProblemsFound, audit: AuditFiles) -> None:
    write_csv(problems_frame(error), audit.problems)
    audit.problems_page.write_text(problems_page(error), encoding="utf-8")


@contextmanager
def problems_recorded(audit: AuditFiles) -> Iterator[None]:
    """Write the problems file when the block refuses the tracker for several problems, then let
    the refusal go on to stop the run."""
    try:
        yield
    except ProblemsFound as error:
        write_problems(error, audit)
        raise
