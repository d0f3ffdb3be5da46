"""The auditor's folder on an air-gapped machine: every page opens from disk, asks the network for
nothing, and shows its tables and result icons.

Two independent looks. Statically, every resource a page or style sheet names (src=, <link href=,
url()) is a file inside the folder. In headless Chromium, with every host name unresolvable, a
NetLog of each page records any request the page starts; there must be none, and the index's
table, which bootstrap-table builds from inline data, must have its rows."""

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


def page_requests(page: Path, profile: Path) -> tuple[str, list[str]]:
    """The page's DOM after its scripts ran, and every non-file URL the page asked for.

    Chromium's own background traffic (updates, accounts) is told apart by its isolation key:
    only requests made for a file:// page carry a file:// key."""
    net_log = profile.parent / f"{profile.name}-netlog.json"
    dom = chromium(profile, *OFFLINE, f"--log-net-log={net_log}", "--dump-dom", page.as_uri())
    log = json.loads(net_log.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    asked = {
        event["params"]["url"]
        for event in log["events"]
        if event["type"] == start
        and event["params"].get("network_isolation_key", "").startswith("file://")
    }
    return dom.stdout, sorted(url for url in asked if not url.startswith("file:"))


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
def opened(pages, tmp_path_factory) -> dict[Path, tuple[str, list[str]]]:
    """Each page opened once, offline: its DOM after its scripts ran, and what it asked for."""
    profiles = tmp_path_factory.mktemp("profiles")
    # Each Chromium waits on its own start-up and timers more than it computes: open a few at once.
    with ThreadPoolExecutor(max_workers=4) as pool:
        opened = pool.map(
            lambda numbered: page_requests(numbered[1], profiles / f"profile-{numbered[0]}"),
            enumerate(pages),
        )
        return dict(zip(pages, opened, strict=True))


def test_no_page_asks_the_network_for_anything(opened):
    asked = {page.name: urls for page, (_, urls) in opened.items() if urls}

    assert asked == {}


def test_the_network_check_sees_a_page_that_asks(tmp_path):
    page = tmp_path / "asks.html"
    page.write_text(
        '<html><body><script src="https://cdn.example.org/a.js"></script></body></html>'
    )

    assert page_requests(page, tmp_path / "profile")[1] == ["https://cdn.example.org/a.js"]


def test_offline_index_table_has_its_rows_and_icons(sample_run, opened):
    index = audit_folder(sample_run) / "data-quality" / "index.html"
    dom, _ = opened[index]
    for suite in ("impact-review-raw-critical", "impact-review-clean-critical"):
        assert suite in dom
    validations, suites = re.findall(r"<tbody>(.*?)</tbody>", dom, re.S)

    assert len(ROW.findall(validations)) == 4
    assert len(ROW.findall(suites)) == 4
    assert validations.count("fa-check-circle") == 3 and "fa-exclamation-triangle" in validations
    assert "Warnings" in validations and "Critical failure" not in validations


def test_offline_validation_pages_show_their_checks_with_icons(sample_run, opened):
    folder = audit_folder(sample_run) / "data-quality" / "validations"
    results = sorted(folder.rglob("*.html"))
    summary = json.loads(
        (audit_folder(sample_run) / "data-quality" / "validation-summary.json").read_text()
    )
    shown = ""
    for page in results:
        dom, _ = opened[page]
        assert "fa-check-circle" in dom, page.name
        shown += dom

    assert len(results) == 4
    for check in summary["checks"]:
        assert f"[{check['id']}]" in shown
