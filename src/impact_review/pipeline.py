"""One run of the review: the numbered notebooks in order, in a staging folder, then publish.

The notebooks are the readable pipeline (papermill runs them with this run's parameters and keeps
the executed copies as the audit trail); this module only sequences them and decides what a
failure means for the exit code.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from impact_review.bundle.narrative import published_contact_values
from impact_review.errors import InputError, ProblemsFound, ValidationFailed
from impact_review.evidence.returns import lock_file_warnings, returned_files
from impact_review.exports import write_json
from impact_review.intake.tracker import Limits, check_file, lock_file_warning, sha256_of
from impact_review.kernels import KernelPool, stderr_to
from impact_review.layout import (
    BRIEFING_SOURCE,
    REPORT_SOURCE,
    RunLayout,
    StepFiles,
    step_files,
)
from impact_review.paths import (
    CONFIG_ENV,
    KERNEL_DISPLAY_NAME,
    KERNEL_NAME,
    ROOT,
    SAMPLE_CONFIG_DIR,
)
from impact_review.period import Period
from impact_review.publish.manifest import (
    build_manifest,
    code_version,
    git_state,
    same_outputs,
)
from impact_review.publish.safety import pii_summary, raise_for_personal_data, scan_rendered
from impact_review.publish.staging import Staging, keep_failed, new_staging, swap_into_place
from impact_review.render import RenderError, RenderResult, render_report
from impact_review.render.quarto import find_quarto
from impact_review.step_cache import StepCache, code_fingerprint, snapshot, step_key, written_since

if TYPE_CHECKING:
    from jupyter_client.manager import KernelManager

# A notebook's exception reaches papermill as its class name; these classes carry their exit code.
EXIT_CODES = {
    error.__name__: error.exit_code for error in (InputError, ProblemsFound, ValidationFailed)
}
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
    max_bytes: int | None = None  # --max-bytes; None: Limits' defaults for the file's kind
    config: Path = SAMPLE_CONFIG_DIR
    evidence: Path | None = None  # returned call-for-evidence workbooks to merge
    reuse: bool = True  # reuse a step's cached outputs when nothing it depends on changed

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


def step_parameters(step: str, request: RunRequest, layout: RunLayout) -> dict:
    """The papermill parameters of one notebook: the run's period and the two output roots."""
    period = {
        "period_start": request.period.start.isoformat(),
        "period_end": request.period.end.isoformat(),
    }
    processed = {"processed_dir": str(layout.processed.root)}
    reports = {"reports_dir": str(layout.reports.root)}
    as_at = {"as_at": request.report_date.isoformat()}
    if step == "clean":
        return (
            {
                "tracker": str(request.tracker),
                "sheet": request.sheet or "",
                "label": request.period.label,
                "max_bytes": request.max_bytes or 0,
                "evidence_dir": str(request.evidence or ""),
            }
            | period
            | processed
            | reports
            | as_at
        )
    if step == "validate":
        return processed | reports | period | as_at
    return (
        {
            "narrative": str(request.narrative_file),
            "label": request.period.label,
            "code_version": code_version(git_state()),
        }
        | processed
        | reports
        | period
        | as_at
    )


def steps(request: RunRequest, layout: RunLayout) -> tuple[StepFiles, ...]:
    narrative = request.narrative_file if request.narrative_file.exists() else None
    return step_files(layout, request.tracker, narrative, request.evidence)


def missing(paths: tuple[Path, ...]) -> str:
    return ", ".join(path.name for path in paths if not path.exists())


