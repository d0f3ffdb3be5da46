"""Build in a staging folder, then swap the finished outputs into place, or leave them untouched.

A run never writes into data/processed/LABEL or reports/LABEL directly. Everything is built under
WORKDIR/.staging/, and only when every step has passed are the old folders renamed aside and the
new ones renamed in (same filesystem, so each rename is atomic); if the swap itself fails, the old
folders are renamed back.
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from impact_review.layout import RunLayout, failed_build_dir, staging_dir


@dataclass(frozen=True)
class Staging:
    """One run's private build area, WORKDIR/.staging/LABEL-RUNID, laid out as the published
    folders are."""

    root: Path

    @property
    def layout(self) -> RunLayout:
        return RunLayout.staged(self.root)


def new_staging(workdir: Path, label: str) -> Staging:
    staging = Staging(staging_dir(workdir) / f"{label}-{uuid.uuid4().hex[:12]}")
    staging.layout.processed.root.mkdir(parents=True)
    staging.layout.bundle.root.mkdir(parents=True)
    return staging


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def swap_into_place(pairs: list[tuple[Path, Path]]) -> None:
    """Move each built folder to its target; on any failure put every old target back."""
    moved_aside: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    suffix = f".previous-{uuid.uuid4().hex[:8]}"
    try:
        for built, target in pairs:
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                aside = target.with_name(target.name + suffix)
                os.replace(target, aside)
                moved_aside.append((aside, target))
            os.replace(built, target)
            placed.append(target)
            _fsync_dir(target.parent)
    except BaseException:
        for target in placed:
            shutil.rmtree(target, ignore_errors=True)
        for aside, target in moved_aside:
            os.replace(aside, target)
        raise
    for aside, _ in moved_aside:
        shutil.rmtree(aside, ignore_errors=True)


def keep_failed(staging: Staging, workdir: Path, label: str) -> Path:
    """Keep a failed run's build (restricted: it may hold tracker text) for diagnosis, replacing
    the previous failed build of the same label; the published folders are not touched."""
    failed = failed_build_dir(workdir, label)
    if failed.exists():
        shutil.rmtree(failed)
    os.replace(staging.root, failed)
    return failed
