"""Which rows each number the report states counts, and how the number follows from them.

Every number in the render bundle (each number in _variables.yml, each number in tables/*.md)
is a selection of rows, from the cleaned recommendations or from the rows cleaning left out,
and a rule (KINDS). The selections are the analysis's own groupings, and each figure's value is
checked against its rows here, before anything is written: a lineage that disagreed with the
report, or a number without one, stops the run rather than mislead an auditor.

It lives with the bundle, not in analyse/, because figures are named as the bundle names them
(variable keys, table names), and the bundle depends on the analysis, not the reverse.

At any size the lineage stays a file an auditor can open: a figure lists its rows' references
and sheet rows when it counts at most register_max_rows of them (config/schema.yaml report:);
one that counts more gives how many, and its where selects them from the processed rows. The
selections are found from each column's groups, once, so a million rows take seconds. A listing
too long for the review (a CSV file beside it, bundle/tables.py) states no number in the review,
so it has no figures here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml

from impact_review.analyse import counts
from impact_review.analyse.implementation import median_days
from impact_review.analyse.quality import EVERY_CHECK, check_column
from impact_review.analyse.restated import RESTATES
from impact_review.analyse.review import Analysis
from impact_review.bundle.evidence import key_of
from impact_review.bundle.tables import TABLES, table_frames
from impact_review.evidence.form import EMBEDDED, IMPACT_LEVELS, IMPACT_REACHED
from impact_review.exports import write_json
from impact_review.intake.taxonomy import Taxonomy, default_taxonomy
from impact_review.intake.trail import Reason
from impact_review.layout import BundleFiles
from impact_review.report_settings import report_settings

KINDS = {
    "count": "the number of rows selected",
    "percent-of": (
        "the rows selected as a whole-number percentage of the denominator figure, halves "
        "rounded up"
    ),
    "distinct": (
        "the number of distinct values of the columns named among the rows selected (for "
        "themes, each theme in the cell, split on the separator)"
    ),
    "ratio": (
        "the numerator figure divided by the denominator figure, to one decimal place, halves "
        "rounded up"
    ),
    "sum": "the sum of the part figures (its rows are theirs)",
    "row-value": "the value of the column named in the one row selected",
    "median": (
        "the median of the column named among the rows selected (rows without a value left out), "
        "halves rounded up to a whole number"
    ),
    "median-count": (
        "the median, over the distinct values of the columns named among the rows selected, of "
        "how many rows each has, halves rounded up to a whole number"
    ),
    "median-days": (
        "the median of the days from the first date column named to the second among the rows "
        "selected (rows without both dates left out), halves rounded up to a whole number"
    ),
}
ROWS = (
    "rec_ids and sheet_rows list a figure's rows, in the order of rows_from, when it counts at "
    "most rows_listed_up_to of them; a figure counting more gives their number as rows, and its "
    "where (or, for a sum, its parts) selects them from rows_from"
)
RowsFrom = Literal["recommendations", "left out", "parts"]
ROWS_FROM: dict[RowsFrom, str] = {
    "recommendations": "the cleaned recommendations analysed (data/processed/LABEL/)",
    "left out": "the tracker rows left out (data/processed/LABEL/), by reason",
    "parts": "the rows of the part figures, in order",
}
# Columns of the review's tables that name a group of recommendations; theme is one of the
# themes in the recommendation's themes cell.
GROUP_COLUMNS = (
    "source_type",
    "source_name",
    "agency",
    "area_of_learning",
    "theme",
    "status",
    "impact_level",
    "embedded",
    "rag",
    "check",
)
# Columns of the review's tables that hold words, not numbers: they need no lineage.
WORD_COLUMNS = ("meaning", "closed", "rule", "due_date")
# Numbers a listing (one recommendation a row) states of its row.
ROW_VALUES = ("days_overdue",)
TOTAL = "counts.total"
SPECS = {spec.name: spec for spec in TABLES}


class LineageError(ValueError):
    """A number the report states does not follow from its rows, or has no lineage."""


@dataclass(frozen=True)
class Condition:
    """column equals value, or (differs) does not; or (includes) value is one of the column's
    joined names; or (recorded) the column holds something other than white space; or (blank)
    it does not."""

    column: str
    op: Literal["equals", "differs", "includes", "recorded", "blank"]
    value: str | bool | None = None

    def as_json(self) -> dict[str, Any]:
        return {"column": self.column, "op": self.op, "value": self.value}


def equals(column: str, value: str | bool) -> Condition:
    return Condition(column, "equals", value)


def recorded(column: str) -> Condition:
    return Condition(column, "recorded")


def group(column: str, value: str) -> Condition:
    """The rows of one group a table or variable names: an area of learning or a status shown
    as Not recorded is the rows with none."""
    if column in ("area_of_learning", "status") and value == counts.NOT_RECORDED:
        return Condition(column, "blank")
    return equals(column, value)


@dataclass(frozen=True)
class Figure:
    """One number, the rows behind it and the rule that gives it from them."""

    figure: str
    value: int | float
    kind: str
    rows_from: RowsFrom
    where: tuple[Condition, ...]
    rec_ids: tuple[str, ...]  # empty when the rows are not listed (see ROWS)
    sheet_rows: tuple[int, ...]
    refs: dict[str, Any] = field(default_factory=dict)  # other figures, columns, table cell
    rows: int | None = None  # how many, when they are too many to list

    @property
    def row_count(self) -> int:
        return len(self.rec_ids) if self.rows is None else self.rows

    def as_json(self) -> dict[str, Any]:
        listed = (
            {"rec_ids": list(self.rec_ids), "sheet_rows": list(self.sheet_rows)}
            if self.rows is None
            else {"rows": self.rows}
        )
        return {
            "figure": self.figure,
            "value": self.value,
            "kind": self.kind,
            "rows_from": self.rows_from,
            "where": [condition.as_json() for condition in self.where],
            **listed,
            **self.refs,
        }


class _Selection:
    """The positions of a frame's rows that meet conditions. Each column is grouped once (its
    rows in order of their value's code), so selecting a group costs its size, not the frame's."""

    def __init__(self, frame: pd.DataFrame, separator: str):
        self.frame = frame
        self.separator = separator
        self._codes: dict[str, tuple[np.ndarray, pd.Index, np.ndarray, np.ndarray]] = {}
        self._positions: dict[tuple[str, str, Any], np.ndarray] = {}
        self._masks: dict[tuple[str, str, Any], np.ndarray] = {}
        self._split: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def _grouped(self, column: str) -> tuple[np.ndarray, pd.Index, np.ndarray, np.ndarray]:
        """The column's codes (-1 for a missing value), its distinct values, and its row
        positions ordered by code with where each code's run starts."""
        if column not in self._codes:
            codes, distinct = pd.factorize(self.frame[column])
            order = np.argsort(codes, kind="stable")
            starts = np.searchsorted(codes[order], np.arange(len(distinct) + 1))
            self._codes[column] = (codes, pd.Index(distinct), order, starts)
        return self._codes[column]

    def _code(self, column: str, value: Any) -> int | None:
        distinct = self._grouped(column)[1]
        try:
            found = distinct.get_loc(value)
        except (KeyError, TypeError):
            return None
        return int(found) if isinstance(found, int | np.integer) else None

    def positions(self, condition: Condition) -> np.ndarray:
        """The positions of the rows meeting one condition, ascending."""
        if condition.op == "equals":
            _, _, order, starts = self._grouped(condition.column)
            code = self._code(condition.column, condition.value)
            return order[starts[code] : starts[code + 1]] if code is not None else order[:0]
        key = (condition.column, condition.op, condition.value)
        if key not in self._positions:
            self._positions[key] = np.flatnonzero(self._mask(condition))
        return self._positions[key]

    def meets(self, condition: Condition, positions: np.ndarray) -> np.ndarray:
        """Whether each of these rows meets the condition."""
        if condition.op in ("equals", "differs"):
            codes = self._grouped(condition.column)[0][positions]
            code = self._code(condition.column, condition.value)
            if code is None:
                return np.full(len(positions), condition.op == "differs")
            return codes == code if condition.op == "equals" else codes != code
        return self._mask(condition)[positions]

    def _mask(self, condition: Condition) -> np.ndarray:
        key = (condition.column, condition.op, condition.value)
        if key not in self._masks:
            if condition.op == "differs":
                self._masks[key] = self.meets(condition, np.arange(len(self.frame)))
            elif condition.op == "includes":
                self._masks[key] = self._theme_mask(condition.column, str(condition.value))
            else:
                values = self.frame[condition.column].fillna("").astype(str)
                held = (values.str.strip() != "").to_numpy()
                self._masks[key] = held if condition.op == "recorded" else ~held
        return self._masks[key]

    def _theme_mask(self, column: str, name: str) -> np.ndarray:
        """The rows whose cell, split on the separator, holds the name."""
        if column not in self._split:
            self._split[column] = counts.theme_rows(self.frame[column], self.separator)
        owners, names = self._split[column]
        mask = np.zeros(len(self.frame), bool)
        mask[owners[names == name]] = True
        return mask

    def select(self, where: tuple[Condition, ...]) -> np.ndarray:
        """The positions of the rows meeting every condition, ascending: the smallest
        condition's rows, kept where they meet the others."""
        if not where:
            return np.arange(len(self.frame))
        smallest, *others = sorted(where, key=lambda condition: len(self.positions(condition)))
        kept = self.positions(smallest)
        for other in others:
            kept = kept[self.meets(other, kept)]
        return kept

    def values(self, column: str) -> np.ndarray:
        """The column as a numpy array, converted once."""
        key = (column, "values", None)
        if key not in self._positions:
            self._positions[key] = self.frame[column].to_numpy()
        return self._positions[key]

    def rows(self, positions: np.ndarray, columns: list[str]) -> pd.DataFrame:
        return self.frame[columns].iloc[positions]


