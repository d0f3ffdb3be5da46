"""Finish a written Data Docs site so an auditor can open it on an air-gapped machine.

GX 1.x's page templates load bootstrap, bootstrap-table, jQuery, Font Awesome and a logo from
CDNs: offline, the index table stays empty (bootstrap-table builds it from inline data) and
results lose their pass/fail icons. Its SiteBuilder has no setting for an asset prefix, and its
template override needs a plugins folder an ephemeral context does not have, so the written
pages are rewritten instead: every CDN address GX writes is mapped to a copy, under
static/vendor/, of the file an installed package ships. An address not in the map fails the
build, so a GX upgrade that adds one is noticed here, not by an auditor offline.

The same pass makes the site byte-stable (GX gives collapsible sections random ids and the logo
a time-stamped address) and tells warnings from critical failures, which GX shows alike.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from checks.suites import Severity

VENDOR_DIR = "static/vendor"


@dataclass(frozen=True)
class Vendored:
    """A file or folder an installed package ships, copied to VENDOR_DIR/target."""

    package: str
    source: str
    target: str

    def path(self) -> Traversable:
        return files(self.package).joinpath(self.source)


BOOTSTRAP_CSS = Vendored("xstatic.pkg.bootstrap", "data/css/bootstrap.min.css", "bootstrap.min.css")
# The bundle holds Popper 1.x, which GX loads separately from a CDN.
BOOTSTRAP_JS = Vendored(
    "xstatic.pkg.bootstrap", "data/js/bootstrap.bundle.min.js", "bootstrap.bundle.min.js"
)
JQUERY = Vendored("xstatic.pkg.jquery", "data/jquery.min.js", "jquery.min.js")
DATEPICKER_CSS = Vendored(
    "xstatic.pkg.bootstrap_datepicker", "data/datepicker3.css", "bootstrap-datepicker.css"
)
DATEPICKER_JS = Vendored(
    "xstatic.pkg.bootstrap_datepicker", "data/bootstrap-datepicker.js", "bootstrap-datepicker.js"
)
FONT_AWESOME_CSS = Vendored(
    "fontawesomefree", "static/fontawesomefree/css/all.min.css", "fontawesome/css/all.min.css"
)
# all.min.css loads its fonts from ../webfonts/.
FONT_AWESOME_FONTS = Vendored(
    "fontawesomefree", "static/fontawesomefree/webfonts", "fontawesome/webfonts"
)
TABLE_CSS = Vendored(
    "checks", "vendor/bootstrap-table/bootstrap-table.min.css", "bootstrap-table.min.css"
)
TABLE_JS = Vendored(
    "checks", "vendor/bootstrap-table/bootstrap-table.min.js", "bootstrap-table.min.js"
)
FILTER_CSS = Vendored(
    "checks",
    "vendor/bootstrap-table/extensions/filter-control/bootstrap-table-filter-control.min.css",
    "bootstrap-table-filter-control.min.css",
)
FILTER_JS = Vendored(
    "checks",
    "vendor/bootstrap-table/extensions/filter-control/bootstrap-table-filter-control.min.js",
    "bootstrap-table-filter-control.min.js",
)
TABLE_LICENSE = Vendored("checks", "vendor/bootstrap-table/LICENSE", "bootstrap-table.LICENSE")
VENDORED = (
    BOOTSTRAP_CSS,
    BOOTSTRAP_JS,
    JQUERY,
    DATEPICKER_CSS,
    DATEPICKER_JS,
    FONT_AWESOME_CSS,
    FONT_AWESOME_FONTS,
    TABLE_CSS,
    TABLE_JS,
    FILTER_CSS,
    FILTER_JS,
    TABLE_LICENSE,
)

# Every CDN address GX 1.x's templates (render/view/templates/*.j2) write, and its local copy.
LOCAL_COPIES = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": BOOTSTRAP_CSS,
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": BOOTSTRAP_JS,
    "https://code.jquery.com/jquery-3.7.1.min.js": JQUERY,
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": DATEPICKER_CSS,  # noqa: E501
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": DATEPICKER_JS,  # noqa: E501
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": FONT_AWESOME_CSS,
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": TABLE_CSS,
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": TABLE_JS,
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": FILTER_CSS,  # noqa: E501
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": FILTER_CSS,  # noqa: E501
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": FILTER_JS,  # noqa: E501
}
# Loaded by GX but not needed: Popper is inside the bootstrap bundle; vega draws profiling
# charts, which these suites never produce (a page that calls it fails the build); the
# prefers-dark theme is cosmetic and no package ships it.
UNNEEDED = (
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js",
    "https://cdn.jsdelivr.net/npm/vega@5",
    "https://cdn.jsdelivr.net/npm/vega-lite@5",
    "https://cdn.jsdelivr.net/npm/vega-embed@6",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css",
)
UNNEEDED_USE = "vegaEmbed("
# GX's logos, with a time-stamped query; the site's own static/images has the light one.
LOGO = re.compile(
    r"https://great-expectations-web-assets\.s3\.[\w-]+\.amazonaws\.com/"
    r"(?:logo-long|full_logo_dark)\.png(?:\?[^\"')\s]*)?"
)
LOCAL_LOGO = "static/images/logo-long.png"
# GX counts one folder too few on validation pages, so their favicon link points outside the site.
FAVICON = re.compile(r'"(?:\./|\.\./)*static/images/favicon\.ico"')
# The newsletter footer: a tracked link to a mailing list has no place in an audit folder.
FOOTER = re.compile(r"\s*<footer>.*?</footer>", re.S)
SRI = re.compile(r'\s+(?:integrity|crossorigin)="[^"]*"')
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# A resource the browser fetches by itself: src=, <link href=, url() in CSS. <a href> is not.
EXTERNAL = re.compile(
    r"""(?:\bsrc\s*=\s*["']?|<link\b[^>]*?\bhref\s*=\s*["']?|url\(\s*["']?)((?:https?:)?//[^"')\s>]+)""",
    re.I,
)

