"""Every file a run reads and writes, named once.

A run builds under a staging folder and is published by renaming two folders into place, so the
same layout describes the staged build, the published outputs and a failed build kept for
diagnosis: only the two roots differ. The pipeline, the notebooks (which are given the roots as
parameters), the manifest and the tests all take names from here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from impact_review.errors import InputError
from impact_review.paths import NOTEBOOKS_DIR, PAGE_DIR, ROOT, project_path, shown_path

# Where the notebooks write when an analyst runs them by hand (git ignores it).
SCRATCH_DIR = ROOT / "scratch"
SCRATCH_ENV = "IMPACT_REVIEW_SCRATCH"
# Names the render package also needs: a bundle's own files, and what it renders to.
REPORT_SOURCE = "report.qmd"
QUARTO_CONFIG = "_quarto.yml"
REPORT_VARIABLES = "_variables.yml"
REPORT_HTML = "report.html"
REPORT_PDF = "report.pdf"
# The 7-minute briefing for frontline staff, a second document of the same bundle: Quarto names
# a document's outputs after it, as the built-in renderer does.
BRIEFING_SOURCE = "briefing.qmd"
BRIEFING_HTML = "briefing.html"
BRIEFING_PDF = "briefing.pdf"
# The Excel annex of the review's tables, published beside it.
REPORT_TABLES = "report-tables.xlsx"
# A listing too long for the review (config/schema.yaml report: register_max_rows), published
# beside the annex in its place: report-tables-recommendations.csv.
REPORT_LISTING = "report-tables-{name}.csv"
# And, for the same reason, a list of the trail page's in a CSV file beside it.
TRAIL_LISTING = "trail-{name}.csv"
# And names the checks package writes beside the Data Docs (it is given the folder).
VALIDATION_SUMMARY = "validation-summary.json"
DATA_DOCS_INDEX = "index.html"
# The auditor's trail page, beside the checks page that links to it.
TRAIL_PAGE = "trail.html"


@dataclass(frozen=True)
class ProcessedFiles:
    """The cleaned tables: data/processed/LABEL/."""

    root: Path

    @property
    def recommendations(self) -> Path:
        """Typed cleaned recommendations, the table every later step reads."""
        return self.root / "recommendations.parquet"

    @property
    def recommendations_csv(self) -> Path:
        return self.root / "recommendations.csv"

    @property
    def sources_csv(self) -> Path:
        return self.root / "sources.csv"

    @property
    def tracker_as_read(self) -> Path:
        """The tracker's own columns as text, for the checks on the tracker as received."""
        return self.root / "tracker-as-read.parquet"

    @property
    def clean_summary(self) -> Path:
        return self.root / "clean-summary.json"

    @property
    def left_out_rows(self) -> Path:
        """Every tracker row the review does not analyse, with its reason."""
        return self.root / "left-out-rows.csv"

    @property
    def value_mappings(self) -> Path:
        """Every spelling cleaning read, with the canonical name it became."""
        return self.root / "value-mappings.csv"

    @property
    def duplicate_recommendations(self) -> Path:
        """Pairs of recommendations from different learning activities whose texts are alike
        (written by the clean step beside the tables write_processed writes)."""
        return self.root / "duplicate-recommendations.csv"

    def table_csv(self, name: str) -> Path:
        """One of a comparison's tables, for analysts to reuse: NAME.csv."""
        return self.root / f"{name}.csv"

    def files(self) -> tuple[Path, ...]:
        return (
            self.recommendations,
            self.recommendations_csv,
            self.sources_csv,
            self.tracker_as_read,
            self.clean_summary,
            self.left_out_rows,
            self.value_mappings,
        )


@dataclass(frozen=True)
class BundleFiles:
    """What report.qmd presents, written by the analysis step: audit/render-bundle/."""

    root: Path

    @property
    def report(self) -> Path:
        return self.root / REPORT_SOURCE

    @property
    def briefing(self) -> Path:
        return self.root / BRIEFING_SOURCE

    @property
    def quarto_config(self) -> Path:
        return self.root / QUARTO_CONFIG

    @property
    def variables(self) -> Path:
        return self.root / REPORT_VARIABLES

    @property
    def tables(self) -> Path:
        return self.root / "tables"

    @property
    def figures(self) -> Path:
        return self.root / "figures"

    @property
    def text(self) -> Path:
        return self.root / "text"

    @property
    def narrative(self) -> Path:
        return self.root / "narrative"

    @property
    def page(self) -> Path:
        """The stylesheet, typst and filter _quarto.yml names: a copy of the repository's."""
        return self.root / PAGE_DIR.name


