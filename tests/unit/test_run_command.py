"""The `run` command's arguments and what a failed run tells the analyst, without running a
notebook (the steps are stood in for)."""

import os
from datetime import date

import pytest
from helpers import HEADER, row, write_xlsx

from impact_review import pipeline
from impact_review.cli import build_parser, main, request_from_args
from impact_review.errors import InputError
from impact_review.layout import RunLayout, failed_build_dir
from impact_review.paths import DEFAULT_LABEL, SAMPLE_EVIDENCE, SAMPLE_TRACKER
from impact_review.period import Period


def request(*args: str):
    return request_from_args(build_parser().parse_args(["run", *args]))


class TestPeriodArguments:
    def test_the_sample_keeps_its_own_period(self):
        period = request().period
        assert (period.start, period.end, period.label) == (
            date(2015, 4, 1),
            date(2018, 3, 31),
            DEFAULT_LABEL,
        )

    def test_the_sample_may_be_given_another_period(self):
        period = request("--from", "2016-04-01", "--to", "2017-03-31").period
        assert (period.start, period.end, period.label) == (
            date(2016, 4, 1),
            date(2017, 3, 31),
            "20160401_20170331",
        )

    @pytest.mark.parametrize(
        ("given", "missing"),
        [
            ((), "--from and --to"),
            (("--from", "2019-04-01"), "--to"),
            (("--to", "2020-03-31"), "--from"),
        ],
    )
    def test_any_other_tracker_must_be_given_its_period(self, tmp_path, given, missing):
        tracker = tmp_path / "ours.xlsx"
        tracker.write_bytes(b"PK")
        with pytest.raises(InputError) as raised:
            request("--tracker", str(tracker), *given)
        assert str(raised.value) == (
            "give the period to review with --year (YYYY-YY) or with --from and --to "
            f"(YYYY-MM-DD; {missing} missing): "
            "only the shipped sample has a default period, and ours.xlsx is not it"
        )

    def test_the_refusal_exits_2_before_anything_runs(self, tmp_path, capsys):
        tracker = tmp_path / "ours.xlsx"
        tracker.write_bytes(b"PK")
        assert main(["run", "--tracker", str(tracker), "--workdir", str(tmp_path)]) == 2
        assert "--from and --to" in capsys.readouterr().err
        assert not (tmp_path / ".staging").exists()


class TestYearArgument:
    """--year names a financial year in place of --from and --to, for both commands."""

    @pytest.mark.parametrize("written", ["2019-20", "2019/2020", "FY2019-20", "fy 2019-2020"])
    def test_the_label_is_the_year_however_it_is_written(self, written):
        period = request("--year", written).period
        assert (period.start, period.end, period.label) == (
            date(2019, 4, 1),
            date(2020, 3, 31),
            "2019-20",
        )

    def test_a_label_given_is_kept(self):
        assert request("--year", "2019-20", "--label", "board-2019").period.label == "board-2019"

    def test_a_year_of_the_sample_is_not_its_own_period_nor_takes_its_evidence(self):
        year = request("--year", "2016-17")
        assert (year.period.start, year.period.end, year.period.label) == (
            date(2016, 4, 1),
            date(2017, 3, 31),
            "2016-17",
        )
        assert year.evidence is None
        assert request().evidence == SAMPLE_EVIDENCE

    def test_any_other_tracker_may_be_given_a_year_alone(self, tmp_path):
        tracker = write_xlsx(tmp_path / "ours.xlsx", {"S": [HEADER, row("R1")]})
        period = request("--tracker", str(tracker), "--year", "2023-24").period
        assert (period.start, period.end) == (date(2023, 4, 1), date(2024, 3, 31))

    @pytest.mark.parametrize("command", ["run", "evidence-request"])
    @pytest.mark.parametrize("dates", [("--from", "2019-04-01"), ("--to", "2020-03-31")])
    def test_a_year_with_from_or_to_exits_2_saying_so(self, tmp_path, capsys, command, dates):
        out = ("--out", str(tmp_path / "out")) if command == "evidence-request" else ()
        assert main([command, "--year", "2019-20", *dates, *out]) == 2
        assert capsys.readouterr().err == (
            "impact-review: error: give the period with --year or with --from and --to, not both\n"
        )
        assert not (tmp_path / "out").exists()

    @pytest.mark.parametrize(
        ("written", "said"),
        [
            ("2019", "'2019' is not a financial year in the form YYYY-YY, like 2017-18"),
            ("2019-2021", "'2019-2021' is not a financial year: 2019 must be followed by 2020"),
            ("19-20", "'19-20' is not a financial year in the form YYYY-YY, like 2017-18"),
        ],
    )
    @pytest.mark.parametrize("command", ["run", "evidence-request"])
    def test_a_malformed_year_exits_2_naming_it(self, tmp_path, capsys, command, written, said):
        out = ("--out", str(tmp_path / "out")) if command == "evidence-request" else ()
        assert main([command, "--year", written, *out]) == 2
        assert capsys.readouterr().err == f"impact-review: error: --year {said}\n"


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"", "file is empty"),
        (b"x" * 2000, "over the limit of 1,000 (impact-review run --max-bytes N raises it)"),
        (b"PK\x03\x04 not really a zip", "damaged zip"),
    ],
    ids=["empty", "too big", "not a workbook"],
)
def test_a_file_that_cannot_be_read_is_refused_before_any_step_starts(
    tmp_path, monkeypatch, content, said
):
    def no_step(*_):
        raise AssertionError("a step started")

    monkeypatch.setattr(pipeline, "run_notebook", no_step)
    tracker = tmp_path / "t.xlsx"
    tracker.write_bytes(content)
    period = Period(date(2019, 4, 1), date(2020, 3, 31), "x")
    outcome = pipeline.run_review(
        pipeline.RunRequest(tracker, period, tmp_path, max_bytes=1000), lambda _: None
    )
    assert outcome.exit_code == 2
    assert outcome.message.startswith("file t.xlsx: ") and said in outcome.message
    assert outcome.failed_build is None and not (tmp_path / ".staging").exists()


