"""The checks, as data: what each one means to an auditor, how serious a failure is, and the GX
expectations that test it. Add a check by adding one entry to CHECKS."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from impact_review.intake.taxonomy import Taxonomy, default_taxonomy
from impact_review.intake.themes import THEME_COLUMNS, THEME_SOURCES
from impact_review.intake.trail import Reason


class Deferred:
    """A module imported when first used: importing Great Expectations takes seconds, and
    listing the checks (the auditor's page, the tests' parameters) needs none of it."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        module: ModuleType = importlib.import_module(self._name)
        return getattr(module, attribute)


if TYPE_CHECKING:
    import great_expectations.expectations as gxe
    from great_expectations.expectations import row_conditions
else:
    gxe = Deferred("great_expectations.expectations")
    row_conditions = Deferred("great_expectations.expectations.row_conditions")


def where(column: str) -> Any:
    """A row condition on column, for an expectation's row_condition."""
    return row_conditions.Column(column)


Severity = Literal["critical", "warning"]
# The tracker as read, the cleaned recommendations, and the rows cleaning left out.
SuiteName = Literal["raw", "clean", "left_out"]
# Columns that name a failing row in results; neither holds personal data.
ROW_KEYS = ("rec_id", "sheet_row")


@dataclass(frozen=True)
class SuiteParameters:
    """What a run's suites depend on besides the data."""

    period_start: date
    period_end: date
    source_type_from_sheet: bool = False
    taxonomy: Taxonomy = field(default_factory=default_taxonomy)
    as_at: date | None = None  # the run's as-at date; None means the period's end
    # Every date agreed in the tracker (a continuing tracker's later years extend what is
    # plausible: PlausibleDates.latest).
    dates_agreed: tuple[date, ...] = ()

    def __post_init__(self) -> None:
        if self.period_start > self.period_end:
            raise ValueError(f"period starts {self.period_start} after it ends {self.period_end}")

    @property
    def earliest_agreed(self) -> date:
        return self.taxonomy.plausible_date_agreed.earliest

    @property
    def latest_agreed(self) -> date:
        return self.taxonomy.plausible_date_agreed.latest(
            self.as_at or self.period_end, self.dates_agreed
        )


@dataclass(frozen=True)
class Check:
    """One rule. `description` may name {period_start}, {period_end}, and {earliest} and
    {latest} (the plausible dates agreed). `optional_description` replaces it when the
    partnership's configuration makes one of the check's columns optional."""

    id: str
    suite: SuiteName
    severity: Severity
    columns: tuple[str, ...]
    description: str
    expectations: Callable[[SuiteParameters], list[gxe.Expectation]]
    optional_description: str | None = None

    def description_for(self, params: SuiteParameters) -> str:
        optional = not all(is_required(column, params) for column in self.columns)
        wording = self.optional_description if optional else None
        return (wording or self.description).format(
            period_start=params.period_start.isoformat(),
            period_end=params.period_end.isoformat(),
            earliest=params.earliest_agreed.isoformat(),
            latest=params.latest_agreed.isoformat(),
        )

    def built(self, params: SuiteParameters) -> list[gxe.Expectation]:
        """The expectations, labelled so Data Docs and results say which check they belong to."""
        description = self.description_for(params)
        built = self.expectations(params)
        for expectation in built:
            expectation.meta = {
                "check_id": self.id,
                "description": description,
                "severity": self.severity,
            }
            # Data Docs show this in place of GX's own wording, which for a set or a regex would
            # list every taxonomy name; the id ties the line to validation-summary.json.
            expectation.description = f"{description} [{self.id}]"
            expectation.severity = self.severity
            expectation.notes = (
                f"Check `{self.id}`, severity **{self.severity}**: `{expectation.expectation_type}`"
            )
        return built


def is_required(column: str, params: SuiteParameters) -> bool:
    """Whether the partnership's configuration requires the column (columns not in the
    tracker's schema, such as the reason a row was left out, are)."""
    return all(spec.required for spec in params.taxonomy.columns if spec.field == column)


def required_tracker_columns(params: SuiteParameters) -> list[str]:
    """The columns a tracker must have, per the taxonomy file."""
    return [
        spec.field
        for spec in params.taxonomy.columns
        if spec.required and not (spec.field == "source_type" and params.source_type_from_sheet)
    ]


def dictionary_columns(params: SuiteParameters) -> list[str]:
    """Every column of the cleaned table (docs/data-dictionary.md)."""
    return [spec.field for spec in params.taxonomy.columns] + ["sheet_row", *THEME_COLUMNS]


def joined_names_pattern(names: tuple[str, ...], separator: str) -> str:
    """A regex matching "" or canonical names joined by separator, and nothing else."""
    one = "(?:" + "|".join(re.escape(name) for name in names) + ")"
    return f"^(?:{one}(?:{re.escape(separator)}{one})*)?$"


