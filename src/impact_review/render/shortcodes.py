"""Quarto's include, var, meta and pagebreak shortcodes, resolved in report.qmd and the files it
includes, in exactly the form Quarto reads them.

Quarto finds a shortcode only as `{{< name args >}}` with one space inside each bracket, and an
include only on a line of its own; here anything else is refused, since Quarto would leave it in
the output as text. Values from _variables.yml are literal text (they come from tracker data), so
they are inserted escaped, and plain inside code.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from impact_review.markdown import escape_markdown
from impact_review.render.config import (
    FRONT_MATTER,
    QUARTO_CONFIG_FILE,
    VARIABLES_FILE,
    read_text,
    scalar_text,
)
from impact_review.render.errors import RenderError

ALL_SHORTCODES = ("include", "var", "meta", "pagebreak")
BLOCK_SHORTCODES = ("include", "pagebreak")
SHORTCODE = re.compile(
    r"(?P<escaped>\{\{\{<[^\n]*?>\}\}\}|\{\{</\*[^\n]*?\*/>\}\})"
    r"|\{\{< (?P<call>[^\s{}<>](?:(?!>\}\}|\{\{<)[^\n])*?) >\}\}"
)
CODE_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})", re.MULTILINE)
INLINE_CODE = re.compile(
    r"(?<!`)(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`)", re.S
)


@dataclass(frozen=True)
class Origin:
    """Where a piece of text came from, so an error can say which file and line."""

    file: str
    first_line: int = 1

    def at(self, text: str, position: int) -> str:
        line = self.first_line + text.count("\n", 0, position)
        return f"{self.file} line {line}"


@dataclass(frozen=True)
class Expander:
    """Resolves shortcodes in text from one bundle. `chain` is the includes being expanded,
    outermost first, to refuse a file that includes itself."""

    bundle: Path
    variables: dict[str, Any]
    metadata: dict[str, Any]
    allowed: tuple[str, ...] = ALL_SHORTCODES
    chain: tuple[Path, ...] = ()

    def expand(self, text: str, origin: Origin) -> str:
        _check_no_stray_shortcodes(text, origin)
        code = _code_spans(text)

        def replace(match: re.Match[str]) -> str:
            in_code = any(start <= match.start() < end for start, end in code)
            return self._resolve(match, text, origin, in_code)

        return SHORTCODE.sub(replace, text)

    def _resolve(self, match: re.Match[str], text: str, origin: Origin, in_code: bool) -> str:
        where = f"{origin.at(text, match.start())}: {match.group(0)}"
        if match["escaped"] is not None:
            # It would show a literal {{< in the report, which the output check refuses.
            raise RenderError(f"{where}: an escaped shortcode would print as text")
        name, arguments = _parsed_shortcode(match["call"], where)
        if name not in self.allowed or name not in SHORTCODE_HANDLERS:
            supported = ", ".join(self.allowed)
            raise RenderError(f"{where}: unknown or unsupported shortcode (supported: {supported})")
        if name in BLOCK_SHORTCODES and not _stands_alone(text, match):
            raise RenderError(
                f"{where}: {name} must stand alone on its line, with a blank line before and after"
            )
        return SHORTCODE_HANDLERS[name](self, arguments, where, in_code)

    def _include(self, arguments: list[str], where: str, in_code: bool) -> str:
        path = _included_path(self.bundle, _single_argument(arguments, where), where)
        if path in self.chain:
            raise RenderError(f"{where}: includes itself")
        name = path.relative_to(self.bundle).as_posix()
        text = read_text(path, name)
        if FRONT_MATTER.match(text):
            raise RenderError(f"{where}: included file {name} has its own front matter")
        nested = Expander(
            self.bundle, self.variables, self.metadata, self.allowed, (*self.chain, path)
        )
        return "\n" + nested.expand(text, Origin(name)).strip("\n") + "\n"

    def _var(self, arguments: list[str], where: str, in_code: bool) -> str:
        key = _single_argument(arguments, where)
        value = _lookup(self.variables, key)
        if value is None:
            raise RenderError(f"{where}: {VARIABLES_FILE} has no value {key!r}")
        text = scalar_text(value, f"{where}: {key}")
        return text if in_code else escape_markdown(text)

    def _meta(self, arguments: list[str], where: str, in_code: bool) -> str:
        key = _single_argument(arguments, where)
        value = _lookup(self.metadata, key)
        if value is None:
            raise RenderError(
                f"{where}: no metadata {key!r} in front matter or {QUARTO_CONFIG_FILE}"
            )
        # Metadata is markdown, as in Quarto; values from variables in it are already escaped.
        return scalar_text(value, f"{where}: {key}")

    def _pagebreak(self, arguments: list[str], where: str, in_code: bool) -> str:
        if arguments:
            raise RenderError(f"{where}: pagebreak takes no arguments")
        return "\n::: pagebreak\n:::\n"


SHORTCODE_HANDLERS: dict[str, Callable[[Expander, list[str], str, bool], str]] = {
    "include": Expander._include,
    "var": Expander._var,
    "meta": Expander._meta,
    "pagebreak": Expander._pagebreak,
}


def _check_no_stray_shortcodes(text: str, origin: Origin) -> None:
    """A {{< that Quarto would not read as a shortcode (no >}} on its line, or other spacing)
    would reach the output as text."""
    remainder = SHORTCODE.sub(lambda match: " " * len(match.group(0)), text)
    position = remainder.find("{{<")
    if position >= 0:
        line = text[position:].split("\n", 1)[0]
        raise RenderError(
            f"{origin.at(text, position)}: not a shortcode Quarto reads {line!r} "
            "(write {{< name arguments >}}, with one space inside each bracket, on one line)"
        )


def included_names(text: str) -> list[str]:
    """The files text includes, in order: the argument of each include shortcode."""
    names = []
    for match in SHORTCODE.finditer(text):
        if match["call"]:
            name, arguments = _parsed_shortcode(match["call"], "a shortcode")
            if name == "include" and len(arguments) == 1:
                names.append(arguments[0])
    return names


def _parsed_shortcode(call: str, where: str) -> tuple[str, list[str]]:
    try:
        words = shlex.split(call)
    except ValueError as error:
        raise RenderError(f"{where}: cannot read its arguments ({error})") from None
    return words[0], words[1:]


def _single_argument(arguments: list[str], where: str) -> str:
    if len(arguments) != 1:
        raise RenderError(f"{where}: takes exactly one argument")
    return arguments[0]


def _lookup(mapping: dict[str, Any], dotted: str) -> Any:
    """mapping["a"]["b"] for "a.b"; None where there is no such value."""
    value: Any = mapping
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _stands_alone(text: str, match: re.Match[str]) -> bool:
    """The shortcode is all of its line, and the lines either side (if any) are blank."""
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    end = len(text) if end < 0 else end
    before = text[: max(start - 1, 0)].rsplit("\n", 1)[-1]
    after = text[end + 1 :].split("\n", 1)[0]
    return text[start:end].strip() == match.group(0) and not before.strip() and not after.strip()


def _included_path(bundle: Path, argument: str, where: str) -> Path:
    """The file an include names. As in Quarto, paths are relative to the main document (the
    bundle root) and a leading / means the project (bundle) root; none may leave the bundle."""
    path = (bundle / argument.lstrip("/")).resolve()
    if not path.is_relative_to(bundle):
        raise RenderError(f"{where}: include path leaves the bundle")
    if not path.is_file():
        raise RenderError(f"{where}: included file {argument} not found in the bundle")
    return path


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Start and end offsets of fenced code blocks and inline code, where shortcodes insert
    plain text because markdown escapes would show."""
    spans = _fenced_code_spans(text)
    for match in INLINE_CODE.finditer(text):
        if not any(start <= match.start() < end for start, end in spans):
            spans.append(match.span())
    return spans


def _fenced_code_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    position = 0
    while opening := CODE_FENCE.search(text, position):
        fence = opening["fence"]
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.M)
        line_end = text.find("\n", opening.end())
        close = closing.search(text, len(text) if line_end < 0 else line_end)
        end = len(text) if close is None else close.end()
        spans.append((opening.start(), end))
        position = end
    return spans
