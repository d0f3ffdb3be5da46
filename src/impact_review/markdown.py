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


def pipe_table(
    frame: pd.DataFrame,
    caption: str,
    label: str,
    headers: Sequence[str] | None = None,
    numeric: Sequence[str] = (),
) -> str:
    """A pipe table with a Quarto caption and cross-reference label ('tbl-...').

    Every cell is escaped; columns named in numeric are right-aligned.
    """
    headers = list(headers or frame.columns)
    align = ["---:" if column in numeric else ":---" for column in frame.columns]
    lines = [
        "| " + " | ".join(escape_markdown(h) for h in headers) + " |",
        "|" + "|".join(align) + "|",
    ]
    for values in frame.itertuples(index=False):
        cells = ["" if pd.isna(v) else escape_markdown(v) for v in values]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(f": {escape_markdown(caption)} {{#{label}}}")
    return "\n".join(lines) + "\n"


def bullet_list(items: Sequence[object]) -> str:
    return "".join(f"- {escape_markdown(item)}\n" for item in items)