@dataclass(frozen=True)
class DataQualityFiles:
    """The auditor's validation evidence: audit/data-quality/ (Data Docs beside these)."""

    root: Path

    @property
    def summary(self) -> Path:
        return self.root / VALIDATION_SUMMARY

    @property
    def checks_page(self) -> Path:
        return self.root / "checks.html"

    @property
    def docs_index(self) -> Path:
        return self.root / DATA_DOCS_INDEX

    @property
    def trail(self) -> Path:
        """Rows left out, spellings mapped and the rows behind every figure, on one page."""
        return self.root / TRAIL_PAGE

    def trail_listing(self, name: str) -> Path:
        """One of the trail page's lists when it is too long for the page."""
        return self.root / TRAIL_LISTING.format(name=name)


@dataclass(frozen=True)
class AuditFiles:
    """The restricted audit folder beside the published review: reports/LABEL/audit/."""

    root: Path

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    @property
    def pii_scan(self) -> Path:
        return self.root / "pii-scan.json"

    @property
    def render_record(self) -> Path:
        """Which renderer made the published files, kept so a reused render can say so."""
        return self.root / "render.json"

    @property
    def lineage(self) -> Path:
        """Each number the report states, with the rows it counts and how it follows from them."""
        return self.root / "lineage.json"

    @property
    def data_quality(self) -> DataQualityFiles:
        return DataQualityFiles(self.root / "data-quality")

    @property
    def bundle(self) -> BundleFiles:
        return BundleFiles(self.root / "render-bundle")

    @property
    def problems(self) -> Path:
        """Every problem that refused the tracker, grouped by column and value, one per line:
        written only by a failed clean, so it is found in the failed build."""
        return self.root / "problems.csv"

    @property
    def problems_page(self) -> Path:
        """The same problems, to read."""
        return self.root / "problems.md"

    def executed_notebook(self, notebook: str) -> Path:
        return self.root / "notebooks" / notebook

    def log(self, step: str) -> Path:
        return self.root / "logs" / f"{step}.log"


@dataclass(frozen=True)
class ReportFiles:
    """The published review: reports/LABEL/report.html, report.pdf, the Excel annex of its
    tables and the 7-minute briefing, with audit/ beside them."""

    root: Path

    @property
    def html(self) -> Path:
        return self.root / REPORT_HTML

    @property
    def pdf(self) -> Path:
        return self.root / REPORT_PDF

    @property
    def annex(self) -> Path:
        """Every table the review shows, one per sheet (written by the analysis step)."""
        return self.root / REPORT_TABLES

    def listing(self, name: str) -> Path:
        """A listing too long for the review and the annex, as CSV beside them."""
        return self.root / REPORT_LISTING.format(name=name)

    @property
    def briefing_html(self) -> Path:
        return self.root / BRIEFING_HTML

    @property
    def briefing_pdf(self) -> Path:
        return self.root / BRIEFING_PDF

    @property
    def published(self) -> tuple[Path, ...]:
        listings = sorted(self.root.glob(REPORT_LISTING.format(name="*")))
        return (self.html, self.pdf, self.annex, self.briefing_html, self.briefing_pdf, *listings)

    @property
    def audit(self) -> AuditFiles:
        return AuditFiles(self.root / "audit")


