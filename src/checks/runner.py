"""Run the suites with Great Expectations: one throwaway context, one validation per frame and
severity, Data Docs into a folder of the caller's choosing (or none), and beside them a summary
of counts and the first row ids, and a file per failed check naming every failing row (found by
checks.failing, counted by GX)."""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, get_args

import great_expectations as gx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from great_expectations.core.batch_definition import BatchDefinition
from great_expectations.core.expectation_validation_result import (
    ExpectationSuiteValidationResult,
    ExpectationValidationResult,
)
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.types.base import ProgressBarsConfig
from pandas.api.types import is_datetime64_any_dtype

from checks import failing
from checks.datadocs import finish_site
from checks.report import CheckResult, ValidationReport, summary, write_summary
from checks.suites import (
    CHECKS,
    NOT_WHITE_SPACE,
    ROW_KEYS,
    Check,
    Severity,
    SuiteName,
    SuiteParameters,
    checks_in,
)
from impact_review.exports import write_csv
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
# Beside the Data Docs: one CSV per check that failed on rows, naming every one of them.
FAILING_ROWS_DIR = "failing-rows"
# How many of a check's failing rows Data Docs name (the file has them all).
ROWS_IN_DOCS = 10


def suite_name(suite: SuiteName, severity: Severity) -> str:
    """The GX suite name, as Data Docs show it: one suite per frame and severity, so a failed
    warning never makes a critical suite look failed."""
    return f"impact-review-{suite}-{severity}"


