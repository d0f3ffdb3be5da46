"""The check both renderers run first: the bundle stays within the subset of Quarto that the
built-in renderer reproduces, so a report never renders on one path and fails on the other.

Reading the bundle resolves every shortcode (refusing unknown ones) and the metadata; pandoc
then runs the Lua filters over the result, which refuse any other Quarto feature.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from impact_review.render.config import (
    QUARTO_CONFIG_FILE,
    REPORT_FILE,
    VARIABLES_FILE,
    PageFiles,
    config_metadata,
    format_options,
    page_files,
    read_text,
    read_yaml_mapping,
    scalar_text,
    split_front_matter,
)
from impact_review.render.dates import creation_timestamp, report_day, written_date
from impact_review.render.errors import RenderError
from impact_review.render.pandoc import run_pandoc
from impact_review.render.shortcodes import Expander, Origin

DEFAULT_LANG = "en"


@dataclass(frozen=True)
class ResolvedReport:
    """A document of the bundle (report.qmd, or briefing.qmd) with its shortcodes resolved, and
    the options both outputs are made with."""

    source: str
    body: str
    metadata: dict[str, Any]
    formats: dict[str, dict[str, Any]]
    timestamp: dt.datetime | None
    page: PageFiles

    def markdown(self) -> str:
        """The document pandoc reads: resolved metadata as front matter, then the body."""
        front = yaml.safe_dump(self.metadata, allow_unicode=True, sort_keys=True)
        return f"---\n{front}---\n\n{self.body}"


def preflight(bundle: Path, source: str = REPORT_FILE) -> ResolvedReport:
    """The resolved document, once the bundle has passed every check either renderer needs."""
    report = resolve_report(bundle, source)
    # The filters fail on what they do not support; the HTML itself is not wanted here.
    run_pandoc(report.markdown(), "html", [], bundle, report.page.filters, source)
    return report


def resolve_report(bundle: Path, source: str = REPORT_FILE) -> ResolvedReport:
    """Read the bundle and resolve every shortcode in the document (report.qmd unless another
    is named) and the files it includes."""
    bundle = bundle.resolve()
    config = read_yaml_mapping(bundle / QUARTO_CONFIG_FILE, required=True)
    variables = read_yaml_mapping(bundle / VARIABLES_FILE, required=False)
    front, body, body_line = split_front_matter(read_text(bundle / source, source), source)
    document_formats = front.pop("format", None)
    raw_metadata = {**config_metadata(config), **front}
    day = report_day(raw_metadata["date"]) if "date" in raw_metadata else None
    metadata_expander = Expander(bundle, variables, {}, allowed=("var",))
    metadata = _written_metadata(raw_metadata, day, metadata_expander, source)
    body_expander = Expander(bundle, variables, metadata)
    formats = format_options(config, document_formats)
    return ResolvedReport(
        source=source,
        body=body_expander.expand(body, Origin(source, body_line)),
        metadata=metadata,
        formats=formats,
        timestamp=creation_timestamp(day),
        page=page_files(config, formats, bundle),
    )


def _written_metadata(
    raw: dict[str, Any], day: dt.date | None, expander: Expander, source: str
) -> dict[str, Any]:
    """Metadata as the outputs show it: var shortcodes resolved, authors as a list, the date
    written with date-format."""
    if not raw.get("title"):
        raise RenderError(f"{source} front matter has no title")
    lang = str(raw.get("lang") or DEFAULT_LANG)
    where = Origin(f"{source} front matter")
    metadata: dict[str, Any] = {"lang": lang}
    for key in ("title", "subtitle"):
        if key in raw:
            metadata[key] = expander.expand(scalar_text(raw[key], key), where)
    if "author" in raw:
        names = _author_names(raw["author"], source)
        metadata["author"] = [expander.expand(name, where) for name in names]
    if day is not None:
        metadata["date"] = written_date(day, raw.get("date-format"), lang)
    return metadata


def _author_names(value: Any, source: str) -> list[str]:
    names = value if isinstance(value, list) else [value]
    if not all(isinstance(name, str) for name in names):
        raise RenderError(f"{source} front matter: author must be a name or a list of names")
    return names
