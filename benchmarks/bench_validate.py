"""Time the validate step (checks.validate_tracker) on a run's cleaned tables, in process.

Importing Great Expectations is timed apart: it costs the same at any size. With
--status-wrong-every N, every Nth recommendation gets a status the taxonomy does not know, to
time a check failing on many rows (a warning: the run still writes everything).
Run: python benchmarks/bench_validate.py PROCESSED_DIR --from 2022-04-01 --to 2025-03-31
     --as-at 2025-04-30 [--out FOLDER]
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("processed", type=Path, help="a run's data/processed/LABEL folder")
    parser.add_argument("--from", dest="start", required=True)
    parser.add_argument("--to", dest="end", required=True)
    parser.add_argument("--as-at", dest="as_at", required=True)
    parser.add_argument("--out", type=Path, help="where the Data Docs go (default: a temp folder)")
    parser.add_argument("--status-wrong-every", type=int, default=0)
    args = parser.parse_args()

    started = time.perf_counter()
    import great_expectations  # noqa: F401

    gx_import = time.perf_counter() - started

    from checks import validate_tracker
    from impact_review.intake.processed import (
        CleanSummary,
        read_left_out_rows,
        read_recommendations,
        read_tracker_as_read,
    )
    from impact_review.layout import ProcessedFiles
    from impact_review.period import parse_iso_date

    files = ProcessedFiles(args.processed)
    started = time.perf_counter()
    raw, clean = read_tracker_as_read(files), read_recommendations(files)
    left_out = read_left_out_rows(files)
    read = time.perf_counter() - started
    if args.status_wrong_every:
        clean.loc[clean.index[:: args.status_wrong_every], "status"] = "Not a status"
    summary = CleanSummary.read(files.clean_summary)
    with tempfile.TemporaryDirectory() as scratch:
        started, cpu = time.perf_counter(), time.process_time()
        report = validate_tracker(
            raw,
            clean,
            parse_iso_date(args.start, "--from"),
            parse_iso_date(args.end, "--to"),
            args.out or Path(scratch),
            left_out=left_out,
            source_type_from_sheet=summary.input.sources_sheet is not None,
            as_at=parse_iso_date(args.as_at, "--as-at"),
        )
        validate, cpu = time.perf_counter() - started, time.process_time() - cpu
    result = {
        "rows": len(clean),
        "gx_import_seconds": round(gx_import, 2),
        "read_seconds": round(read, 2),
        "validate_seconds": round(validate, 2),
        # CPU time of this process: steadier than seconds on a shared machine.
        "validate_cpu_seconds": round(cpu, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "failed_checks": {c.id: c.failing_count for c in report.checks if not c.success},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
