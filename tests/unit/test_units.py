"""Small modules on hand-written inputs: publishing swap, escaping, safety, manifest."""

import os
from pathlib import Path

import pandas as pd
import pypandoc
import pytest

from impact_review.errors import InputError, ValidationFailed
from impact_review.exports import neutralise_formula, neutralised, write_csv
from impact_review.markdown import escape_markdown, pipe_table
from impact_review.period import Period, financial_year
from impact_review.publish.manifest import code_version, same_outputs
from impact_review.publish.safety import html_text, raise_for_personal_data, scan_tracker_text
from impact_review.publish.staging import swap_into_place


def folder(path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    return path


class TestSwapIntoPlace:
    def test_new_folders_replace_old_ones(self, tmp_path):
        old = folder(tmp_path / "reports", {"a.txt": "old"})
        new = folder(tmp_path / "build", {"a.txt": "new", "b.txt": "new"})
        swap_into_place([(new, old)])
        assert sorted(p.name for p in old.iterdir()) == ["a.txt", "b.txt"]
        assert (old / "a.txt").read_text() == "new"
        assert not new.exists()
        assert [p.name for p in tmp_path.iterdir()] == ["reports"]

    def test_a_failed_second_move_puts_the_first_back(self, tmp_path, monkeypatch):
        first = folder(tmp_path / "processed", {"t.csv": "old table"})
        second = folder(tmp_path / "reports", {"r.pdf": "old report"})
        built1 = folder(tmp_path / "b1", {"t.csv": "new table"})
        built2 = folder(tmp_path / "b2", {"r.pdf": "new report"})
        real_replace = os.replace

        def failing_replace(src, dst):
            if Path(src) == built2:
                raise OSError("disk full")
            return real_replace(src, dst)

        monkeypatch.setattr(os, "replace", failing_replace)
        with pytest.raises(OSError, match="disk full"):
            swap_into_place([(built1, first), (built2, second)])
        monkeypatch.setattr(os, "replace", real_replace)
        assert (first / "t.csv").read_text() == "old table"
        assert (second / "r.pdf").read_text() == "old report"
        assert not any(".previous-" in p.name for p in tmp_path.iterdir())


class TestEscaping:
    @pytest.mark.parametrize(
        ("text", "escaped"),
        [
            ("<script>", r"\<script\>"),
            ("#set text(red)", r"\#set text\(red\)"),
            ("a\nb\tc", "a b c"),
            ("Child S", "Child S"),
        ],
    )
    def test_escape_markdown(self, text, escaped):
        assert escape_markdown(text) == escaped

    def test_pipe_table_escapes_cells_and_labels_the_caption_in_a_named_scroll_region(self):
        frame = pd.DataFrame({"name": ["a|b", None], "n": [1, 2]})
        table = pipe_table(frame, 'Counts "by" name', "tbl-x", ["Name", "N"], numeric=["n"])
        assert table.splitlines() == [
            '::: {.table-scroll role="region" tabindex="0" aria-label="Counts \\"by\\" name"}',
            "| Name | N |",
            "|:---|---:|",
            r"| a\|b | 1 |",
            "|  | 2 |",
            "",
            r": Counts \"by\" name {#tbl-x}",
            ":::",
        ]

    def test_pipe_table_widths_are_the_dashes_pandoc_reads(self):
        frame = pd.DataFrame({"name": ["a"], "n": [1], "note": ["b"]})
        table = pipe_table(frame, "C", "tbl-x", numeric=["n"], widths=(20, 2, 78))
        assert table.splitlines()[2] == "|:" + "-" * 20 + "|---:|:" + "-" * 78 + "|"

    def test_the_region_reads_back_as_a_div_round_the_captioned_table(self):
        frame = pd.DataFrame({"name": ["a"]})
        native = pypandoc.convert_text(
            pipe_table(frame, 'A "quoted" \\ caption', "tbl-x"), "html", format="markdown"
        )
        assert native.startswith(
            '<div class="table-scroll" role="region" tabindex="0"\n'
            'aria-label="A &quot;quoted&quot; \\ caption">\n<table id="tbl-x">'
        )

    @pytest.mark.parametrize("text", ["=1+1", "+44", "-cmd", "@SUM(A1)", "\tx", "\rx"])
    def test_formula_triggers_are_neutralised(self, text):
        assert neutralise_formula(text) == "'" + text

    def test_ordinary_text_and_numbers_are_left_alone(self):
        assert neutralise_formula("Train staff") == "Train staff"
        assert neutralise_formula(-5) == -5
        frame = neutralised(pd.DataFrame({"t": ["=x", "y"], "n": [1, 2]}))
        assert frame["t"].tolist() == ["'=x", "y"] and frame["n"].tolist() == [1, 2]

    def test_csv_bytes_are_stable(self, tmp_path):
        frame = pd.DataFrame({"d": pd.to_datetime(["2018-03-31"]), "x": [0.1 + 0.2]})
        write_csv(frame, tmp_path / "a.csv")
        assert (tmp_path / "a.csv").read_bytes() == b"d,x\n2018-03-31,0.30000000000000004\n"


class TestSafety:
    def test_findings_name_rec_id_column_and_kind_only(self):
        frame = pd.DataFrame(
            {
                "rec_id": ["R1", "R2"],
                "recommendation": ["Review the plan.", "Call 07700 900123."],
                "source_name": ["Child S SCR", "Child S SCR"],
            }
        )
        findings = scan_tracker_text(frame)
        assert [(f.rec_id, f.column, f.kind) for f in findings] == [
            ("R2", "recommendation", "phone")
        ]
        with pytest.raises(ValidationFailed) as exc:
            raise_for_personal_data(findings)
        assert "rec_id R2, column 'recommendation': phone" in str(exc.value)
        assert "07700" not in str(exc.value)

    def test_no_findings_no_error(self):
        raise_for_personal_data([], [])

    def test_html_text_includes_alt_text_and_skips_scripts(self, tmp_path):
        page = tmp_path / "p.html"
        page.write_text('<p>Hi</p><img alt="Chart of x"><script>var a = "hidden";</script>')
        text = html_text(page)
        assert "Hi" in text and "Chart of x" in text and "hidden" not in text


class TestManifest:
    def test_code_version(self):
        assert code_version({"commit": "a" * 40, "dirty": False}) == "commit aaaaaaaaaaaa"
        assert code_version({"commit": "a" * 40, "dirty": True}).endswith(
            "with uncommitted changes"
        )
        assert code_version({"commit": None, "dirty": None}) == "an unversioned copy of the code"

    def test_same_outputs_needs_same_input_code_and_hashes(self):
        run = {
            "input": {"sha256": "x"},
            "code": {"commit": "c", "dirty": False},
            "configuration": {"taxonomy.yaml": "t"},
            "outputs": {"published": {"report.pdf": "1"}, "processed": {"t.csv": "2"}},
        }
        assert same_outputs(run, run)
        assert not same_outputs(run, {**run, "configuration": {"taxonomy.yaml": "u"}})
        assert not same_outputs({}, run)
        changed = {
            **run,
            "outputs": {"published": {"report.pdf": "9"}, "processed": {"t.csv": "2"}},
        }
        assert not same_outputs(run, changed)


class TestPeriod:
    def test_financial_year(self):
        assert financial_year("2017-18") == Period(
            pd.Timestamp("2017-04-01").date(), pd.Timestamp("2018-03-31").date(), "2017-18"
        )

    @pytest.mark.parametrize("label", ["../x", "a/b", "", "x" * 65, "two words"])
    def test_labels_cannot_leave_the_output_folders(self, label):
        from impact_review.errors import InputError

        with pytest.raises(InputError, match="label"):
            Period(pd.Timestamp("2017-04-01").date(), pd.Timestamp("2018-03-31").date(), label)


class TestNotebookParameters:
    """Paths a notebook is given are from the project root, whatever folder it runs in."""

    def test_relative_paths_are_from_the_root_and_empty_is_none(self):
        from impact_review.paths import ROOT, project_path

        assert project_path("data/raw/x.xlsx") == ROOT / "data" / "raw" / "x.xlsx"
        assert project_path("/srv/t.csv") == Path("/srv/t.csv")
        assert project_path("") is None

    def test_empty_folders_mean_the_scratch_folder(self, monkeypatch, tmp_path):
        from impact_review.layout import SCRATCH_ENV, RunLayout

        monkeypatch.setenv(SCRATCH_ENV, str(tmp_path))
        layout = RunLayout.of_parameters("", "")
        assert layout.roots == (tmp_path / "processed", tmp_path / "reports")
        staged = RunLayout.of_parameters(str(tmp_path / "p"), "")
        assert staged.roots == (tmp_path / "p", tmp_path / "reports")

    @pytest.mark.parametrize(
        ("processed", "reports"),
        [("data/processed/2015-18", ""), ("", "reports/2015-18"), ("", "reports")],
    )
    def test_a_run_by_hand_may_not_write_where_reviews_are_published(self, processed, reports):
        from impact_review.layout import RunLayout

        with pytest.raises(InputError) as raised:
            RunLayout.of_parameters(processed, reports)
        assert "is where published reviews live" in str(raised.value)
        assert "impact-review run" in str(raised.value)
