"""One run of the review: the numbered notebooks in order, in a staging folder, then publish.

The notebooks are the readable pipeline (papermill runs them with this run's parameters and keeps
the executed copies as the audit trail); this module only sequences them and decides what a
failure means for the exit code.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from impact_review.errors import InputError, ValidationFailed
from impact_review.paths import NOTEBOOKS_DIR, ROOT, processed_dir, reports_dir
from impact_review.period import Period
from impact_review.publish import Staging, keep_failed, new_staging, swap_into_place
from impact_review.render import RenderError, RenderResult, render_report

# Exception names raised inside a notebook, as papermill reports them, and the exit code each means.
EXIT_CODES = {"InputError": 2, "ValidationFailed": 1}
INTERNAL_ERROR = 3


@dataclass(frozen=True)
class RunRequest:
    tracker: Path
    period: Period
    workdir: Path = ROOT
    sheet: str | None = None
    renderer: str = "auto"
    narrative: Path | None = None
    as_at: date | None = None

    @property
    def report_date(self) -> date:
        """The date the report is 'as at': --as-at, else the period's last day."""
        return self.as_at or self.period.end

    @property
    def narrative_file(self) -> Path:
        """The analyst's words: --narrative, else narrative-LABEL.md beside the tracker."""
        return self.narrative or self.tracker.parent / f"narrative-{self.period.label}.md"


@dataclass
class RunOutcome:
    exit_code: int
    message: str
    published: list[Path] = field(default_factory=list)
    failed_build: Path | None = None


class StepFailed(Exception):
    def __init__(self, step: str, exit_code: int, message: str):
        super().__init__(message)
        self.step = step
        self.exit_code = exit_code


@dataclass(frozen=True)
class Step:
    name: str
    notebook: str
    parameters: Callable[[RunRequest, Staging], dict]


def clean_parameters(request: RunRequest, staging: Staging) -> dict:
    return {
        "tracker": str(request.tracker),
        "sheet": request.sheet or "",
        "period_start": request.period.start.isoformat(),
        "period_end": request.period.end.isoformat(),
        "label": request.period.label,
        "processed_dir": str(staging.processed),
    }


def validate_parameters(request: RunRequest, staging: Staging) -> dict:
    return {
        "processed_dir": str(staging.processed),
        "docs_dir": str(staging.audit / "data-quality"),
        "period_start": request.period.start.isoformat(),
        "period_end": request.period.end.isoformat(),
    }


def analyse_parameters(request: RunRequest, staging: Staging) -> dict:
    return {
        "processed_dir": str(staging.processed),
        "validation_summary": str(staging.audit / "data-quality" / "validation-summary.json"),
        "narrative": str(request.narrative_file),
        "bundle_dir": str(staging.bundle),
        "period_start": request.period.start.isoformat(),
        "period_end": request.period.end.isoformat(),
        "label": request.period.label,
        "as_at": request.report_date.isoformat(),
    }


STEPS: tuple[Step, ...] = (
    Step("clean", "01-clean.ipynb", clean_parameters),
    Step("validate", "02-validate.ipynb", validate_parameters),
    Step("analyse", "03-analyse.ipynb", analyse_parameters),
)


def run_notebook(step: Step, request: RunRequest, staging: Staging) -> None:
    """Execute one notebook into the audit folder; raise StepFailed with the right exit code."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    executed = staging.audit / "notebooks" / step.notebook
    executed.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            str(NOTEBOOKS_DIR / step.notebook),
            str(executed),
            parameters=step.parameters(request, staging),
            kernel_name="python3",
            progress_bar=False,
            cwd=str(ROOT),
        )
    except PapermillExecutionError as exc:
        code = EXIT_CODES.get(exc.ename, INTERNAL_ERROR)
        message = exc.evalue if code != INTERNAL_ERROR else f"{exc.ename}: {exc.evalue}"
        raise StepFailed(step.name, code, message) from exc


def render_step(request: RunRequest, staging: Staging) -> RenderResult:
    """Render the bundle into the publishable folder, dated by the report's 'as at' day."""
    epoch = int(datetime.combine(request.report_date, datetime.min.time(), UTC).timestamp())
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        return render_report(staging.bundle, staging.reports, request.renderer)
    except RenderError as exc:
        raise StepFailed("render", INTERNAL_ERROR, str(exc)) from exc
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def run_review(request: RunRequest, progress: Callable[[str], None] = print) -> RunOutcome:
    """Run every step; publish only if all pass. A failure leaves earlier outputs as they were."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("MPLBACKEND", "Agg")
    label = request.period.label
    staging = new_staging(request.workdir, label)
    started = time.perf_counter()
    try:
        total = len(STEPS) + 1
        for number, step in enumerate(STEPS, start=1):
            progress(f"[{number}/{total}] {step.name}: notebooks/{step.notebook}")
            step_started = time.perf_counter()
            run_notebook(step, request, staging)
            progress(f"      done in {time.perf_counter() - step_started:.1f} s")
        progress(f"[{total}/{total}] render: report.qmd")
        step_started = time.perf_counter()
        rendered = render_step(request, staging)
        progress(
            f"      rendered with {rendered.renderer} in {time.perf_counter() - step_started:.1f} s"
        )
        targets = [
            (staging.processed, processed_dir(request.workdir, label)),
            (staging.reports, reports_dir(request.workdir, label)),
        ]
        swap_into_place(targets)
    except StepFailed as exc:
        failed = keep_failed(staging, request.workdir, label)
        return RunOutcome(exc.exit_code, f"{exc.step} failed: {exc}", failed_build=failed)
    except (InputError, ValidationFailed) as exc:
        failed = keep_failed(staging, request.workdir, label)
        return RunOutcome(exc.exit_code, str(exc), failed_build=failed)
    except BaseException:
        keep_failed(staging, request.workdir, label)
        raise
    shutil.rmtree(staging.root, ignore_errors=True)
    elapsed = time.perf_counter() - started
    published = [target for _, target in targets]
    return RunOutcome(0, f"published {label} in {elapsed:.1f} s", published=published)