class _Figures:
    """Collects figures, checking each value against its rows as it goes."""

    def __init__(
        self,
        recommendations: pd.DataFrame,
        left_out: pd.DataFrame,
        separator: str,
        max_rows: int | None = None,
    ):
        self.frames: dict[RowsFrom, _Selection] = {
            "recommendations": _Selection(recommendations, separator),
            "left out": _Selection(left_out, separator),
        }
        self.separator = separator
        self.max_rows = report_settings().register_max_rows if max_rows is None else max_rows
        self.figures: dict[str, Figure] = {}

    def value(self, figure: str) -> int | float:
        return self.figures[figure].value

    def select(self, where: tuple[Condition, ...], rows_from: RowsFrom) -> pd.DataFrame:
        """The rows meeting every condition, in the frame's order."""
        selection = self.frames[rows_from]
        return selection.frame.iloc[selection.select(where)]

    def positions(self, where: tuple[Condition, ...], rows_from: RowsFrom) -> np.ndarray:
        return self.frames[rows_from].select(where)

    def rows(self, where: tuple[Condition, ...], *columns: str) -> tuple[np.ndarray, pd.DataFrame]:
        """The positions of the recommendations meeting every condition, and those columns of
        them."""
        selection = self.frames["recommendations"]
        found = selection.select(where)
        return found, selection.rows(found, list(columns))

    def add(
        self,
        figure: str,
        value: Any,
        kind: str,
        computed: int | float,
        rows: np.ndarray,
        where: tuple[Condition, ...] = (),
        rows_from: RowsFrom = "recommendations",
        **refs: Any,
    ) -> None:
        if figure in self.figures:
            raise LineageError(f"{figure} is named twice")
        if value != computed:
            raise LineageError(f"{figure}: the report says {value}, its rows give {computed}")
        selection = self.frames[rows_from]
        listed = len(rows) <= self.max_rows
        self.figures[figure] = Figure(
            figure,
            value,
            kind,
            rows_from,
            where,
            tuple("" if pd.isna(r) else str(r) for r in selection.values("rec_id")[rows])
            if listed
            else (),
            tuple(int(r) for r in selection.values("sheet_row")[rows]) if listed else (),
            refs,
            None if listed else len(rows),
        )

    def count(
        self,
        figure: str,
        value: Any,
        where: tuple[Condition, ...] = (),
        rows_from: RowsFrom = "recommendations",
        **refs: Any,
    ) -> None:
        rows = self.positions(where, rows_from)
        self.add(figure, value, "count", len(rows), rows, where, rows_from, **refs)

    def percent_of(
        self,
        figure: str,
        value: Any,
        where: tuple[Condition, ...],
        denominator: str = TOTAL,
        **refs: Any,
    ) -> None:
        rows = self.positions(where, "recommendations")
        computed = counts.percent(len(rows), int(self.value(denominator)))
        self.add(
            figure, value, "percent-of", computed, rows, where, denominator=denominator, **refs
        )

    def distinct(
        self,
        figure: str,
        value: Any,
        where: tuple[Condition, ...],
        columns: tuple[str, ...],
        **refs: Any,
    ) -> None:
        rows, cells = self.rows(where, *columns)
        if columns == ("themes",):
            computed = counts.explode_themes(cells, self.separator)["theme"].nunique()
            refs["separator"] = self.separator
        else:
            computed = len(cells.drop_duplicates())
        self.add(figure, value, "distinct", computed, rows, where, columns=list(columns), **refs)

    def ratio(
        self,
        figure: str,
        value: Any,
        where: tuple[Condition, ...],
        numerator: str,
        denominator: str,
        **refs: Any,
    ) -> None:
        rows = self.positions(where, "recommendations")
        computed = counts.per(int(self.value(numerator)), int(self.value(denominator)))
        self.add(
            figure,
            value,
            "ratio",
            computed,
            rows,
            where,
            numerator=numerator,
            denominator=denominator,
            places=1,
            **refs,
        )

    def total(self, figure: str, value: Any, parts: tuple[str, ...]) -> None:
        """A sum of figures; its rows are theirs, in order (it has no where of its own)."""
        if value != sum(self.value(part) for part in parts):
            raise LineageError(f"{figure}: the report says {value}, its parts do not add up")
        of = [self.figures[part] for part in parts]
        rows = sum(part.row_count for part in of)
        listed = all(part.rows is None for part in of) and rows <= self.max_rows
        self.figures[figure] = Figure(
            figure,
            value,
            "sum",
            "parts",
            (),
            tuple(r for part in of for r in part.rec_ids) if listed else (),
            tuple(r for part in of for r in part.sheet_rows) if listed else (),
            {"parts": list(parts)},
            None if listed else rows,
        )

    def row_value(
        self, figure: str, value: Any, rec_id: str, value_column: str, **refs: Any
    ) -> None:
        where = (equals("rec_id", rec_id),)
        rows, cells = self.rows(where, value_column)
        computed = int(cells[value_column].iloc[0]) if len(rows) == 1 else None
        self.add(
            figure, value, "row-value", computed, rows, where, value_column=value_column, **refs
        )

    def median(
        self,
        figure: str,
        value: Any,
        where: tuple[Condition, ...],
        value_column: str,
        **refs: Any,
    ) -> None:
        rows, cells = self.rows(where, value_column)
        computed = median_days(cells[value_column])
        self.add(figure, value, "median", computed, rows, where, value_column=value_column, **refs)

    def median_count(
        self, figure: str, value: Any, where: tuple[Condition, ...], column: str, **refs: Any
    ) -> None:
        rows, cells = self.rows(where, column)
        computed = median_days(cells.groupby(column).size())
        kind = "median-count"
        self.add(figure, value, kind, computed, rows, where, columns=[column], **refs)

    def median_days(
        self,
        figure: str,
        value: Any,
        where: tuple[Condition, ...],
        dates: tuple[str, str],
        **refs: Any,
    ) -> None:
        rows, cells = self.rows(where, *dates)
        computed = median_days((cells[dates[1]] - cells[dates[0]]).dt.days)
        self.add(figure, value, "median-days", computed, rows, where, dates=list(dates), **refs)


