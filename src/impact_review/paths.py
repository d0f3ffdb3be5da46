"""Root-anchored paths: every other module asks here, so no path is written twice."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG_DIR = ROOT / "config"
# What a tracker's columns are called, for every partnership.
SCHEMA_FILE = CONFIG_DIR / "schema.yaml"
# The shipped sample partnership's configuration folder: the default (see partnership.py).
SAMPLE_CONFIG_DIR = CONFIG_DIR / "partnerships" / "east-sussex"
CONFIG_ENV = "IMPACT_REVIEW_CONFIG"
# What `impact-review init` knows about trackers in general (header words, abbreviations).
ADOPTION_FILE = CONFIG_DIR / "adoption.yaml"
WORKFOLDER_SETTINGS = "impact-review.yaml"
# Words the personal-data scan allows for every partnership (each may add its own).
PII_ALLOW_FILE = CONFIG_DIR / "pii-allow.yaml"
FIRST_NAMES_FILE = CONFIG_DIR / "first-names.txt"
# The real names of the children and families in the reviews: supplied by the partnership and
# kept out of git (config/restricted/ is ignored).
DENY_NAMES_FILE = CONFIG_DIR / "restricted" / "deny-names.txt"
NOTEBOOKS_DIR = ROOT / "notebooks"
RAW_DIR = ROOT / "data" / "raw"
SAMPLE_DIR = RAW_DIR / "sample"
SAMPLE_TRACKER = SAMPLE_DIR / "east-sussex-lscb-tracker-2015-18.xlsx"
# The later years' sample: one continuing tracker across the 2019 reforms, reviewed a year at a
# time (scripts/make_sample_years.py; its per-year counts are in data/raw/README.md).
SAMPLE_YEARS_TRACKER = SAMPLE_DIR / "east-sussex-tracker-2018-21.xlsx"
# The agencies' returns to the sample's call for evidence (scripts/make_sample_evidence.py).
SAMPLE_EVIDENCE = SAMPLE_DIR / "evidence-2015-18"
REPORT_TEMPLATE = ROOT / "report.qmd"
# The 7-minute briefing for frontline staff, from the same bundle.
BRIEFING_TEMPLATE = ROOT / "briefing.qmd"
# The comparison review of several periods (impact-review compare).
COMPARE_TEMPLATE = ROOT / "compare.qmd"
QUARTO_CONFIG = ROOT / "_quarto.yml"
# How the review sits on phones and A4 pages (the files _quarto.yml names), copied beside them.
PAGE_DIR = ROOT / "page"

DEFAULT_PERIOD_START = "2015-04-01"
DEFAULT_PERIOD_END = "2018-03-31"
DEFAULT_LABEL = "2015-18"
# The sample's review is as at the day its tracker was exported (its last completion is dated 1 May
# 2018): a recommendation completed after the as-at day was still open on it.
DEFAULT_AS_AT = "2018-05-14"


# The Jupyter kernel the notebooks name and the pipeline runs them in: the project's own
# environment, registered inside it (`make install`, or `impact-review run` when it is missing).
KERNEL_NAME = "impact-review"
KERNEL_DISPLAY_NAME = "Python (impact-review)"


def project_path(value: str) -> Path | None:
    """A notebook parameter's path: relative ones from the project root, never from the folder
    Jupyter runs the notebook in; an empty parameter is no path."""
    if not value:
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else ROOT / path


def shown_path(path: Path) -> str:
    """A project file as a message names it: from the repository when it is inside."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
