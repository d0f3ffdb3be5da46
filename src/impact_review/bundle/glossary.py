"""Abbreviations: the review's glossary, and each one written out in full where it first appears.

The terms come from the partnership's taxonomy: agencies whose short name is an abbreviation
("NCC CS" for Northshire County Council Children's Services), source types whose name is one
("LCSPR" for Local Child Safeguarding Practice Review), and its `glossary:` list for the rest
(SPoA, MACE, ...). The glossary lists only
the terms the review uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from impact_review.intake.taxonomy import Taxonomy
from impact_review.layout import GLOSSARY_FILE, BundleFiles
from impact_review.markdown import escape_markdown, pipe_table
from impact_review.render import SHORTCODE, included_names

# Where a term is not prose: a link's target, an autolink or raw HTML (and shortcodes, which
# the render package finds).
_NOT_PROSE = re.compile(r"\]\([^)]*\)|<[^>\n]*>")
# Lines that are not prose: tables, headings, fenced divs, figures, front matter rules.
_NOT_PROSE_LINE = ("|", "#", ":::", "![", "---")


@dataclass(frozen=True)
class Term:
    term: str
    meaning: str

    @property
    def pattern(self) -> re.Pattern[str]:
        """The term as a word, alone or with a plural "s" ("LCSPR", "LCSPRs")."""
        return re.compile(rf"(?<![\w\\-]){re.escape(self.term)}(s?)(?![\w-])")

    def in_full(self, plural: str = "", markdown: bool = True) -> str:
        """'Local Child Safeguarding Practice Reviews (LCSPRs)': the meaning first, the term
        after it (as markdown, or as plain text for a value the report quotes)."""
        meaning = escape_markdown(self.meaning) if markdown else self.meaning
        return f"{meaning}{plural} ({self.term}{plural})"


def is_abbreviation(word: str) -> bool:
    """One word with at least two capitals: LCSPR, CCGs, SPoA; not Education or Police."""
    return " " not in word and sum(c.isupper() for c in word) >= 2


def glossary_terms(taxonomy: Taxonomy) -> tuple[Term, ...]:
    """Every abbreviation the partnership's taxonomy defines, declared ones first, by term."""
    terms = {term: Term(term, meaning) for term, meaning in taxonomy.glossary}
    for entry in taxonomy.agencies.entries:
        short, name = str(entry.get("short") or ""), str(entry["name"])
        if is_abbreviation(short) and short not in name:
            terms.setdefault(short, Term(short, name))
    for entry in taxonomy.source_types.entries:
        name, label = str(entry["name"]), str(entry.get("label") or "")
        if is_abbreviation(name) and label and name not in label:
            terms.setdefault(name, Term(name, label))
    return tuple(sorted(terms.values(), key=lambda t: t.term.lower()))


def _prose_matches(line: str, term: Term) -> list[re.Match[str]]:
    skipped = [m.span() for pattern in (SHORTCODE, _NOT_PROSE) for m in pattern.finditer(line)]
    return [
        match
        for match in term.pattern.finditer(line)
        if not any(start <= match.start() < end for start, end in skipped)
    ]


def _is_defined_here(line: str, match: re.Match[str]) -> bool:
    """Already written as '... (SPoA)' by whoever wrote the line (its brackets escaped or not)."""
    before, after = line[: match.start()].removesuffix("("), line[match.end() :].removeprefix("\\")
    return len(before) < match.start() and after.startswith(")")


def expand_first_uses(
    texts: list[str],
    terms: Iterable[Term],
    done: set[str] | None = None,
    markdown: bool = True,
) -> list[str]:
    """The texts, in reading order, with each term's first use in prose written in full.
    done: terms already written in full earlier (they are left as they are)."""
    done = set(done or ())
    pending = [term for term in terms if term.term not in done]
    out = []
    for text in texts:
        lines = text.split("\n")
        for number, line in enumerate(lines):
            if line.lstrip().startswith(_NOT_PROSE_LINE):
                continue
            for term in list(pending):
                matches = _prose_matches(line, term)
                if not matches:
                    continue
                pending.remove(term)
                first = matches[0]
                if not _is_defined_here(line, first):
                    line = (
                        line[: first.start()]
                        + term.in_full(first.group(1), markdown)
                        + line[first.end() :]
                    )
            lines[number] = line
        out.append("\n".join(lines))
    return out


def terms_used(texts: Iterable[str], terms: Iterable[Term]) -> list[Term]:
    """The terms that appear anywhere in the texts (tables and captions included)."""
    joined = "\n".join(texts)
    return [term for term in terms if term.pattern.search(joined)]


def glossary_table(terms: list[Term]) -> str:
    """The glossary as a two-column table, or a plain sentence when the review uses none."""
    if not terms:
        return "The review uses no abbreviation that needs explaining.\n"
    frame = pd.DataFrame({"term": [t.term for t in terms], "meaning": [t.meaning for t in terms]})
    return pipe_table(
        frame, "Abbreviations used in this review", "tbl-glossary", ["Abbreviation", "Meaning"]
    )


def reading_order(report: Path) -> list[Path]:
    """The bundle's markdown files in the order a reader meets them: report.qmd's includes,
    each followed by the files it includes in turn."""
    order: list[Path] = []

    def visit(path: Path) -> None:
        for name in included_names(path.read_text(encoding="utf-8")):
            included = report.parent / name
            if included.is_file() and included not in order:
                order.append(included)
                visit(included)

    visit(report)
    return order


def write_glossary(bundle: BundleFiles, taxonomy: Taxonomy, done: set[str]) -> list[Term]:
    """Write each term out in full at its first use in the bundle's prose, and the glossary of
    the terms the review uses (text/glossary.md); done: terms the report already writes in full
    before any included file (its summary's list of sources). Returns the glossary's terms."""
    terms = glossary_terms(taxonomy)
    files = [path for path in reading_order(bundle.report) if path.parent != bundle.tables]
    texts = [path.read_text(encoding="utf-8") for path in files]
    for path, before, after in zip(
        files, texts, expand_first_uses(texts, terms, done), strict=True
    ):
        if after != before:
            path.write_text(after, encoding="utf-8")
    everything = [path.read_text(encoding="utf-8") for path in reading_order(bundle.report)]
    used = terms_used([*everything, bundle.variables.read_text(encoding="utf-8")], terms)
    bundle.text.mkdir(parents=True, exist_ok=True)
    (bundle.text / GLOSSARY_FILE).write_text(glossary_table(used), encoding="utf-8")
    return used