def explain_variables(figures: _Figures, variables: Mapping[str, Any], taxonomy: Taxonomy) -> None:
    """Every number in _variables.yml, its groups named as the variables name them."""
    tally, inputs = variables["counts"], variables["input"]
    completed = equals("status", taxonomy.implemented_status)
    impact = recorded("evidence_of_impact")
    figures.count(TOTAL, tally["total"])
    figures.distinct("counts.sources", tally["sources"], (), ("source_type", "source_name"))
    figures.distinct("counts.agencies", tally["agencies"], (), ("agency",))
    figures.count("counts.with_themes", tally["with_themes"], (recorded("themes"),))
    figures.count("counts.completed", tally["completed"], (completed,))
    figures.count(
        "counts.completed_with_impact", tally["completed_with_impact"], (completed, impact)
    )
    figures.count("counts.with_impact", tally["with_impact"], (impact,))
    done = variables["implementation"]
    figures.count("implementation.open", done["open"], (equals("closed", False),))
    figures.count("implementation.overdue", done["overdue"], (equals("overdue", True),))
    figures.distinct("themes.count", variables["themes"]["count"], (), ("themes",))
    for source, count in variables["themes"]["from"].items():
        figures.count(f"themes.from.{source}", count, (equals("theme_source", source),))
    first = variables["source_types"]["first"]
    of_type = (equals("source_type", first["name"]),)
    figures.distinct("source_types.first.sources", first["sources"], of_type, ("source_name",))
    figures.count("source_types.first.recommendations", first["recommendations"], of_type)
    figures.percent_of("source_types.first.percent", first["percent"], of_type)
    for ranked, column in (("areas", "area_of_learning"), ("agencies", "agency")):
        for ordinal, entry in variables.get(ranked, {}).items():
            where = (equals(column, entry["name"]),)
            figures.count(f"{ranked}.{ordinal}.recommendations", entry["recommendations"], where)
            figures.percent_of(f"{ranked}.{ordinal}.percent", entry["percent"], where)
            if "top_area" in entry:
                figures.count(
                    f"{ranked}.{ordinal}.top_area_count",
                    entry["top_area_count"],
                    (*where, equals("area_of_learning", entry["top_area"])),
                )
    explain_evidence(figures, variables.get("evidence", {}), completed)
    explain_quality(figures, variables["quality"], variables["restated"])
    outside = (equals("reason", str(Reason.OUTSIDE_PERIOD)),)
    figures.count("input.outside_period", inputs["outside_period"], outside, "left out")
    figures.total("input.rows_read", inputs["rows_read"], (TOTAL, "input.outside_period"))
    blank = (equals("reason", str(Reason.BLANK)),)
    figures.count("input.blank_rows", inputs["blank_rows"], blank, "left out")
    figures.total(
        "input.rows_below_header",
        inputs["rows_below_header"],
        ("input.rows_read", "input.blank_rows"),
    )


