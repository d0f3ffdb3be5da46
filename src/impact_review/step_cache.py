"""Reuse of a notebook step's outputs when nothing it depends on has changed.

A step's key hashes everything that can change what it writes: the code (the package, notebooks,
configuration and report source, and the installed library versions), its parameters (with the
run's staging folder taken out), the content of its own inputs (tracker, returned evidence,
partnership folder, narrative) and the key of the step before it, whose outputs it reads. So an
unchanged rerun reuses every step, and a change reruns the step it touches and every later one.

An entry is the files the step wrote, relative to the staging root, with their sha256; a reuse
checks every hash first, and an entry that fails the check is deleted and the step runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from impact_review.intake.tracker import sha256_of
from impact_review.layout import STEP_CACHE_ENTRY, STEP_CACHE_FILES, step_cache_dir
from impact_review.paths import PAGE_DIR, ROOT
from impact_review.publish.manifest import package_versions

# What the code is: every file under these (relative to the project root) that is not a cache.
CODE_PARTS = (
    "src",
    "notebooks",
    "config",
    "report.qmd",
    "briefing.qmd",
    "_quarto.yml",
    PAGE_DIR.name,
)
SKIPPED_PARTS = {"__pycache__", ".ipynb_checkpoints"}

Snapshot = dict[str, tuple[int, int]]


def _files_under(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(
        found
        for found in path.rglob("*")
        if found.is_file() and not SKIPPED_PARTS.intersection(found.parts)
    )


def content_digest(paths: Iterable[Path], base: Path | None = None) -> str:
    """One sha256 over the names (relative to base, or to each given path) and bytes of every
    file under paths; a path that does not exist counts as absent, not as an error."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(f"\0{path.name if base is None else path}\0".encode())
        if not path.exists():
            digest.update(b"absent")
            continue
        for file in _files_under(path):
            name = file.relative_to(base or path.parent).as_posix()
            digest.update(f"{name}\0{sha256_of(file)}\n".encode())
    return digest.hexdigest()


def code_fingerprint(root: Path = ROOT) -> str:
    """The code a step runs, by content (uncommitted edits included) and library versions."""
    versions = json.dumps(package_versions(), sort_keys=True)
    files = content_digest([root / part for part in CODE_PARTS], base=root)
    return hashlib.sha256(f"{versions}\n{files}".encode()).hexdigest()


def step_key(
    step: str,
    code: str,
    parameters: Mapping[str, object],
    staging_root: Path,
    inputs: Iterable[Path],
    previous: str | None,
) -> str:
    """The key of one step's outputs: see the module docstring for what goes in."""
    staged = str(staging_root)
    shown = {
        name: value.replace(staged, "<staging>") if isinstance(value, str) else value
        for name, value in parameters.items()
    }
    material = {
        "step": step,
        "code": code,
        "parameters": shown,
        "inputs": content_digest(inputs),
        "previous": previous,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def snapshot(root: Path) -> Snapshot:
    """Every file under root with its size and modification time, to see what a step wrote."""
    found = {}
    for path in root.rglob("*"):
        if path.is_file():
            stat = path.stat()
            found[path.relative_to(root).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return found


def written_since(root: Path, before: Snapshot) -> list[str]:
    """The files under root that are new or changed since the snapshot, sorted."""
    return sorted(name for name, stat in snapshot(root).items() if before.get(name) != stat)


@dataclass(frozen=True)
class StepCache:
    """A label's cached step outputs in a workdir."""

    folder: Path

    @classmethod
    def of(cls, workdir: Path, label: str) -> StepCache:
        return cls(step_cache_dir(workdir, label))

    def entry(self, step: str, key: str) -> Path:
        return self.folder / f"{step}-{key}"

    def restore(self, step: str, key: str, staging_root: Path) -> bool:
        """Copy a verified entry's files into the staging root; False when there is none (or it
        no longer matches its hashes, when it is deleted)."""
        entry = self.entry(step, key)
        try:
            hashes = json.loads((entry / STEP_CACHE_ENTRY).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        stored = entry / STEP_CACHE_FILES
        if not all(
            (stored / name).is_file() and sha256_of(stored / name) == digest
            for name, digest in hashes.items()
        ):
            shutil.rmtree(entry, ignore_errors=True)
            return False
        for name in hashes:
            target = staging_root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(stored / name, target)
        return True

    def store(self, step: str, key: str, staging_root: Path, names: list[str]) -> None:
        """Keep the files a step wrote under its key; written aside, then moved into place."""
        self.folder.mkdir(parents=True, exist_ok=True)
        building = self.folder / f".building-{uuid.uuid4().hex[:12]}"
        building.mkdir()
        hashes = {}
        for name in names:
            target = building / STEP_CACHE_FILES / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(staging_root / name, target)
            hashes[name] = sha256_of(target)
        (building / STEP_CACHE_ENTRY).write_text(
            json.dumps(hashes, indent=1, sort_keys=True), encoding="utf-8"
        )
        entry = self.entry(step, key)
        shutil.rmtree(entry, ignore_errors=True)
        try:
            os.replace(building, entry)
        except OSError:
            shutil.rmtree(building, ignore_errors=True)

    def keep_only(self, entries: Iterable[Path]) -> None:
        """Delete every entry but these: a label keeps the steps of its last published run."""
        kept = set(entries)
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path not in kept:
                shutil.rmtree(path, ignore_errors=True)