# Index rows: GX writes each as a Python-style dict literal inside the bootstrap-table data.
INDEX_ROW = re.compile(r"\{'validation_success': .*?'asset_name': '[^']*'\}", re.S)
INDEX_STATUS = re.compile(r"'validation_success': '.*?', 'run_time'", re.S)
FAILED_ICON = '<i class="fas fa-times text-danger" aria-hidden="true"></i> Failed'
WARNING_ICON = '<i class="fas fa-exclamation-triangle text-warning" aria-hidden="true"></i>'
STATUS_LABELS = {
    ("critical", "Success"): ("Passed", '<i class="fas fa-check-circle text-success"></i>'),
    ("warning", "Success"): ("Passed", '<i class="fas fa-check-circle text-success"></i>'),
    ("critical", "Failed"): ("Critical failure", '<i class="fas fa-times text-danger"></i>'),
    ("warning", "Failed"): ("Warnings", WARNING_ICON),
}
WARNING_STATUS = f"{WARNING_ICON} Warnings: a warning check failed; the run continues"


def copy_vendored(docs_dir: Path) -> None:
    for asset in VENDORED:
        source, target = asset.path(), docs_dir / VENDOR_DIR / asset.target
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(str(source), target, dirs_exist_ok=True)
        else:
            target.write_bytes(source.read_bytes())


def localised(text: str, root: str) -> str:
    """text with every known CDN address pointing at the local copy, relative to root."""
    for url in UNNEEDED:
        tag = rf'\s*<(?:script|link)\b[^>]*"{re.escape(url)}"[^>]*>(?:\s*</script>)?'
        text = re.sub(tag, "", text)
    for url, asset in LOCAL_COPIES.items():
        text = text.replace(f'"{url}"', f'"{root}{VENDOR_DIR}/{asset.target}"')
    text = LOGO.sub(f"{root}{LOCAL_LOGO}", text)
    text = FAVICON.sub(f'"{root}static/images/favicon.ico"', text)
    return SRI.sub("", text)


def stable_ids(text: str) -> str:
    """GX's uuid4 element ids renumbered in order of first use: same page, same bytes."""
    numbers: dict[str, str] = {}
    return UUID.sub(lambda m: numbers.setdefault(m[0], f"id{len(numbers) + 1}"), text)


def suite_severity(suite_name: str) -> Severity:
    return "warning" if suite_name.endswith("-warning") else "critical"


def index_row_labelled(row: str) -> str:
    """One index row with its status said in words: passed, warnings, or critical failure."""
    suite = re.search(r"'_expectation_suite_name_sort': '([^']*)'", row)
    status = re.search(r"'_validation_success_text': '(\w+)'", row)
    if not (suite and status):
        raise ValueError("unexpected Data Docs index row: GX's index template has changed")
    text, icon = STATUS_LABELS[(suite_severity(suite[1]), status[1])]
    row = INDEX_STATUS.sub(f"'validation_success': '{icon} {text}', 'run_time'", row)
    return row.replace(status[0], f"'_validation_success_text': '{text}'")


def external_resources(text: str) -> list[str]:
    """Addresses a browser would fetch from the network on opening this page or style sheet."""
    return EXTERNAL.findall(text)


def site_files(docs_dir: Path) -> Iterator[Path]:
    for pattern in ("**/*.html", "static/styles/*.css"):
        yield from sorted(docs_dir.glob(pattern))


def finished(text: str, relative: Path) -> str:
    """A page or style sheet of the site, at relative to its root, finished."""
    root = "../" * (len(relative.parts) - 1)
    text = stable_ids(FOOTER.sub("", localised(text, root)))
    if relative == Path("index.html"):
        return INDEX_ROW.sub(lambda row: index_row_labelled(row[0]), text)
    if relative.parts[0] == "validations" and suite_severity(relative.parts[1]) == "warning":
        return text.replace(FAILED_ICON, WARNING_STATUS)
    return text


def finish_site(docs_dir: Path) -> None:
    """Make the GX site in docs_dir self-contained and byte-stable, and label warnings.

    Raises RuntimeError naming any page that would still reach the network."""
    copy_vendored(docs_dir)
    remaining = []
    for path in site_files(docs_dir):
        relative = path.relative_to(docs_dir)
        text = path.read_text(encoding="utf-8")
        if UNNEEDED_USE in text:
            raise RuntimeError(f"{relative} draws a chart, which needs vega: not vendored")
        text = finished(text, relative)
        remaining += [f"{relative}: {url}" for url in external_resources(text)]
        path.write_text(text, encoding="utf-8", newline="\n")
    if remaining:
        raise RuntimeError("Data Docs would load from the network: " + "; ".join(remaining))
