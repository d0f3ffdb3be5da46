"""Fixtures shared by every test; helpers to import are in helpers.py."""

import gc
import os
from pathlib import Path

import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("MPLBACKEND", "Agg")

from helpers import HEADER, row, write_xlsx


@pytest.fixture
def simple_xlsx(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "tracker.xlsx",
        {"Tracker": [HEADER, row("R1"), row("R2", "CSC"), row("R3", "Education", "2017-03-31")]},
    )


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups into the test ids
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (make test: --dist loadgroup), every test that reads a shared run goes to
    the worker that makes it, so each run is still made once."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "sample_runs" in names:
            item.add_marker(pytest.mark.xdist_group("sample-runs"))
        elif "yearly_runs" in names:
            item.add_marker(pytest.mark.xdist_group("yearly-runs"))
        elif "published" in names:
            item.add_marker(pytest.mark.xdist_group("published"))
        elif item.path.name == "test_checks.py":
            # Only these import Great Expectations in the test process: one worker pays for it.
            item.add_marker(pytest.mark.xdist_group("great-expectations"))
        elif "adoptions" in names:
            callspec = getattr(item, "callspec", None)
            shape = callspec.params.get("adopted", "northshire") if callspec else "northshire"
            item.add_marker(pytest.mark.xdist_group(f"adoption-{shape}"))


def pytest_unconfigure(config: pytest.Config) -> None:
    """By the end a test process holds a large heap (pandas, Great Expectations, every test's
    objects); none of it needs collecting on the way out, and the collector's passes over it at
    exit held the run's end up by seconds."""
    gc.freeze()
