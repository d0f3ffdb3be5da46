"""Writing a draft into its configuration folder, which must be new or empty unless forced."""

from __future__ import annotations

from pathlib import Path

from impact_review.adopt.draft import Draft
from impact_review.adopt.report import REPORT_FILE, report_text
from impact_review.adopt.taxonomy_file import partnership_text, taxonomy_text
from impact_review.errors import InputError, Location
from impact_review.partnership import PARTNERSHIP_FILE, TAXONOMY_FILE


def write_folder(draft: Draft, folder: Path, force: bool = False) -> list[Path]:
    """partnership.yaml, taxonomy.yaml and INIT-REPORT.md in folder; the paths written."""
    if folder.exists() and not folder.is_dir():
        raise InputError("is a file, not a folder", Location(folder))
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise InputError(
            "folder is not empty; choose a new --out folder, or add --force to overwrite the "
            "draft's files in it",
            Location(folder),
        )
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (
        (PARTNERSHIP_FILE, partnership_text(draft)),
        (TAXONOMY_FILE, taxonomy_text(draft)),
        (REPORT_FILE, report_text(draft)),
    ):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
