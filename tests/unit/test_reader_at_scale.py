"""The fast paths of reading a tracker and writing a table give what the plain paths give: a CSV
read in chunks is the CSV read whole, and polars writes the bytes pandas' to_csv writes."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest
from helpers import HEADER, row

from impact_review import exports
from impact_review.errors import Location
from impact_review.exports import write_csv
from impact_review.intake import tracker
from impact_review.intake.taxonomy import default_taxonomy
from impact_review.intake.tracker import read_tracker

TRICKY = (
    "plain",
    "",
    " ",
    None,
    "a,b",
    'say "hi"',
    "line\nbreak",
    "crlf\r\nx",
    " lead",
    "trail ",
    "tab\tx",
    "=SUM(A1)",
    "-1",
    "é ü",
    "a;b",
    "#",
    "'",
)


def random_text(rng: np.random.Generator, size: int, with_cr: bool = False) -> list[str | None]:
    cells = [TRICKY[i] for i in rng.integers(len(TRICKY), size=size)]
    if with_cr:
        cells[int(rng.integers(size))] = "lone\rreturn"
    return cells


def pandas_bytes(frame: pd.DataFrame, path) -> bytes:
    """What write_csv wrote before polars: pandas' to_csv of the same safe frame."""
    safe = exports.neutralised(frame)
    for column in safe.columns:
        if pd.api.types.is_datetime64_any_dtype(safe[column]):
            safe[column] = safe[column].dt.strftime("%Y-%m-%d")
    safe.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path.read_bytes()


@pytest.mark.parametrize("seed", range(12))
def test_written_bytes_are_pandas_to_csv_bytes(seed, tmp_path):
    rng = np.random.default_rng(seed)
    size = int(rng.integers(0, 60))
    frame = pd.DataFrame(
        {
            "text": pd.Series(
                random_text(rng, size, with_cr=seed % 4 == 3 and size > 0), dtype=object
            ),
            "str": pd.Series(random_text(rng, size), dtype="str"),
            "flag": rng.random(size) < 0.5,
            "count": rng.integers(-5, 5, size=size),
            "maybe": pd.array(
                [None if x < 0 else int(x) for x in rng.integers(-2, 9, size=size)], dtype="Int64"
            ),
            "day": pd.to_datetime(rng.integers(0, 20000, size=size), unit="D").astype(
                "datetime64[ms]"
            ),
            "a, name": np.arange(size),
        }
    )
    if seed % 3 == 2:
        frame["ratio"] = np.where(rng.random(size) < 0.2, np.nan, rng.random(size) * 10.0**-5)
        frame["whole"] = rng.integers(0, 3, size=size).astype(float)
    if seed % 5 == 4:
        frame["half"] = pd.array(rng.random(size), dtype="Float32")  # pandas writes these
    write_csv(frame, tmp_path / "new.csv")
    assert (tmp_path / "new.csv").read_bytes() == pandas_bytes(frame, tmp_path / "old.csv")


def test_polars_writes_text_integers_booleans_and_floats_only():
    frame = pd.DataFrame({"a": ["x", "y"], "b": [1, 2], "c": [True, False]})
    assert exports.polars_columns(frame) is not None
    assert exports.polars_columns(frame.assign(d=[0.5, 1.0])) is not None
    assert exports.polars_columns(frame.assign(d=[0.5, 1.0]).astype({"d": "float32"})) is None
    assert exports.polars_columns(frame.assign(a=["x", 1.5])) is None
    assert exports.polars_columns(frame.assign(a=["lone\rreturn", "y"])) is None
    assert exports.polars_columns(frame[["a"]]) is None


def messy_csv(rng: np.random.Generator, rows: int, delimiter: str) -> str:
    """A tracker export with titles above the header, blank and short rows, quoted delimiters
    and line breaks, and loose quotes."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["Recommendations tracker"])
    writer.writerow([])
    writer.writerow([*HEADER, "Notes"])
    for index in range(rows):
        choice = rng.integers(8)
        if choice == 0:
            out.write("\n")
        elif choice == 1:
            writer.writerow(row(f"R{index}")[: int(rng.integers(1, len(HEADER)))])
        elif choice == 2:
            writer.writerow([""] * len(HEADER))
        elif choice == 3:
            out.write(f'R{index},a "loose" quote,"x"y\n'.replace(",", delimiter))
        else:
            cells = row(f"R{index}")
            cells[6] = str(rng.choice(["a, b", "line\nbreak", 'q "x"', " ", "Text"]))
            writer.writerow([*cells, str(rng.choice(["", "note", "é"]))])
    return out.getvalue()


def same_table(a: tracker.Table, b: tracker.Table) -> None:
    pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True)
    assert (a.header_row, a.columns, a.blank_rows, a.above_header, a.unused) == (
        b.header_row,
        b.columns,
        b.blank_rows,
        b.above_header,
        b.unused,
    )


@pytest.mark.parametrize("seed", range(8))
def test_a_csv_read_in_chunks_is_the_csv_read_whole(seed, tmp_path, monkeypatch):
    rng = np.random.default_rng(seed)
    delimiter = (",", ";", "\t", "|")[seed % 4]
    encoding = ("utf-8", "utf-8-sig", "cp1252")[seed % 3]
    text = messy_csv(rng, 200, delimiter)
    path = tmp_path / "t.csv"
    path.write_bytes(text.replace("\n", "\r\n" if seed % 2 else "\n").encode(encoding))
    monkeypatch.setattr(tracker, "CSV_CHUNK_ROWS", int(rng.integers(1, 9)))
    read = read_tracker(path)
    specs = default_taxonomy().columns
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    whole = tracker.build_table(
        rows, *tracker.find_header(rows, specs, Location(path)), specs, None
    )
    same_table(read.recommendations, whole)
    assert read.delimiter == delimiter
    assert read.encoding == ("cp1252" if encoding == "cp1252" else "utf-8-sig")
    assert read.sha256 == tracker.sha256_of(path)
    assert len(whole.frame) + len(whole.blank_rows) == 200
