"""How long a review takes, and how much memory, from the shipped sample to a million rows.

For each size it writes a synthetic tracker (impact_review.synthetic: CSV, and xlsx where asked),
runs `impact-review run` on it several times in a fresh workdir each time, and reports the median
of each step (from the run's manifest), the median whole run, the peak resident memory of the run's
whole process tree (the command and every kernel it starts, summed, sampled every 50 ms), and an
unchanged rerun (the step cache). The import floor, importing great_expectations, pandas, polars
and seaborn in a fresh process, is measured in the same session, so the ratio compares like with
like. Results: benchmarks/results/bench.json and a table on stdout.

Run: make bench                      (sizes sample,10k,100k,1m)
     python benchmarks/bench.py --sizes sample,10k --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from impact_review.render.guard import resident_mb

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
IMPORTS = "import great_expectations, pandas, polars, seaborn"
SAMPLE = ROOT / "data" / "raw" / "sample" / "east-sussex-lscb-tracker-2015-18.xlsx"
SIZES = {"sample": 0, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
STEPS = ("clean", "validate", "analyse", "render")


@dataclass
class Measured:
    size: str
    rows: int
    file_format: str
    file_bytes: int
    runs: int
    steps_median_s: dict[str, float]
    run_median_s: float
    run_times_s: list[float]
    peak_rss_mb: float
    rerun_s: float
    rerun_steps_reused: list[str]
    exit_codes: list[int] = field(default_factory=list)


def peak_tree_rss(pid: int, finished: threading.Event, interval: float = 0.05) -> float:
    """The highest sum of resident memory over a process and its descendants until finished, MB.
    It only looks: the process is waited for (reaped) by the thread that started it."""
    peak = 0.0
    root = psutil.Process(pid)
    while not finished.is_set():
        peak = max(peak, resident_mb(root))
        finished.wait(interval)
    return peak


def timed_run(command: list[str]) -> tuple[float, float, int]:
    """(seconds, peak MB of the process tree, exit code) of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    finished, peak = threading.Event(), [0.0]
    watcher = threading.Thread(
        target=lambda: peak.__setitem__(0, peak_tree_rss(process.pid, finished))
    )
    watcher.start()
    code = process.wait()
    elapsed = time.perf_counter() - started
    finished.set()
    watcher.join()
    return elapsed, peak[0], code


def import_floor(repeat: int) -> list[float]:
    return [timed_run([sys.executable, "-c", IMPORTS])[0] for _ in range(repeat)]


def run_command(size: str, file_format: str, folder: Path, workdir: Path) -> list[str]:
    """The review of the tracker of that size (written the first time it is asked for)."""
    if size == "sample":
        return [sys.executable, "-m", "impact_review.cli", "run", "--workdir", str(workdir)]
    from impact_review.intake.taxonomy import default_taxonomy
    from impact_review.synthetic import (
        SyntheticSpec,
        as_at_for,
        default_period,
        review_command,
        synthetic_tracker,
        write_tracker,
    )

    start, end = default_period(SIZES[size])
    spec = SyntheticSpec(SIZES[size], start, end, as_at_for(end))
    path = folder / f"tracker-{size}.{file_format}"
    if not path.exists():
        write_tracker(synthetic_tracker(spec, default_taxonomy()), path)
    return review_command(path, spec, workdir)


def tracker_of(size: str, file_format: str, folder: Path) -> Path:
    return SAMPLE if size == "sample" else folder / f"tracker-{size}.{file_format}"


def manifest_timings(workdir: Path) -> dict[str, float]:
    manifest = next((workdir / "reports").glob("*/audit/manifest.json"))
    return json.loads(manifest.read_text(encoding="utf-8"))["timings_seconds"]


def reused_steps(workdir: Path) -> list[str]:
    manifest = next((workdir / "reports").glob("*/audit/manifest.json"))
    return json.loads(manifest.read_text(encoding="utf-8"))["steps_reused"]


def measure(size: str, file_format: str, repeat: int, folder: Path) -> Measured:
    times, peaks, codes, steps = [], [], [], []
    rerun, reused = float("nan"), []
    for attempt in range(repeat):
        with tempfile.TemporaryDirectory(prefix="bench-", dir=folder) as workdir:
            command = run_command(size, file_format, folder, Path(workdir))
            elapsed, peak, code = timed_run(command)
            times.append(elapsed)
            peaks.append(peak)
            codes.append(code)
            if code != 0:
                continue
            steps.append(manifest_timings(Path(workdir)))
            if attempt == 0:
                rerun = timed_run(command)[0]
                reused = reused_steps(Path(workdir))
    medians = {
        step: round(statistics.median(run.get(step, 0.0) for run in steps), 2)
        for step in STEPS
        if steps
    }
    return Measured(
        size=size,
        rows=SIZES[size] or 147,
        file_format=SAMPLE.suffix[1:] if size == "sample" else file_format,
        file_bytes=tracker_of(size, file_format, folder).stat().st_size,
        runs=repeat,
        steps_median_s=medians,
        run_median_s=round(statistics.median(times), 2),
        run_times_s=[round(t, 2) for t in times],
        peak_rss_mb=round(max(peaks)),
        rerun_s=round(rerun, 2),
        rerun_steps_reused=reused,
        exit_codes=codes,
    )


def machine() -> dict[str, object]:
    return {
        "cpus": os.cpu_count(),
        "cpu": platform.processor() or platform.machine(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def shown_size(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 / 10 else f"{size / 2**10:.0f} KB"


def table(floor: float, results: list[Measured]) -> str:
    lines = [
        f"import floor ({IMPORTS}): median {floor:.2f} s",
        "",
        "| tracker | rows | clean | validate | analyse | render | whole run | × floor "
        "| peak memory | unchanged rerun | runs | exit |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for result in results:
        steps = " | ".join(f"{result.steps_median_s.get(step, 0):.1f} s" for step in STEPS)
        lines.append(
            f"| {result.size} ({result.file_format}, {shown_size(result.file_bytes)}) "
            f"| {result.rows:,} | {steps} | {result.run_median_s:.1f} s "
            f"| {result.run_median_s / floor:.1f} | {result.peak_rss_mb:,.0f} MB "
            f"| {result.rerun_s:.1f} s ({len(result.rerun_steps_reused)} steps reused) "
            f"| {', '.join(f'{t:.1f}' for t in result.run_times_s)} s "
            f"| {','.join(map(str, result.exit_codes))} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="sample,10k,100k,1m")
    parser.add_argument("--formats", default="csv", help="csv, xlsx or csv,xlsx")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--repeat-1m", type=int, default=1, help="runs at a million rows")
    parser.add_argument("--folder", type=Path, default=None, help="where trackers are written")
    args = parser.parse_args()
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("MPLBACKEND", "Agg")
    folder = args.folder or Path(tempfile.mkdtemp(prefix="impact-review-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    floor = statistics.median(import_floor(max(args.repeat, 3)))
    results = []
    for size in args.sizes.split(","):
        formats = ["xlsx"] if size == "sample" else args.formats.split(",")
        if size == "1m":  # writing a million-row workbook takes minutes; the CSV shows the scale
            formats = ["csv"]
        repeat = args.repeat_1m if size == "1m" else args.repeat
        for file_format in formats:
            print(f"bench: {size} {file_format} × {repeat}", file=sys.stderr, flush=True)
            results.append(measure(size, file_format, repeat, folder))
    report = {
        "machine": machine(),
        "import_floor_s": round(floor, 2),
        "results": [asdict(result) for result in results],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(floor, results))


if __name__ == "__main__":
    main()
