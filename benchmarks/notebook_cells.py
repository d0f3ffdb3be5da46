"""A notebook's code cells as a kernel would run them, for the in-process benchmarks
(profile_steps.py, bench_analyse.py): the parameters injected as papermill injects them, every
cell in one namespace of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook


def run_cells(notebook: Path, parameters: dict) -> Iterator[str]:
    """Run each code cell in turn, yielding its source once it has run."""
    executed = parameterize_notebook(load_notebook_node(str(notebook)), parameters)
    namespace: dict = {"__name__": "__main__"}
    for cell in executed.cells:
        if cell.cell_type == "code":
            exec(compile(cell.source, str(notebook), "exec"), namespace)
            yield cell.source
