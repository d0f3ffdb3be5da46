"""Workbooks with the same bytes on every run: openpyxl stamps the save time into the zip
members and docProps/core.xml, so both are pinned to a given moment."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path


def fixed_zip_bytes(data: bytes, stamp: datetime) -> bytes:
    """The workbook re-zipped with fixed member timestamps, so the file is byte-for-byte stable."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(<)",
                    rb"\g<1>" + stamp.isoformat().encode() + rb"Z\g<2>",
                    content,
                )
            dst.writestr(member, content)
    return out.getvalue()


def save_stable(workbook, path: Path, stamp: datetime) -> Path:
    """Save workbook to path with its created/modified stamps and zip times pinned to stamp."""
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(fixed_zip_bytes(buffer.getvalue(), stamp))
    return path