def ensure_kernel() -> str:
    """The project's kernel, registered in this environment when it is not there yet (an
    install without make, or conda); a note for the analyst, or "" when nothing was done."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL_NAME)
        return ""
    except NoSuchKernel:
        from ipykernel.kernelspec import install

        install(kernel_name=KERNEL_NAME, display_name=KERNEL_DISPLAY_NAME, prefix=sys.prefix)
        return f"registered the notebooks' Jupyter kernel {KERNEL_NAME!r} in {sys.prefix}"


def run_notebook(
    step: StepFiles, parameters: dict, layout: RunLayout, kernel: KernelManager | None = None
) -> None:
    """Execute one notebook with its parameters into the audit folder (in the given started
    kernel, else a new one); raise StepFailed with the right exit code."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    if absent := missing(step.inputs):
        raise StepFailed(step.name, INTERNAL_ERROR, f"its inputs are missing: {absent}")
    executed = layout.audit.executed_notebook(step.notebook)
    executed.parent.mkdir(parents=True, exist_ok=True)
    try:
        with stderr_to(layout.audit.log(step.name)):
            papermill.execute_notebook(
                str(step.source),
                str(executed),
                parameters=parameters,
                kernel_name=KERNEL_NAME,
                progress_bar=False,
                cwd=str(ROOT),
                km=kernel,
            )
    except PapermillExecutionError as exc:
        code = EXIT_CODES.get(exc.ename, INTERNAL_ERROR)
        if code == INTERNAL_ERROR:
            message = f"{exc.ename} (the traceback is in the executed notebook {step.notebook})"
        else:
            message = exc.evalue
        raise StepFailed(step.name, code, message) from exc
    if absent := missing(step.outputs):
        raise StepFailed(step.name, INTERNAL_ERROR, f"it did not write {absent}")


def render_step(
    as_at: date, renderer: str, layout: RunLayout, sources: tuple[str, ...] = (REPORT_SOURCE,)
) -> RenderResult:
    """Render documents of the bundle (the review unless others are named) side by side into
    the publishable folder, dated by the report's 'as at' day; the first one's result."""
    epoch = int(datetime.combine(as_at, datetime.min.time(), UTC).timestamp())

    def rendered(source: str) -> RenderResult:
        return render_report(layout.bundle.root, layout.reports.root, renderer, source)

    try:
        with environment("SOURCE_DATE_EPOCH", str(epoch)), ThreadPoolExecutor(2) as pool:
            first, *_ = pool.map(rendered, sources)  # every one, so any failure is raised
        return first
    except RenderError as exc:
        raise StepFailed("render", INTERNAL_ERROR, str(exc)) from exc


def check_rendered(layout: RunLayout, paths: list[Path], published: tuple[str, ...] = ()) -> None:
    """Scan the published files as text; record the result; stop if any personal data shows.
    published: the narrative's declared public contacts, printed on purpose and let through."""
    summary_path = layout.audit.pii_scan
    summary = (
        json.loads(summary_path.read_text(encoding="utf-8"))
        if summary_path.exists()
        else pii_summary([])
    )
    rendered = scan_rendered(paths, published=published)
    summary["rendered"] = pii_summary([], rendered)["rendered"]
    write_json(summary, summary_path)
    raise_for_personal_data([], rendered)


def evidence_digests(folder: Path | None) -> dict[str, str] | None:
    """Each return merged, by file name, with its sha256: which answers made the review."""
    if folder is None:
        return None
    return {path.name: sha256_of(path) for path in returned_files(folder)}


def write_manifest(
    request: RunRequest,
    layout: RunLayout,
    renderer: str,
    timings: dict[str, float],
    reused: list[str],
) -> dict:
    """The run's manifest in the audit folder, compared with the label's previous manifest."""
    parameters = {
        "tracker": request.tracker.name,
        "sheet": request.sheet,
        "period_start": request.period.start.isoformat(),
        "period_end": request.period.end.isoformat(),
        "label": request.period.label,
        "as_at": request.report_date.isoformat(),
        "renderer_requested": request.renderer,
        "narrative": request.narrative_file.name if request.narrative_file.exists() else None,
        "config": request.config.name,
        "evidence": evidence_digests(request.evidence),
    }
    manifest = build_manifest(
        parameters=parameters,
        git=git_state(),
        renderer=renderer,
        layout=layout,
        timings=timings,
    )
    previous_path = RunLayout.published(request.workdir, request.period.label).audit.manifest
    previous = (
        json.loads(previous_path.read_text(encoding="utf-8")) if previous_path.exists() else {}
    )
    manifest["identical_to_previous"] = same_outputs(previous, manifest)
    manifest["steps_reused"] = reused
    write_json(manifest, layout.audit.manifest)
    return manifest