def explain_evidence(figures: _Figures, evidence: Mapping[str, Any], completed: Condition) -> None:
    """The call for evidence's numbers (bundle/evidence.py), when returns were given."""
    if not evidence:
        return
    figures.count("evidence.answered", evidence["answered"], (recorded("impact_level"),))
    for group_name, column in (("levels", "impact_level"), ("embedded", "embedded")):
        for answer in IMPACT_LEVELS if column == "impact_level" else EMBEDDED:
            key = f"evidence.{group_name}.{key_of(answer)}"
            figures.count(key, evidence[group_name][key_of(answer)], (equals(column, answer),))
    parts = []
    for level in IMPACT_REACHED:
        key = f"evidence.completed_at.{key_of(level)}"
        where = (completed, equals("impact_level", level))
        figures.count(key, evidence["completed_at"][key_of(level)], where)
        parts.append(key)
    figures.total("evidence.completed_with_impact", evidence["completed_with_impact"], tuple(parts))


def explain_quality(
    figures: _Figures, quality: Mapping[str, Any], restated: Mapping[str, Any]
) -> None:
    """The quality section's numbers (bundle/quality.py)."""
    every = (PASSING,)
    figures.count("quality.every_check", quality["every_check"], every)
    figures.percent_of("quality.every_check_percent", quality["every_check_percent"], every)
    if worst := quality.get("most_failed"):
        failing = (equals(check_column(worst["check"]), False),)
        figures.count("quality.most_failed.failing", worst["failing"], failing)
    figures.count("restated.count", restated["count"], (recorded(RESTATES),))


