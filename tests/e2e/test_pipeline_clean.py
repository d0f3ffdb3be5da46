"""The clean notebook and the `impact-review run` command, end to end on the shipped sample (the
session's sample run; see conftest.py)."""

import json
from pathlib import Path

import pandas as pd
import pytest
from helpers import HEADER, PERIOD_ARGS, PUBLISHED_LABEL, row, run_cli, write_xlsx

from impact_review.layout import RunLayout, failed_build_dir, staging_dir
from impact_review.paths import SAMPLE_TRACKER

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cleaned(sample_runs) -> tuple[Path, dict]:
    """The sample's processed folder and its executed clean notebook."""
    layout = sample_runs.layout
    executed = layout.audit.executed_notebook("01-clean.ipynb")
    return layout.processed.root, json.loads(executed.read_text(encoding="utf-8"))


class TestCleanNotebookOnSample:
    def test_counts_reproduce_the_2018_review(self, cleaned):
        out, _ = cleaned
        recs = pd.read_parquet(out / "recommendations.parquet")
        assert len(recs) == 147
        assert (recs["source_type"] == "SCR").sum() == 75
        assert recs.groupby("source_type")["source_name"].nunique().to_dict() == {
            "SCR": 4,
            "IMR": 2,
            "QA audit": 15,
        }
        scrs = set(recs.loc[recs["source_type"] == "SCR", "source_name"])
        assert scrs == {"Child S SCR", "Child M SCR", "Child P SCR", "Child K SCR"}
        areas = recs["area_of_learning"].value_counts()
        assert (
            areas["Policy and procedure"],
            areas["Training and skills"],
            areas["Assessment"],
        ) == (51, 37, 16)
        assert areas.drop(["Policy and procedure", "Training and skills", "Assessment"]).max() < 16
        agencies = recs["agency"].value_counts()
        education = "East Sussex Children's Services – Education"
        assert agencies[education] == 26
        assert agencies["East Sussex Healthcare NHS Trust"] == 24
        assert agencies["Children's Social Care"] == 23
        assert agencies["LSCB"] == 21
        assert (
            agencies.drop(
                [education, "East Sussex Healthcare NHS Trust", "Children's Social Care", "LSCB"]
            ).max()
            < 21
        )
        edu = recs[recs["agency"] == education]
        assert (edu["area_of_learning"] == "Training and skills").sum() == 14

    def test_period_filter_dropped_the_rows_outside(self, cleaned):
        out, _ = cleaned
        summary = json.loads((out / "clean-summary.json").read_text(encoding="utf-8"))
        assert summary["counts"]["outside_period"] == 6
        assert summary["counts"]["analysed"] == 147
        assert summary["input"]["sheet"] == "Recommendations"
        assert summary["input"]["header_row"] == 5

    def test_csv_matches_parquet_and_uses_canonical_values(self, cleaned):
        out, _ = cleaned
        csv = pd.read_csv(out / "recommendations.csv", dtype=str, keep_default_na=False)
        parquet = pd.read_parquet(out / "recommendations.parquet")
        assert csv["rec_id"].tolist() == parquet["rec_id"].tolist()
        assert list(csv.columns)[:15] == [
            "rec_id",
            "source_name",
            "source_type",
            "agency",
            "area_of_learning",
            "themes",
            "recommendation",
            "action",
            "lead",
            "date_agreed",
            "due_date",
            "status",
            "date_completed",
            "evidence_of_completion",
            "evidence_of_impact",
        ]
        assert csv["date_agreed"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()

    def test_parameters_are_recorded(self, cleaned):
        _, notebook = cleaned
        recorded = notebook["metadata"]["papermill"]["parameters"]
        assert recorded["tracker"] == str(SAMPLE_TRACKER)
        assert recorded["period_start"] == "2015-04-01"
        assert recorded["period_end"] == "2018-03-31"
        assert recorded["as_at"] == "2018-05-14"  # the sample tracker's export day

    def test_implementation_at_the_as_at_day_is_in_the_processed_tables(self, cleaned):
        """Issue 11: at 14 May 2018, 11 of 147 open, 10 of them past their target date (the
        oldest due July 2016), 136 completed; K-061, due July 2018, is open but not overdue."""
        out, _ = cleaned
        recs = pd.read_parquet(out / "recommendations.parquet").set_index("rec_id")
        csv = pd.read_csv(out / "recommendations.csv", dtype=str, keep_default_na=False)
        overdue = recs[recs["overdue"]]

        assert (~recs["closed"]).sum() == 11
        assert len(overdue) == 10 and not recs.loc["K-061", "overdue"]
        assert overdue["due_date"].min().isoformat() == "2016-07-01"
        assert recs.loc["S-006", "days_overdue"] == 682
        assert recs["days_overdue"].isna().sum() == 137
        assert recs["rag"].value_counts().to_dict() == {"Green": 136, "Red": 10, "Amber": 1}
        assert {"closed", "overdue", "days_overdue", "rag"} <= set(csv.columns)
        assert csv.set_index("rec_id").loc[
            "S-006", ["overdue", "days_overdue", "rag"]
        ].tolist() == [
            "True",
            "682",
            "Red",
        ]
        assert (csv["days_overdue"] == "").sum() == 137


class TestRunCommand:
    def test_unmappable_values_exit_2_list_every_problem_and_keep_earlier_outputs(
        self, last_good, tmp_path
    ):
        """Every problem at once, through the clean notebook: on the terminal, located, and in
        the failed build's problems page and table."""
        before = last_good.outputs()
        rows = [
            ["Title"],
            HEADER,
            row("R1", "Nowhere Trust"),
            row("R2", "Nowhere Trust", text=None),
        ]
        bad = write_xlsx(tmp_path / "bad.xlsx", {"S": rows})
        result = run_cli(
            "--workdir",
            str(last_good.workdir),
            "--label",
            PUBLISHED_LABEL,
            "--tracker",
            str(bad),
            *PERIOD_ARGS,
        )
        assert result.returncode == 2
        assert "bad.xlsx" in result.stderr and "'Nowhere Trust'" in result.stderr
        failed = RunLayout.staged(failed_build_dir(last_good.workdir, PUBLISHED_LABEL)).audit
        page = failed.problems_page.read_text(encoding="utf-8")
        assert "- 'Nowhere Trust' (2 rows: 3, 4) is not in the agencies" in page
        assert "- mandatory value is blank (row 4)" in page
        assert failed.problems.exists()
        assert str(failed.problems_page) in result.stderr
        assert last_good.outputs() == before
        staged = staging_dir(last_good.workdir).iterdir()
        assert not any(p.name.startswith(f"{PUBLISHED_LABEL}-") for p in staged)