@contextmanager
def environment(name: str, value: str) -> Iterator[None]:
    """name=value in this process's environment, and so the kernels it starts, then as it was."""
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


def listed_in(failed: RunLayout) -> str:
    """Where a refusal's every problem is listed, when the failed build has the problems file."""
    page = failed.audit.problems_page
    if not page.exists():
        return ""
    return f"\n  Every problem is listed in {page} (and, as a table, {failed.audit.problems.name})."


def publish(layout: RunLayout, workdir: Path, label: str) -> list[Path]:
    """Swap the staged folders into the label's published place; the published folders."""
    targets = list(zip(layout.roots, RunLayout.published(workdir, label).roots, strict=True))
    swap_into_place(targets)
    return [target for _, target in targets]


def refused(
    exc: StepFailed | InputError | ValidationFailed, staging: Staging, workdir: Path, label: str
) -> RunOutcome:
    """Why nothing was published, with the failed build kept (restricted) for diagnosis."""
    failed = keep_failed(staging, workdir, label)
    if isinstance(exc, StepFailed):
        message = f"{exc.step} failed: {exc}{listed_in(RunLayout.staged(failed))}"
    else:
        message = str(exc)
    return RunOutcome(exc.exit_code, message, failed_build=failed)


def run_review(request: RunRequest, progress: Callable[[str], None] = print) -> RunOutcome:
    """Run every step for the request's partnership; publish only if all pass. A failure leaves
    earlier outputs as they were."""
    with environment(CONFIG_ENV, str(request.config)):
        return _run_review(request, progress)


@dataclass
class StepsDone:
    """What the notebook steps did: seconds per step, the cache entries the run used, the steps
    reused, and the last step's key (the render's outputs depend on it)."""

    total: int
    timings: dict[str, float] = field(default_factory=dict)
    used: list[Path] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    key: str | None = None
    code: str = ""


def run_steps(
    request: RunRequest, staging: Staging, cache: StepCache, progress: Callable[[str], None]
) -> StepsDone:
    """Each notebook step in order: reused from the cache when its key matches, else run in a
    kernel started (with its imports) while the steps before it ran."""
    layout = staging.layout
    notebooks = steps(request, layout)
    # papermill takes seconds to import (nbformat's schemas): while kernels start, not after.
    threading.Thread(target=importlib.import_module, args=("papermill",), daemon=True).start()
    done = StepsDone(total=len(notebooks) + 1, code=code_fingerprint())
    kernels = KernelPool(ROOT)
    try:
        for number, step in enumerate(notebooks, start=1):
            progress(f"[{number}/{done.total}] {step.name}: notebooks/{step.notebook}")
            step_started = time.perf_counter()
            parameters = step_parameters(step.name, request, layout)
            inputs = (*step.inputs, request.config)
            done.key = step_key(step.name, done.code, parameters, staging.root, inputs, done.key)
            if request.reuse and cache.restore(step.name, done.key, staging.root):
                done.reused.append(step.name)
                note = "reused its last outputs (inputs, code and parameters unchanged)"
            else:
                # This step and every later one will most likely run: start their kernels now,
                # so the later ones are ready (imports done) when their turn comes.
                for later in notebooks[number - 1 :]:
                    log = layout.audit.log(later.name)
                    kernels.start(later.name, later.source, log, later=later is not step)
                before = snapshot(staging.root)
                kernel = kernels.ready(step.name, step.source, layout.audit.log(step.name))
                try:
                    run_notebook(step, parameters, layout, kernel)
                finally:
                    kernels.release(step.name)
                written = written_since(staging.root, before)
                cache.store(step.name, done.key, staging.root, written)
                note = "done"
            done.used.append(cache.entry(step.name, done.key))
            done.timings[step.name] = time.perf_counter() - step_started
            progress(f"      {note} in {done.timings[step.name]:.1f} s")
    finally:
        kernels.close()
    return done


