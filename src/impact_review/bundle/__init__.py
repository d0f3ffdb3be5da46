"""The render bundle: everything report.qmd presents, written by the analysis notebook.

    bundle/report.qmd, _quarto.yml      copies of the repository's template
    bundle/_variables.yml                every number the prose quotes ({{< var ... >}})
    bundle/tables/*.md                   pipe tables with captions and tbl- labels
    bundle/figures/*.png, figures/*.md   charts, and the markdown that places them with alt text
    bundle/text/*.md                     generated passages whose length varies with the data
    bundle/narrative/*.md                the analyst's own words, one file per section

_variables.yml holds numbers and taxonomy names only; tracker text reaches the report only
through the escaped tables and passages, so neither renderer can read it as markup.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from impact_review.analyse import counts as analysis
from impact_review.analyse import figures
from impact_review.intake.taxonomy import Taxonomy, default_taxonomy
from impact_review.markdown import bullet_list, escape_markdown, pipe_table
from impact_review.paths import QUARTO_CONFIG, REPORT_TEMPLATE
from impact_review.period import Period, format_uk_date
from impact_review.render import stamp_report_date

NARRATIVE_SECTIONS = ("about-the-data", "recommendations-for-improvement", "resources-and-contacts")
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
ORDINALS = ("first", "second", "third", "fourth")


@dataclass
class Analysis:
    """Every table the review presents, computed once from the cleaned recommendations."""

    recommendations: pd.DataFrame
    by_source_type: pd.DataFrame
    by_source: pd.DataFrame
    by_area: pd.DataFrame
    by_agency: pd.DataFrame
    agency_area: pd.DataFrame
    themes: pd.DataFrame
    impact: pd.DataFrame
    figures: list[figures.Figure] = field(default_factory=list)


def analyse(recommendations: pd.DataFrame, taxonomy: Taxonomy | None = None) -> Analysis:
    taxonomy = taxonomy or default_taxonomy()
    return Analysis(
        recommendations=recommendations,
        by_source_type=analysis.count_by_source_type(recommendations, taxonomy),
        by_source=analysis.count_by_source(recommendations, taxonomy),
        by_area=analysis.count_by_area(recommendations, taxonomy),
        by_agency=analysis.count_by_agency(recommendations, taxonomy),
        agency_area=analysis.cross_agency_area(recommendations, taxonomy),
        themes=analysis.count_themes(recommendations, taxonomy),
        impact=analysis.impact_examples(recommendations, taxonomy),
    )


def read_recommendations(processed_dir: Path) -> pd.DataFrame:
    frame = pd.read_parquet(processed_dir / "recommendations.parquet")
    for column in ("date_agreed", "due_date", "date_completed"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ms]")
    return frame


def count_phrase(n: int, singular: str, plural: str | None = None) -> str:
    """'four SCRs', '15 QA audits', 'one IMR': words below ten, as house style prints them."""
    word = NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)
    return f"{word} {singular if n == 1 else (plural or singular + 's')}"


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _source_label(source_type: str) -> tuple[str, str]:
    return (
        (source_type, f"{source_type}s")
        if source_type != "Rapid review"
        else ("rapid review", "rapid reviews")
    )


def draw_figures(
    result: Analysis, figures_dir: Path, taxonomy: Taxonomy | None = None
) -> list[figures.Figure]:
    taxonomy = taxonomy or default_taxonomy()
    short = {name: taxonomy.short_name(name) for name in taxonomy.agencies.names}
    drawn = [
        figures.plot_counts(
            result.by_source_type,
            "source_type",
            "Recommendations by source type",
            "fig-by-source-type",
            figures_dir / "by-source-type.png",
        ),
        figures.plot_counts(
            result.by_area,
            "area_of_learning",
            "Recommendations by area of learning",
            "fig-by-area",
            figures_dir / "by-area.png",
        ),
        figures.plot_counts(
            result.by_agency,
            "agency",
            "Recommendations by agency",
            "fig-by-agency",
            figures_dir / "by-agency.png",
        ),
        figures.plot_heatmap(
            result.agency_area,
            "Recommendations by agency and area of learning",
            "fig-agency-area",
            figures_dir / "agency-area.png",
            short,
        ),
    ]
    result.figures = drawn
    return drawn


def _ranked(frame: pd.DataFrame, column: str, extra=None) -> dict[str, Any]:
    out = {}
    for ordinal, record in zip(ORDINALS, frame.to_dict("records"), strict=False):
        entry = {
            "name": record[column],
            "name_lower": record[column][0].lower() + record[column][1:],
            "recommendations": int(record["recommendations"]),
            "percent": int(record["percent"]),
        }
        if extra:
            entry |= extra(record)
        out[ordinal] = entry
    return out


def report_variables(
    result: Analysis, period: Period, clean_summary: dict, narrative_meta: dict, taxonomy: Taxonomy
) -> dict[str, Any]:
    """Every value the report's prose quotes, keyed as report.qmd's var shortcodes name them."""
    recs = result.recommendations
    by_type = result.by_source_type
    phrases = []
    rank = {name: i for i, name in enumerate(taxonomy.source_types.names)}
    in_taxonomy_order = sorted(by_type.to_dict("records"), key=lambda r: rank[r["source_type"]])
    for record in in_taxonomy_order:
        singular, plural = _source_label(record["source_type"])
        phrases.append(count_phrase(int(record["sources"]), singular, plural))
    top_type = by_type.iloc[0]
    top_names = result.by_source[result.by_source["source_type"] == top_type["source_type"]][
        "source_name"
    ].tolist()

    def agency_extra(record: dict) -> dict:
        area, count, _ = analysis.top_area_of(recs, record["agency"], taxonomy)
        return {
            "short": taxonomy.short_name(record["agency"]),
            "top_area": area,
            "top_area_lower": area.lower(),
            "top_area_count": count,
        }

    completed = recs[recs["status"] == "Completed"]
    return {
        "partnership": {
            "name": narrative_meta.get("partnership", "The safeguarding children partnership"),
            "short": narrative_meta.get("short_name", "the partnership"),
        },
        "period": {
            "label": period.label,
            "start": format_uk_date(period.start),
            "end": format_uk_date(period.end),
            "text": period.describe(),
        },
        "counts": {
            "total": len(recs),
            "sources": int(by_type["sources"].sum()),
            "sources_phrase": count_phrase(
                int(by_type["sources"].sum()), "learning activity", "learning activities"
            ),
            "agencies": len(result.by_agency),
            "with_themes": int((recs["themes"].fillna("") != "").sum()),
            "completed": len(completed),
            "completed_with_impact": int(
                (completed["evidence_of_impact"].fillna("").str.strip() != "").sum()
            ),
            "with_impact": len(result.impact),
        },
        "sources": {"phrase": join_words(phrases)},
        "source_types": {
            "first": {
                "name": str(top_type["source_type"]),
                "plural": _source_label(str(top_type["source_type"]))[1],
                "count_phrase": count_phrase(
                    int(top_type["sources"]), *_source_label(str(top_type["source_type"]))
                ),
                "sources": int(top_type["sources"]),
                "recommendations": int(top_type["recommendations"]),
                "percent": int(top_type["percent"]),
                "names": join_words([re.sub(r"\s+(SCR|IMR|LCSPR)$", "", n) for n in top_names]),
            }
        },
        "areas": _ranked(result.by_area, "area_of_learning"),
        "agencies": _ranked(result.by_agency, "agency", agency_extra),
        "themes": {
            "count": len(result.themes),
            "list": join_words([t[0].lower() + t[1:] for t in result.themes["theme"]]),
        },
        "input": {
            "file": clean_summary["input"]["file"],
            "sheet": clean_summary["input"]["sheet"] or "(CSV)",
            "sha256": clean_summary["input"]["sha256"],
            "sha256_short": clean_summary["input"]["sha256"][:12],
            "rows_read": clean_summary["counts"]["read"] - clean_summary["counts"]["blank_dropped"],
            "outside_period": clean_summary["counts"]["outside_period"],
        },
    }


def write_tables(result: Analysis, tables_dir: Path) -> None:
    tables_dir.mkdir(parents=True, exist_ok=True)
    number = ("sources", "recommendations", "percent", "per_source")
    specs = {
        "by-source-type": (
            result.by_source_type,
            "Recommendations by source type",
            ["Source type", "Activities", "Recommendations", "% of all", "Per activity"],
        ),
        "by-source": (
            result.by_source,
            "Recommendations from each learning activity",
            ["Source type", "Learning activity", "Recommendations", "% of all"],
        ),
        "by-area": (
            result.by_area,
            "Recommendations by area of learning",
            ["Area of learning", "Recommendations", "% of all"],
        ),
        "by-agency": (
            result.by_agency,
            "Recommendations by agency",
            ["Agency", "Recommendations", "% of all"],
        ),
        "themes": (
            result.themes,
            "Themes recorded against recommendations (a recommendation may carry more than one)",
            ["Theme", "Recommendations", "% of all", "Learning activities"],
        ),
    }
    for name, (frame, caption, headers) in specs.items():
        text = pipe_table(frame, caption, f"tbl-{name}", headers, numeric=number)
        (tables_dir / f"{name}.md").write_text(text, encoding="utf-8")
    text = pipe_table(
        agency_area_rows(result.agency_area),
        "Each agency's recommendations by area of learning",
        "tbl-agency-area",
        ["Agency", "Recommendations", "Areas of learning (recommendations)"],
        numeric=["recommendations"],
    )
    (tables_dir / "agency-area.md").write_text(text, encoding="utf-8")
    listing = result.recommendations[
        ["rec_id", "source_name", "agency", "area_of_learning", "status", "sheet_row"]
    ].fillna({"status": "Not recorded"})
    text = pipe_table(
        listing,
        "Every recommendation analysed, with its tracker row",
        "tbl-recommendations",
        ["Reference", "Learning activity", "Agency", "Area of learning", "Status", "Tracker row"],
        numeric=["sheet_row"],
    )
    (tables_dir / "recommendations.md").write_text(text, encoding="utf-8")


def agency_area_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The agency by area grid as one row per agency listing its non-zero areas, most first:
    readable on an A4 page, where nine area columns are not."""
    body = table.drop(index="Total", columns="Total")
    rows = []
    for agency, counts in body.iterrows():
        nonzero = counts[counts > 0].sort_values(ascending=False, kind="mergesort")
        rows.append(
            {
                "agency": agency,
                "recommendations": int(counts.sum()),
                "areas": "; ".join(f"{area} {n}" for area, n in nonzero.items()),
            }
        )
    return pd.DataFrame(rows)