# Counts only, no cell values (tracker text may hold personal data): COMPLETE or SUMMARY would
# have GX name every failing row in a Python loop (minutes at a million rows); checks.failing
# finds them instead, and the runner checks its counts against these.
RESULT_FORMAT: dict[str, Any] = {
    "result_format": "BASIC",
    "partial_unexpected_count": 0,
    # GX 1.24 spells the switch this way (the docs call it unexpected_metrics_with_values).
    "exclude_unexpected_values": True,
    "include_unexpected_rows": False,
    "return_unexpected_index_query": False,
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
    # Given whole: adding expectations one by one re-serialises the suite each time.
    expectation_suite = context.suites.add(
        gx.ExpectationSuite(
            name=suite_name(suite, severity),
            expectations=[expectation for check in checks for expectation in check.built(params)],
        )
    )
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


def columns_read(definition: gx.ValidationDefinition) -> set[str] | None:
    """Every column the definition's expectations read; None if one of them cannot say."""
    read: set[str] = set()
    for expectation in definition.suite.expectations:
        columns = failing.columns_read(expectation.configuration)
        if columns is None:
            return None
        read |= columns
    return read


def frame_for_gx(frame: pd.DataFrame, read: set[str] | None) -> pd.DataFrame:
    """The frame with every column no expectation reads replaced by an empty placeholder of the
    same name. GX's pandas engine copies the whole frame for each expectation (its null filter,
    its row conditions) and hashes it for each batch: at a million rows, copying free-text columns
    nobody checks was most of a run. The column checks still see every column (the batch
    fingerprint in Data Docs is of what GX was given)."""
    if read is None:
        return frame
    unread = [column for column in frame.columns if column not in read]
    if not unread:
        return frame
    placeholder = pd.Categorical.from_codes(np.full(len(frame), -1, dtype=np.int8), categories=[])
    return frame.assign(**{column: placeholder for column in unread})


def documented(
    result: ExpectationSuiteValidationResult, samples: Mapping[str, str]
) -> ExpectationSuiteValidationResult:
    """The result as Data Docs should show it: the asset named, each failed expectation with its
    check's first failing rows (samples, by check id), and nothing that differs between two
    runs on the same data (GX's load time and its random validation id)."""
    meta = result.meta
    asset = meta.get("active_batch_definition", {}).get("data_asset_name")
    meta["batch_spec"] = {"data_asset_name": asset, **meta.get("batch_spec", {})}
    meta.get("batch_markers", {}).pop("ge_load_time", None)
    meta.pop("validation_id", None)
    meta.pop("checkpoint_id", None)
    for expectation in result.results:
        config = expectation.expectation_config
        sample = samples.get((config.meta or {}).get("check_id"))
        if sample and not expectation.success:
            config.description = f"{config.description}. {sample}"
    return result


def build_data_docs(
    context: AbstractDataContext, docs_dir: Path, samples: Mapping[str, str] | None = None
) -> None:
    """Build the site once, from the stored results as documented(), then finish it offline."""
    store = context.validation_results_store
    for key in store.list_keys():
        store.set(key, documented(store.get(key), samples or {}))
    context.build_data_docs(site_names=[DOCS_SITE])
    finish_site(docs_dir)


def validated(
    frames: Mapping[SuiteName, pd.DataFrame],
    checks: tuple[Check, ...],
    params: SuiteParameters,
    docs_dir: Path | None,
    run_id: RunIdentifier,
) -> tuple[AbstractDataContext, list[ExpectationValidationResult]]:
    """Run every suite that has checks, in a context whose Data Docs site (given a docs_dir)
    is built there by build_data_docs."""
    context = ephemeral_context(docs_dir)
    context.data_sources.add_pandas(name=DATASOURCE)
    results = []
    for suite, frame in frames.items():
        for definition in validation_definitions(context, suite, checks, params):
            batch = {"dataframe": frame_for_gx(frame, columns_read(definition))}
            outcome = definition.run(
                batch_parameters=batch, result_format=RESULT_FORMAT, run_id=run_id
            )
            results.extend(outcome.results)
    return context, results


def expectation_results(
    frames: Mapping[SuiteName, pd.DataFrame],
    checks: tuple[Check, ...],
    params: SuiteParameters,
    docs_dir: Path | None,
    run_id: RunIdentifier,
) -> list[ExpectationValidationResult]:
    """Run every suite that has checks; with a docs_dir, build the Data Docs site there."""
    context, results = validated(frames, checks, params, docs_dir, run_id)
    if docs_dir is not None:
        build_data_docs(context, docs_dir)
    return results


def row_named(rec_id: str | None, sheet_row: Any) -> str:
    """'R-012 (sheet row 4)', or whichever half is known."""
    row = None if pd.isna(sheet_row) else f"sheet row {sheet_row}"
    if rec_id is None or row is None:
        return rec_id or row or "a row"
    return f"{rec_id} ({row})"


def failing_sample(rows: pd.DataFrame, path: str) -> str:
    """What Data Docs say of a check's failing rows: the first few, and where all of them are."""
    first = rows.head(ROWS_IN_DOCS)
    named = ", ".join(map(row_named, first["rec_id"], first["sheet_row"]))
    more = f", and {len(rows) - len(first):,} more" if len(rows) > len(first) else ""
    return f"Failing rows: {named}{more}; every one is listed in {path}, beside index.html"


def rec_id_texts(values: pd.Series) -> pd.Series:
    """References as text; a blank one is no reference (its sheet row identifies the row)."""
    if not isinstance(values.dtype, pd.StringDtype):
        values = values.astype(object).map(str, na_action="ignore").astype("str")
    blank = values.isna() | ~values.str.contains(NOT_WHITE_SPACE)
    return values.astype(object).where(~blank, None)


def sorted_texts(values: pd.Series) -> tuple[str, ...]:
    """The distinct texts in Python's order, sorted by pyarrow: UTF-8's byte order is the
    order of code points, which is how Python compares str."""
    distinct = pc.unique(pa.array(values.dropna(), type=pa.string()))
    return tuple(distinct.take(pc.array_sort_indices(distinct)).to_pylist())


def row_labels(masks: list[tuple[str, np.ndarray]], chosen: np.ndarray) -> pd.Series:
    """For each chosen row, the columns of the expectations it fails, joined in check order."""
    names = list(dict.fromkeys(name for name, _ in masks))
    code = np.zeros(int(chosen.sum()), dtype=np.int64)
    for name, mask in masks:
        code |= mask[chosen].astype(np.int64) << names.index(name)
    joined = {
        bits: "; ".join(name for i, name in enumerate(names) if bits >> i & 1)
        for bits in np.unique(code).tolist()
    }
    return pd.Series(code).map(joined)


def named_rows(
    frame: pd.DataFrame, masks: list[tuple[str, np.ndarray]], keys: list[str]
) -> pd.DataFrame:
    """rec_id, sheet_row and failed columns of every row failing one of masks, once each, in
    sheet-row order: what the failing-rows file lists (no cell values)."""
    chosen = (
        np.logical_or.reduce([mask for _, mask in masks]) if masks else np.zeros(len(frame), bool)
    )
    where = np.flatnonzero(chosen)
    n = len(where)
    rows = pd.DataFrame(
        {
            "rec_id": (
                rec_id_texts(frame["rec_id"].iloc[where].reset_index(drop=True))
                if "rec_id" in keys
                else pd.Series([None] * n, dtype=object)
            ),
            "sheet_row": (
                pd.array(frame["sheet_row"].iloc[where].to_numpy(), dtype="Int64")
                if "sheet_row" in keys
                else pd.array([None] * n, dtype="Int64")
            ),
            "columns": row_labels(masks, chosen),
        }
    )
    if not keys:
        return rows.iloc[:0]
    sheet_rows = rows["sheet_row"]
    # Sheet rows are unique and in order in any frame cleaning writes: then there is no work.
    if not (sheet_rows.notna().all() and sheet_rows.is_unique):
        rows = rows.drop_duplicates(list(ROW_KEYS))
    if not rows["sheet_row"].is_monotonic_increasing:
        rows = rows.sort_values(["sheet_row", "rec_id"], kind="stable")
    return rows


def column_label(config: Any) -> str:
    return ", ".join(
        str(config.kwargs[key]) for key in failing.COLUMN_KWARGS if key in config.kwargs
    )


def counted_mask(
    check: Check, result: ExpectationValidationResult, frame: pd.DataFrame
) -> np.ndarray | None:
    """The rows failing result's expectation, checked against the count GX gave; None when GX
    counted none or could not run it."""
    counted = (result.result or {}).get("unexpected_count")
    if raised(result) or counted == 0:
        return None
    mask = failing.failing_mask(result.expectation_config, frame)
    if mask is not None and counted is not None and int(mask.sum()) != counted:
        raise RuntimeError(
            f"check {check.id}: GX counts {counted} rows failing"
            f" {result.expectation_config.type}, its row mask {int(mask.sum())}"
        )
    return mask


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


def checked(
    check: Check,
    params: SuiteParameters,
    results: list[ExpectationValidationResult],
    frame: pd.DataFrame,
    keys: list[str],
) -> tuple[CheckResult, pd.DataFrame]:
    """Fold one check's expectation results, with its failing rows: a row failing two of its
    expectations is counted once."""
    masks = [
        (column_label(r.expectation_config), mask)
        for r in results
        if (mask := counted_mask(check, r, frame)) is not None and mask.any()
    ]
    rows = named_rows(frame, masks, keys)
    columns = set().union(*(missing_columns(r.result) for r in results))
    unexpected = sum(r.result.get("unexpected_count") or 0 for r in results)
    result = CheckResult(
        id=check.id,
        suite=check.suite,
        description=check.description_for(params),
        severity=check.severity,
        columns=check.columns,
        success=bool(results) and all(r.success for r in results),
        failing_count=len(rows) or len(columns) or unexpected,
        failing_rec_ids=sorted_texts(rows["rec_id"]),
        failing_sheet_rows=tuple(np.unique(rows["sheet_row"].dropna().to_numpy(np.int64)).tolist()),
        missing_columns=tuple(sorted(columns)),
        errored=any(raised(r) for r in results),
    )
    return result, rows


def check_results(
    checks: tuple[Check, ...],
    params: SuiteParameters,
    results: list[ExpectationValidationResult],
    frames: Mapping[SuiteName, pd.DataFrame],
) -> dict[str, tuple[CheckResult, pd.DataFrame]]:
    """Each check's result and failing rows, by id, in the order of checks."""
    by_check: dict[str, list[ExpectationValidationResult]] = defaultdict(list)
    for result in results:
        by_check[(result.expectation_config.meta or {}).get("check_id")].append(result)
    keys = shared_row_keys(frames)
    return {
        check.id: checked(check, params, by_check[check.id], frames[check.suite], keys)
        for check in checks
    }


def write_failing_rows(rows: Mapping[str, pd.DataFrame], docs_dir: Path) -> dict[str, str]:
    """One CSV per check that failed on rows, listing every one of them by rec_id and sheet
    row with the columns it failed on; by check id, each file's path relative to docs_dir."""
    folder = docs_dir / FAILING_ROWS_DIR
    shutil.rmtree(folder, ignore_errors=True)
    written = {}
    for check_id, failed in rows.items():
        if failed.empty:
            continue
        folder.mkdir(exist_ok=True)
        path = folder / f"{check_id}.csv"
        write_csv(failed, path)  # a reference typed as "=..." must not run as a formula
        written[check_id] = path.relative_to(docs_dir).as_posix()
    return written


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
    context, gx_results = validated(frames, checks, params, docs_dir, run_id)
    outcomes = check_results(checks, params, gx_results, frames)
    results = tuple(result for result, _ in outcomes.values())
    if docs_dir is None:
        return ValidationReport(checks=results)
    files = write_failing_rows({key: rows for key, (_, rows) in outcomes.items()}, docs_dir)
    samples = {key: failing_sample(outcomes[key][1], path) for key, path in files.items()}
    build_data_docs(context, docs_dir, samples)
    counts = {suite: len(frame) for suite, frame in frames.items()}
    return ValidationReport(
        checks=results,
        summary_path=write_summary(summary(results, counts, run_at, files), docs_dir),
        docs_index=docs_dir / DATA_DOCS_INDEX,
    )