def has_columns(columns: list[str]) -> gxe.Expectation:
    return gxe.ExpectTableColumnsToMatchSet(column_set=columns, exact_match=False)


def not_null(column: str, **kwargs) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToNotBeNull(column=column, **kwargs)


# Every character Python's \s matches (those str.isspace() accepts), written out: pandas runs a
# pattern holding \s or \S through Python's re a value at a time, and one without it through
# pyarrow's RE2 (a second per column at a million rows against a few milliseconds).
WHITE_SPACE = "\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Matches a value with a character that is not white space: Python's \S, spelled for RE2 too.
NOT_WHITE_SPACE = f"[^{WHITE_SPACE}]"


def has_text(column: str) -> gxe.Expectation:
    """Fails on "" and white space, which not_null lets through."""
    return gxe.ExpectColumnValuesToMatchRegex(column=column, regex=NOT_WHITE_SPACE)


def recorded(column: str) -> list[gxe.Expectation]:
    return [not_null(column), has_text(column)]


def unique(column: str) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeUnique(column=column)


def in_set(column: str, values: tuple[str, ...], **kwargs) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=list(values), **kwargs)


def not_before(later: str, earlier: str) -> gxe.Expectation:
    """Rows missing either date pass: whether a date is recorded is a separate check."""
    return gxe.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=later, column_B=earlier, or_equal=True, ignore_row_if="either_value_is_missing"
    )


def plausibly_dated(column: str, params: SuiteParameters) -> list[gxe.Expectation]:
    """Rows left out as agreed outside the period have a date, and a plausible one."""
    outside = where("reason") == str(Reason.OUTSIDE_PERIOD)
    return [
        not_null(column, row_condition=outside),
        gxe.ExpectColumnValuesToBeBetween(
            column=column,
            min_value=pd.Timestamp(params.earliest_agreed),
            max_value=pd.Timestamp(params.latest_agreed),
            row_condition=outside,
        ),
    ]


def completed_by_as_at(params: SuiteParameters) -> Any:
    """Rows with a date completed on or before the run's as-at date."""
    completed = where("date_completed")
    return completed.is_not_null() & (completed <= (params.as_at or params.period_end).isoformat())


def in_taxonomy_check(column: str, vocabulary: str, description: str) -> Check:
    """Every value of a cleaned column is a canonical name of its taxonomy list (a blank passes:
    whether a value is recorded is a separate check)."""
    return Check(
        id=f"clean.{column}.in_taxonomy",
        suite="clean",
        severity="critical",
        columns=(column,),
        description=description,
        expectations=lambda p: [in_set(column, getattr(p.taxonomy, vocabulary).names)],
    )


def recorded_check(column: str, description: str) -> Check:
    """A mandatory column of the cleaned table has a value in every row; where the partnership's
    configuration makes the column optional (area of learning, for a tracker of themes), only
    that the cleaned table has it."""

    def expectations(p: SuiteParameters) -> list[gxe.Expectation]:
        if not is_required(column, p):
            return [gxe.ExpectColumnToExist(column=column)]
        return [not_null(column)] if column in p.taxonomy.date_fields else recorded(column)

    return Check(
        id=f"clean.{column}.recorded",
        suite="clean",
        severity="critical",
        columns=(column,),
        description=description,
        expectations=expectations,
        optional_description=(
            f"The cleaned table has the {column.replace('_', ' ')} column, which may be blank:"
            " the partnership's configuration makes it optional"
        ),
    )


