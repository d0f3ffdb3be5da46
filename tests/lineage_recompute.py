"""Recomputing a lineage file's figures from the rows it names, without the package's code: the
unit tests run it on hand-written frames, the end-to-end test on the sample run."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd


def half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def selected(frame: pd.DataFrame, where: list[dict[str, Any]], separator: str) -> pd.DataFrame:
    keep = pd.Series(True, index=frame.index)
    for condition in where:
        column, op, value = condition["column"], condition["op"], condition["value"]
        cells = frame[column]
        if op == "equals":
            keep &= cells == value
        elif op == "differs":
            keep &= cells != value
        elif op == "includes":
            keep &= cells.fillna("").map(lambda text, v=value: v in text.split(separator))
        elif op == "recorded":
            keep &= cells.fillna("").astype(str).str.strip() != ""
        elif op == "blank":
            keep &= cells.fillna("").astype(str).str.strip() == ""
        else:
            raise AssertionError(f"unknown condition {op!r}")
    return frame[keep]


def row_count(figure: Mapping[str, Any]) -> int:
    """How many rows a figure counts, listed or not."""
    return len(figure["rec_ids"]) if "rec_ids" in figure else figure["rows"]


def recompute(
    figure: Mapping[str, Any],
    values: Mapping[str, Any],
    frames: Mapping[str, pd.DataFrame],
    separator: str,
    lineage: Mapping[str, Mapping[str, Any]],
) -> int | float:
    """The figure's value from its rows and rule; asserts its rows are the ones its `where`
    selects. values holds the figures recomputed so far (a figure refers only to earlier ones)."""
    kind = figure["kind"]
    if kind == "sum":
        parts = [lineage[part] for part in figure["parts"]]
        if "rec_ids" in figure:
            assert figure["rec_ids"] == [r for part in parts for r in part["rec_ids"]]
        else:  # too many rows to list: their number is the parts' (the lineage's "rows")
            assert figure["rows"] == sum(row_count(part) for part in parts)
        return sum(values[part] for part in figure["parts"])
    rows = selected(frames[figure["rows_from"]], figure["where"], separator)
    if "rec_ids" in figure:
        # A blank row has no reference: its rec_id is "" in the lineage.
        assert figure["rec_ids"] == rows["rec_id"].fillna("").tolist(), figure["figure"]
        assert figure["sheet_rows"] == rows["sheet_row"].tolist(), figure["figure"]
    else:
        assert figure["rows"] == len(rows), figure["figure"]
    if kind == "count":
        return len(rows)
    if kind == "percent-of":
        return int(half_up(Decimal(len(rows) * 100) / Decimal(values[figure["denominator"]]), 0))
    if kind == "distinct":
        if figure["columns"] == ["themes"]:
            return len({t for text in rows["themes"].dropna() for t in text.split(separator) if t})
        return len(set(rows[figure["columns"]].itertuples(index=False)))
    if kind == "ratio":
        ratio = Decimal(values[figure["numerator"]]) / Decimal(values[figure["denominator"]])
        return float(half_up(ratio, figure["places"]))
    if kind == "row-value":
        assert len(rows) == 1
        return int(rows[figure["value_column"]].iloc[0])
    if kind == "median-count":
        sizes = rows.groupby(figure["columns"]).size()
        return int(half_up(Decimal(str(float(sizes.median()))), 0))
    if kind in ("median", "median-days"):
        if kind == "median":
            days = rows[figure["value_column"]]
        else:
            first, second = figure["dates"]
            days = (pd.to_datetime(rows[second]) - pd.to_datetime(rows[first])).dt.days
        return int(half_up(Decimal(str(float(days.dropna().median()))), 0))
    raise AssertionError(f"unknown kind {kind!r}")


def recompute_all(
    lineage: Mapping[str, Any], frames: Mapping[str, pd.DataFrame], separator: str
) -> dict[str, int | float]:
    """Every figure recomputed, by id; asserts each equals the value the lineage states."""
    by_id = {figure["figure"]: figure for figure in lineage["figures"]}
    assert len(by_id) == len(lineage["figures"]), "a figure id is used twice"
    values: dict[str, int | float] = {}
    for figure in lineage["figures"]:
        values[figure["figure"]] = recompute(figure, values, frames, separator, by_id)
        assert values[figure["figure"]] == figure["value"], figure["figure"]
    return values


def numbers(values: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted key, value) of every number in nested variables."""
    for key, value in values.items():
        if isinstance(value, Mapping):
            yield from numbers(value, f"{prefix}{key}.")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            yield f"{prefix}{key}", value
