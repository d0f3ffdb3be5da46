"""The Quarto path: `quarto render` for each format in a scratch copy of the bundle (Quarto
writes next to its input), its variables escaped so that they read as literal text, as they do
in the built-in renderer."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from impact_review.markdown import escape_markdown
from impact_review.render.config import VARIABLES_FILE, read_yaml_mapping
from impact_review.render.errors import RenderError
from impact_review.render.guard import RenderLimits, run_limited
from impact_review.render.outputs import RenderResult, collected_outputs

# The time limit of a quarto command, when not the configured render_timeout_seconds.
QUARTO_TIMEOUT_SECONDS: float | None = None


def find_quarto() -> str | None:
    """The quarto executable on PATH, if there is one."""
    return shutil.which("quarto")


def render_with_quarto(
    quarto: str, bundle: Path, out_dir: Path, timestamp: dt.datetime | None, source: str
) -> RenderResult:
    """The document's HTML and PDF made by `quarto render SOURCE`, then checked and copied to
    out_dir."""
    renderer = f"quarto {_quarto_output(quarto, ['--version'], bundle).strip()}"
    with tempfile.TemporaryDirectory(prefix="impact-review-quarto-") as temporary:
        workdir = Path(temporary) / "bundle"
        shutil.copytree(bundle, workdir)
        _write_literal_variables(workdir / VARIABLES_FILE)
        environment = _quarto_environment(timestamp)
        for target in ("html", "typst"):
            _quarto_output(quarto, ["render", source, "--to", target], workdir, environment)
        return collected_outputs(renderer, workdir, out_dir, source)


def _write_literal_variables(path: Path) -> None:
    """Escape every string in _variables.yml, since quarto reads variables as markdown."""
    if path.exists():
        variables = read_yaml_mapping(path, required=True)
        path.write_text(yaml.safe_dump(_escaped_strings(variables), allow_unicode=True), "utf-8")


def _escaped_strings(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _escaped_strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_escaped_strings(item) for item in value]
    return escape_markdown(value) if isinstance(value, str) else value


def _quarto_environment(timestamp: dt.datetime | None) -> dict[str, str]:
    environment = dict(os.environ)
    if timestamp is not None:
        environment.setdefault("SOURCE_DATE_EPOCH", str(int(timestamp.timestamp())))
    return environment


def _quarto_output(
    quarto: str, arguments: list[str], cwd: Path, environment: dict[str, str] | None = None
) -> str:
    command = f"quarto {' '.join(arguments)}"
    limits = RenderLimits.configured()
    if QUARTO_TIMEOUT_SECONDS is not None:
        limits = replace(limits, seconds=QUARTO_TIMEOUT_SECONDS)
    completed = run_limited([quarto, *arguments], command, cwd=cwd, env=environment, limits=limits)
    stdout = completed.stdout.decode("utf-8", errors="replace")
    if completed.returncode != 0:
        problem = completed.stderr.decode("utf-8", errors="replace").strip() or stdout.strip()
        raise RenderError(f"{command} failed: {problem}")
    return stdout
