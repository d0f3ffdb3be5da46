"""The auditor's trail page (restricted): the tracker row of every recommendation analysed, every
tracker row left out and why, every spelling cleaning mapped, and the rows behind every number
the report states; and where each recommendation's themes came from, with those that have none.

Like the checks page beside it, it is one self-contained file that needs nothing but a browser.
It is written from the run's own files (the processed recommendations, left-out and mapping
tables, the lineage),
so it shows exactly what they hold: sheet rows, references, dates agreed and taxonomy spellings,
never a cell of a free-text column.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from impact_review.analyse.quality import CHECKS, untracked_fields, with_check_results
from impact_review.exports import write_csv
from impact_review.intake.processed import (
    CleanSummary,
    read_left_out_rows,
    read_recommendations,
    read_value_mappings,
)
from impact_review.intake.trail import LEFT_OUT_COLUMNS, MAPPING_COLUMNS
from impact_review.layout import DataQualityFiles, RunLayout
from impact_review.partnership import THEME_OVERRIDES_FILE
from impact_review.report_settings import report_settings

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:80rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #bbb;padding:.3rem;
text-align:left;vertical-align:top}th{background:#eef2f7}caption{text-align:left;font-weight:600}
"""


def _table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(_text(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>\n"
    )


@dataclass(frozen=True)
class Lists:
    """Where the page's lists go when they are longer than max_rows: a CSV file each, in
    folder (the page's own), which the page names instead of listing them."""

    folder: Path | None = None
    max_rows: int | None = None

    def table(self, name: str, caption: str, headers: Sequence[str], rows: pd.DataFrame) -> str:
        limit = report_settings().register_max_rows if self.max_rows is None else self.max_rows
        if len(rows) <= limit or self.folder is None:
            return _table(caption, headers, rows.itertuples(index=False))
        path = DataQualityFiles(self.folder).trail_listing(name)
        write_csv(rows.set_axis(list(headers), axis=1), path)
        return (
            f"<p>{escape(caption)}: {len(rows)} rows, too many for this page; they are listed in "
            f'<a href="{path.name}">{path.name}</a> beside it.</p>\n'
        )


def _text(value: Any) -> str:
    if value is None or (not isinstance(value, str | list) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def describe_rule(figure: Mapping[str, Any]) -> str:
    """How a figure follows from its rows, in a few words: 'percent-of counts.total where ...'."""
    rule = figure["kind"]
    for key in ("denominator", "numerator"):
        if key in figure:
            rule += f", {key} {figure[key]}"
    if "parts" in figure:
        rule += " of " + " + ".join(figure["parts"])
    if "columns" in figure:
        rule += " of " + ", ".join(figure["columns"])
    conditions = []
    for condition in figure["where"]:
        if condition["op"] == "recorded":
            conditions.append(f"{condition['column']} recorded")
        else:
            conditions.append(f"{condition['column']} {condition['op']} {condition['value']}")
    if conditions:
        rule += " where " + " and ".join(conditions)
    return f"{rule} (rows: {figure['rows_from']})"


def figure_rows(figure: Mapping[str, Any], lineage: Mapping) -> tuple[int, str]:
    """How many rows a figure counts, and their references, or, when the lineage does not list
    them (too many), what selects them."""
    if "rec_ids" in figure:
        return len(figure["rec_ids"]), ", ".join(figure["rec_ids"])
    limit = lineage.get("rows_listed_up_to")
    return figure["rows"], f"more than {limit}, not listed: the rule selects them"


THEME_COLUMNS = ("themes", "theme_source", "theme_rules")


def sheet_order(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows in sheet order (a stable sort: rows of one sheet row keep their order)."""
    return rows.sort_values("sheet_row", kind="mergesort")


def quality_failures(analysed: pd.DataFrame, lists: Lists | None = None) -> str:
    """For each quality check, the recommendations failing it; one sentence for a check whose
    field the tracker records for none (every recommendation fails it)."""
    lists = lists or Lists()
    checked = with_check_results(analysed)
    untracked = set(untracked_fields(checked))
    listed = ["rec_id", "source_name", "agency", "sheet_row"]
    in_sheet_order = sheet_order(checked[[*listed, *CHECKS]])
    parts = []
    for column, (name, field) in CHECKS.items():
        failing = in_sheet_order[~in_sheet_order[column]]
        if field in untracked:
            parts.append(
                f"<p>{escape(name)}: the tracker records no {escape(field.replace('_', ' '))} "
                f"for any recommendation, so all {len(failing)} fail it.</p>\n"
            )
            continue
        if failing.empty:
            parts.append(f"<p>{escape(name)}: every recommendation passes.</p>\n")
            continue
        parts.append(
            lists.table(
                f"failing-{column}",
                f"{name}: {len(failing)} recommendations fail it, in sheet order",
                ("Reference", "Learning activity", "Agency", "Sheet row"),
                failing[listed],
            )
        )
    return "".join(parts)


def trail_page(
    clean: CleanSummary,
    analysed: pd.DataFrame,
    left_out: pd.DataFrame,
    mappings: pd.DataFrame,
    lineage: Mapping,
    lists: Lists | None = None,
) -> str:
    """The page; lists longer than lists.max_rows are CSV files beside it (when lists.folder
    is given)."""
    lists = lists or Lists()
    source, tally = clean.input, clean.counts
    by_reason = left_out["reason"].value_counts(sort=False)
    reasons = ", ".join(f"{count} {reason}" for reason, count in by_reason.items())
    figures = lineage["figures"]
    kinds = "".join(
        f"<li><code>{escape(kind)}</code>: {escape(meaning)}</li>"
        for kind, meaning in lineage["kinds"].items()
    )
    in_sheet_order = sheet_order(
        analysed[["rec_id", "source_name", "agency", "sheet_row", *THEME_COLUMNS]]
    )
    rows_analysed = lists.table(
        "rows-analysed",
        f"{len(analysed)} recommendations analysed, in sheet order",
        ("Reference", "Sheet", "Sheet row", "Themes", "Themes from", "Rules that fired"),
        in_sheet_order[["rec_id", "sheet_row", *THEME_COLUMNS]].assign(sheet=source.sheet)[
            ["rec_id", "sheet", "sheet_row", *THEME_COLUMNS]
        ],
    )
    themeless = in_sheet_order[in_sheet_order["themes"].fillna("") == ""]
    rows_themeless = lists.table(
        "no-theme",
        f"{len(themeless)} recommendations with no theme, in sheet order",
        ("Reference", "Learning activity", "Agency", "Sheet row", "Themes from"),
        themeless[["rec_id", "source_name", "agency", "sheet_row", "theme_source"]],
    )
    rows_left_out = lists.table(
        "left-out",
        f"{len(left_out)} tracker rows not analysed, in sheet order",
        ("Sheet", "Sheet row", "Reference", "Reason", "Date agreed"),
        left_out[list(LEFT_OUT_COLUMNS)],
    )
    spellings = lists.table(
        "spellings",
        f"{len(mappings)} spellings, by column",
        ("Column", "As written", "Canonical", "Note", "Rows", "Rows analysed"),
        mappings[list(MAPPING_COLUMNS)],
    )
    behind = lists.table(
        "figures",
        f"{len(figures)} figures",
        ("Figure", "Value", "How", "Rows", "References"),
        pd.DataFrame(
            [
                (f["figure"], f["value"], describe_rule(f), *figure_rows(f, lineage))
                for f in figures
            ],
            columns=["figure", "value", "how", "rows", "references"],
            dtype=object,  # a count stays 4, beside a ratio's 1.5
        ),
    )
    checks = DataQualityFiles(Path(".")).checks_page.name
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Audit trail</title>
<style>{_STYLE}</style></head><body>
<h1>Audit trail</h1>
<p>Tracker <code>{escape(source.file)}</code>, sheet {escape(_text(source.sheet))}, header row
{source.header_row}, sha256 <code>{escape(source.sha256)}</code>. Of {tally.read} rows below the
header, {tally.analysed} were analysed. Rows left out: {escape(reasons) or "none"}.</p>
<p>Restricted. This page names tracker rows by sheet, row and reference and shows only spellings
that matched the taxonomy: no free text from the tracker. The checks are on
<a href="{checks}">{checks}</a>.</p>
<h2>Where each recommendation is in the tracker</h2>
<p>The review's register lists the recommendations by reference; this is the sheet row of each,
its themes, and where they came from: <code>override</code> ({THEME_OVERRIDES_FILE}),
<code>tracker</code> (the theme column), <code>rule</code> (the taxonomy's keyword rules, named
as theme: rule) or <code>none</code>.</p>
{rows_analysed}
<h2>Recommendations with no theme</h2>
<p>Their theme cell was blank and no theme's keyword rule fired on their text (themes from
<code>none</code>), or an override set none (<code>override</code>). Add a theme in the tracker,
a rule in the taxonomy or an override in {THEME_OVERRIDES_FILE} where one applies.</p>
{rows_themeless}
<h2>Rows left out</h2>
{rows_left_out}
<h2>Recommendations failing each quality check</h2>
<p>The rules, with their thresholds, are in the review's quality table and in
<code>config/schema.yaml</code> (<code>quality:</code>).</p>
{quality_failures(analysed, lists)}
<h2>Spellings mapped</h2>
<p>Each spelling as written (white space collapsed), the canonical value it became, and how many
tracker rows with data held it (all of them, and those analysed).</p>
{spellings}
<h2>Rows behind each figure</h2>
<p>Every number the report states (its variables and tables), the rows it counts and how it
follows from them:</p><ul>{kinds}</ul>
{behind}</body></html>
"""


def write_trail_page(layout: RunLayout, recommendations: pd.DataFrame | None = None) -> Path:
    """The page, from the run's processed tables and lineage, into the data-quality folder;
    recommendations: the processed recommendations when they are already read (the analysis's,
    which adds columns to them), not to hold two copies of a large tracker."""
    lineage = json.loads(layout.audit.lineage.read_text(encoding="utf-8"))
    path = layout.audit.data_quality.trail
    path.parent.mkdir(parents=True, exist_ok=True)
    page = trail_page(
        CleanSummary.read(layout.processed.clean_summary),
        read_recommendations(layout.processed) if recommendations is None else recommendations,
        read_left_out_rows(layout.processed),
        read_value_mappings(layout.processed),
        lineage,
        Lists(path.parent),
    )
    path.write_text(page, encoding="utf-8", newline="\n")
    return path