PASSING = equals(EVERY_CHECK, True)
OVERDUE = equals("overdue", True)
# The count columns of the review's tables: the conditions each adds to its row's group.
COUNTED: dict[str, Callable[[Taxonomy], tuple[Condition, ...]]] = {
    "recommendations": lambda taxonomy: (),
    "completed": lambda taxonomy: (equals("status", taxonomy.implemented_status),),
    "open": lambda taxonomy: (equals("closed", False),),
    "overdue": lambda taxonomy: (OVERDUE,),
    "passing": lambda taxonomy: (PASSING,),
}
DAYS_TO_COMPLETE = ("date_agreed", "date_completed")


def explain_table(
    figures: _Figures, name: str, frame: pd.DataFrame, result: Analysis, taxonomy: Taxonomy
) -> None:
    """Every number in one table: its rows are the group its row names."""
    if "rec_id" in frame.columns:  # a listing: one recommendation a row
        for row, record in enumerate(frame.to_dict("records")):
            for column in frame.columns.intersection(ROW_VALUES):
                figure, cell = f"table:{name}:{record['rec_id']}:{column}", record[column]
                where = {"table": name, "row": row, "column": column}
                figures.row_value(figure, cell, record["rec_id"], column, **where)
        return
    keys = [column for column in frame.columns if column in GROUP_COLUMNS]
    values = [column for column in frame.columns if column not in keys]
    for row, record in enumerate(frame.to_dict("records")):
        where = tuple(row_condition(key, record[key]) for key in keys)
        prefix = f"table:{name}:{' / '.join(str(record[key]) for key in keys)}"
        for column in values:
            cell = {"table": name, "row": row, "column": column}
            figure, value = f"{prefix}:{column}", record[column]
            if column in WORD_COLUMNS or pd.isna(value):
                continue
            if column in COUNTED:
                figures.count(figure, value, (*where, *COUNTED[column](taxonomy)), **cell)
            elif column == "median_days_late":
                figures.median(figure, value, (*where, OVERDUE), "days_overdue", **cell)
            elif column == "median_days_to_complete":
                completed = (*where, *COUNTED["completed"](taxonomy))
                figures.median_days(figure, value, completed, DAYS_TO_COMPLETE, **cell)
            elif column == "percent":
                figures.percent_of(figure, value, where, **cell)
            elif column == "percent_passing":
                whole = f"{prefix}:recommendations"
                figures.percent_of(figure, value, (*where, PASSING), whole, **cell)
            elif column == "peer_median":
                peers = (equals("source_type", record["source_type"]),)
                peers += (Condition("source_name", "differs", record["source_name"]),)
                figures.median_count(figure, value, peers, "source_name", **cell)
            elif column == "sources":
                figures.distinct(figure, value, where, ("source_name",), **cell)
            elif column == "per_source":
                numerator, denominator = f"{prefix}:recommendations", f"{prefix}:sources"
                figures.ratio(figure, value, where, numerator, denominator, **cell)
            elif column == "areas":
                explain_areas(
                    figures, prefix, where, result.agency_area.loc[record["agency"]], cell
                )
            else:
                raise LineageError(f"table {name}: no lineage rule for column {column!r}")


