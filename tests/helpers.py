"""Helpers for tests: small trackers written by hand, the command as an analyst runs it,
headless Chromium, and a stand-in quarto."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

# The e2e session's published tracker (tests/e2e/conftest.py): its label, and text that must stay
# text in every output.
PUBLISHED_LABEL = "t"
HOSTILE = '<script>alert("x")</script> #set text(red) =HYPERLINK("http://x","y") *bold* $5'
FORMULA = "@SUM(A1) -cmd"
PSEUDONYMS = (
    "Child K's midwife and health visitors shared plans through Team Around the Family "
    "meetings with Sussex Police."
)

HEADER = [
    "Ref",
    "Source",
    "Source type",
    "Agency",
    "Area of learning",
    "Recommendation",
    "Date agreed",
]


def row(ref: str, agency: str = "ESHT", agreed: Any = "01/06/2016", **overrides: Any) -> list[Any]:
    """One tracker row under HEADER with sensible defaults."""
    values = {
        "source": "Child S SCR",
        "type": "SCR",
        "area": "Training",
        "text": "Train staff on the learning.",
    } | overrides
    return [ref, values["source"], values["type"], agency, values["area"], values["text"], agreed]


def write_xlsx(
    path: Path,
    sheets: dict[str, Sequence[Sequence[Any]]],
    hidden: Sequence[str] = (),
    merged: Sequence[tuple[str, str]] = (),
) -> Path:
    """A workbook with the given sheets (in order); merged is (sheet, 'C4:C5') pairs."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for values in rows:
            sheet.append(list(values))
        if name in hidden:
            sheet.sheet_state = "hidden"
    for name, cells in merged:
        workbook[name].merge_cells(cells)
    workbook.save(path)
    return path


def write_csv_text(
    path: Path, lines: Sequence[str], encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    path.write_bytes(
        ("\n".join(delimiter.join(line.split(",")) for line in lines) + "\n").encode(encoding)
    )
    return path


# Any tracker but the shipped sample needs its period (the command refuses to guess one).
PERIOD_ARGS = ("--from", "2015-04-01", "--to", "2018-03-31")


def run_cli(*args: str, timeout: int = 600):
    """`impact-review run ARGS` in a subprocess, as an analyst would type it."""
    import subprocess
    import sys

    from impact_review.paths import ROOT

    return subprocess.run(
        [sys.executable, "-m", "impact_review.cli", "run", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )


def tree_digest(folder: Path) -> dict[str, bytes]:
    """Every file under folder with its bytes, to show a failed run changed nothing."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


# Headless Chromium as root on a machine with no network beyond the package registries.
CHROMIUM = (
    "chromium",
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium(profile: Path, *args: str, timeout: int = 120):
    """Run headless Chromium with a fresh profile; returns the completed process."""
    import subprocess

    command = [*CHROMIUM, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


NORTHSHIRE = "Northshire Safeguarding Children Partnership"
NORTHSHIRE_TAXONOMY = """\
version: 1
columns:
  agency:
    headers: [lead organisation]
  area_of_learning:
    required: false
source_types:
  - name: LCSPR
    singular: LCSPR
    plural: LCSPRs
    name_suffix: LCSPR
    label: Local Child Safeguarding Practice Review
    label_plural: Local Child Safeguarding Practice Reviews
    aliases: [local child safeguarding practice review]
  - name: Rapid review
    singular: rapid review
    plural: rapid reviews
    label_plural: rapid reviews
    aliases: [rr]
  - name: Multi-agency audit
    singular: multi-agency audit
    plural: multi-agency audits
    label_plural: multi-agency audits
    aliases: [audit, maa]
agencies:
  - name: Northshire Children's Services
    short: NCS
    aliases: [childrens services]
  - name: Northshire Constabulary
    short: Police
    aliases: [police]
  - name: Northshire Hospitals NHS Trust
    short: NHT
    aliases: [hospital, nht]
  - name: Schools
    aliases: [education]
areas_of_learning: []
themes:
  - name: Neglect
    definition: Persistent failure to meet a child's basic needs.
    aliases: [neglect]
  - name: Exploitation
    definition: Children drawn into crime or abuse by others for their gain.
    aliases: [exploitation, cce, cse]
statuses:
  - name: Open
    aliases: [open, in progress]
  - name: Done
    closed: true
    implemented: true
    aliases: [done, complete, completed]
"""


def write_partnership_config(folder: Path, taxonomy: str = NORTHSHIRE_TAXONOMY) -> Path:
    """A configuration folder for a partnership that records themes, not areas of learning."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "partnership.yaml").write_text(
        f"name: {NORTHSHIRE}\nshort_name: the partnership\n", encoding="utf-8"
    )
    (folder / "taxonomy.yaml").write_text(taxonomy, encoding="utf-8")
    return folder


def with_theme_source(cleaned: dict[str, Any]) -> dict[str, Any]:
    """A hand-written cleaned row with where its themes came from, as cleaning records it: the
    tracker's cell when it holds themes, else none, unless the row says otherwise."""
    source = "tracker" if cleaned.get("themes") else "none"
    return {
        **cleaned,
        "theme_source": cleaned.get("theme_source", source),
        "theme_rules": cleaned.get("theme_rules", ""),
    }


# --- a stand-in quarto, for the quarto path where the real one cannot be installed ----------

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
stem = pathlib.Path(sys.argv[2]).stem  # quarto names the outputs after the document
text = "made by fake quarto for " + target + behaviour["shows"].get(target, "")
if target == "html":
    pathlib.Path(stem + ".html").write_text("<html><body><p>" + html.escape(text) + "</p></body>")
elif behaviour["pdf"] == "damaged":
    pathlib.Path(stem + ".pdf").write_text(text)
elif behaviour["pdf"] == "written":
    import typst
    pathlib.Path(stem + ".pdf").write_bytes(typst.compile(("#" + json.dumps(text)).encode()))
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


needs_quarto = pytest.mark.skipif(
    shutil.which("quarto") is None, reason="quarto is not on PATH (see README: Rendering)"
)
