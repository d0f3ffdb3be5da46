"""Render a report bundle to a self-contained report.html and an A4 report.pdf.

Where quarto is on PATH, `quarto render` does the work. Otherwise the built-in path does: the
shortcodes (include, var, meta, pagebreak) are resolved here, pandoc runs the Lua filters in
filters/ (cross-references, figure alt text, callouts, and a check that fails on any other
Quarto feature), and the typst package makes the PDF.

Both paths accept the same subset of Quarto, checked by the same code before either runs, so a
bundle never renders on one path and fails on the other, and both show the same content (the
styling differs). One deliberate difference from Quarto: values from _variables.yml are literal
text, not markdown, because they come from tracker data; the quarto path escapes them in its
copy of the bundle to match.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypandoc
import typst
import yaml

from impact_review.markdown import escape_markdown

PACKAGE_DIR = Path(__file__).resolve().parent
FILTERS = tuple(
    PACKAGE_DIR / "filters" / name for name in ("unsupported.lua", "crossref.lua", "callout.lua")
)
TEMPLATES_DIR = PACKAGE_DIR / "templates"
TYPST_TEMPLATE = TEMPLATES_DIR / "report.typ"
HTML_STYLESHEET = TEMPLATES_DIR / "report.css"

REPORT_FILE = "report.qmd"
QUARTO_CONFIG_FILE = "_quarto.yml"
VARIABLES_FILE = "_variables.yml"
HTML_FILE = "report.html"
PDF_FILE = "report.pdf"
RENDERERS = ("auto", "quarto", "builtin")

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
METADATA_KEYS = ("title", "subtitle", "author", "date", "lang")
FORMAT_OPTIONS = {
    "html": ("embed-resources", "toc", "toc-title", "toc-depth"),
    "typst": ("papersize", "toc", "toc-title", "toc-depth"),
}
DEFAULT_LANG = "en"
DEFAULT_TOC_TITLE = "Table of contents"
DEFAULT_TOC_DEPTH = 3
DYNAMIC_DATES = ("today", "now", "last-modified")
# fmt: off
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
# fmt: on

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
SHORTCODE = re.compile(
    r"\{\{\{<(?P<escaped>[^\n]*?)>\}\}\}"  # {{{< var x >}}} is the literal text {{< var x >}}
    r"|\{\{</\*(?P<commented>[^\n]*?)\*/>\}\}"  # and so is {{</* var x */>}}
    r"|\{\{<(?P<call>[^\n]*?)>\}\}"
)
CODE_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})", re.MULTILINE)
INLINE_CODE = re.compile(
    r"(?<!`)(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`)", re.S
)
# Every ASCII punctuation mark but quotes can start markup in pandoc's markdown, and a
# backslash makes any of them literal. Quotes are left to become typographic quotes.
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class RenderError(Exception):
    """The bundle cannot be rendered; the message names the file and the shortcode or feature."""


@dataclass(frozen=True)
class RenderResult:
    """Which renderer made the report, and where the two files are."""

    renderer: str
    html: Path
    pdf: Path


@dataclass(frozen=True)
class ResolvedReport:
    """report.qmd with its shortcodes resolved, and the options both outputs are made with."""

    body: str
    metadata: dict[str, Any]
    formats: dict[str, dict[str, Any]]
    timestamp: dt.datetime | None

    def markdown(self) -> str:
        """The document pandoc reads: resolved metadata as front matter, then the body."""
        front = yaml.safe_dump(self.metadata, allow_unicode=True, sort_keys=True)
        return f"---\n{front}---\n\n{self.body}"


@dataclass(frozen=True)
class Origin:
    """Where a piece of text came from, so an error can say which file and line."""

    file: str
    first_line: int = 1

    def at(self, text: str, position: int) -> str:
        line = self.first_line + text.count("\n", 0, position)
        return f"{self.file} line {line}"


def find_quarto() -> str | None:
    """The quarto executable on PATH, if there is one."""
    return shutil.which("quarto")


def render_report(bundle: Path, out_dir: Path, renderer: str = "auto") -> RenderResult:
    """Write report.html and report.pdf for the bundle into out_dir, with quarto if asked for or
    (for "auto") if it is installed, else with the built-in pandoc and typst path."""
    if renderer not in RENDERERS:
        raise RenderError(f"renderer must be one of {', '.join(RENDERERS)}, not {renderer!r}")
    bundle = bundle.resolve()
    report = resolve_report(bundle)
    quarto = None if renderer == "builtin" else find_quarto()
    if renderer == "quarto" and quarto is None:
        raise RenderError("renderer 'quarto' was asked for but quarto is not on PATH")
    out_dir.mkdir(parents=True, exist_ok=True)
    if quarto is not None:
        check_builtin_subset(report, bundle)
        return render_with_quarto(quarto, report, bundle, out_dir)
    return render_builtin(report, bundle, out_dir)


# --- resolving the bundle -------------------------------------------------------------------


def resolve_report(bundle: Path) -> ResolvedReport:
    """Read the bundle and resolve every shortcode in report.qmd and the files it includes."""
    bundle = bundle.resolve()
    config = read_yaml_mapping(bundle / QUARTO_CONFIG_FILE, required=True)
    variables = read_yaml_mapping(bundle / VARIABLES_FILE, required=False)
    source = read_text(bundle / REPORT_FILE, REPORT_FILE)
    front, body, body_line = split_front_matter(source)
    check_keys(front, METADATA_KEYS, f"{REPORT_FILE} front matter")
    raw_metadata = {**config_metadata(config), **front}
    metadata_expander = Expander(bundle, variables, {}, allowed=("var",))
    metadata = written_metadata(raw_metadata, metadata_expander)
    body_expander = Expander(bundle, variables, metadata)
    return ResolvedReport(
        body=body_expander.expand(body, Origin(REPORT_FILE, body_line)),
        metadata=metadata,
        formats=format_options(config),
        timestamp=creation_timestamp(report_day(raw_metadata.get("date"), metadata.get("date"))),
    )


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
    return parse_yaml_mapping(read_text(path, path.name), path.name)


def parse_yaml_mapping(text: str, name: str) -> dict[str, Any]:
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise RenderError(f"{name} is not valid YAML: {error}") from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RenderError(f"{name} must be a YAML mapping of names to values")
    return value


def split_front_matter(source: str) -> tuple[dict[str, Any], str, int]:
    """The front matter, the body, and the line number the body starts on."""
    match = FRONT_MATTER.match(source)
    if match is None:
        raise RenderError(f"{REPORT_FILE} has no YAML front matter (--- title: ... ---)")
    front = parse_yaml_mapping(match["yaml"] or "", f"{REPORT_FILE} front matter")
    return front, source[match.end() :], 1 + match.group(0).count("\n")


def config_metadata(config: dict[str, Any]) -> dict[str, Any]:
    """Document metadata set in _quarto.yml, after checking its project settings."""
    project = config.get("project") or {}
    if not isinstance(project, dict) or project.get("type", "default") != "default":
        raise RenderError(f"{QUARTO_CONFIG_FILE}: project type must be 'default'")
    check_keys(project, ("type",), f"{QUARTO_CONFIG_FILE} project")
    metadata = {key: value for key, value in config.items() if key not in ("project", "format")}
    check_keys(metadata, METADATA_KEYS, QUARTO_CONFIG_FILE)
    return metadata


def format_options(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The html and typst options from _quarto.yml; both formats must be there."""
    formats = config.get("format")
    if not isinstance(formats, dict):
        raise RenderError(f"{QUARTO_CONFIG_FILE} has no format: section with html and typst")
    check_keys(formats, tuple(FORMAT_OPTIONS), f"{QUARTO_CONFIG_FILE} format")
    options = {}
    for name, allowed in FORMAT_OPTIONS.items():
        if name not in formats:
            raise RenderError(f"{QUARTO_CONFIG_FILE}: format: has no {name}: entry")
        given = formats[name] if isinstance(formats[name], dict) else {}
        check_keys(given, allowed, f"{QUARTO_CONFIG_FILE} format {name}")
        options[name] = given
    if options["html"].get("embed-resources") is not True:
        raise RenderError(f"{QUARTO_CONFIG_FILE}: format html needs embed-resources: true")
    return options