def write_figure_includes(drawn: list[figures.Figure], figures_dir: Path) -> None:
    for figure in drawn:
        alt = figure.alt.replace("\\", "\\\\").replace('"', '\\"')
        caption = escape_markdown(figure.caption)
        text = f'![{caption}]({figure.path.name}){{#{figure.label} fig-alt="{alt}"}}\n'
        text = text.replace(f"]({figure.path.name})", f"](figures/{figure.path.name})")
        (figures_dir / f"{figure.path.stem}.md").write_text(text, encoding="utf-8")


def write_passages(result: Analysis, text_dir: Path, taxonomy: Taxonomy) -> None:
    text_dir.mkdir(parents=True, exist_ok=True)
    definitions = {e["name"]: e.get("definition", "") for e in taxonomy.themes.entries}
    themes = "".join(
        f"- **{escape_markdown(t)}** ({n} recommendations, {s} learning activities): "
        f"{escape_markdown(definitions.get(t, ''))}\n"
        for t, n, s in zip(
            result.themes["theme"],
            result.themes["recommendations"],
            result.themes["sources"],
            strict=True,
        )
    )
    (text_dir / "themes.md").write_text(
        themes or "No themes were recorded in this period.\n", encoding="utf-8"
    )
    lines = []
    for source, group in result.impact.groupby("source_name", sort=False):
        lines.append(f"\n### {escape_markdown(source)}\n\n")
        lines.append(bullet_list(group["evidence_of_impact"].tolist()))
    impact = "".join(lines).lstrip("\n") or "No evidence of impact was recorded in this period.\n"
    (text_dir / "impact.md").write_text(impact, encoding="utf-8")
    (text_dir / "summary-areas.md").write_text(summary_areas(result.by_area), encoding="utf-8")
    (text_dir / "areas.md").write_text(areas_passage(result.by_area), encoding="utf-8")
    agencies = agencies_passage(result.by_agency, result.recommendations, taxonomy)
    (text_dir / "agencies.md").write_text(agencies, encoding="utf-8")