def row_condition(key: str, value: str) -> Condition:
    """The rows a table's row names by one of its group columns: a theme is one of the cell's
    themes, a quality check is the recommendations passing it."""
    if key == "theme":
        return Condition("themes", "includes", value)
    if key == "check":
        return equals(check_column(value), True)
    return group(key, value)


def explain_areas(
    figures: _Figures,
    prefix: str,
    where: tuple[Condition, ...],
    areas: pd.Series,
    cell: dict[str, Any],
) -> None:
    """The 'Area n' pieces of one agency's row: one figure per area it has recommendations in."""
    for area, count in areas.drop("Total").items():
        if count:
            figures.count(
                f"{prefix}:{area}",
                int(count),
                (*where, group("area_of_learning", str(area))),
                **cell,
                label=str(area),
            )


def numbers(values: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted key, value) for every number in nested variables."""
    for key, value in values.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from numbers(value, f"{path}.")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            yield path, value


def figure_lineage(
    result: Analysis,
    variables: Mapping[str, Any],
    left_out: pd.DataFrame,
    taxonomy: Taxonomy | None = None,
    max_rows: int | None = None,
) -> list[Figure]:
    """Every number the report states, in the order of the variables then the tables; raises
    LineageError when a number does not follow from its rows or has no lineage. max_rows
    (default: the configured register_max_rows) is the most rows a figure lists, and the
    longest listing the review prints."""
    taxonomy = taxonomy or default_taxonomy()
    figures = _Figures(result.recommendations, left_out, taxonomy.list_separator, max_rows)
    explain_variables(figures, variables, taxonomy)
    if missing := [path for path, _ in numbers(variables) if path not in figures.figures]:
        raise LineageError(f"no lineage for the variables {', '.join(missing)}")
    for name, frame in table_frames(result).items():
        if name not in SPECS or SPECS[name].listed(len(frame), figures.max_rows):
            explain_table(figures, name, frame, result, taxonomy)
    return list(figures.figures.values())


def lineage_json(figures: list[Figure], max_rows: int | None = None) -> dict[str, Any]:
    return {
        "kinds": KINDS,
        "rows_from": ROWS_FROM,
        "rows": ROWS,
        "rows_listed_up_to": report_settings().register_max_rows if max_rows is None else max_rows,
        "figures": [figure.as_json() for figure in figures],
    }


def write_lineage(
    result: Analysis,
    left_out: pd.DataFrame,
    bundle: BundleFiles,
    path: Path,
    taxonomy: Taxonomy | None = None,
) -> list[Figure]:
    """The lineage of the bundle's numbers, as its _variables.yml states them, into path."""
    variables = yaml.safe_load(bundle.variables.read_text(encoding="utf-8"))
    figures = figure_lineage(result, variables, left_out, taxonomy)
    write_json(lineage_json(figures), path)
    return figures
