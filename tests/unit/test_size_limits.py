"""A tracker's size limit: low for a workbook (a zip-bomb guard), what the machine's memory can
carry for a CSV, and --max-bytes for either; the refusal names --max-bytes."""

from __future__ import annotations

from types import SimpleNamespace

import psutil
import pytest
from helpers import HEADER, row, write_csv_text, write_xlsx

from impact_review.errors import InputError
from impact_review.intake.tracker import CSV_MEMORY_PER_BYTE, Limits, check_file


@pytest.fixture
def csv_limit(monkeypatch) -> int:
    """A machine with CSV_MEMORY_PER_BYTE * 1,000 bytes of memory: a CSV may be 1,000 bytes."""
    total = CSV_MEMORY_PER_BYTE * 1_000
    monkeypatch.setattr(psutil, "virtual_memory", lambda: SimpleNamespace(total=total))
    return 1_000


def csv_of(tmp_path, rows: int):
    lines = [",".join(HEADER)] + [",".join(row(f"R{i}")) for i in range(rows)]
    return write_csv_text(tmp_path / "t.csv", lines)


def test_a_csv_may_be_as_large_as_the_machine_can_carry(tmp_path, csv_limit):
    small = csv_of(tmp_path, 5)
    assert small.stat().st_size <= csv_limit
    assert check_file(small, Limits()) == "csv"
    big = csv_of(tmp_path, 40)
    with pytest.raises(InputError) as refused:
        check_file(big, Limits())
    message = str(refused.value)
    assert f"file is {big.stat().st_size:,} bytes, over the limit of {csv_limit:,} " in message
    assert "(impact-review run --max-bytes N raises it)" in message
    assert "what this machine's memory can carry" in message


def test_max_bytes_raises_a_csvs_limit_and_lowers_a_workbooks(tmp_path, csv_limit):
    big = csv_of(tmp_path, 40)
    assert big.stat().st_size > csv_limit
    assert check_file(big, Limits.given(big.stat().st_size)) == "csv"
    workbook = write_xlsx(tmp_path / "t.xlsx", {"S": [HEADER, row("R1")]})
    assert check_file(workbook, Limits()) == "xlsx"
    with pytest.raises(InputError, match=r"--max-bytes N raises it.*guards against zip bombs"):
        check_file(workbook, Limits.given(workbook.stat().st_size - 1))


def test_a_workbooks_default_limit_does_not_grow_with_memory(csv_limit):
    assert Limits().max_file_bytes == 50 * 1024 * 1024
    assert Limits().max_csv_bytes == csv_limit
    assert Limits.given(None) == Limits() and Limits.given(0) == Limits()
