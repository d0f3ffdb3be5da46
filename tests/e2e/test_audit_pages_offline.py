"""The auditor's folder on an air-gapped machine: every page opens from disk, asks the network for
nothing, and shows its tables and result icons.

Two independent looks. Statically, every resource a page or style sheet names (src=, <link href=,
url()) is a file inside the folder. In headless Chromium, with every host name unresolvable, a
NetLog of one page that frames them all records any request a page starts; there must be none.
And the pages whose scripts build what the auditor sees (the index's table, which
bootstrap-table builds from inline data, and the validation results) must show it."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from helpers import chromium

pytestmark = pytest.mark.slow

# A resource the browser fetches by itself; a plain <a href> is only followed when clicked.
RESOURCE = re.compile(
    r"""(?:\bsrc\s*=\s*|<link\b[^>]*?\bhref\s*=\s*)["']([^"']+)["']|url\(\s*["']?([^"')]+)""", re.I
)
# A row bootstrap-table rendered from the page's inline data.
ROW = re.compile(r'<tr\b[^>]*\bdata-index="\d+"')
OFFLINE = ("--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=5000")


def audit_folder(sample_run: Path) -> Path:
    return sample_run / "reports" / "2015-18" / "audit"


def resources(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [a or b for a, b in RESOURCE.findall(text) if not (a or b).startswith("data:")]


def dom_of(page: Path, profile: Path) -> str:
    """The page's DOM after its scripts ran, offline."""
    return chromium(profile, *OFFLINE, "--dump-dom", page.as_uri()).stdout


# Each framed page, once loaded, has its <title> written into the framing page's DOM: proof that
# it was opened (file:// loads never reach the NetLog).
FRAME = (
    '<iframe src="{src}" onload="document.body.insertAdjacentHTML(\'beforeend\', '
    "'<p class=loaded>' + this.contentDocument.title + '</p>')\"></iframe>"
)
LOADED = re.compile(r'<p class="loaded">([^<]+)</p>')


def requests_of(pages: list[Path], profile: Path) -> list[str]:
    """Every non-file URL the pages asked for, opened together as frames of one page (each of
    which must have been loaded, or the check would see nothing).

    Chromium's own background traffic (updates, accounts) is told apart by its isolation key:
    only requests made for a file:// page, framed or not, carry a file:// key."""
    frames = profile.parent / f"{profile.name}-frames.html"
    frames.write_text(
        "<!DOCTYPE html><html><body>"
        + "".join(FRAME.format(src=page.as_uri()) for page in pages)
        + "</body></html>",
        encoding="utf-8",
    )
    net_log = profile.parent / f"{profile.name}-netlog.json"
    dom = chromium(
        profile,
        *OFFLINE,
        "--allow-file-access-from-files",  # so the frame's title can be read
        f"--log-net-log={net_log}",
        "--dump-dom",
        frames.as_uri(),
    ).stdout
    assert len(LOADED.findall(dom)) == len(pages), "a framed page was not loaded"
    log = json.loads(net_log.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    asked = {
        event["params"]["url"]
        for event in log["events"]
        if event["type"] == start
        and event["params"].get("network_isolation_key", "").startswith("file://")
    }
    return sorted(url for url in asked if not url.startswith("file:"))


@pytest.fixture(scope="module")
def pages(sample_run: Path) -> list[Path]:
    found = sorted(audit_folder(sample_run).rglob("*.html"))
    assert len(found) >= 10  # checks.html, trail.html, the index, 4 suites, 4 validation results
    return found


def test_every_resource_a_page_or_style_sheet_names_is_a_local_file(sample_run, pages):
    sheets = sorted(audit_folder(sample_run).rglob("*.css"))
    missing = {}
    for path in [*pages, *sheets]:
        for ref in resources(path):
            target = urlsplit(ref)
            local = path.parent / unquote(target.path)
            if target.scheme or target.netloc or not local.is_file():
                missing.setdefault(str(path.relative_to(sample_run)), []).append(ref)

    assert sheets, "the vendored style sheets are missing"
    assert missing == {}


@pytest.fixture(scope="module")
def doms(sample_run: Path, tmp_path_factory) -> dict[Path, str]:
    """The DOM of each page whose scripts build what the auditor sees: the index's table and the
    validation results."""
    quality = audit_folder(sample_run) / "data-quality"
    shown = [quality / "index.html", *sorted((quality / "validations").rglob("*.html"))]
    profiles = tmp_path_factory.mktemp("profiles")
    # Each Chromium waits on its own start-up and timers more than it computes: open a few at once.
    with ThreadPoolExecutor(max_workers=4) as pool:
        opened = pool.map(
            lambda numbered: dom_of(numbered[1], profiles / f"profile-{numbered[0]}"),
            enumerate(shown),
        )
        return dict(zip(shown, opened, strict=True))


def test_no_page_asks_the_network_for_anything(pages, tmp_path):
    assert requests_of(pages, tmp_path / "profile") == []


def test_the_network_check_sees_a_framed_page_that_asks(sample_run, tmp_path):
    page = tmp_path / "asks.html"
    page.write_text(
        '<html><head><title>Asks</title></head><body><script src="https://cdn.example.org/a.js">'
        "</script></body></html>"
    )
    quiet = audit_folder(sample_run) / "data-quality" / "checks.html"

    assert requests_of([quiet, page], tmp_path / "profile") == ["https://cdn.example.org/a.js"]


def test_offline_index_table_has_its_rows_and_icons(sample_run, doms):
    index = audit_folder(sample_run) / "data-quality" / "index.html"
    dom = doms[index]
    for suite in ("impact-review-raw-critical", "impact-review-clean-critical"):
        assert suite in dom
    validations, suites = re.findall(r"<tbody>(.*?)</tbody>", dom, re.S)

    assert len(ROW.findall(validations)) == 4
    assert len(ROW.findall(suites)) == 4
    assert validations.count("fa-check-circle") == 3 and "fa-exclamation-triangle" in validations
    assert "Warnings" in validations and "Critical failure" not in validations


def test_offline_validation_pages_show_their_checks_with_icons(sample_run, doms):
    folder = audit_folder(sample_run) / "data-quality" / "validations"
    results = sorted(folder.rglob("*.html"))
    summary = json.loads(
        (audit_folder(sample_run) / "data-quality" / "validation-summary.json").read_text()
    )
    shown = ""
    for page in results:
        dom = doms[page]
        assert "fa-check-circle" in dom, page.name
        shown += dom

    assert len(results) == 4
    for check in summary["checks"]:
        assert f"[{check['id']}]" in shown
