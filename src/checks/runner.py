"""Run the suites with Great Expectations: one throwaway context, one validation per frame and
severity, Data Docs into a folder of the caller's choosing (or none), and a summary of counts and
row ids beside them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, get_args

import great_expectations as gx
import pandas as pd
from great_expectations.core.batch_definition import BatchDefinition
from great_expectations.core.expectation_validation_result import (
    ExpectationSuiteValidationResult,
    ExpectationValidationResult,
)
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.types.base import ProgressBarsConfig
from pandas.api.types import is_datetime64_any_dtype

from checks.datadocs import finish_site
from checks.report import CheckResult, ValidationReport, summary, write_summary
from checks.suites import (
    CHECKS,
    ROW_KEYS,
    Check,
    Severity,
    SuiteName,
    SuiteParameters,
    checks_in,
)
from impact_review.intake.taxonomy import Taxonomy, default_taxonomy
from impact_review.intake.trail import left_out_frame
from impact_review.layout import DATA_DOCS_INDEX

DOCS_SITE = "impact-review"
RUN_NAME = "impact-review"
DATASOURCE = "impact-review"
# What Data Docs call each frame (asset names also make the validation pages' file names).
ASSET_NAMES: dict[SuiteName, str] = {
    "raw": "tracker-as-read",
    "clean": "cleaned-recommendations",
    "left_out": "rows-left-out",
}
SEVERITIES: tuple[Severity, ...] = get_args(Severity)

Row = tuple[str | None, int | None]


def suite_name(suite: SuiteName, severity: Severity) -> str:
    """The GX suite name, as Data Docs show it: one suite per frame and severity, so a failed
    warning never makes a critical suite look failed."""
    return f"impact-review-{suite}-{severity}"


def result_format(row_keys: list[str]) -> dict[str, Any]:
    """COMPLETE, so every failing row is known, but with no cell values: tracker text may hold
    personal data, and SUMMARY/BASIC would copy up to 20 failing values into results and docs."""
    return {
        "result_format": "COMPLETE",
        "partial_unexpected_count": 0,
        # GX 1.24 spells the switch this way (the docs call it unexpected_metrics_with_values).
        "exclude_unexpected_values": True,
        "include_unexpected_rows": False,
        "return_unexpected_index_query": False,
        "unexpected_index_column_names": row_keys,
    }


def shared_row_keys(frames: Mapping[SuiteName, pd.DataFrame]) -> list[str]:
    """The row keys every frame has: one result format serves every suite, and an index
    column missing from a frame would make every expectation on it raise."""
    return [key for key in ROW_KEYS if all(key in frame.columns for frame in frames.values())]


def ephemeral_context(docs_dir: Path | None) -> AbstractDataContext:
    """An in-memory context: nothing written except, given docs_dir, the Data Docs site there."""
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    # The ephemeral context comes with a site in a temp folder; only ours is wanted.
    for site in list(context.list_data_docs_sites()):
        context.delete_data_docs_site(site)
    if docs_dir is not None:
        context.add_data_docs_site(
            site_name=DOCS_SITE,
            site_config={
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir.resolve()),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                "show_how_to_buttons": False,
            },
        )
    return context


def validation_definition(
    context: AbstractDataContext,
    batch: BatchDefinition,
    suite: SuiteName,
    severity: Severity,
    checks: tuple[Check, ...],
    params: SuiteParameters,
) -> gx.ValidationDefinition:
    expectation_suite = context.suites.add(gx.ExpectationSuite(name=suite_name(suite, severity)))
    for check in checks:
        for expectation in check.built(params):
            expectation_suite.add_expectation(expectation)
    return context.validation_definitions.add(
        gx.ValidationDefinition(
            name=suite_name(suite, severity), data=batch, suite=expectation_suite
        )
    )


def validation_definitions(
    context: AbstractDataContext,
    suite: SuiteName,
    checks: tuple[Check, ...],
    params: SuiteParameters,
) -> list[gx.ValidationDefinition]:
    """One per severity that has checks, all on the suite's frame, passed in at run time."""
    datasource = context.data_sources.get(DATASOURCE)
    asset = datasource.add_dataframe_asset(name=ASSET_NAMES[suite])
    batch = asset.add_batch_definition_whole_dataframe(name=ASSET_NAMES[suite])
    definitions = []
    for severity in SEVERITIES:
        chosen = tuple(check for check in checks_in(suite, checks) if check.severity == severity)
        if chosen:
            definitions.append(
                validation_definition(context, batch, suite, severity, chosen, params)
            )
    return definitions


