"""Dead-code check for `make lint`: vulture over the package, the scripts, the tests and the
notebooks' code cells (which vulture cannot read as .ipynb), so a function only a notebook calls
is not reported as unused, and one nothing calls is."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("src", "scripts", "benchmarks", "tests")
# Names used by frameworks rather than by our code (HTMLParser callbacks, GX settings).
WHITELIST = ROOT / "scripts" / "vulture_whitelist.py"
MIN_CONFIDENCE = "60"


def notebook_code(folder: Path) -> list[Path]:
    """Each notebook's code cells as one Python file in folder."""
    written = []
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = nbformat.read(notebook, as_version=4).cells
        code = "\n\n".join(cell.source for cell in cells if cell.cell_type == "code")
        path = folder / f"{notebook.stem.replace('-', '_')}.py"
        path.write_text(code + "\n", encoding="utf-8")
        written.append(path)
    return written


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="impact-review-vulture-") as folder:
        notebooks = notebook_code(Path(folder))
        command = [
            sys.executable,
            "-m",
            "vulture",
            *(str(ROOT / name) for name in SCANNED),
            *map(str, notebooks),
            str(WHITELIST),
            "--min-confidence",
            MIN_CONFIDENCE,
            "--exclude",
            "*/fixtures/*",
            "--ignore-names",
            "pytestmark,pytest_*",
        ]
        return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
