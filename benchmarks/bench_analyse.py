"""How long the analyse step takes on a run's processed data: notebooks/03-analyse.ipynb's code
cells run in this process (its parameters as `impact-review run` gives them), each cell timed,
then peak memory; with --profile, under pyinstrument too.

The inputs are a finished (or failed) run's processed folder and its reports folder's
audit/data-quality (the validation summary); both are copied into a fresh folder first, so the
step writes nothing beside them.

Run: python benchmarks/bench_analyse.py --processed P --data-quality D --from D --to D
     --as-at D [--profile OUT.txt] [--keep FOLDER]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

from notebook_cells import run_cells

from impact_review.paths import CONFIG_ENV, ROOT, SAMPLE_CONFIG_DIR

NOTEBOOK = ROOT / "notebooks" / "03-analyse.ipynb"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_cells(parameters: dict) -> list[tuple[str, float, float]]:
    """Each code cell's first line, its seconds and the peak memory after it (MB), run in one
    namespace as a kernel runs them."""
    seconds = []
    started = time.perf_counter()
    for source in run_cells(NOTEBOOK, parameters):
        elapsed = time.perf_counter() - started
        seconds.append((source.splitlines()[0][:60], elapsed, peak_mb()))
        started = time.perf_counter()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processed", type=Path, required=True)
    parser.add_argument("--data-quality", type=Path, required=True)
    parser.add_argument("--from", dest="start", required=True)
    parser.add_argument("--to", dest="end", required=True)
    parser.add_argument("--as-at", dest="as_at", required=True)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--keep", type=Path, help="write here (a new folder), to compare")
    parser.add_argument("--label", default="bench")
    parser.add_argument("--code-version", default="bench")
    args = parser.parse_args()
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault(CONFIG_ENV, str(SAMPLE_CONFIG_DIR))
    with tempfile.TemporaryDirectory(prefix="impact-review-analyse-") as scratch:
        workdir = args.keep or scratch
        processed = Path(workdir) / "processed"
        reports = Path(workdir) / "reports"
        shutil.copytree(args.processed, processed)
        shutil.copytree(args.data_quality, reports / "audit" / "data-quality")
        parameters = {
            "processed_dir": str(processed),
            "reports_dir": str(reports),
            "narrative": str(Path(workdir) / "no-narrative.md"),
            "period_start": args.start,
            "period_end": args.end,
            "label": args.label,
            "as_at": args.as_at,
            "code_version": args.code_version,
        }
        profiler = None
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.005)
            profiler.start()
        started = time.perf_counter()
        seconds = timed_cells(parameters)
        total = time.perf_counter() - started
        if profiler is not None:
            profiler.stop()
            text = profiler.output_text(unicode=False, color=False, show_all=False)
            args.profile.write_text(text, encoding="utf-8")
    for line, cell_seconds, peak in seconds:
        if cell_seconds >= 0.05:
            print(f"{cell_seconds:7.2f} s  {peak:6.0f} MB  {line}")
    print(f"{total:7.2f} s  {peak_mb():6.0f} MB  the analyse step (peak)")


if __name__ == "__main__":
    main()
