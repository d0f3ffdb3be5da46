"""What a bundle's settings may say: _quarto.yml, a document's front matter (report.qmd's, or
briefing.qmd's) and _variables.yml, read and checked against the options both renderers honour."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from impact_review.layout import QUARTO_CONFIG, REPORT_SOURCE, REPORT_VARIABLES
from impact_review.render.errors import RenderError

REPORT_FILE = REPORT_SOURCE
QUARTO_CONFIG_FILE = QUARTO_CONFIG
VARIABLES_FILE = REPORT_VARIABLES

# The _quarto.yml a bundle is expected to carry (tests/fixtures/render-bundle/ has it). Options
# outside METADATA_KEYS and FORMAT_OPTIONS are refused, as they would only work under quarto.
QUARTO_CONFIG_EXAMPLE = """\
project:
  type: default

format:
  html:
    embed-resources: true
    toc: true
  typst:
    papersize: a4
"""
METADATA_KEYS = ("title", "subtitle", "author", "date", "date-format", "lang")
# A document may also set its own format options (the briefing's compact pages), over
# _quarto.yml's as Quarto merges them (quarto_merged).
FRONT_MATTER_KEYS = (*METADATA_KEYS, "format")
FORMAT_OPTIONS = {
    "html": ("embed-resources", "toc", "toc-title", "toc-depth", "css"),
    "typst": (
        "papersize",
        "toc",
        "toc-title",
        "toc-depth",
        "include-in-header",
        "margin",
        "fontsize",
    ),
}
# Quarto's typst margin: a mapping of these sides to lengths (its schema for format typst).
MARGIN_SIDES = ("x", "y", "top", "bottom", "left", "right")
TYPST_LENGTH = re.compile(r"\d+(?:\.\d+)?(?:pt|mm|cm|in|em)")
# Options that name files of the bundle, each with the suffix those files must have.
FILE_OPTIONS = {"filters": ".lua", "css": ".css", "include-in-header": ".typ"}

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def read_text(path: Path, name: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RenderError(f"the bundle has no {name}") from None
    except UnicodeDecodeError:
        raise RenderError(f"{name} is not UTF-8 text") from None


def read_yaml_mapping(path: Path, required: bool) -> dict[str, Any]:
    if not path.exists() and not required:
        return {}
    return _parsed_mapping(read_text(path, path.name), path.name)


def _parsed_mapping(text: str, name: str) -> dict[str, Any]:
    try:
        value = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError) as error:  # ValueError: a date such as 2018-02-30
        raise RenderError(f"{name} is not valid YAML: {error}") from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RenderError(f"{name} must be a YAML mapping of names to values")
    return value


def split_front_matter(source: str, name: str = REPORT_FILE) -> tuple[dict[str, Any], str, int]:
    """The front matter, the body, and the line number the body starts on, for the document
    called name."""
    match = FRONT_MATTER.match(source)
    if match is None:
        raise RenderError(f"{name} has no YAML front matter (--- title: ... ---)")
    front = _parsed_mapping(match["yaml"] or "", f"{name} front matter")
    _check_keys(front, FRONT_MATTER_KEYS, f"{name} front matter")
    return front, source[match.end() :], 1 + match.group(0).count("\n")


def config_metadata(config: dict[str, Any]) -> dict[str, Any]:
    """Document metadata set in _quarto.yml, after checking its project settings."""
    project = config.get("project") or {}
    if not isinstance(project, dict) or project.get("type", "default") != "default":
        raise RenderError(f"{QUARTO_CONFIG_FILE}: project type must be 'default'")
    _check_keys(project, ("type",), f"{QUARTO_CONFIG_FILE} project")
    settings = ("project", "format", "filters")
    metadata = {key: value for key, value in config.items() if key not in settings}
    _check_keys(metadata, METADATA_KEYS, QUARTO_CONFIG_FILE)
    return metadata


def format_options(config: dict[str, Any], document: Any = None) -> dict[str, dict[str, Any]]:
    """The html and typst options from _quarto.yml (both formats must be there), with the
    document's own front matter `format:`, if any, merged over them."""
    formats = config.get("format")
    if not isinstance(formats, dict):
        raise RenderError(f"{QUARTO_CONFIG_FILE} has no format: section with html and typst")
    _check_keys(formats, tuple(FORMAT_OPTIONS), f"{QUARTO_CONFIG_FILE} format")
    if document is not None:
        if not isinstance(document, dict):
            raise RenderError("front matter format: must be a mapping of html and typst options")
        _check_keys(document, tuple(FORMAT_OPTIONS), "front matter format")
        formats = quarto_merged(formats, document)
    options = {}
    for name, allowed in FORMAT_OPTIONS.items():
        if name not in formats:
            raise RenderError(f"{QUARTO_CONFIG_FILE}: format: has no {name}: entry")
        given = formats[name] if isinstance(formats[name], dict) else {}
        _check_keys(given, allowed, f"{QUARTO_CONFIG_FILE} format {name}")
        options[name] = given
    if options["html"].get("embed-resources") is not True:
        raise RenderError(f"{QUARTO_CONFIG_FILE}: format html needs embed-resources: true")
    _check_lengths(options["typst"])
    return options


