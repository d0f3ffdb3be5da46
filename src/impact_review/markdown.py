"""Tracker text as pandoc markdown that can only ever be read as text.

Pandoc's markdown treats a backslash before any ASCII punctuation as that character, literally,
so escaping every punctuation mark stops text such as `<script>`, `#set`, `*`, `$` or `[x](y)`
being read as markup, whichever renderer (Quarto or the built-in one) turns it into HTML or Typst.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence

import pandas as pd

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")


def escape_markdown(text: object) -> str:
    """One line of literal text: punctuation escaped, line breaks and tabs made spaces."""
    flat = " ".join(str(text).split())
    return _PUNCTUATION.sub(r"\\\1", flat)


def quoted_attribute(text: str) -> str:
    """text as the quoted value of a pandoc attribute (key="value")."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def pipe_table(
    frame: pd.DataFrame,
    caption: str,
    label: str,
    headers: Sequence[str] | None = None,
    numeric: Sequence[str] = (),
    widths: Sequence[int] = (),
) -> str:
    """A pipe table with a Quarto caption and cross-reference label ('tbl-...'), inside a region
    that scrolls sideways on a narrow screen: focusable by keyboard and named by the caption.

    Every cell is escaped; columns named in numeric are right-aligned. widths are the columns'
    shares of the page's width, as dashes under the header: pandoc honours them once a line of
    the table is longer than its 72 columns.
    """
    headers = list(headers or frame.columns)
    dashes = [max(3, width) for width in widths] if widths else [3] * len(frame.columns)
    align = [
        "-" * n + ":" if column in numeric else ":" + "-" * n
        for column, n in zip(frame.columns, dashes, strict=True)
    ]
    lines = [
        f'::: {{.table-scroll role="region" tabindex="0" aria-label={quoted_attribute(caption)}}}',
        "| " + " | ".join(escape_markdown(h) for h in headers) + " |",
        "|" + "|".join(align) + "|",
    ]
    for values in frame.itertuples(index=False):
        cells = ["" if pd.isna(v) else escape_markdown(v) for v in values]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(f": {escape_markdown(caption)} {{#{label}}}")
    lines.append(":::")
    return "\n".join(lines) + "\n"


def bullet_list(items: Sequence[object]) -> str:
    return "".join(f"- {escape_markdown(item)}\n" for item in items)
