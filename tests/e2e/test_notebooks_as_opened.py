"""The notebooks as an analyst opens them: in Jupyter (working directory notebooks/), in the
project's kernel, with no parameter given. Run 01 -> 02 -> 03 they leave the sample's cleaned
tables and a render bundle in the scratch folder, the same as the pipeline's steps, and never
touch a published review."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import tree_digest

from impact_review.layout import SCRATCH_ENV, RunLayout
from impact_review.paths import KERNEL_NAME, NOTEBOOKS_DIR, ROOT

pytestmark = pytest.mark.slow
NOTEBOOKS = ("01-clean.ipynb", "02-validate.ipynb", "03-analyse.ipynb")
PUBLISHED = (ROOT / "data" / "processed", ROOT / "reports")


def published_now() -> dict[str, dict[str, bytes]]:
    return {str(root): tree_digest(root) for root in PUBLISHED if root.is_dir()}


@dataclass(frozen=True)
class Opened:
    scratch: RunLayout
    published_before: dict[str, dict[str, bytes]]


@pytest.fixture(scope="module")
def opened(sample_runs, tmp_path_factory, monkeypatch_module) -> Opened:
    """Run on the worker that holds the sample's run (sample_runs), which its tests compare."""
    import papermill

    scratch = tmp_path_factory.mktemp("scratch")
    executed = tmp_path_factory.mktemp("executed")
    monkeypatch_module.setenv(SCRATCH_ENV, str(scratch))
    before = published_now()
    for notebook in NOTEBOOKS:
        papermill.execute_notebook(
            str(NOTEBOOKS_DIR / notebook),
            str(executed / notebook),
            progress_bar=False,
            cwd=str(NOTEBOOKS_DIR),  # as Jupyter runs it; no kernel_name: the notebook's own
        )
    return Opened(RunLayout.scratch(), before)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_each_notebook_names_the_projects_kernel_which_is_this_environment():
    from jupyter_client.kernelspec import KernelSpecManager

    for notebook in NOTEBOOKS:
        metadata = json.loads((NOTEBOOKS_DIR / notebook).read_text(encoding="utf-8"))["metadata"]
        assert metadata["kernelspec"]["name"] == KERNEL_NAME, notebook
    spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    assert Path(spec.resource_dir).is_relative_to(sys.prefix)
    assert os.path.samefile(spec.argv[0], sys.executable) or spec.argv[0] == "python"


def test_run_as_opened_they_give_what_the_pipeline_gives(opened, sample_runs):
    pipeline = sample_runs.layout
    assert tree_digest(opened.scratch.processed.root) == tree_digest(pipeline.processed.root)
    bundle, expected = tree_digest(opened.scratch.bundle.root), tree_digest(pipeline.bundle.root)
    assert len(bundle) >= 20 and bundle.keys() == expected.keys()
    assert [name for name in bundle if bundle[name] != expected[name]] == []
    assert opened.scratch.audit.data_quality.checks_page.is_file()


def test_a_run_by_hand_leaves_published_reviews_alone(opened):
    assert published_now() == opened.published_before
