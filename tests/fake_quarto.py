"""A stand-in quarto for the quarto render path's tests: none installs here (see README:
Rendering), so one that logs how it was called and writes what a test asks for goes first on
PATH."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

FAKE_QUARTO = """\
#!{python}
import html, json, os, pathlib, sys, time
behaviour = {behaviour!r}
with pathlib.Path(behaviour["log"]).open("a") as out:
    out.write(json.dumps({{
        "argv": sys.argv[1:], "cwd": os.getcwd(),
        "epoch": os.environ.get("SOURCE_DATE_EPOCH"),
        "variables": pathlib.Path("_variables.yml").read_text(),
    }}) + "\\n")
if sys.argv[1:] == ["--version"]:
    print("1.7.32")
    sys.exit(0)
time.sleep(behaviour["sleep"])
if behaviour["fail_with"] is not None:
    sys.stderr.buffer.write(behaviour["fail_with"].encode("latin-1"))
    sys.exit(1)
target = sys.argv[sys.argv.index("--to") + 1]
text = "made by fake quarto for " + target + behaviour["shows"].get(target, "")
if target == "html":
    pathlib.Path("report.html").write_text("<html><body><p>" + html.escape(text) + "</p></body>")
elif behaviour["pdf"] == "damaged":
    pathlib.Path("report.pdf").write_text(text)
elif behaviour["pdf"] == "written":
    import typst
    pathlib.Path("report.pdf").write_bytes(typst.compile(("#" + json.dumps(text)).encode()))
"""


def install_fake_quarto(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fail_with: str | None = None,
    pdf: str = "written",
    shows: dict[str, str] | None = None,
    sleep: float = 0,
) -> Path:
    """Put a quarto first on PATH that logs how it was called; returns the log. It fails with
    fail_with (latin-1) on stderr, writes the PDF ("written"), a damaged one ("damaged") or none
    ("missing"), and adds shows[target] to that output's text."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "quarto-calls.jsonl"
    behaviour = {
        "log": str(log),
        "fail_with": fail_with,
        "pdf": pdf,
        "shows": shows or {},
        "sleep": sleep,
    }
    quarto = bin_dir / "quarto"
    quarto.write_text(FAKE_QUARTO.format(python=sys.executable, behaviour=behaviour))
    quarto.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return log


def quarto_calls(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]