def _lower(name: str) -> str:
    return name[0].lower() + name[1:]


def summary_areas(by_area: pd.DataFrame) -> str:
    """'The largest area of learning was **policy and procedure (35%)**, followed by ...'."""
    items = [
        (escape_markdown(_lower(a)), p)
        for a, p in zip(by_area["area_of_learning"], by_area["percent"], strict=True)
    ]
    first, rest = items[0], items[1:3]
    text = f"- The largest area of learning was **{first[0]} ({first[1]}%)**"
    if rest:
        text += ", followed by " + join_words([f"{a} ({p}%)" for a, p in rest])
    return text + ".\n"


def areas_passage(by_area: pd.DataFrame) -> str:
    """The ranking of areas of learning in words: the largest with its count, then the next two."""
    records = by_area.to_dict("records")
    first = records[0]
    name = escape_markdown(_lower(first["area_of_learning"]))
    if len(records) == 1:
        return f"All {first['recommendations']} recommendations concerned {name}.\n"
    text = (
        f"The largest area was {name}, with {first['recommendations']} recommendations "
        f"({first['percent']}% of all), followed by "
    )
    rest = [
        f"{escape_markdown(_lower(r['area_of_learning']))} "
        f"({r['recommendations']}, {r['percent']}%)"
        for r in records[1:3]
    ]
    return text + join_words(rest) + ".\n"


