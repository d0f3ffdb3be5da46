"""The project's CSV writer (exports.write_csv): the same bytes as pandas writes, whichever
library writes them, and text that would run as a formula neutralised."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from impact_review.exports import neutralised, write_csv

# Every character that changes how a cell is written: separators, quotes, line ends, formula
# triggers, white space, and text beyond ASCII.
CHARACTERS = list("ab ,\"\n\r\t=+-@'é1")


def pandas_bytes(frame: pd.DataFrame, path: Path) -> bytes:
    safe = neutralised(frame)
    for column in safe.columns:
        if pd.api.types.is_datetime64_any_dtype(safe[column]):
            safe[column] = safe[column].dt.strftime("%Y-%m-%d")
    safe.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path.read_bytes()


def random_text(random: np.random.Generator, size: int, without: str = "") -> list[str | None]:
    characters = [c for c in CHARACTERS if c not in without]
    return [
        None
        if random.random() < 0.1
        else "".join(random.choice(characters, int(random.integers(0, 5))))
        for _ in range(size)
    ]


ANY_KIND = ("str", "object", "int", "Int64", "float", "bool", "date")
POLARS_KINDS = ("str", "object", "int", "Int64")


def random_frame(seed: int, kinds: tuple[str, ...] = ANY_KIND) -> pd.DataFrame:
    """Columns of random kinds; text with a carriage return in some (not of POLARS_KINDS)."""
    random = np.random.default_rng(seed)
    size = int(random.integers(0, 40))
    columns: dict[str, object] = {}
    for n in range(int(random.integers(1 if kinds == ANY_KIND else 2, 5))):
        kind = random.choice(list(kinds))
        name = f'Column {n}, "{kind}"'
        if kind in ("str", "object"):
            without = "\r" if kinds == POLARS_KINDS or random.random() < 0.7 else ""
            columns[name] = pd.Series(random_text(random, size, without), dtype=kind)
        elif kind == "int":
            columns[name] = random.integers(-5, 10**12, size)
        elif kind == "Int64":
            values = pd.array(random.integers(0, 100, size), dtype="Int64")
            values[random.random(size) < 0.2] = pd.NA
            columns[name] = values
        elif kind == "float":
            columns[name] = np.where(random.random(size) < 0.2, np.nan, random.random(size))
        elif kind == "bool":
            columns[name] = random.random(size) < 0.5
        else:
            days = pd.Timestamp("2020-01-01") + pd.to_timedelta(random.integers(0, 900, size), "D")
            columns[name] = pd.Series(days).where(random.random(size) < 0.8)
    return pd.DataFrame(columns)


@pytest.mark.parametrize("kinds", [ANY_KIND, POLARS_KINDS])
@pytest.mark.parametrize("seed", range(40))
def test_the_same_bytes_as_pandas_writes(tmp_path, seed, kinds):
    frame = random_frame(seed, kinds)
    write_csv(frame, tmp_path / "written.csv")
    assert (tmp_path / "written.csv").read_bytes() == pandas_bytes(frame, tmp_path / "p.csv")


def test_a_formula_is_written_as_text(tmp_path):
    frame = pd.DataFrame({"rec_id": ["=1+1", "R-2"], "n": [1, 2]})
    write_csv(frame, tmp_path / "f.csv")
    assert (tmp_path / "f.csv").read_text(encoding="utf-8") == "rec_id,n\n'=1+1,1\nR-2,2\n"
