"""Kernels started early: what they import, and that a notebook run in one reads as if its kernel
had just started (no names, no history, execution counts from 1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat
import papermill
import psutil
import pytest

from impact_review.kernels import KernelPool, imported_modules, warm_up_code
from impact_review.paths import ROOT


def notebook_with(tmp_path, *sources: str):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python"}
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook, path)
    return path


def test_the_modules_of_every_import_statement_in_order(tmp_path):
    path = notebook_with(
        tmp_path,
        "import json\nimport os.path as p, csv",
        "%matplotlib inline",
        "from collections import abc\nfrom . import local\nfrom json import dumps",
    )
    assert imported_modules(path) == (
        ("json", ("dumps",)),
        ("os.path", ()),
        ("csv", ()),
        ("collections", ("abc",)),
    )


def test_each_project_notebook_warms_the_libraries_it_will_load():
    """Including those loaded on first use: great_expectations behind checks' lazy attribute,
    seaborn inside the figure functions."""
    for notebook, library in (
        ("01-clean.ipynb", "sklearn.feature_extraction.text"),
        ("02-validate.ipynb", "great_expectations"),
        ("03-analyse.ipynb", "seaborn"),
    ):
        code = warm_up_code(imported_modules(ROOT / "notebooks" / notebook))
        found = subprocess.run(
            [sys.executable, "-c", f"{code}\nimport sys; print({library!r} in sys.modules)"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert found.stdout.strip() == "True", notebook


def test_the_warm_up_imports_and_leaves_no_name_behind():
    namespace: dict = {}
    sys.modules.pop("colorsys", None)
    exec(warm_up_code((("colorsys", ("hls_to_rgb", "absent")), ("json", ()))), namespace)
    assert "colorsys" in sys.modules
    assert set(namespace) == {"__builtins__"}


@pytest.mark.slow
def test_a_notebook_run_in_a_warm_kernel_reads_as_a_fresh_one(tmp_path):
    path = notebook_with(
        tmp_path, "import colorsys\nx = 1", "sorted(k for k in dir() if not k.startswith('_'))"
    )
    kernels = KernelPool(tmp_path)
    try:
        manager = kernels.ready("step", path, tmp_path / "step.log")
        executed = tmp_path / "out.ipynb"
        papermill.execute_notebook(
            str(path), str(executed), kernel_name="impact-review", progress_bar=False, km=manager
        )
    finally:
        kernels.close()
    cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    assert [cell["execution_count"] for cell in cells] == [1, 2]
    names = "".join(cells[1]["outputs"][0]["data"]["text/plain"])
    assert names == "['In', 'Out', 'colorsys', 'exit', 'get_ipython', 'open', 'quit', 'x']"
    assert kernels.kernels == {}
    assert not manager.has_kernel


@pytest.mark.slow
def test_a_kernel_handed_over_the_moment_it_starts_always_answers(tmp_path):
    """A client that connected while its kernel was still starting once waited forever for
    kernel_info about one time in two; ready() waits for the warm-up to finish first."""
    path = notebook_with(tmp_path, "1 + 1")
    kernels = KernelPool(tmp_path)
    try:
        for attempt in range(12):
            manager = kernels.ready(f"s{attempt}", path, tmp_path / "s.log")
            papermill.execute_notebook(
                str(path),
                str(tmp_path / "out.ipynb"),
                kernel_name="impact-review",
                progress_bar=False,
                km=manager,
                start_timeout=20,
            )
            kernels.release(f"s{attempt}")
    finally:
        kernels.close()


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="POSIX niceness")
def test_a_kernel_for_a_later_step_runs_at_a_lower_priority(tmp_path):
    path = notebook_with(tmp_path, "1 + 1")
    kernels = KernelPool(tmp_path)
    try:
        now = kernels.start("now", path, tmp_path / "s.log")
        later = kernels.start("later", path, tmp_path / "s.log", later=True)
        own = psutil.Process().nice()
        assert psutil.Process(now.provisioner.pid).nice() == own
        assert psutil.Process(later.provisioner.pid).nice() >= min(own + 10, 19)
    finally:
        kernels.close()
