"""Rankings in words that never pick one of a tie: "X and Y had the most recommendations (12
each)". The review's count tables list the most first, ties in taxonomy order; here rows with
the same count are one tier, named together."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Tier:
    """The rows that share one count, in table order."""

    records: tuple[dict, ...]

    @property
    def recommendations(self) -> int:
        return int(self.records[0]["recommendations"])

    @property
    def percent(self) -> int:
        return int(self.records[0]["percent"])

    @property
    def tied(self) -> bool:
        return len(self.records) > 1

    def names(self, column: str) -> list[str]:
        return [str(record[column]) for record in self.records]

    @property
    def each(self) -> str:
        """' each' after a count that every row of a tie has."""
        return " each" if self.tied else ""


def tiers(frame: pd.DataFrame) -> list[Tier]:
    """A count table (most first) as its tiers, largest first."""
    out: list[list[dict]] = []
    for record in frame.to_dict("records"):
        if out and out[-1][0]["recommendations"] == record["recommendations"]:
            out[-1].append(record)
        else:
            out.append([record])
    return [Tier(tuple(records)) for records in out]


def first_tiers(frame: pd.DataFrame, at_least: int) -> tuple[list[Tier], list[dict]]:
    """The largest tiers holding at least at_least rows (all of a tie at the boundary, so the
    cut never separates two equal counts), and the rows after them."""
    chosen: list[Tier] = []
    for tier in tiers(frame):
        if sum(len(t.records) for t in chosen) >= at_least:
            break
        chosen.append(tier)
    shown = sum(len(t.records) for t in chosen)
    return chosen, frame.to_dict("records")[shown:]