def quarto_merged(base: Any, override: Any) -> Any:
    """override's options over base's, as Quarto merges a document's over its project's
    (mergeConfigs in quarto-cli's core/config.ts): mappings key by key; when either is a list,
    both joined without repeats, base's first (so a document adds a header file to the
    project's); otherwise override's value."""
    if isinstance(base, list) or isinstance(override, list):
        if base is None or override is None:
            return base if override is None else override
        joined = (base if isinstance(base, list) else [base]) + (
            override if isinstance(override, list) else [override]
        )
        return [item for n, item in enumerate(joined) if item not in joined[:n]]
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = quarto_merged(base[key], value) if key in base else value
        return merged
    return override


def _check_lengths(typst: dict[str, Any]) -> None:
    """The typst margin and fontsize, which both renderers write into typst as given: lengths
    such as 1.5cm or 10pt, the margin by side."""
    where = "format typst"
    margin = typst.get("margin", {})
    if not isinstance(margin, dict):
        raise RenderError(f"{where}: margin must be a mapping of sides to lengths (x: 2cm)")
    _check_keys(margin, MARGIN_SIDES, f"{where} margin")
    given = {f"margin {side}": value for side, value in margin.items()}
    if "fontsize" in typst:
        given["fontsize"] = typst["fontsize"]
    for name, value in given.items():
        if not TYPST_LENGTH.fullmatch(str(value)):
            raise RenderError(f"{where}: {name} {value!r} is not a length such as 2cm or 10pt")


@dataclass(frozen=True)
class PageFiles:
    """The bundle's files that _quarto.yml applies to the whole review: Lua filters (run after
    the check for unsupported features, as Quarto runs a document's filters before its own), a
    stylesheet for the HTML and typst for the PDF's header."""

    filters: tuple[Path, ...] = ()
    stylesheets: tuple[Path, ...] = ()
    typst_headers: tuple[Path, ...] = ()


def page_files(
    config: dict[str, Any], formats: dict[str, dict[str, Any]], bundle: Path
) -> PageFiles:
    """The files _quarto.yml's filters, html css and typst include-in-header name, each checked
    to be a file of the bundle, as both renderers read them from there."""
    return PageFiles(
        filters=_bundle_files(config.get("filters"), "filters", bundle),
        stylesheets=_bundle_files(formats["html"].get("css"), "css", bundle),
        typst_headers=_bundle_files(
            formats["typst"].get("include-in-header"), "include-in-header", bundle
        ),
    )


def _bundle_files(value: Any, option: str, bundle: Path) -> tuple[Path, ...]:
    """A path or list of paths, relative to the bundle, to files with the option's suffix.
    Quarto's other forms (a named filter, the `quarto` placeholder, `text:` entries) are
    refused: the built-in renderer could not honour them."""
    names = [] if value is None else value if isinstance(value, list) else [value]
    where = f"{QUARTO_CONFIG_FILE}: {option}"
    paths = []
    for name in names:
        if not isinstance(name, str) or not name.endswith(FILE_OPTIONS[option]):
            raise RenderError(
                f"{where}: {name!r} is not a {FILE_OPTIONS[option]} file of the bundle (the "
                "built-in renderer reads only such files)"
            )
        path = (bundle / name).resolve()
        if not path.is_relative_to(bundle.resolve()) or not path.is_file():
            raise RenderError(f"{where}: {name} is not a file inside the bundle")
        paths.append(path)
    return tuple(paths)


def _check_keys(mapping: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = sorted(str(key) for key in mapping if key not in allowed)
    if unknown:
        raise RenderError(
            f"{where}: {', '.join(unknown)} not supported by the built-in renderer "
            f"(supported: {', '.join(allowed)})"
        )


def scalar_text(value: Any, name: str) -> str:
    """A YAML scalar as Quarto prints it: true/false for booleans, 3 rather than 3.0."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str | int | float | dt.date):
        return " ".join(str(value).split())
    raise RenderError(f"{name} is a {type(value).__name__}, not a single value")
