"""The analyst's own words for the period: narrative-LABEL.md split into the report's sections.

A `## ` heading that names none of the sections would be left out of the review unseen, so the
run reports it, with the known heading it most resembles.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from impact_review.bundle.contacts import contacts_from, contacts_passage
from impact_review.layout import CONTACTS_FILE

# Sections the review needs the analyst's words for: a missing one says so in the review.
WRITTEN_SECTIONS = (
    "aims",
    "about-the-data",
    "recommendations-for-improvement",
    "resources-and-contacts",
)
# Sections the analyst may add to: the method (after the review's own account of it) and an
# interpretation of each analysis section, under that section's heading.
OPTIONAL_SECTIONS = (
    "method",
    "recommendations-by-source",
    "recommendations-by-area-of-learning",
    "recommendations-by-agency",
    "learning-identified",
    "implementation",
    "examples-of-impact",
    "what-the-call-for-evidence-found",
)
NARRATIVE_SECTIONS = WRITTEN_SECTIONS + OPTIONAL_SECTIONS
INTERPRETED = OPTIONAL_SECTIONS[1:]
NOT_WRITTEN = (
    "::: {.callout-warning}\n## Not written yet\n\nThe analyst has not written this "
    "section for the period: add it to the period's narrative file.\n:::\n"
)


def slug_of(heading: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", heading.strip().lower()).strip("-")


def heading_of(slug: str) -> str:
    """A section's heading as an analyst writes it: 'about-the-data' -> 'About the data'."""
    return slug.replace("-", " ").capitalize()


@dataclass(frozen=True)
class UnknownHeading:
    """A narrative heading that is none of the report's sections, and the closest that is."""

    heading: str
    suggestion: str | None

    def describe(self) -> str:
        hint = f' (did you mean "{self.suggestion}"?)' if self.suggestion else ""
        known = ", ".join(f'"{heading_of(slug)}"' for slug in (*WRITTEN_SECTIONS, "method"))
        return (
            f"the narrative file's heading \"{self.heading}\" is not one of the report's sections"
            f"{hint}, so its text is not in the review; the sections are {known}, and the "
            "heading of any analysis section, for the analyst's interpretation of it"
        )


@dataclass(frozen=True)
class Narrative:
    """The narrative file read: its front matter, its sections' markdown (without their
    headings) by slug, and each section's heading as written."""

    meta: dict
    sections: dict[str, str]
    headings: dict[str, str]

    @property
    def unknown_headings(self) -> tuple[UnknownHeading, ...]:
        unknown = []
        for slug, heading in self.headings.items():
            if slug in NARRATIVE_SECTIONS:
                continue
            close = difflib.get_close_matches(slug, NARRATIVE_SECTIONS, n=1, cutoff=0.5)
            unknown.append(UnknownHeading(heading, heading_of(close[0]) if close else None))
        return tuple(unknown)


def split_narrative(path: Path | None) -> Narrative:
    """The period's narrative, split at its level-2 headings (not those inside a ::: div)."""
    if path is None or not path.exists():
        return Narrative({}, {}, {})
    text = path.read_text(encoding="utf-8")
    meta: dict = {}
    if text.startswith("---\n"):
        end = text.index("\n---", 4)
        meta = yaml.safe_load(text[4:end]) or {}
        text = text[end + 4 :]
    sections: dict[str, list[str]] = {}
    headings: dict[str, str] = {}
    current: list[str] | None = None
    depth = 0  # inside a ::: div (a callout's own heading is not a section)
    for line in text.splitlines():
        if line.startswith(":::"):
            depth += -1 if line.strip() == ":::" else 1
        if depth == 0 and line.startswith("## "):
            slug = slug_of(line[3:])
            headings.setdefault(slug, line[3:].strip())
            current = sections.setdefault(slug, [])
        elif current is not None:
            current.append(line)
    return Narrative(
        meta, {slug: "\n".join(lines).strip() + "\n" for slug, lines in sections.items()}, headings
    )


def interpretation(body: str) -> str:
    """The analyst's reading of an analysis section, set apart from the computed text."""
    return f"::: {{.callout-note}}\n## The analyst's interpretation\n\n{body.strip()}\n:::\n"


def section_text(narrative: Narrative, slug: str) -> str:
    """What the review shows for one narrative section: the analyst's words; for a section
    they must write, a plain note that they have not; for an optional one, nothing."""
    body = narrative.sections.get(slug)
    if slug in WRITTEN_SECTIONS:
        return body or NOT_WRITTEN
    if not body or not body.strip():
        return ""
    return interpretation(body) if slug in INTERPRETED else body


def write_narrative(path: Path | None, narrative_dir: Path) -> Narrative:
    """One file per section, and the public contacts; returns the narrative read (its front
    matter may name the partnership; its unknown headings are reported)."""
    narrative = split_narrative(path)
    narrative_dir.mkdir(parents=True, exist_ok=True)
    for slug in NARRATIVE_SECTIONS:
        (narrative_dir / f"{slug}.md").write_text(section_text(narrative, slug), encoding="utf-8")
    contacts = contacts_from(narrative.meta, path or Path("narrative"))
    (narrative_dir / CONTACTS_FILE).write_text(contacts_passage(contacts), encoding="utf-8")
    return narrative


def published_contact_values(path: Path | None) -> tuple[str, ...]:
    """Every number and address the narrative's public contacts publish, for the scan of the
    rendered review to let through."""
    if path is None or not path.exists():
        return ()
    contacts = contacts_from(split_narrative(path).meta, path)
    return tuple(value for contact in contacts for value in contact.published_values)