def agencies_passage(
    by_agency: pd.DataFrame, recommendations: pd.DataFrame, taxonomy: Taxonomy
) -> str:
    """Which agencies had most recommendations, the leader's main area, and the rest in brief."""
    records = by_agency.to_dict("records")
    first = records[0]
    area, count, total = analysis.top_area_of(recommendations, first["agency"], taxonomy)
    lines = [
        f"{escape_markdown(first['agency'])} had the most recommendations: "
        f"{first['recommendations']} ({first['percent']}%). Of these, {count} of {total} "
        f"concerned {escape_markdown(_lower(area))}."
    ]
    named = [
        f"{escape_markdown(r['agency'])} ({r['recommendations']}, {r['percent']}%)"
        for r in records[1:4]
    ]
    if named:
        then = f", then {join_words(named[1:])}" if len(named) > 1 else ""
        lines.append(f"{named[0].replace(' (', ' had the second most (', 1)}{then}.")
    rest = [
        f"{escape_markdown(r['agency'])} ({r['recommendations']}, {r['percent']}%)"
        for r in records[4:]
    ]
    if rest:
        lines.append(f"The other {len(rest)} agencies had fewer: {join_words(rest)}.")
    return " ".join(lines) + "\n"


def split_narrative(path: Path | None) -> tuple[dict, dict[str, str]]:
    """(front matter, section slug -> markdown without its heading) from the period's narrative."""
    if path is None or not path.exists():
        return {}, {}
    text = path.read_text(encoding="utf-8")
    meta: dict = {}
    if text.startswith("---\n"):
        end = text.index("\n---", 4)
        meta = yaml.safe_load(text[4:end]) or {}
        text = text[end + 4 :]
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    depth = 0  # inside a ::: div (a callout's own heading is not a section)
    for line in text.splitlines():
        if line.startswith(":::"):
            depth += -1 if line.strip() == ":::" else 1
        if depth == 0 and line.startswith("## "):
            slug = re.sub(r"[^a-z0-9]+", "-", line[3:].strip().lower()).strip("-")
            current = sections.setdefault(slug, [])
        elif current is not None:
            current.append(line)
    return meta, {slug: "\n".join(lines).strip() + "\n" for slug, lines in sections.items()}


def write_narrative(path: Path | None, narrative_dir: Path) -> dict:
    meta, sections = split_narrative(path)
    narrative_dir.mkdir(parents=True, exist_ok=True)
    for slug in NARRATIVE_SECTIONS:
        body = sections.get(slug)
        if body is None:
            body = (
                "::: {.callout-warning}\n## Not written yet\n\nThe analyst has not written this "
                "section for the period: add it to the period's narrative file.\n:::\n"
            )
        (narrative_dir / f"{slug}.md").write_text(body, encoding="utf-8")
    return meta