def documented(result: ExpectationSuiteValidationResult) -> ExpectationSuiteValidationResult:
    """The result as Data Docs should show it: the asset named, and nothing that differs between
    two runs on the same data (GX's load time and its random validation id)."""
    meta = result.meta
    asset = meta.get("active_batch_definition", {}).get("data_asset_name")
    meta["batch_spec"] = {"data_asset_name": asset, **meta.get("batch_spec", {})}
    meta.get("batch_markers", {}).pop("ge_load_time", None)
    meta.pop("validation_id", None)
    meta.pop("checkpoint_id", None)
    return result


def build_data_docs(context: AbstractDataContext, docs_dir: Path) -> None:
    """Build the site once, from the stored results as documented(), then finish it offline."""
    store = context.validation_results_store
    for key in store.list_keys():
        store.set(key, documented(store.get(key)))
    context.build_data_docs(site_names=[DOCS_SITE])
    finish_site(docs_dir)


def expectation_results(
    frames: Mapping[SuiteName, pd.DataFrame],
    checks: tuple[Check, ...],
    params: SuiteParameters,
    docs_dir: Path | None,
    run_id: RunIdentifier,
) -> list[ExpectationValidationResult]:
    """Run every suite that has checks; with a docs_dir, build the Data Docs site there."""
    context = ephemeral_context(docs_dir)
    context.data_sources.add_pandas(name=DATASOURCE)
    row_format = result_format(shared_row_keys(frames))
    results = []
    for suite, frame in frames.items():
        for definition in validation_definitions(context, suite, checks, params):
            outcome = definition.run(
                batch_parameters={"dataframe": frame}, result_format=row_format, run_id=run_id
            )
            results.extend(outcome.results)
    if docs_dir is not None:
        build_data_docs(context, docs_dir)
    return results


def rec_id_text(value: Any) -> str | None:
    """A reference as text; a blank one is no reference (its sheet row identifies the row)."""
    if pd.isna(value) or not str(value).strip():
        return None
    return str(value)


def failing_rows(result: Mapping[str, Any]) -> set[Row]:
    """(rec_id, sheet_row) of each failing row. With values excluded, GX 1.24 returns
    [{"rec_id": [...], "sheet_row": [...]}]; without, one dict per row; both are read."""
    rows: set[Row] = set()
    for entry in result.get("unexpected_index_list") or []:
        if not isinstance(entry, Mapping):
            continue
        keys = {k: v if isinstance(v, list) else [v] for k, v in entry.items() if k in ROW_KEYS}
        count = max((len(values) for values in keys.values()), default=0)
        for i in range(count):
            rec_id, sheet_row = (keys.get(key, [None] * count)[i] for key in ROW_KEYS)
            rows.add((rec_id_text(rec_id), None if pd.isna(sheet_row) else int(sheet_row)))
    return rows


def raised(result: ExpectationValidationResult) -> bool:
    """Whether GX could not evaluate the expectation (e.g. its column is missing)."""
    info = result.exception_info or {}
    if "raised_exception" in info:
        return bool(info["raised_exception"])
    return any(
        isinstance(value, Mapping) and value.get("raised_exception") for value in info.values()
    )


def missing_columns(result: Mapping[str, Any]) -> set[str]:
    return set(result.get("details", {}).get("mismatched", {}).get("missing", []))