CHECKS: tuple[Check, ...] = (
    Check(
        id="raw.columns.required",
        suite="raw",
        severity="critical",
        columns=(),
        description=(
            "The tracker has every column the review needs: reference, source review, source type"
            " (unless a sources sheet gives it), agency, area of learning, recommendation and"
            " date agreed"
        ),
        expectations=lambda p: [has_columns(required_tracker_columns(p))],
    ),
    Check(
        id="raw.rec_id.recorded",
        suite="raw",
        severity="critical",
        columns=("rec_id",),
        description="Every row of the tracker has a reference",
        expectations=lambda _: recorded("rec_id"),
    ),
    Check(
        id="raw.rec_id.unique",
        suite="raw",
        severity="critical",
        columns=("rec_id",),
        description="No reference is used on two rows of the tracker",
        expectations=lambda _: [unique("rec_id")],
    ),
    Check(
        id="clean.columns.present",
        suite="clean",
        severity="critical",
        columns=(),
        description="The cleaned table has every column in the data dictionary",
        expectations=lambda p: [has_columns(dictionary_columns(p))],
    ),
    Check(
        id="clean.rec_id.unique",
        suite="clean",
        severity="critical",
        columns=("rec_id",),
        description="Every recommendation has a reference, and no reference is used twice",
        expectations=lambda _: [*recorded("rec_id"), unique("rec_id")],
    ),
    recorded_check("source_name", "Every recommendation names the review it came from"),
    recorded_check("source_type", "Every recommendation has a source type"),
    recorded_check("agency", "Every recommendation names the agency it is for"),
    recorded_check("area_of_learning", "Every recommendation has an area of learning"),
    recorded_check("recommendation", "Every recommendation has its text"),
    recorded_check("date_agreed", "Every recommendation has the date it was agreed"),
    in_taxonomy_check(
        "source_type", "source_types", "Every source type is one of the types in the taxonomy"
    ),
    in_taxonomy_check("agency", "agencies", "Every agency is one of the agencies in the taxonomy"),
    in_taxonomy_check(
        "area_of_learning", "areas", "Every area of learning is one of the areas in the taxonomy"
    ),
    in_taxonomy_check(
        "priority", "priorities", "Every priority recorded is one of the priorities in the taxonomy"
    ),
    Check(
        id="clean.themes.in_taxonomy",
        suite="clean",
        severity="critical",
        columns=("themes",),
        description="Every theme is one of the themes in the taxonomy",
        expectations=lambda p: [
            gxe.ExpectColumnValuesToMatchRegex(
                column="themes",
                regex=joined_names_pattern(p.taxonomy.themes.names, p.taxonomy.list_separator),
            )
        ],
    ),
    Check(
        id="clean.theme_source.known",
        suite="clean",
        severity="critical",
        columns=("theme_source",),
        description=(
            "Every recommendation says where its themes came from: an override, the tracker's"
            " theme column, a keyword rule, or none"
        ),
        expectations=lambda _: [not_null("theme_source"), in_set("theme_source", THEME_SOURCES)],
    ),
    Check(
        # Cleaning keeps the rows agreed in the period and leaves the rest out, so a check on the
        # cleaned table that they are in the period could never fail. What can go wrong is a
        # mistyped year that sends a recommendation out of the period: this looks at those rows.
        id="left_out.date_agreed.plausible",
        suite="left_out",
        severity="critical",
        columns=("date_agreed",),
        description=(
            "Every row left out as agreed outside the period ({period_start} to {period_end})"
            " has a plausible date agreed, from {earliest} to {latest} (the as-at date plus the"
            " margin in the taxonomy, carried on through later dates agreed no further apart):"
            " a mistyped year would otherwise drop a recommendation from the review unseen"
        ),
        expectations=lambda p: plausibly_dated("date_agreed", p),
    ),
    Check(
        id="clean.due_date.not_before_agreed",
        suite="clean",
        severity="warning",
        columns=("due_date", "date_agreed"),
        description="No target date is earlier than the date the recommendation was agreed",
        expectations=lambda _: [not_before("due_date", "date_agreed")],
    ),
    Check(
        id="clean.date_completed.not_before_agreed",
        suite="clean",
        severity="warning",
        columns=("date_completed", "date_agreed"),
        description="No completion date is earlier than the date the recommendation was agreed",
        expectations=lambda _: [not_before("date_completed", "date_agreed")],
    ),
    Check(
        id="clean.status.recognised",
        suite="clean",
        severity="warning",
        columns=("status",),
        description="Every recommendation has a status, and it is one the taxonomy recognises",
        expectations=lambda p: [not_null("status"), in_set("status", p.taxonomy.statuses.names)],
    ),
    Check(
        id="clean.status.completed_has_date",
        suite="clean",
        severity="warning",
        columns=("date_completed", "status"),
        description="Every recommendation marked Completed has a completion date",
        expectations=lambda p: [
            not_null(
                "date_completed",
                row_condition=where("status") == p.taxonomy.implemented_status,
            )
        ],
    ),
    Check(
        id="clean.date_completed.status_closed",
        suite="clean",
        severity="warning",
        columns=("status", "date_completed"),
        description=(
            "A recommendation completed by the as-at date has a closed status (one completed"
            " after it was open on it, and is counted so)"
        ),
        expectations=lambda p: [
            not_null("status", row_condition=completed_by_as_at(p)),
            in_set("status", p.taxonomy.closed_statuses, row_condition=completed_by_as_at(p)),
        ],
    ),
)


def checks_in(suite: SuiteName, checks: tuple[Check, ...] = CHECKS) -> tuple[Check, ...]:
    return tuple(check for check in checks if check.suite == suite)


def check_by_id(check_id: str, checks: tuple[Check, ...] = CHECKS) -> Check:
    for check in checks:
        if check.id == check_id:
            return check
    raise KeyError(check_id)
