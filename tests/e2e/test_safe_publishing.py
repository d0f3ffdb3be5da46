"""Safe publishing, end to end: bad trackers give clear errors, personal data is never published,
tracker text stays text, a failure anywhere leaves the last good outputs, and reruns are exact."""

import json
import re
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from helpers import HEADER, row, run_cli, tree_digest, write_csv_text, write_xlsx

from impact_review.paths import SAMPLE_TRACKER
from impact_review.period import Period

pytestmark = pytest.mark.slow
LABEL = "t"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A workdir with a good published run for LABEL, which every failure below must leave alone."""
    workdir = tmp_path_factory.mktemp("published")
    good = write_xlsx(
        workdir / "good.xlsx", {"S": [HEADER, row("R1"), row("R2", "CSC"), row("R3")]}
    )
    result = run_cli("--workdir", str(workdir), "--tracker", str(good), "--label", LABEL)
    assert result.returncode == 0, result.stderr
    return workdir


def outputs(workdir: Path) -> dict:
    return {
        "processed": tree_digest(workdir / "data" / "processed" / LABEL),
        "reports": tree_digest(workdir / "reports" / LABEL),
    }


def run_bad(workdir: Path, tracker: Path, *extra: str):
    before = outputs(workdir)
    result = run_cli("--workdir", str(workdir), "--tracker", str(tracker), "--label", LABEL, *extra)
    assert outputs(workdir) == before, "a failed run changed the published outputs"
    return result


def error_line(result) -> str:
    return next(
        line for line in result.stderr.splitlines() if line.startswith("impact-review: error:")
    )


def _zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * 60_000_000 + b"</a>")
    return path


def _xml_bomb(path: Path) -> Path:
    write_xlsx(path, {"S": [HEADER, row("R1")]})
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        "<sst>&lol3;</sst>"
    )
    rebuilt = path.with_name("bomb.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(rebuilt, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = laughs.encode()
            dst.writestr(info, data)
    return rebuilt


# (name, builder, file, sheet, row, column) — None where the message cannot name one.
BROKEN = [
    ("empty file", lambda p: _bytes(p / "empty.csv", b""), "empty.csv", None, None, None),
    (
        "header only",
        lambda p: write_csv_text(p / "h.csv", [",".join(HEADER)]),
        "h.csv",
        None,
        "1",
        None,
    ),
    (
        "csv renamed xlsx",
        lambda p: write_csv_text(p / "r.xlsx", [",".join(HEADER), ",".join(map(str, row("R1")))]),
        "r.xlsx",
        None,
        None,
        None,
    ),
    (
        "no sheet with the headers",
        lambda p: write_xlsx(p / "n.xlsx", {"Notes": [["hi"]], "Data": [["a", "b"]]}),
        "n.xlsx",
        None,
        None,
        None,
    ),
    (
        "missing required column",
        lambda p: write_xlsx(
            p / "m.xlsx",
            {
                "S": [
                    HEADER[:3] + HEADER[4:],
                    ["R1", "Child S", "SCR", "Training", "x", "01/06/2016"],
                ]
            },
        ),
        "m.xlsx",
        "S",
        None,
        None,
    ),
    (
        "duplicated header",
        lambda p: write_xlsx(p / "d.xlsx", {"S": [[*HEADER, "Agency"], [*row("R1"), "CSC"]]}),
        "d.xlsx",
        "S",
        "1",
        "Agency",
    ),
    (
        "merged mandatory cells",
        lambda p: write_xlsx(
            p / "mg.xlsx", {"S": [HEADER, row("R1"), row("R2")]}, merged=[("S", "D2:D3")]
        ),
        "mg.xlsx",
        "S",
        "2",
        "Agency",
    ),
    (
        "error cell",
        lambda p: write_xlsx(p / "e.xlsx", {"S": [HEADER, row("R1"), row("R2", "#N/A")]}),
        "e.xlsx",
        "S",
        "3",
        "Agency",
    ),
    (
        "impossible date",
        lambda p: write_xlsx(p / "i.xlsx", {"S": [HEADER, row("R1", agreed="31/02/2018")]}),
        "i.xlsx",
        "S",
        "2",
        "Date agreed",
    ),
    (
        "unknown encoding",
        lambda p: _bytes(p / "u.csv", ",".join(HEADER).encode() + b"\nR1,\x81\x8d,SCR\n"),
        "u.csv",
        None,
        None,
        None,
    ),
    (
        "unmappable agency",
        lambda p: write_xlsx(p / "a.xlsx", {"S": [HEADER, row("R1", "ESHT Trsut")]}),
        "a.xlsx",
        "S",
        "2",
        "Agency",
    ),
    ("zip bomb", lambda p: _zip_bomb(p / "z.xlsx"), "z.xlsx", None, None, None),
    ("XML entity bomb", lambda p: _xml_bomb(p / "x.xlsx"), "bomb.xlsx", None, None, None),
]


def _bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "build", "file", "sheet", "row_number", "column"), BROKEN, ids=[b[0] for b in BROKEN]
)
def test_broken_tracker_exits_2_with_a_located_message(
    published, tmp_path, name, build, file, sheet, row_number, column
):
    tracker = build(tmp_path)
    result = run_bad(published, tracker)
    assert result.returncode == 2, result.stderr
    line = error_line(result)
    assert f"file {file}" in line
    if sheet:
        assert f"sheet '{sheet}'" in line
    if row_number:
        assert f"row {row_number}" in line
    if column:
        assert f"column '{column}'" in line


def test_hidden_sheet_is_never_read_and_visible_sheets_are_listed(published, tmp_path):
    tracker = write_xlsx(
        tmp_path / "h.xlsx", {"Lookups": [HEADER, row("R1")], "Notes": [["x"]]}, hidden=["Lookups"]
    )
    result = run_bad(published, tracker)
    assert result.returncode == 2
    assert "visible sheets: Notes" in error_line(result)


def test_oversized_tracker_is_refused_before_parsing(published, tmp_path):
    tracker = write_csv_text(
        tmp_path / "big.csv",
        [",".join(HEADER)] + [",".join(map(str, row(f"R{i}"))) for i in range(60_000)],
    )
    assert tracker.stat().st_size > 3_000_000
    result = run_bad(published, tracker, "--max-bytes", "1000000")
    assert result.returncode == 2
    assert "over the limit" in error_line(result)


PLANTED = {
    "nhs": "999 000 0018",
    "ni": "AB 12 34 56 C",
    "postcode": "BN1 1AA",
    "phone": "07700 900123",
    "email": "carer@example.org",
    "dob": "DOB 01/02/2012",
    "name": "Sarah Jones",
}


def test_personal_data_stops_publication_without_repeating_it(published, tmp_path):
    rows = [[*HEADER, "Evidence of impact"]]
    for number, (_kind, value) in enumerate(PLANTED.items(), start=1):
        rows.append(
            [*row(f"P{number}", text=f"Follow up with the family ({value})."), f"Seen by {value}."]
        )
    result = run_bad(published, write_xlsx(tmp_path / "pii.xlsx", {"S": rows}))
    assert result.returncode == 1, result.stderr
    line = error_line(result)
    assert "personal data found" in line
    assert "rec_id P1, column 'evidence_of_impact': nhs_number" in line or "rec_id P1" in line
    for value in PLANTED.values():
        assert value not in result.stderr and value not in result.stdout
    failed = published / ".staging" / f"{LABEL}.failed"
    pii = json.loads((failed / "reports" / "audit" / "pii-scan.json").read_text())
    assert set(pii["tracker_text"]["by_kind"]) >= {
        "nhs_number",
        "ni_number",
        "postcode",
        "phone",
        "email",
        "date_of_birth",
        "person_name",
    }
    assert not any(value in json.dumps(pii) for value in PLANTED.values())
    for path in [
        *(failed / "reports" / "audit").rglob("*.ipynb"),
        *(failed / "reports" / "audit").rglob("*.log"),
    ]:
        text = path.read_text(encoding="utf-8")
        assert not any(value in text for value in PLANTED.values()), path.name


def test_personal_data_in_the_narrative_is_caught_after_rendering(published, tmp_path):
    tracker = write_xlsx(tmp_path / "ok.xlsx", {"S": [HEADER, row("R1")]})
    narrative = tmp_path / "narrative.md"
    narrative.write_text(
        "## Resources and contacts\n\nCall Mrs Patel on 07700 900123.\n", encoding="utf-8"
    )
    result = run_bad(published, tracker, "--narrative", str(narrative))
    assert result.returncode == 1, result.stderr
    line = error_line(result)
    assert "report.html: phone" in line and "report.pdf: phone" in line
    assert "07700" not in result.stderr and "Patel" not in result.stderr


def test_pseudonyms_and_agency_names_are_not_personal_data(tmp_path):
    text = (
        "Child K's midwife and health visitors shared plans through Team Around the Family "
        "meetings with Sussex Police."
    )
    tracker = write_xlsx(
        tmp_path / "ok.xlsx", {"S": [[*HEADER, "Evidence of impact"], [*row("R1"), text]]}
    )
    assert (
        run_cli("--workdir", str(tmp_path), "--tracker", str(tracker), "--label", "k").returncode
        == 0
    )


def test_tracker_text_is_data_in_html_pdf_and_csv(tmp_path):
    hostile = '<script>alert("x")</script> #set text(red) =HYPERLINK("http://x","y") *bold* $5'
    rows = [
        [*HEADER, "Evidence of impact"],
        [*row("R1"), hostile],
        [*row("R2", text="@SUM(A1) -cmd"), None],
    ]
    tracker = write_xlsx(tmp_path / "inj.xlsx", {"S": rows})
    result = run_cli("--workdir", str(tmp_path), "--tracker", str(tracker), "--label", "inj")
    assert result.returncode == 0, result.stderr
    reports = tmp_path / "reports" / "inj"
    html = (reports / "report.html").read_text(encoding="utf-8")
    assert '<script>alert("x")' not in html and "&lt;script&gt;alert" in html
    pdf = subprocess.run(
        ["pdftotext", str(reports / "report.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "#set text(red)" in " ".join(pdf.split())
    assert "<script>" in pdf
    csv = (tmp_path / "data" / "processed" / "inj" / "recommendations.csv").read_text(
        encoding="utf-8"
    )
    assert "'@SUM(A1) -cmd" in csv and "'=HYPERLINK" not in csv.split("\n")[0]


def test_a_failure_in_the_render_step_leaves_the_last_good_outputs(published, monkeypatch):
    from impact_review import pipeline

    def broken_render(*args, **kwargs):
        raise pipeline.RenderError("injected failure")

    monkeypatch.setattr(pipeline, "render_report", broken_render)
    before = outputs(published)
    request = pipeline.RunRequest(
        tracker=published / "good.xlsx",
        period=Period(date(2015, 4, 1), date(2018, 3, 31), LABEL),
        workdir=published,
    )
    outcome = pipeline.run_review(request, progress=lambda _: None)
    assert outcome.exit_code == 3
    assert "injected failure" in outcome.message
    assert outputs(published) == before
    assert not [p for p in (published / ".staging").iterdir() if p.name.startswith(f"{LABEL}-")]


def test_two_runs_on_the_sample_are_byte_identical(tmp_path):
    hashes = []
    for attempt in ("a", "b"):
        workdir = tmp_path / attempt
        result = run_cli("--workdir", str(workdir))
        assert result.returncode == 0, result.stderr
        manifest = json.loads(
            (workdir / "reports" / "2015-18" / "audit" / "manifest.json").read_text()
        )
        figures = {
            k: v for k, v in manifest["outputs"]["audit"].items() if k.startswith("render-bundle/")
        }
        hashes.append((manifest["outputs"]["published"], manifest["outputs"]["processed"], figures))
    assert hashes[0] == hashes[1]
    assert len(hashes[0][2]) >= 10


def test_a_rerun_says_it_is_identical_and_the_manifest_records_the_input(tmp_path):
    first = run_cli("--workdir", str(tmp_path))
    second = run_cli("--workdir", str(tmp_path))
    assert first.returncode == second.returncode == 0
    assert "identical to the previous run" not in first.stdout
    assert "identical to the previous run" in second.stdout
    manifest = json.loads(
        (tmp_path / "reports" / "2015-18" / "audit" / "manifest.json").read_text()
    )
    import hashlib

    assert manifest["input"]["sha256"] == hashlib.sha256(SAMPLE_TRACKER.read_bytes()).hexdigest()
    assert manifest["input"]["sheet"] == "Recommendations" and manifest["input"]["header_row"] == 5
    assert manifest["rows"]["analysed"] == 147 and manifest["rows"]["outside_period"] == 6
    assert manifest["renderer"].startswith(("builtin", "quarto"))
    assert re.fullmatch(r"[0-9a-f]{40}", manifest["code"]["commit"] or "0" * 40)
    pdf = subprocess.run(
        ["pdftotext", str(tmp_path / "reports" / "2015-18" / "report.pdf"), "-"],
        capture_output=True,
        text=True,
    ).stdout
    assert manifest["input"]["sha256"][:40] in pdf.replace("\n", "")