def check_result(
    check: Check, params: SuiteParameters, results: list[ExpectationValidationResult]
) -> CheckResult:
    """Fold one check's expectation results: a row failing two of them is counted once."""
    rows = set().union(*(failing_rows(r.result) for r in results))
    columns = set().union(*(missing_columns(r.result) for r in results))
    unexpected = sum(r.result.get("unexpected_count") or 0 for r in results)
    return CheckResult(
        id=check.id,
        suite=check.suite,
        description=check.description_for(params),
        severity=check.severity,
        columns=check.columns,
        success=bool(results) and all(r.success for r in results),
        failing_count=len(rows) or len(columns) or unexpected,
        failing_rec_ids=tuple(sorted({rec_id for rec_id, _ in rows if rec_id is not None})),
        failing_sheet_rows=tuple(sorted({row for _, row in rows if row is not None})),
        missing_columns=tuple(sorted(columns)),
        errored=any(raised(r) for r in results),
    )


def check_results(
    checks: tuple[Check, ...],
    params: SuiteParameters,
    results: list[ExpectationValidationResult],
) -> tuple[CheckResult, ...]:
    by_check: dict[str, list[ExpectationValidationResult]] = defaultdict(list)
    for result in results:
        by_check[(result.expectation_config.meta or {}).get("check_id")].append(result)
    return tuple(check_result(check, params, by_check[check.id]) for check in checks)


def require_date_columns(frames: Mapping[SuiteName, pd.DataFrame]) -> None:
    """A date column holding text is a cleaning bug, not a data fault. Caught here, because GX
    would put the comparison's traceback into Data Docs."""
    for suite in ("clean", "left_out"):
        for column in default_taxonomy().date_fields:
            values = frames[suite].get(column)
            if values is None or is_datetime64_any_dtype(values) or values.isna().all():
                continue
            raise TypeError(f"{suite} column {column!r} must be datetime64, not {values.dtype}")


def as_datetime(moment: date | datetime) -> datetime:
    if isinstance(moment, datetime):
        return moment
    return datetime(moment.year, moment.month, moment.day)


def validate_tracker(
    raw: pd.DataFrame,
    clean: pd.DataFrame,
    period_start: date,
    period_end: date,
    docs_dir: Path | None,
    *,
    left_out: pd.DataFrame | None = None,
    source_type_from_sheet: bool = False,
    as_at: date | datetime | None = None,
    taxonomy: Taxonomy | None = None,
    checks: tuple[Check, ...] = CHECKS,
) -> ValidationReport:
    """Validate the tracker as read, the cleaned table and the rows cleaning left out (none, if
    not given); build Data Docs and validation-summary.json in docs_dir, or write nothing when
    it is None (unit tests of single checks need only the results). Never raises on failed
    checks: call `raise_for_critical()` on the report."""
    frames: dict[SuiteName, pd.DataFrame] = {
        "raw": raw,
        "clean": clean,
        "left_out": left_out if left_out is not None else left_out_frame(()),
    }
    require_date_columns(frames)
    run_at = as_datetime(as_at) if as_at is not None else None
    params = SuiteParameters(
        period_start,
        period_end,
        source_type_from_sheet,
        taxonomy or default_taxonomy(),
        run_at.date() if run_at is not None else None,
        tuple(day.date() for day in frames["left_out"]["date_agreed"].dropna()),
    )
    if docs_dir is not None:
        docs_dir = Path(docs_dir)
        docs_dir.mkdir(parents=True, exist_ok=True)
    run_id = RunIdentifier(run_name=RUN_NAME, run_time=run_at)
    results = check_results(
        checks, params, expectation_results(frames, checks, params, docs_dir, run_id)
    )
    if docs_dir is None:
        return ValidationReport(checks=results)
    rows = {suite: len(frame) for suite, frame in frames.items()}
    return ValidationReport(
        checks=results,
        summary_path=write_summary(summary(results, rows, run_at), docs_dir),
        docs_index=docs_dir / DATA_DOCS_INDEX,
    )
