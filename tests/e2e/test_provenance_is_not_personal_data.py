"""The report prints its input's sha256. About one digest in 170 holds ten digits that pass the
NHS check; a tracker whose digest does must still be published (issue "trust", item 1). The
session's `published` tracker is made so that its digest does."""

import json

import pytest

from impact_review.publish.safety import html_text, workbook_cells

pytestmark = pytest.mark.slow


def test_a_tracker_whose_sha256_holds_an_nhs_number_is_published(published):
    layout = published.layout
    assert published.nhs_run in published.digest
    assert all(path.is_file() for path in layout.reports.published)
    manifest = json.loads(layout.audit.manifest.read_text(encoding="utf-8"))
    assert manifest["input"]["sha256"] == published.digest
    assert published.digest in html_text(layout.reports.html)
    assert any(published.digest in cell for cell in workbook_cells(layout.reports.annex))
    scan = json.loads(layout.audit.pii_scan.read_text(encoding="utf-8"))
    assert scan["rendered"]["findings"] == 0