def check_keys(mapping: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = sorted(str(key) for key in mapping if key not in allowed)
    if unknown:
        raise RenderError(
            f"{where}: {', '.join(unknown)} not supported by the built-in renderer "
            f"(supported: {', '.join(allowed)})"
        )


def written_metadata(raw: dict[str, Any], expander: Expander) -> dict[str, Any]:
    """Metadata as the outputs show it: var shortcodes resolved, authors as a list, the date
    written out in full for the document's language."""
    if not raw.get("title"):
        raise RenderError(f"{REPORT_FILE} front matter has no title")
    lang = str(raw.get("lang") or DEFAULT_LANG)
    where = Origin(f"{REPORT_FILE} front matter")
    metadata: dict[str, Any] = {"lang": lang}
    for key in ("title", "subtitle"):
        if key in raw:
            metadata[key] = expander.expand(scalar_text(raw[key], key), where)
    if "author" in raw:
        metadata["author"] = [expander.expand(name, where) for name in author_names(raw["author"])]
    if "date" in raw:
        metadata["date"] = written_date(raw["date"], lang, expander, where)
    return metadata


def author_names(value: Any) -> list[str]:
    names = value if isinstance(value, list) else [value]
    if not all(isinstance(name, str) for name in names):
        raise RenderError(f"{REPORT_FILE} front matter: author must be a name or a list of names")
    return names


def written_date(value: Any, lang: str, expander: Expander, where: Origin) -> str:
    """An ISO date written in full, as Quarto's default date format does; anything else as
    given (Quarto formats the date before it resolves shortcodes, so a var date is not)."""
    if isinstance(value, dt.date):
        return long_date(value, lang)
    text = scalar_text(value, "date")
    if text in DYNAMIC_DATES:
        raise RenderError(f"{where.file}: date: {text} would make every render differ")
    if ISO_DATE.fullmatch(text):
        return long_date(dt.date.fromisoformat(text), lang)
    return expander.expand(text, where)


def long_date(day: dt.date, lang: str) -> str:
    month = MONTHS[day.month - 1]
    if lang in ("en", "en-US"):
        return f"{month} {day.day}, {day.year}"
    if lang.startswith("en-"):
        return f"{day.day} {month} {day.year}"
    raise RenderError(f"dates can only be written out for English (lang: {lang})")


def report_day(raw: Any, written: str | None) -> dt.date | None:
    """The report's date, if it is an ISO date as given or once its shortcodes are resolved."""
    if isinstance(raw, dt.date):
        return raw
    for text in (str(raw), unescape_markdown(written or "")):
        if ISO_DATE.fullmatch(text):
            return dt.date.fromisoformat(text)
    return None


def creation_timestamp(day: dt.date | None) -> dt.datetime | None:
    """When the PDF says it was made: SOURCE_DATE_EPOCH if set, else midnight UTC on the report's
    date, so rendering the same bundle twice gives the same bytes. None (now) if neither."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        if not epoch.isdigit():
            raise RenderError(f"SOURCE_DATE_EPOCH must be whole seconds, not {epoch!r}")
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) if day else None


def scalar_text(value: Any, name: str) -> str:
    """A YAML scalar as Quarto prints it: true/false for booleans, 3 rather than 3.0."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str | int | float | dt.date):
        return " ".join(str(value).split())
    raise RenderError(f"{name} is a {type(value).__name__}, not a single value")


def unescape_markdown(text: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def lookup(mapping: dict[str, Any], dotted: str) -> Any:
    """mapping["a"]["b"] for "a.b"; None where there is no such value."""
    value: Any = mapping
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


# --- shortcodes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Expander:
    """Resolves shortcodes in text from one bundle. `chain` is the includes being expanded,
    outermost first, to refuse a file that includes itself."""

    bundle: Path
    variables: dict[str, Any]
    metadata: dict[str, Any]
    allowed: tuple[str, ...] = ("include", "var", "meta", "pagebreak")
    chain: tuple[Path, ...] = ()

    def expand(self, text: str, origin: Origin) -> str:
        check_no_stray_shortcodes(text, origin)
        code = code_spans(text)

        def replace(match: re.Match[str]) -> str:
            in_code = any(start <= match.start() < end for start, end in code)
            literal = match["escaped"] if match["escaped"] is not None else match["commented"]
            if literal is not None:
                shown = "{{<" + literal + ">}}"
                return shown if in_code else escape_markdown(shown)
            return self.resolve(match, text, origin, in_code)

        return SHORTCODE.sub(replace, text)

    def resolve(self, match: re.Match[str], text: str, origin: Origin, in_code: bool) -> str:
        where = f"{origin.at(text, match.start())}: {match.group(0)}"
        name, arguments = parse_shortcode(match["call"], where)
        if name not in self.allowed or name not in SHORTCODE_HANDLERS:
            supported = ", ".join(self.allowed)
            raise RenderError(f"{where}: unknown or unsupported shortcode (supported: {supported})")
        if name in BLOCK_SHORTCODES and not occupies_line(text, match):
            raise RenderError(f"{where}: {name} must stand alone on its line")
        return SHORTCODE_HANDLERS[name](self, arguments, where, in_code)

    def include(self, arguments: list[str], where: str, in_code: bool) -> str:
        path = included_path(self.bundle, single_argument(arguments, where), where)
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

    def var(self, arguments: list[str], where: str, in_code: bool) -> str:
        key = single_argument(arguments, where)
        value = lookup(self.variables, key)
        if value is None:
            raise RenderError(f"{where}: {VARIABLES_FILE} has no value {key!r}")
        text = scalar_text(value, f"{where}: {key}")
        return text if in_code else escape_markdown(text)

    def meta(self, arguments: list[str], where: str, in_code: bool) -> str:
        key = single_argument(arguments, where)
        value = lookup(self.metadata, key)
        if value is None:
            raise RenderError(
                f"{where}: no metadata {key!r} in front matter or {QUARTO_CONFIG_FILE}"
            )
        # Metadata is markdown, as in Quarto; values from variables in it are already escaped.
        return scalar_text(value, f"{where}: {key}")

    def pagebreak(self, arguments: list[str], where: str, in_code: bool) -> str:
        if arguments:
            raise RenderError(f"{where}: pagebreak takes no arguments")
        return "\n::: pagebreak\n:::\n"


SHORTCODE_HANDLERS: dict[str, Callable[[Expander, list[str], str, bool], str]] = {
    "include": Expander.include,
    "var": Expander.var,
    "meta": Expander.meta,
    "pagebreak": Expander.pagebreak,
}
BLOCK_SHORTCODES = ("include", "pagebreak")


def check_no_stray_shortcodes(text: str, origin: Origin) -> None:
    """A {{< with no matching >}} on its line would reach the output as text."""
    remainder = SHORTCODE.sub(lambda match: " " * len(match.group(0)), text)
    position = remainder.find("{{<")
    if position >= 0:
        line = text[position:].split("\n", 1)[0]
        raise RenderError(f"{origin.at(text, position)}: unclosed shortcode {line!r}")


def parse_shortcode(call: str, where: str) -> tuple[str, list[str]]:
    try:
        words = shlex.split(call)
    except ValueError as error:
        raise RenderError(f"{where}: cannot read its arguments ({error})") from None
    if not words:
        raise RenderError(f"{where}: empty shortcode")
    return words[0], words[1:]


def single_argument(arguments: list[str], where: str) -> str:
    if len(arguments) != 1:
        raise RenderError(f"{where}: takes exactly one argument")
    return arguments[0]


def occupies_line(text: str, match: re.Match[str]) -> bool:
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    return text[start : len(text) if end < 0 else end].strip() == match.group(0)


def included_path(bundle: Path, argument: str, where: str) -> Path:
    """The file an include names. As in Quarto, paths are relative to the main document (the
    bundle root) and a leading / means the project (bundle) root; none may leave the bundle."""
    path = (bundle / argument.lstrip("/")).resolve()
    if not path.is_relative_to(bundle):
        raise RenderError(f"{where}: include path leaves the bundle")
    if not path.is_file():
        raise RenderError(f"{where}: included file {argument} not found in the bundle")
    return path


def code_spans(text: str) -> list[tuple[int, int]]:
    """Start and end offsets of fenced code blocks and inline code, where shortcodes insert
    plain text because markdown escapes would show."""
    spans = fenced_code_spans(text)
    for match in INLINE_CODE.finditer(text):
        if not any(start <= match.start() < end for start, end in spans):
            spans.append(match.span())
    return spans


def fenced_code_spans(text: str) -> list[tuple[int, int]]:
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


# --- the built-in path ----------------------------------------------------------------------


def render_builtin(report: ResolvedReport, bundle: Path, out_dir: Path) -> RenderResult:
    """Both outputs are made before either is written, so a failure never leaves a new HTML
    beside an old PDF."""
    html_text = run_pandoc(report, "html", html_arguments(report), bundle)
    typst_source = run_pandoc(report, "typst", typst_arguments(report), bundle)
    pdf_bytes = pdf_from_typst(typst_source, bundle, report.timestamp)
    html = out_dir / HTML_FILE
    pdf = out_dir / PDF_FILE
    html.write_text(html_text, encoding="utf-8")
    pdf.write_bytes(pdf_bytes)
    return RenderResult(renderer=builtin_renderer_name(), html=html, pdf=pdf)


def builtin_renderer_name() -> str:
    return f"builtin (pandoc {pypandoc.get_pandoc_version()}, typst {typst_version()})"


def typst_version() -> str:
    """The typst compiler's version, e.g. 0.14.2 (not the Python package's)."""
    return ".".join(re.findall(r"\d+", typst.eval(b"", "sys.version")))


def check_builtin_subset(report: ResolvedReport, bundle: Path) -> None:
    """Run the Lua filters without writing anything, so the quarto path refuses what the
    built-in path would."""
    run_pandoc(report, "html", [], bundle)


def html_arguments(report: ResolvedReport) -> list[str]:
    return [
        "--standalone",
        "--embed-resources",
        "--section-divs",
        f"--css={HTML_STYLESHEET}",
        *toc_arguments(report.formats["html"]),
    ]


def typst_arguments(report: ResolvedReport) -> list[str]:
    papersize = report.formats["typst"].get("papersize", "a4")
    return [
        "--standalone",
        f"--template={TYPST_TEMPLATE}",
        f"--variable=papersize:{papersize}",
        *toc_arguments(report.formats["typst"]),
    ]


def toc_arguments(options: dict[str, Any]) -> list[str]:
    if not options.get("toc"):
        return []
    return [
        "--toc",
        f"--toc-depth={options.get('toc-depth', DEFAULT_TOC_DEPTH)}",
        f"--metadata=toc-title:{options.get('toc-title', DEFAULT_TOC_TITLE)}",
    ]


def run_pandoc(report: ResolvedReport, to: str, arguments: list[str], bundle: Path) -> str:
    """pandoc's output for the report; it runs in the bundle so images resolve there."""
    command = [
        pypandoc.get_pandoc_path(),
        "--from=markdown",
        f"--to={to}",
        "--fail-if-warnings",
        # Not the user's pandoc folder, whose templates or defaults could change the output.
        f"--data-dir={TEMPLATES_DIR}",
        *(f"--lua-filter={path}" for path in FILTERS),
        *arguments,
    ]
    completed = subprocess.run(
        command,
        input=report.markdown(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=bundle,
        check=False,
    )
    if completed.returncode != 0:
        raise RenderError(f"{REPORT_FILE} ({to}): {pandoc_problem(completed.stderr)}")
    return completed.stdout


def pandoc_problem(stderr: str) -> str:
    """pandoc's message without the Lua stack trace."""
    lines = stderr.split("stack traceback:", 1)[0].strip().splitlines()
    useful = [line for line in lines if not line.startswith("Error running filter")]
    return " ".join(useful) or stderr.strip()


def pdf_from_typst(source: str, bundle: Path, timestamp: dt.datetime | None) -> bytes:
    try:
        return typst.compile(
            source.encode("utf-8"),
            root=str(bundle),
            # Only the fonts inside the typst package, so every machine makes the same PDF.
            ignore_system_fonts=True,
            timestamp=timestamp,
        )
    except typst.TypstError as error:
        raise RenderError(f"{REPORT_FILE} (pdf): typst: {error.message}") from None


# --- the quarto path ------------------------------------------------------------------------


def render_with_quarto(
    quarto: str, report: ResolvedReport, bundle: Path, out_dir: Path
) -> RenderResult:
    """`quarto render` in a copy of the bundle (quarto writes next to its input), then the two
    outputs copied to out_dir."""
    renderer = f"quarto {quarto_output(quarto, ['--version'], bundle).strip()}"
    with tempfile.TemporaryDirectory(prefix="impact-review-quarto-") as temporary:
        workdir = Path(temporary) / "bundle"
        shutil.copytree(bundle, workdir)
        write_literal_variables(workdir / VARIABLES_FILE)
        environment = quarto_environment(report.timestamp)
        for target in ("html", "typst"):
            quarto_output(quarto, ["render", REPORT_FILE, "--to", target], workdir, environment)
        html, pdf = collected_outputs(workdir, out_dir)
    return RenderResult(renderer=renderer, html=html, pdf=pdf)


def write_literal_variables(path: Path) -> None:
    """Escape every string in _variables.yml, since quarto reads variables as markdown."""
    if path.exists():
        variables = read_yaml_mapping(path, required=True)
        path.write_text(yaml.safe_dump(escaped_strings(variables), allow_unicode=True), "utf-8")


def escaped_strings(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: escaped_strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [escaped_strings(item) for item in value]
    return escape_markdown(value) if isinstance(value, str) else value


def quarto_environment(timestamp: dt.datetime | None) -> dict[str, str]:
    environment = dict(os.environ)
    if timestamp is not None:
        environment.setdefault("SOURCE_DATE_EPOCH", str(int(timestamp.timestamp())))
    return environment


def quarto_output(
    quarto: str, arguments: list[str], cwd: Path, environment: dict[str, str] | None = None
) -> str:
    completed = subprocess.run(
        [quarto, *arguments],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        check=False,
    )
    if completed.returncode != 0:
        problem = completed.stderr.strip() or completed.stdout.strip()
        raise RenderError(f"quarto {' '.join(arguments)} failed: {problem}")
    return completed.stdout


def collected_outputs(workdir: Path, out_dir: Path) -> tuple[Path, Path]:
    """report.html and report.pdf copied from quarto's folder to out_dir, both or neither."""
    for name in (HTML_FILE, PDF_FILE):
        if not (workdir / name).is_file():
            raise RenderError(f"quarto finished without writing {name}")
    html = shutil.copyfile(workdir / HTML_FILE, out_dir / HTML_FILE)
    pdf = shutil.copyfile(workdir / PDF_FILE, out_dir / PDF_FILE)
    return Path(html), Path(pdf)