@dataclass(frozen=True)
class RunLayout:
    """One run's two output folders. `published` and `staged` place the same names."""

    processed: ProcessedFiles
    reports: ReportFiles

    @classmethod
    def of(cls, processed_dir: Path | str, reports_dir: Path | str) -> RunLayout:
        """The layout of two given folders: what a notebook builds from its parameters."""
        return cls(ProcessedFiles(Path(processed_dir)), ReportFiles(Path(reports_dir)))

    @classmethod
    def of_parameters(cls, processed_dir: str, reports_dir: str) -> RunLayout:
        """A notebook's layout from its two parameters. An empty one (an analyst running the
        notebook in Jupyter) means the project's scratch folder; a relative path is from the
        project root. Published folders are written only by `impact-review run`, through its
        staging and gates."""
        scratch = cls.scratch()
        layout = cls.of(
            project_path(processed_dir) or scratch.processed.root,
            project_path(reports_dir) or scratch.reports.root,
        )
        published = (ROOT / "data" / "processed", ROOT / "reports")
        for root in layout.roots:
            if any(root.resolve().is_relative_to(folder.resolve()) for folder in published):
                raise InputError(
                    f"{shown_path(root)} is where published reviews live: a notebook run by "
                    "hand writes to the scratch folder (leave processed_dir and reports_dir "
                    "empty); publish with `impact-review run`"
                )
        return layout

    @classmethod
    def scratch(cls) -> RunLayout:
        """SCRATCH/processed and SCRATCH/reports: where notebooks run by hand write (SCRATCH is
        scratch/ in the project, or $IMPACT_REVIEW_SCRATCH)."""
        root = Path(os.environ.get(SCRATCH_ENV) or SCRATCH_DIR)
        return cls.of(root / "processed", root / "reports")

    @classmethod
    def published(cls, workdir: Path, label: str) -> RunLayout:
        """WORKDIR/data/processed/LABEL and WORKDIR/reports/LABEL."""
        return cls.of(workdir / "data" / "processed" / label, workdir / "reports" / label)

    @classmethod
    def staged(cls, staging_root: Path) -> RunLayout:
        return cls.of(staging_root / "processed", staging_root / "reports")

    @property
    def audit(self) -> AuditFiles:
        return self.reports.audit

    @property
    def bundle(self) -> BundleFiles:
        return self.reports.audit.bundle

    @property
    def roots(self) -> tuple[Path, Path]:
        return (self.processed.root, self.reports.root)


def staging_dir(workdir: Path) -> Path:
    """Where runs build (WORKDIR/.staging/LABEL-RUNID) and failed builds are kept."""
    return workdir / ".staging"


def failed_build_dir(workdir: Path, label: str) -> Path:
    return staging_dir(workdir) / f"{label}.failed"


def step_cache_dir(workdir: Path, label: str) -> Path:
    """Where a label's steps keep what they wrote, by key, for a rerun to reuse."""
    return workdir / ".cache" / "steps" / label


STEP_CACHE_ENTRY = "entry.json"
# In the bundle's narrative folder, beside the analyst's sections: the public contacts, written.
CONTACTS_FILE = "contacts.md"
# In the bundle's text folder: the abbreviations the review uses, as a table.
GLOSSARY_FILE = "glossary.md"
STEP_CACHE_FILES = "files"


@dataclass(frozen=True)
class StepFiles:
    """A notebook step with the files it reads and writes, so a step can be skipped when its
    outputs are newer than its inputs, or run beside another that shares none of them."""

    name: str
    notebook: str
    inputs: tuple[Path, ...]
    outputs: tuple[Path, ...]

    @property
    def source(self) -> Path:
        return NOTEBOOKS_DIR / self.notebook


COMPARE_NOTEBOOK = "04-compare.ipynb"


def comparison_step(layout: RunLayout, compared: tuple[RunLayout, ...]) -> StepFiles:
    """The comparison's one notebook step: it reads the compared runs' processed
    recommendations, manifests and lineages, and writes the bundle and its own lineage."""
    return StepFiles(
        "compare",
        COMPARE_NOTEBOOK,
        tuple(
            path
            for run in compared
            for path in (run.processed.recommendations, run.audit.manifest, run.audit.lineage)
        ),
        (layout.bundle.report, layout.bundle.variables, layout.audit.lineage),
    )


def step_files(
    layout: RunLayout, tracker: Path, narrative: Path | None, evidence: Path | None = None
) -> tuple[StepFiles, ...]:
    """The notebook steps in the order they run, with their inputs and outputs (the narrative is
    an input only when the analyst has written one, the evidence folder when one is given)."""
    processed, audit = layout.processed, layout.audit
    words = (narrative,) if narrative is not None else ()
    quality = audit.data_quality
    return (
        StepFiles(
            "clean",
            "01-clean.ipynb",
            (tracker, *((evidence,) if evidence is not None else ())),
            (*processed.files(), processed.duplicate_recommendations, audit.pii_scan),
        ),
        StepFiles(
            "validate",
            "02-validate.ipynb",
            (
                processed.tracker_as_read,
                processed.recommendations,
                processed.clean_summary,
                processed.left_out_rows,
            ),
            (quality.summary, quality.checks_page, quality.docs_index),
        ),
        StepFiles(
            "analyse",
            "03-analyse.ipynb",
            (
                processed.recommendations,
                processed.clean_summary,
                processed.left_out_rows,
                processed.value_mappings,
                quality.summary,
                *words,
            ),
            (
                layout.bundle.report,
                layout.bundle.variables,
                audit.lineage,
                quality.trail,
                layout.reports.annex,
            ),
        ),
    )