def write_bundle(
    result: Analysis,
    period: Period,
    clean_summary: dict,
    narrative: Path | None,
    bundle_dir: Path,
    validation: dict | None = None,
    as_at: date | None = None,
    code_version: str = "",
    taxonomy: Taxonomy | None = None,
) -> Path:
    """Write everything report.qmd needs into bundle_dir; return the bundle's report.qmd.

    as_at (default: the period's last day) dates the report, so a rerun gives the same bytes.
    """
    taxonomy = taxonomy or default_taxonomy()
    bundle_dir.mkdir(parents=True, exist_ok=True)
    report = stamp_report_date(REPORT_TEMPLATE.read_text("utf-8"), as_at or period.end)
    (bundle_dir / "report.qmd").write_text(report, encoding="utf-8")
    shutil.copyfile(QUARTO_CONFIG, bundle_dir / "_quarto.yml")
    meta = write_narrative(narrative, bundle_dir / "narrative")
    write_tables(result, bundle_dir / "tables")
    write_figure_includes(result.figures, bundle_dir / "figures")
    write_passages(result, bundle_dir / "text", taxonomy)
    write_data_quality(clean_summary, validation, bundle_dir / "text")
    as_at = as_at or period.end
    variables = report_variables(result, period, clean_summary, meta, taxonomy)
    variables["as_at"] = {"iso": as_at.isoformat(), "text": format_uk_date(as_at)}
    variables["code"] = {"version": code_version or "an unrecorded version of the code"}
    header = "# Written by notebooks/03-analyse.ipynb from data/processed; do not edit.\n"
    (bundle_dir / "_variables.yml").write_text(
        header + yaml.safe_dump(variables, sort_keys=True, allow_unicode=True), encoding="utf-8"
    )
    return bundle_dir / "report.qmd"


def data_quality_passage(clean_summary: dict, validation: dict | None) -> str:
    """The report's data-quality section: what was checked, each warning in words with its count,
    what cleaning repaired, and where the auditor's restricted evidence is."""
    checks = validation["checks"] if validation else []
    critical = [c for c in checks if c["severity"] == "critical"]
    warnings = [c for c in checks if c["severity"] == "warning" and not c["success"]]
    lines = [
        f"The tracker was checked against {len(checks)} data-quality rules before any figure was "
        f"computed: {len(critical)} critical rules, which stop publication if any fails, and "
        f"{len(checks) - len(critical)} warnings, which are reported here. "
        f"All {len(critical)} critical rules passed.\n"
        if validation
        else "The tracker was not validated in this run.\n"
    ]
    if warnings:
        lines.append(
            "\nWarnings (the references of the recommendations concerned are in the restricted "
            "data-quality report):\n\n"
        )
        for check in warnings:
            lines.append(
                f"- {escape_markdown(check['description'])}: {check['failing_count']} not met.\n"
            )
    elif validation:
        lines.append("\nNo warning was raised.\n")
    repairs = clean_summary.get("repairs", {})
    if repairs:
        lines.append("\nRepairs made while reading the tracker, each counted:\n\n")
        for what, count in repairs.items():
            lines.append(f"- {escape_markdown(what)}: {count}\n")
    notes = clean_summary.get("notes", [])
    for note in notes:
        lines.append(f"- Note: {escape_markdown(note)}\n")
    counts = clean_summary["counts"]
    lines.append(
        f"\nOf {counts['read']} rows below the header, {counts['blank_dropped']} were blank and "
        f"{counts['outside_period']} were agreed outside the period; "
        f"{counts['analysed']} were analysed.\n"
    )
    lines.append(
        "\nAuditors: the full results, with the failing references and tracker rows, are in the "
        "restricted `audit/data-quality/checks.html` beside this report, with the Great "
        "Expectations Data Docs in `audit/data-quality/index.html` (neither is published).\n"
    )
    return "".join(lines)


def write_data_quality(clean_summary: dict, validation: dict | None, text_dir: Path) -> None:
    text_dir.mkdir(parents=True, exist_ok=True)
    (text_dir / "data-quality.md").write_text(
        data_quality_passage(clean_summary, validation), encoding="utf-8"
    )
