"""The analyst's own words for the period: narrative-LABEL.md split into the report's sections."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

NARRATIVE_SECTIONS = ("about-the-data", "recommendations-for-improvement", "resources-and-contacts")
NOT_WRITTEN = (
    "::: {.callout-warning}\n## Not written yet\n\nThe analyst has not written this "
    "section for the period: add it to the period's narrative file.\n:::\n"
)


def split_narrative(path: Path | None) -> tuple[dict, dict[str, str]]:
    """(front matter, section slug -> markdown without its heading) from the period's narrative."""
    if path is None or not path.exists():
        return {}, {}
    text = path.read_text(encoding="utf-8")
    meta: dict = {}
    if text.startswith("---\n"):
        end = text.index("\n---", 4)
        meta = yaml.safe_load(text[4:end]) or {}
        text = text[end + 4 :]
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    depth = 0  # inside a ::: div (a callout's own heading is not a section)
    for line in text.splitlines():
        if line.startswith(":::"):
            depth += -1 if line.strip() == ":::" else 1
        if depth == 0 and line.startswith("## "):
            slug = re.sub(r"[^a-z0-9]+", "-", line[3:].strip().lower()).strip("-")
            current = sections.setdefault(slug, [])
        elif current is not None:
            current.append(line)
    return meta, {slug: "\n".join(lines).strip() + "\n" for slug, lines in sections.items()}


def write_narrative(path: Path | None, narrative_dir: Path) -> dict:
    """One file per section (a warning callout where the analyst wrote none); returns the
    narrative's front matter (the partnership's name)."""
    meta, sections = split_narrative(path)
    narrative_dir.mkdir(parents=True, exist_ok=True)
    for slug in NARRATIVE_SECTIONS:
        body = sections.get(slug, NOT_WRITTEN)
        (narrative_dir / f"{slug}.md").write_text(body, encoding="utf-8")
    return meta
