"""Which partnership a run is for: its configuration folder, found once, and what it holds.

A configuration folder holds the partnership's name (partnership.yaml), its vocabulary
(taxonomy.yaml, read with config/schema.yaml) and, optionally, words its personal-data scan must
allow (pii-allow.yaml) and the themes it sets by hand for some recommendations
(theme-overrides.yaml). docs/partnership-config.md describes them; `impact-review init` drafts one
from a tracker.

The folder is, in order: --config, the IMPACT_REVIEW_CONFIG environment variable, the `config:`
entry of an impact-review.yaml in the working folder, else the shipped sample's. The pipeline
passes its choice to the notebooks' kernels through the environment variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import yaml

from impact_review.errors import InputError, Location
from impact_review.paths import CONFIG_ENV, SAMPLE_CONFIG_DIR, WORKFOLDER_SETTINGS

PARTNERSHIP_FILE = "partnership.yaml"
TAXONOMY_FILE = "taxonomy.yaml"
PII_ALLOW_FILE = "pii-allow.yaml"
THEME_OVERRIDES_FILE = "theme-overrides.yaml"


@dataclass(frozen=True)
class Renaming:
    """From a day on, the partnership's names (an LSCB became a safeguarding partnership)."""

    date: date
    name: str
    short_name: str


@dataclass(frozen=True)
class Partnership:
    """A partnership's configuration folder and the names the review gives it: name and
    short_name as first given, then each renaming: in force from its day."""

    folder: Path
    name: str
    short_name: str
    renamings: tuple[Renaming, ...] = ()

    def on(self, day: date) -> Partnership:
        """The partnership as it was named on a day."""
        current = self
        for renaming in sorted(self.renamings, key=lambda r: r.date):
            if renaming.date <= day:
                current = replace(current, name=renaming.name, short_name=renaming.short_name)
        return current

    def renamed_between(self, start: date, end: date) -> tuple[Renaming, ...]:
        """The renamings that took effect after start, up to end: a period that saw them."""
        return tuple(r for r in self.renamings if start < r.date <= end)

    @property
    def pii_allow_file(self) -> Path | None:
        path = self.folder / PII_ALLOW_FILE
        return path if path.is_file() else None


def configured_folder(cwd: Path | None = None) -> Path:
    """The configuration folder in force when --config is not given."""
    if chosen := os.environ.get(CONFIG_ENV):
        return Path(chosen).expanduser().resolve()
    settings = (cwd or Path.cwd()) / WORKFOLDER_SETTINGS
    if settings.is_file():
        data = yaml.safe_load(settings.read_text(encoding="utf-8")) or {}
        if isinstance(data, dict) and data.get("config"):
            return (settings.parent / str(data["config"])).expanduser().resolve()
    return SAMPLE_CONFIG_DIR


def check_folder(folder: Path) -> Path:
    """The folder, resolved, once it is known to hold a configuration; InputError otherwise."""
    folder = folder.expanduser().resolve()
    for name in (PARTNERSHIP_FILE, TAXONOMY_FILE):
        if not (folder / name).is_file():
            raise InputError(
                f"configuration folder has no {name} (draft one with `impact-review init`)",
                Location(folder),
            )
    return folder


def load_partnership(folder: Path | None = None) -> Partnership:
    folder = check_folder(folder or configured_folder())
    data = yaml.safe_load((folder / PARTNERSHIP_FILE).read_text(encoding="utf-8")) or {}
    name = str(data.get("name") or "").strip()
    if not name:
        raise InputError("partnership.yaml has no name:", Location(folder / PARTNERSHIP_FILE))
    short_name = str(data.get("short_name") or "the partnership").strip()
    return Partnership(folder, name, short_name, _renamings(data.get("renamed") or [], folder))


def _renamings(entries: list, folder: Path) -> tuple[Renaming, ...]:
    found = []
    for number, entry in enumerate(entries, start=1):
        if not (
            isinstance(entry, dict) and isinstance(entry.get("date"), date) and entry.get("name")
        ):
            raise InputError(
                f"renamed: entry {number} needs date: (YYYY-MM-DD) and name:",
                Location(folder / PARTNERSHIP_FILE),
            )
        short = str(entry.get("short_name") or "the partnership").strip()
        found.append(Renaming(entry["date"], str(entry["name"]).strip(), short))
    return tuple(found)
