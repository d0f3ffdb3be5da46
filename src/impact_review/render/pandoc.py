"""Running pandoc over a resolved report with the Lua filters in filters/: the check for
unsupported Quarto features first, then the bundle's own filters (as Quarto runs a document's
filters before its own), then cross-references and callouts."""

from __future__ import annotations

from pathlib import Path

import pypandoc

from impact_review.render.config import REPORT_FILE
from impact_review.render.errors import RenderError
from impact_review.render.guard import run_limited

PACKAGE_DIR = Path(__file__).resolve().parent
CHECK_FILTER = PACKAGE_DIR / "filters" / "unsupported.lua"
QUARTO_FILTERS = tuple(PACKAGE_DIR / "filters" / name for name in ("crossref.lua", "callout.lua"))
TEMPLATES_DIR = PACKAGE_DIR / "templates"


def run_pandoc(
    markdown: str,
    to: str,
    arguments: list[str],
    bundle: Path,
    filters: tuple[Path, ...] = (),
    source: str = REPORT_FILE,
) -> str:
    """pandoc's output for a document's markdown; it runs in the bundle so images resolve there.
    filters are the bundle's own (_quarto.yml's filters:); source names the document."""
    command = [
        pypandoc.get_pandoc_path(),
        "--from=markdown",
        f"--to={to}",
        "--fail-if-warnings",
        # Not the user's pandoc folder, whose templates or defaults could change the output.
        f"--data-dir={TEMPLATES_DIR}",
        *(f"--lua-filter={path}" for path in (CHECK_FILTER, *filters, *QUARTO_FILTERS)),
        *arguments,
    ]
    completed = run_limited(
        command, f"{source} ({to}): pandoc", input=markdown.encode("utf-8"), cwd=bundle
    )
    if completed.returncode != 0:
        stderr = completed.stderr.decode("utf-8", errors="replace")
        raise RenderError(f"{source} ({to}): {_pandoc_problem(stderr)}")
    return completed.stdout.decode("utf-8")


def _pandoc_problem(stderr: str) -> str:
    """pandoc's message without the Lua stack trace."""
    lines = stderr.split("stack traceback:", 1)[0].strip().splitlines()
    useful = [line for line in lines if not line.startswith("Error running filter")]
    return " ".join(useful) or stderr.strip()
