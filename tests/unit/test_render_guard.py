"""The render's limits (render/guard.py): a program that runs too long or holds too much memory
is stopped with a RenderError saying which document, which limit and what to do."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pypandoc
import pytest

from impact_review.paths import CONFIG_ENV, SAMPLE_CONFIG_DIR
from impact_review.render import RenderError, render_report
from impact_review.render.guard import RenderLimits, run_limited

FIXTURE = Path(__file__).parents[1] / "fixtures" / "render-bundle"
ROOMY = RenderLimits(seconds=60, memory_mb=2000)


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_a_program_within_the_limits_gives_its_output():
    completed = run_limited(
        python("import sys; sys.stdout.write(sys.stdin.read().upper())"),
        "echo",
        input=b"abc" * 100_000,
        limits=ROOMY,
    )

    assert (completed.returncode, completed.stdout) == (0, b"ABC" * 100_000)


def test_a_slow_program_is_stopped_at_the_time_limit():
    with pytest.raises(RenderError) as raised:
        run_limited(
            python("import time; time.sleep(60)"),
            "report.qmd (pdf): typst",
            limits=RenderLimits(0.5, 2000),
        )

    assert str(raised.value).startswith(
        "report.qmd (pdf): typst did not finish in 0.5 s, the render's time limit "
        "(render_timeout_seconds), and was stopped; the document may be too long to typeset: "
        "lower register_max_rows"
    )


def test_a_greedy_program_is_stopped_at_the_memory_limit():
    greedy = "import time; held = b'x' * (300 * 2**20); time.sleep(60)"

    with pytest.raises(
        RenderError,
        match=r"^report\.qmd \(html\): pandoc held \d+ MB, more than "
        r"the render's memory limit of 100 MB \(render_memory_mb\), and was stopped",
    ):
        run_limited(python(greedy), "report.qmd (html): pandoc", limits=RenderLimits(60, 100))


def test_the_configured_limit_stops_a_render_and_names_the_document(tmp_path, monkeypatch):
    config = Path(shutil.copytree(SAMPLE_CONFIG_DIR, tmp_path / "config"))
    with (config / "taxonomy.yaml").open("a", encoding="utf-8") as taxonomy:
        taxonomy.write("\nreport:\n  render_timeout_seconds: 0.5\n")
    slow_pandoc = tmp_path / "pandoc"
    slow_pandoc.write_text("#!/bin/sh\nsleep 60\n", encoding="utf-8")
    slow_pandoc.chmod(0o755)
    monkeypatch.setenv(CONFIG_ENV, str(config))
    monkeypatch.setattr(pypandoc, "get_pandoc_path", lambda: str(slow_pandoc))

    with pytest.raises(
        RenderError, match=r"^report\.qmd \(html\): pandoc did not finish in 0\.5 s"
    ):
        render_report(FIXTURE, tmp_path / "out", renderer="builtin")
    assert not (tmp_path / "out" / "report.html").exists()
