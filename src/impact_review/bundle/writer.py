"""The render bundle: everything report.qmd presents, written by the analysis notebook.

    report.qmd, _quarto.yml      copies of the repository's template
    briefing.qmd                 and of the 7-minute briefing's (text/briefing-*.md its passages)
    page/                        and of how it sits on phones and A4 pages
    _variables.yml               every number the prose quotes ({{< var ... >}})
    tables/*.md                  pipe tables with captions and tbl- labels
    figures/*.png, figures/*.md  charts, and the markdown that places them with alt text
    text/*.md                    generated passages whose length varies with the data
    narrative/*.md               the analyst's own words, one file per section

A new report section is one analysis function (analyse/counts.py, kept on Analysis), one entry
here (a table in tables.TABLES, a passage in passages.py, or a value in variables.py) and its
place in report.qmd.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from impact_review.analyse.figures import Figure
from impact_review.analyse.review import Analysis
from impact_review.bundle.briefing import write_briefing
from impact_review.bundle.data_quality import write_data_quality
from impact_review.bundle.figures import write_figure_includes
from impact_review.bundle.glossary import glossary_terms, terms_used, write_glossary
from impact_review.bundle.narrative import UnknownHeading, write_narrative
from impact_review.bundle.passages import write_passages
from impact_review.bundle.tables import write_tables
from impact_review.bundle.variables import report_variables
from impact_review.intake.processed import CleanSummary
from impact_review.intake.taxonomy import Taxonomy, default_taxonomy
from impact_review.layout import BundleFiles
from impact_review.partnership import load_partnership
from impact_review.paths import BRIEFING_TEMPLATE, PAGE_DIR, QUARTO_CONFIG, REPORT_TEMPLATE
from impact_review.period import Period
from impact_review.render import stamp_report_date

VARIABLES_HEADER = "# Written by notebooks/03-analyse.ipynb from data/processed; do not edit.\n"


@dataclass(frozen=True)
class BundleWritten:
    """The bundle's report.qmd, and what the run should tell the analyst about it."""

    report: Path
    unknown_headings: tuple[UnknownHeading, ...]

    @property
    def warnings(self) -> list[str]:
        return [unknown.describe() for unknown in self.unknown_headings]


def write_bundle(
    result: Analysis,
    drawn: list[Figure],
    period: Period,
    clean: CleanSummary,
    narrative: Path | None,
    bundle: BundleFiles,
    validation: dict | None = None,
    as_at: date | None = None,
    code_version: str = "",
    taxonomy: Taxonomy | None = None,
) -> BundleWritten:
    """Write everything report.qmd needs into the bundle.

    as_at (default: the period's last day) dates the report, so a rerun gives the same bytes.
    """
    taxonomy = taxonomy or default_taxonomy()
    partnership = load_partnership()
    bundle.root.mkdir(parents=True, exist_ok=True)
    report_date = as_at or period.end
    for template, copy in ((REPORT_TEMPLATE, bundle.report), (BRIEFING_TEMPLATE, bundle.briefing)):
        copy.write_text(stamp_report_date(template.read_text("utf-8"), report_date), "utf-8")
    shutil.copyfile(QUARTO_CONFIG, bundle.quarto_config)
    shutil.copytree(PAGE_DIR, bundle.page, dirs_exist_ok=True)
    read = write_narrative(narrative, bundle.narrative)
    write_tables(result, bundle.tables, period.describe(), report_date)
    write_figure_includes(drawn, bundle.figures, period.describe())
    write_passages(result, bundle.text, taxonomy, period, partnership)
    write_data_quality(clean, validation, bundle.text, taxonomy, read.unknown_headings)
    write_briefing(result, read, bundle.text, taxonomy)
    variables = report_variables(
        result,
        period,
        clean,
        read.meta,
        taxonomy,
        partnership.on(report_date),
        report_date,
        code_version,
    )
    bundle.variables.write_text(
        VARIABLES_HEADER + yaml.safe_dump(variables, sort_keys=True, allow_unicode=True),
        encoding="utf-8",
    )
    in_full = variables["sources"]["phrase_in_full"]
    done = {term.term for term in terms_used([in_full], glossary_terms(taxonomy))}
    write_glossary(bundle, taxonomy, done)
    return BundleWritten(bundle.report, read.unknown_headings)