def renderer_material(renderer: str) -> dict[str, object]:
    """What decides which renderer runs: the one asked for and, unless it is the built-in one,
    the quarto on PATH (by path, size and time, so an upgrade counts as a change)."""
    quarto = None if renderer == "builtin" else find_quarto()
    if quarto is None:
        return {"renderer": renderer, "quarto": None}
    stat = Path(quarto).stat()
    return {"renderer": renderer, "quarto": [quarto, stat.st_size, stat.st_mtime_ns]}


def render_and_scan(
    request: RunRequest,
    staging: Staging,
    cache: StepCache,
    done: StepsDone,
    progress: Callable[[str], None],
) -> tuple[str, bool]:
    """Render the review and its briefing side by side, then scan every published file for
    personal data; or reuse the outputs of a run whose bundle, code, renderer and as-at day were
    the same (it passed the same scan). The renderer's name, and whether it was reused."""
    layout = staging.layout
    parameters = renderer_material(request.renderer) | {"as_at": request.report_date.isoformat()}
    key = step_key("render", done.code, parameters, staging.root, (request.config,), done.key)
    done.used.append(cache.entry("render", key))
    if request.reuse and cache.restore("render", key, staging.root):
        return json.loads(layout.audit.render_record.read_text(encoding="utf-8"))["renderer"], True
    before = snapshot(staging.root)
    sources = (REPORT_SOURCE, BRIEFING_SOURCE)
    rendered = render_step(request.report_date, request.renderer, layout, sources)
    progress("      scanning the published HTML, PDF, Excel annex and briefing for personal data")
    check_rendered(
        layout, list(layout.reports.published), published_contact_values(request.narrative_file)
    )
    write_json({"renderer": rendered.renderer}, layout.audit.render_record)
    cache.store("render", key, staging.root, written_since(staging.root, before))
    return rendered.renderer, False


def _run_review(request: RunRequest, progress: Callable[[str], None]) -> RunOutcome:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("MPLBACKEND", "Agg")
    label = request.period.label
    if warning := lock_file_warning(request.tracker):
        progress(f"warning: {warning}")
    for warning in lock_file_warnings(request.evidence) if request.evidence else ():
        progress(f"warning: {warning}")
    if not request.narrative_file.exists():
        progress(
            f"note: no narrative at {request.narrative_file}; the report's narrative sections "
            "will say they have not been written (see --narrative)"
        )
    try:
        # The checks a file gets before it is parsed (size, zip bomb, format), before any kernel
        # starts: a file that cannot be read is refused in a second, not after a notebook starts.
        check_file(request.tracker, Limits.given(request.max_bytes))
    except InputError as exc:
        return RunOutcome(exc.exit_code, str(exc))
    if note := ensure_kernel():
        progress(f"note: {note}")
    staging = new_staging(request.workdir, label)
    layout = staging.layout
    started = time.perf_counter()
    cache = StepCache.of(request.workdir, label)
    try:
        done = run_steps(request, staging, cache, progress)
        progress(f"[{done.total}/{done.total}] render: {REPORT_SOURCE} and {BRIEFING_SOURCE}")
        step_started = time.perf_counter()
        renderer, render_reused = render_and_scan(request, staging, cache, done, progress)
        done.timings["render"] = time.perf_counter() - step_started
        if render_reused:
            done.reused.append("render")
            progress(f"      reused its last outputs in {done.timings['render']:.1f} s")
        else:
            progress(
                f"      rendered with {renderer} and scanned for personal data in "
                f"{done.timings['render']:.1f} s"
            )
        manifest = write_manifest(request, layout, renderer, done.timings, done.reused)
        published = publish(layout, request.workdir, label)
    except (StepFailed, InputError, ValidationFailed) as exc:
        return refused(exc, staging, request.workdir, label)
    except BaseException:
        keep_failed(staging, request.workdir, label)
        raise
    shutil.rmtree(staging.root, ignore_errors=True)
    cache.keep_only(done.used)
    elapsed = time.perf_counter() - started
    message = f"published {label} in {elapsed:.1f} s"
    if manifest["identical_to_previous"]:
        message += "; input, code and outputs are identical to the previous run"
    if done.reused:
        message += f" (reused {', '.join(done.reused)}: nothing they depend on changed)"
    return RunOutcome(0, message, published=published)
