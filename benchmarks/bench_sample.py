"""Time the sample review against merely importing the libraries it is built on.

The target (see the project's roadmap) is a sample review within 1.5x the time it takes to import
great_expectations, pandas and seaborn. Each is timed as a fresh process, best of N.
Run: make bench   (or python benchmarks/bench_sample.py --repeat 3)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMPORTS = "import great_expectations, pandas, seaborn"


def best_of(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    imports = best_of([sys.executable, "-c", IMPORTS], args.repeat)
    with tempfile.TemporaryDirectory() as workdir:
        command = [sys.executable, "-m", "impact_review.cli", "run", "--workdir", workdir]
        review = best_of(command, args.repeat)
    result = {
        "imports_seconds": round(imports, 2),
        "sample_review_seconds": round(review, 2),
        "ratio": round(review / imports, 2),
        "target_ratio": 1.5,
    }
    out = ROOT / "benchmarks" / "results" / "sample.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
