"""Where a run's time goes: each notebook step's cells run in this process under pyinstrument
(with the parameters `impact-review run` gives them), then the render and the scan of what it
wrote. A run's own kernels are other processes, which a profiler of the command cannot see.

Run: python benchmarks/profile_steps.py [--tracker T --from D --to D --as-at D] [--out FOLDER]
Writes FOLDER/profile-STEP.txt (default benchmarks/results/) and prints each step's seconds.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from notebook_cells import run_cells
from pyinstrument import Profiler

from impact_review.bundle.narrative import published_contact_values
from impact_review.layout import BRIEFING_SOURCE, REPORT_SOURCE
from impact_review.paths import CONFIG_ENV, DEFAULT_AS_AT, ROOT, SAMPLE_CONFIG_DIR, SAMPLE_TRACKER
from impact_review.period import Period, parse_iso_date
from impact_review.pipeline import (
    RunRequest,
    check_rendered,
    render_step,
    step_parameters,
    steps,
)
from impact_review.publish.staging import new_staging

RESULTS = ROOT / "benchmarks" / "results"


def profiled(name: str, work, out: Path) -> float:
    profiler = Profiler(interval=0.005)
    started = time.perf_counter()
    profiler.start()
    try:
        work()
    finally:
        profiler.stop()
    elapsed = time.perf_counter() - started
    text = profiler.output_text(unicode=False, color=False, show_all=False)
    (out / f"profile-{name}.txt").write_text(text, encoding="utf-8")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tracker", type=Path, default=SAMPLE_TRACKER)
    parser.add_argument("--from", dest="start", default="2015-04-01")
    parser.add_argument("--to", dest="end", default="2018-03-31")
    parser.add_argument("--as-at", dest="as_at", default=DEFAULT_AS_AT)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault(CONFIG_ENV, str(SAMPLE_CONFIG_DIR))
    args.out.mkdir(parents=True, exist_ok=True)
    period = Period(parse_iso_date(args.start, "--from"), parse_iso_date(args.end, "--to"), "p")
    as_at: date = parse_iso_date(args.as_at, "--as-at")
    with tempfile.TemporaryDirectory(prefix="impact-review-profile-") as workdir:
        request = RunRequest(
            args.tracker.resolve(), period, Path(workdir), as_at=as_at, max_bytes=2**40
        )
        layout = new_staging(Path(workdir), "p").layout
        seconds = {}
        for step in steps(request, layout):
            parameters = step_parameters(step.name, request, layout)
            seconds[step.name] = profiled(
                step.name, lambda s=step, p=parameters: list(run_cells(s.source, p)), args.out
            )

        def render_and_scan() -> None:
            render_step(as_at, "builtin", layout, (REPORT_SOURCE, BRIEFING_SOURCE))
            published = published_contact_values(request.narrative_file)
            check_rendered(layout, list(layout.reports.published), published)

        seconds["render"] = profiled("render", render_and_scan, args.out)
    for name, value in seconds.items():
        print(f"{name:10} {value:6.1f} s   {args.out / f'profile-{name}.txt'}")
    sys.exit(0)


if __name__ == "__main__":
    main()
