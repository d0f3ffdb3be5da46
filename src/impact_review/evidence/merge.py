"""Join the returned answers to the cleaned recommendations, by Ref.

A return may only answer the recommendations on its own agency's list, in the period, and two
returns may not answer one recommendation differently: any of these refuses the evidence,
every problem at once, so nothing is published from answers the partnership has not settled.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from impact_review.errors import Problems
from impact_review.evidence.form import MERGED_FIELDS
from impact_review.evidence.returns import Response, read_returns
from impact_review.intake.tracker import Limits


def _answers(response: Response) -> tuple:
    return tuple(response.answers[field] for field in MERGED_FIELDS)


def check_responses(
    recs: pd.DataFrame, responses: list[Response], problems: Problems
) -> dict[str, Response]:
    """The usable response for each answered Ref; problems for the rest."""
    agencies = dict(zip(recs["rec_id"].astype(str), recs["agency"], strict=True))
    chosen: dict[str, Response] = {}
    for response in responses:
        where = response.where("rec_id")
        if response.ref not in agencies:
            problems.add(
                "is not a recommendation of the tracker in the period", where, response.ref
            )
            continue
        agency = agencies[response.ref]
        if response.agency is not None and response.agency != agency:
            problems.add(f"is on the list for {agency}, not {response.agency}", where, response.ref)
            continue
        first = chosen.setdefault(response.ref, response)
        if first is not response and _answers(first) != _answers(response):
            field = next(f for f in MERGED_FIELDS if first.answers[f] != response.answers[f])
            for conflicting, other in ((first, response), (response, first)):
                problems.add(
                    f"answers Ref {conflicting.ref} differently from {other.file.name} "
                    f"row {other.row}",
                    conflicting.where(field),
                )
    return chosen


def with_answers(recs: pd.DataFrame, chosen: dict[str, Response]) -> pd.DataFrame:
    """recs with the merged answer columns (empty where no return answered)."""
    out = recs.copy()
    refs = out["rec_id"].astype(str)
    answered = refs.isin(list(chosen)).to_numpy() if chosen else np.zeros(len(out), dtype=bool)
    for field in MERGED_FIELDS:
        values = np.full(len(out), None, dtype=object)
        values[answered] = [chosen[ref].answers[field] for ref in refs[answered]]
        out[field] = pd.Series(values, index=out.index, dtype=object)
    return out


def merge_evidence(
    recs: pd.DataFrame, folder: Path | None, limits: Limits | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """recs with the answers returned in folder, and any warnings; with no folder, the answer
    columns are empty. InputError lists every problem in every return."""
    if folder is None:
        return with_answers(recs, {}), []
    problems = Problems()
    read = read_returns(folder, problems, limits or Limits())
    chosen = check_responses(recs, read.responses, problems)
    problems.raise_if_any()
    return with_answers(recs, chosen), read.warnings
