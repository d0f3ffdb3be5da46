"""The run manifest: what went in, with what code and settings, what came out, with hashes.

Written last into the restricted audit folder, so an auditor can tie every published number to
an input file, a commit and the checks that passed (Duck Book / Aqua Book per-run evidence).
"""

from __future__ import annotations

import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from impact_review.intake.tracker import sha256_of
from impact_review.layout import RunLayout
from impact_review.partnership import configured_folder
from impact_review.paths import ROOT, SCHEMA_FILE

PACKAGES = (
    "impact-review",
    "pandas",
    "pyarrow",
    "openpyxl",
    "great-expectations",
    "papermill",
    "seaborn",
    "matplotlib",
    "pypandoc-binary",
    "typst",
    "pypdf",
    "python-stdnum",
    "gptables",
    "xlsxwriter",
)


def git_state(root: Path = ROOT) -> dict[str, Any]:
    """The commit the code is at and whether it has uncommitted changes; None outside git."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=root, capture_output=True, text=True, timeout=20
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "dirty": None if status is None else bool(status)}


def code_version(state: dict[str, Any]) -> str:
    """'commit 1a2b3c4d5e6f' or '... with uncommitted changes', for the report's appendix."""
    if not state.get("commit"):
        return "an unversioned copy of the code"
    suffix = " with uncommitted changes" if state.get("dirty") else ""
    return f"commit {state['commit'][:12]}{suffix}"


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def file_hashes(folder: Path, exclude: tuple[Path, ...] = ()) -> dict[str, str]:
    """Relative path -> sha256 for every file under folder."""
    return {
        str(path.relative_to(folder)): sha256_of(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path not in exclude
    }


def configuration_hashes() -> dict[str, str]:
    """sha256 of the files that decide how a tracker is read and named: the schema and the
    partnership's configuration folder in force."""
    folder = configured_folder()
    files = [SCHEMA_FILE, *sorted(p for p in folder.iterdir() if p.is_file())]
    return {
        str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name: sha256_of(path)
        for path in files
    }


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def build_manifest(
    *,
    parameters: dict[str, Any],
    git: dict[str, Any],
    renderer: str,
    layout: RunLayout,
    timings: dict[str, float],
) -> dict[str, Any]:
    clean = _read_json(layout.processed.clean_summary)
    validation = _read_json(layout.audit.data_quality.summary)
    audit = layout.audit
    return {
        "input": clean.get("input", {}),
        "configuration": configuration_hashes(),
        "parameters": parameters,
        "code": git,
        "versions": package_versions(),
        "renderer": renderer,
        "rows": {**clean.get("counts", {}), "repairs": clean.get("repairs", {})},
        "checks": validation.get("counts", {}),
        "personal_data_scan": _read_json(audit.pii_scan),
        "timings_seconds": {k: round(v, 2) for k, v in timings.items()},
        "outputs": {
            "published": {
                path.name: sha256_of(path) for path in layout.reports.published if path.exists()
            },
            "processed": file_hashes(layout.processed.root),
            "audit": file_hashes(audit.root, exclude=(audit.manifest,)),
        },
    }


def same_outputs(previous: dict[str, Any], current: dict[str, Any]) -> bool:
    """True when the input, code and every published and processed output are unchanged."""
    keys = ("published", "processed")
    return (
        bool(previous)
        and previous.get("input", {}).get("sha256") == current["input"].get("sha256")
        and previous.get("code") == current["code"]
        and previous.get("configuration") == current.get("configuration")
        and all(previous.get("outputs", {}).get(k) == current["outputs"][k] for k in keys)
    )