class TestFailedRun:
    """A refused clean names its problems file in the failed build; a workbook open in Excel is
    warned about before the run."""

    def refuse(self, step, parameters, layout, kernel=None):
        audit = layout.audit
        audit.root.mkdir(parents=True, exist_ok=True)
        audit.problems.write_text("sheet,column\n", encoding="utf-8")
        audit.problems_page.write_text("# Problems\n", encoding="utf-8")
        raise pipeline.StepFailed(step.name, 2, "file t.xlsx: 40 problems in 30 rows:")

    def test_the_refusal_names_the_problems_file_of_the_failed_build(self, tmp_path, monkeypatch):
        monkeypatch.setattr(pipeline, "run_notebook", self.refuse)
        tracker = write_xlsx(tmp_path / "t.xlsx", {"S": [HEADER, row("R1")]})
        (tmp_path / "~$t.xlsx").write_bytes(b"owner")
        said: list[str] = []
        outcome = pipeline.run_review(
            pipeline.RunRequest(
                tracker, Period(date(2019, 4, 1), date(2020, 3, 31), "x"), tmp_path
            ),
            said.append,
        )
        failed = RunLayout.staged(failed_build_dir(tmp_path, "x")).audit
        assert outcome.exit_code == 2
        assert outcome.failed_build == failed_build_dir(tmp_path, "x")
        assert outcome.message == (
            "clean failed: file t.xlsx: 40 problems in 30 rows:\n"
            f"  Every problem is listed in {failed.problems_page} (and, as a table, "
            f"{failed.problems.name})."
        )
        assert failed.problems_page.read_text(encoding="utf-8") == "# Problems\n"
        assert said[0].startswith("warning: ~$t.xlsx beside the tracker says it is open in Excel")

    def test_a_failure_without_a_problems_file_says_nothing_of_one(self, tmp_path, monkeypatch):
        def fail(step, parameters, layout, kernel=None):
            raise pipeline.StepFailed(step.name, 2, "file t.xlsx: no data rows")

        monkeypatch.setattr(pipeline, "run_notebook", fail)
        outcome = pipeline.run_review(
            pipeline.RunRequest(
                SAMPLE_TRACKER, Period(date(2019, 4, 1), date(2020, 3, 31), "x"), tmp_path
            ),
            lambda _: None,
        )
        assert outcome.message == "clean failed: file t.xlsx: no data rows"


def test_bad_arguments_exit_2(tmp_path, capsys):
    assert main(["run", "--from", "2018-13-01"]) == 2
    assert main(["run", "--from", "2018-04-01", "--to", "2017-03-31"]) == 2
    assert main(["run", "--tracker", str(tmp_path / "nope.xlsx")]) == 2
    assert "not found" in capsys.readouterr().err


class TestRunFromAnywhere:
    """A relative tracker path is from the folder the analyst typed it in, not the project's."""

    def test_the_command_reads_a_relative_tracker_from_the_working_folder(
        self, tmp_path, monkeypatch
    ):
        monkeypatch.chdir(tmp_path)
        write_xlsx(tmp_path / "ours.xlsx", {"S": [HEADER, row("R1")]})
        args = build_parser().parse_args(
            ["run", "--tracker", "ours.xlsx", "--from", "2019-04-01", "--to", "2020-03-31"]
        )
        assert request_from_args(args).tracker == tmp_path / "ours.xlsx"

    def test_make_from_another_folder_passes_the_callers_path(self, tmp_path):
        import shutil
        import subprocess

        from impact_review.paths import ROOT

        if shutil.which("make") is None:
            pytest.skip("make is not installed (see README: without make)")
        dry_run = subprocess.run(
            ["make", "-n", "-C", str(ROOT), "report", "TRACKER=ours.xlsx", "EVIDENCE=returns"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={**os.environ, "PWD": str(tmp_path)},
        )
        assert f'--tracker "{tmp_path}/ours.xlsx"' in dry_run.stdout
        assert f'--evidence "{tmp_path}/returns"' in dry_run.stdout
