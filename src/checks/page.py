"""The auditor's checks page: every check, its result and the failing references and rows, in one
self-contained page that needs nothing but a browser (no cell values)."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

from checks.report import ROWS_LISTED
from impact_review.layout import DATA_DOCS_INDEX, TRAIL_PAGE

_PAGE_STYLE = """
body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #bbb;padding:.4rem;
text-align:left;vertical-align:top}th{background:#eef2f7}.fail{color:#a4000f;font-weight:600}
.pass{color:#1a6b2f}code{font-size:.9em}caption{text-align:left;font-weight:600;padding:.3rem 0}
"""


def every_row_link(path: str | None) -> str:
    """A link to the file that lists every failing row of a check, if it failed on rows."""
    if path is None:
        return ""
    return f'<br><a href="{escape(path)}">every failing row</a>'


def listed(text: str, values: list[Any], limit: int, path: str | None) -> str:
    """text, said to be the first few when the summary may have cut the list at its limit."""
    if path is None or len(values) < limit:
        return text
    return f"{text} (the first {limit}; every failing row: {path})"


def checks_page(content: Mapping[str, Any], clean_summary: Mapping[str, Any]) -> str:
    """A self-contained page for the auditor: what was checked, what failed, which rows.

    Where the Data Docs give one page per suite, this is every check on one page, in the order
    it ran. Like them, it needs nothing but a browser. It holds references and sheet rows, never
    cell values.
    """

    def cell(value: Any) -> str:
        return f"<td>{escape(str(value))}</td>"

    files = content.get("failing_rows_files", {})
    limit = content.get("rows_listed_at_most", ROWS_LISTED)
    rows = []
    for check in content["checks"]:
        result = (
            '<td class="pass">passed</td>' if check["success"] else '<td class="fail">failed</td>'
        )
        where = ", ".join(check["failing_rec_ids"]) or ", ".join(check["missing_columns"])
        rows.append(
            "<tr>"
            + cell(check["suite"])
            + f"<td><code>{escape(check['id'])}</code></td>"
            + cell(check["description"])
            + cell(check["severity"])
            + result
            + f"<td>{check['failing_count']}{every_row_link(files.get(check['id']))}</td>"
            + cell(listed(where, check["failing_rec_ids"], limit, files.get(check["id"])))
            + cell(
                listed(
                    ", ".join(map(str, check["failing_sheet_rows"])),
                    check["failing_sheet_rows"],
                    limit,
                    files.get(check["id"]),
                )
            )
            + "</tr>"
        )
    source = clean_summary.get("input", {})
    counts = clean_summary.get("counts", {})
    repairs = "".join(
        f"<tr>{cell(what)}{cell(n)}</tr>" for what, n in clean_summary.get("repairs", {}).items()
    )
    tally = content["counts"]
    docs_link = f'<a href="{DATA_DOCS_INDEX}">{DATA_DOCS_INDEX}</a>'
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Data-quality checks</title>
<style>{_PAGE_STYLE}</style></head><body>
<h1>Data-quality checks</h1>
<p>Tracker <code>{escape(str(source.get("file")))}</code>, sheet
{escape(str(source.get("sheet")))}, header row {escape(str(source.get("header_row")))},
sha256 <code>{escape(str(source.get("sha256")))}</code>.</p>
<p>{tally["checks"]} checks: {tally["passed"]} passed, {tally["critical_failed"]} critical
failed, {tally["warnings_failed"]} warnings failed. A failed critical check stops publication.
Rows: {counts.get("read", "?")} read, {counts.get("blank_dropped", "?")} blank,
{counts.get("outside_period", "?")} outside the period, {counts.get("analysed", "?")} analysed.
The Great Expectations Data Docs ({docs_link}) hold each expectation's
full result. Each check lists at most its first {limit} references and tracker rows; a check
that failed on rows links to a file listing every one of them (reference, tracker row and the
columns that failed; never a cell's value).</p>
<p><a href="{TRAIL_PAGE}">Audit trail</a>: rows left out, spellings mapped, rows behind figures.</p>
<table><caption>Every check, in the order it ran</caption>
<thead><tr><th>Suite</th><th>Check</th><th>What it checks</th><th>Severity</th><th>Result</th>
<th>Failing</th><th>References (or missing columns)</th><th>Tracker rows</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
<table><caption>Repairs made while reading the tracker</caption>
<thead><tr><th>Repair</th><th>Cells</th></tr></thead><tbody>{repairs}</tbody></table>
</body></html>
"""


def write_checks_page(
    content: Mapping[str, Any], clean_summary: Mapping[str, Any], path: Path
) -> Path:
    path.write_text(checks_page(content, clean_summary), encoding="utf-8", newline="\n")
    return path
