"""Fixtures shared by every test; helpers to import are in helpers.py."""

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
