"""Which rows fail an expectation, found with whole-column operations on the frame.

GX's pandas engine names failing rows one at a time (a Python loop per failing row), which at a
million rows takes minutes, so the suites run with counts only and the rows are found here: one
boolean mask per expectation, mirroring the pandas code of the GX metric behind it. The runner
checks each mask's count against GX's, so the two can never silently disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np
import pandas as pd
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation_configuration import ExpectationConfiguration
from great_expectations.expectations.row_conditions import (
    AndCondition,
    ComparisonCondition,
    Condition,
    NullityCondition,
    OrCondition,
    deserialize_row_condition,
)

Mask = Callable[[pd.DataFrame, Mapping[str, Any]], "pd.Series[bool]"]
# Keyword arguments of an expectation that name a column it reads.
COLUMN_KWARGS = ("column", "column_A", "column_B")


def present(values: pd.Series) -> pd.Series:
    return values.notna()


def null(frame: pd.DataFrame, kwargs: Mapping[str, Any]) -> pd.Series:
    return frame[kwargs["column"]].isna()


def not_matching(frame: pd.DataFrame, kwargs: Mapping[str, Any]) -> pd.Series:
    values = frame[kwargs["column"]]
    matched = values.astype(str).str.contains(kwargs["regex"]).astype(bool)
    return present(values) & ~matched


def duplicated(frame: pd.DataFrame, kwargs: Mapping[str, Any]) -> pd.Series:
    values = frame[kwargs["column"]]
    recorded = present(values)
    return recorded & values[recorded].duplicated(keep=False).reindex(
        values.index, fill_value=False
    )


def not_in_set(frame: pd.DataFrame, kwargs: Mapping[str, Any]) -> pd.Series:
    values = frame[kwargs["column"]]
    return present(values) & ~values.isin(kwargs["value_set"])


def not_between(frame: pd.DataFrame, kwargs: Mapping[str, Any]) -> pd.Series:
    values = frame[kwargs["column"]]
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    inside = pd.Series(True, index=values.index)
    if low is not None:
        inside &= values > low if kwargs.get("strict_min") else values >= low
    if high is not None:
        inside &= values < high if kwargs.get("strict_max") else values <= high
    return present(values) & ~inside.astype(bool)


def a_not_above_b(frame: pd.DataFrame, kwargs: Mapping[str, Any]) -> pd.Series:
    """Rows missing either value are left out, as ignore_row_if="either_value_is_missing"."""
    if kwargs.get("ignore_row_if") != "either_value_is_missing":
        raise NotImplementedError(f"ignore_row_if={kwargs.get('ignore_row_if')!r}")
    a, b = frame[kwargs["column_A"]], frame[kwargs["column_B"]]
    above = a >= b if kwargs.get("or_equal") else a > b
    return present(a) & present(b) & ~above.astype(bool)


# The expectation types the suites use, each with the rows it fails. A suite given another type
# fails loudly here (teach it the type), never quietly with no rows named.
ROW_MASKS: dict[str, Mask] = {
    "expect_column_values_to_not_be_null": null,
    "expect_column_values_to_match_regex": not_matching,
    "expect_column_values_to_be_unique": duplicated,
    "expect_column_values_to_be_in_set": not_in_set,
    "expect_column_values_to_be_between": not_between,
    "expect_column_pair_values_a_to_be_greater_than_b": a_not_above_b,
}
# Expectations about the table's columns: they fail on a missing column, never on a row.
TABLE_LEVEL = frozenset({"expect_table_columns_to_match_set", "expect_column_to_exist"})


def row_condition(config: ExpectationConfiguration) -> Condition | str | None:
    condition = config.kwargs.get("row_condition")
    return deserialize_row_condition(condition) if isinstance(condition, dict) else condition


def condition_columns(condition: Condition | str | None) -> Iterator[str] | None:
    """The columns a row condition reads; None if it cannot be known (a query string)."""
    if condition is None:
        return iter(())
    if isinstance(condition, ComparisonCondition | NullityCondition):
        return iter((condition.column.name,))
    if isinstance(condition, AndCondition | OrCondition):
        parts = [condition_columns(part) for part in condition.conditions]
        return None if any(p is None for p in parts) else (c for p in parts for c in p)  # type: ignore[union-attr]
    return None


def columns_read(config: ExpectationConfiguration) -> set[str] | None:
    """Every column an expectation reads, its row condition's too; None if unknowable."""
    named = {config.kwargs[key] for key in COLUMN_KWARGS if config.kwargs.get(key) is not None}
    in_condition = condition_columns(row_condition(config))
    return None if in_condition is None else named | set(in_condition)


def in_domain(frame: pd.DataFrame, condition: Condition | str | None) -> pd.DataFrame:
    """The rows an expectation looks at: all, or those its row condition selects, selected
    with the very query GX runs."""
    if condition is None:
        return frame
    if not isinstance(condition, Condition):
        raise NotImplementedError("a row condition given as a query string")
    return frame.query(PandasExecutionEngine().condition_to_filter_clause(condition))


def failing_mask(config: ExpectationConfiguration, frame: pd.DataFrame) -> np.ndarray | None:
    """Whether each row of frame fails the expectation; None for one about the table's columns
    or one whose columns the frame lacks (GX reports those as missing columns or an error)."""
    kind = config.type
    if kind in TABLE_LEVEL:
        return None
    if kind not in ROW_MASKS:
        raise NotImplementedError(f"no row mask for {kind}: add one to checks.failing.ROW_MASKS")
    columns = columns_read(config)
    if columns is None or not columns <= set(frame.columns):
        return None
    # Positions, not labels: the frame's own index may repeat.
    read = frame[sorted(columns)].reset_index(drop=True)
    domain = in_domain(read, row_condition(config))
    mask = np.zeros(len(frame), dtype=bool)
    fails = ROW_MASKS[kind](domain, config.kwargs).to_numpy(dtype=bool, na_value=False)
    mask[domain.index.to_numpy()[fails]] = True
    return mask
