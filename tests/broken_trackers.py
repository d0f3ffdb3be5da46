"""Trackers broken in the ways real ones are, each with where its error message must point:
shared by the in-process unit test (every case) and the end-to-end test (a few, through the CLI)."""

import zipfile
from pathlib import Path

from helpers import HEADER, row, write_csv_text, write_xlsx


def _zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * 60_000_000 + b"</a>")
    return path


def _xml_bomb(path: Path) -> Path:
    write_xlsx(path, {"S": [HEADER, row("R1")]})
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        "<sst>&lol3;</sst>"
    )
    rebuilt = path.with_name("bomb.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(rebuilt, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = laughs.encode()
            dst.writestr(info, data)
    return rebuilt


# (name, builder, file, sheet, row, column) — None where the message cannot name one.
BROKEN = [
    ("empty file", lambda p: _bytes(p / "empty.csv", b""), "empty.csv", None, None, None),
    (
        "header only",
        lambda p: write_csv_text(p / "h.csv", [",".join(HEADER)]),
        "h.csv",
        None,
        "1",
        None,
    ),
    (
        "csv renamed xlsx",
        lambda p: write_csv_text(p / "r.xlsx", [",".join(HEADER), ",".join(map(str, row("R1")))]),
        "r.xlsx",
        None,
        None,
        None,
    ),
    (
        "no sheet with the headers",
        lambda p: write_xlsx(p / "n.xlsx", {"Notes": [["hi"]], "Data": [["a", "b"]]}),
        "n.xlsx",
        None,
        None,
        None,
    ),
    (
        "missing required column",
        lambda p: write_xlsx(
            p / "m.xlsx",
            {
                "S": [
                    HEADER[:3] + HEADER[4:],
                    ["R1", "Child S", "SCR", "Training", "x", "01/06/2016"],
                ]
            },
        ),
        "m.xlsx",
        "S",
        None,
        None,
    ),
    (
        "duplicated header",
        lambda p: write_xlsx(p / "d.xlsx", {"S": [[*HEADER, "Agency"], [*row("R1"), "CSC"]]}),
        "d.xlsx",
        "S",
        "1",
        "Agency",
    ),
    (
        "merged mandatory cells",
        lambda p: write_xlsx(
            p / "mg.xlsx", {"S": [HEADER, row("R1"), row("R2")]}, merged=[("S", "D2:D3")]
        ),
        "mg.xlsx",
        "S",
        "2",
        "Agency",
    ),
    (
        "error cell",
        lambda p: write_xlsx(p / "e.xlsx", {"S": [HEADER, row("R1"), row("R2", "#N/A")]}),
        "e.xlsx",
        "S",
        "3",
        "Agency",
    ),
    (
        "impossible date",
        lambda p: write_xlsx(p / "i.xlsx", {"S": [HEADER, row("R1", agreed="31/02/2018")]}),
        "i.xlsx",
        "S",
        "2",
        "Date agreed",
    ),
    (
        "unknown encoding",
        lambda p: _bytes(p / "u.csv", ",".join(HEADER).encode() + b"\nR1,\x81\x8d,SCR\n"),
        "u.csv",
        None,
        None,
        None,
    ),
    (
        "unmappable agency",
        lambda p: write_xlsx(p / "a.xlsx", {"S": [HEADER, row("R1", "ESHT Trsut")]}),
        "a.xlsx",
        "S",
        "2",
        "Agency",
    ),
    ("zip bomb", lambda p: _zip_bomb(p / "z.xlsx"), "z.xlsx", None, None, None),
    ("XML entity bomb", lambda p: _xml_bomb(p / "x.xlsx"), "bomb.xlsx", None, None, None),
]


def _bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def assert_located(
    message: str, file: str, sheet: str | None, row: str | None, column: str | None
) -> None:
    """The message names the file, and the sheet, row and column where the case has them."""
    assert f"file {file}" in message
    if sheet:
        assert f"sheet '{sheet}'" in message
    if row:
        assert f"row {row}" in message
    if column:
        assert f"column '{column}'" in message
