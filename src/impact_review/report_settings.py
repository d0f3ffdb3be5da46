"""How large a review may grow before it lists less, and the render's limits (config/schema.yaml
report:, or the partnership's own in its taxonomy.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from impact_review.errors import InputError, Location
from impact_review.partnership import TAXONOMY_FILE, configured_folder
from impact_review.paths import SCHEMA_FILE

SECTION = "report"


@dataclass(frozen=True)
class ReportSettings:
    """register_max_rows: the longest listing the review prints; render_timeout_seconds and
    render_memory_mb: what one document's render may take before it is stopped."""

    register_max_rows: int
    render_timeout_seconds: float
    render_memory_mb: int

    def listed(self, rows: int) -> bool:
        """Whether a listing of this many rows is printed in the review (else it is a file)."""
        return rows <= self.register_max_rows


def _section(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    section = data.get(SECTION) or {}
    if not isinstance(section, dict):
        raise InputError(f"{SECTION}: must be a mapping of settings", Location(path))
    return section


@cache
def _settings_at(folder: Path) -> ReportSettings:
    taxonomy = folder / TAXONOMY_FILE
    merged = _section(SCHEMA_FILE) | (_section(taxonomy) if taxonomy.is_file() else {})
    try:
        settings = ReportSettings(
            register_max_rows=int(merged["register_max_rows"]),
            render_timeout_seconds=float(merged["render_timeout_seconds"]),
            render_memory_mb=int(merged["render_memory_mb"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(
            f"{SECTION}: needs whole numbers register_max_rows, render_timeout_seconds and "
            f"render_memory_mb ({error})",
            Location(taxonomy),
        ) from None
    if min(settings.register_max_rows, settings.render_memory_mb) < 1:
        raise InputError(f"{SECTION}: its settings must be positive", Location(taxonomy))
    return settings


def report_settings(folder: Path | None = None) -> ReportSettings:
    """The settings of the configuration in force (see partnership.py), read once per folder."""
    return _settings_at((folder or configured_folder()).resolve())
