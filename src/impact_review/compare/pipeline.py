"""One comparison: find and check the compared runs, run notebooks/04-compare.ipynb in a
staging folder, render compare.qmd with the same renderers, gates and audit folder as a
single-period review, and publish reports/compare-FIRST-LAST only if every step passed."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from impact_review.compare.periods import ReviewedPeriod, comparison_label, reviewed_periods
from impact_review.errors import InputError, ValidationFailed
from impact_review.exports import write_json
from impact_review.intake.taxonomy import default_taxonomy
from impact_review.intake.tracker import sha256_of
from impact_review.layout import RunLayout, comparison_step
from impact_review.paths import CONFIG_ENV, ROOT, SAMPLE_CONFIG_DIR
from impact_review.pipeline import (
    RunOutcome,
    StepFailed,
    check_rendered,
    ensure_kernel,
    environment,
    publish,
    refused,
    render_step,
    run_notebook,
)
from impact_review.publish.manifest import build_manifest, code_version, git_state, same_outputs
from impact_review.publish.staging import keep_failed, new_staging


@dataclass(frozen=True)
class CompareRequest:
    labels: tuple[str, ...]
    workdir: Path = ROOT
    renderer: str = "auto"
    config: Path = SAMPLE_CONFIG_DIR


def compared_runs(periods: tuple[ReviewedPeriod, ...]) -> dict[str, Any]:
    """What the manifest records of each compared run: its period and the digests of the files
    the comparison read, so an auditor can tell which publication of each label it used."""
    return {
        reviewed.label: {
            "period_start": reviewed.period.start.isoformat(),
            "period_end": reviewed.period.end.isoformat(),
            "as_at": reviewed.as_at.isoformat(),
            "code": reviewed.manifest.get("code"),
            "sha256": {
                path.name: sha256_of(path)
                for path in (
                    reviewed.layout.processed.recommendations,
                    reviewed.layout.audit.manifest,
                    reviewed.layout.audit.lineage,
                )
            },
        }
        for reviewed in periods
    }


def write_comparison_manifest(
    request: CompareRequest,
    label: str,
    periods: tuple[ReviewedPeriod, ...],
    layout: RunLayout,
    renderer: str,
    timings: dict[str, float],
) -> dict[str, Any]:
    parameters = {
        "labels": [reviewed.label for reviewed in periods],
        "label": label,
        "as_at": periods[-1].as_at.isoformat(),
        "renderer_requested": request.renderer,
        "config": request.config.name,
    }
    manifest = build_manifest(
        parameters=parameters, git=git_state(), renderer=renderer, layout=layout, timings=timings
    )
    manifest["compared"] = compared_runs(periods)
    previous_path = RunLayout.published(request.workdir, label).audit.manifest
    previous = (
        json.loads(previous_path.read_text(encoding="utf-8")) if previous_path.exists() else {}
    )
    manifest["identical_to_previous"] = same_outputs(previous, manifest)
    write_json(manifest, layout.audit.manifest)
    return manifest


def run_comparison(request: CompareRequest, progress: Callable[[str], None] = print) -> RunOutcome:
    with environment(CONFIG_ENV, str(request.config)):
        return _run_comparison(request, progress)


def _run_comparison(request: CompareRequest, progress: Callable[[str], None]) -> RunOutcome:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("MPLBACKEND", "Agg")
    try:
        # Refused here, before a kernel starts, as the notebook would refuse them.
        periods = reviewed_periods(request.workdir, list(request.labels), default_taxonomy())
    except InputError as exc:
        return RunOutcome(exc.exit_code, str(exc))
    label = comparison_label(periods)
    progress(
        f"impact-review: comparing {', '.join(p.label for p in periods)} "
        f"({periods[0].period.start:%-d %B %Y} to {periods[-1].period.end:%-d %B %Y})"
    )
    if note := ensure_kernel():
        progress(f"note: {note}")
    staging = new_staging(request.workdir, label)
    layout = staging.layout
    started = time.perf_counter()
    try:
        step = comparison_step(layout, tuple(reviewed.layout for reviewed in periods))
        progress(f"[1/2] compare: notebooks/{step.notebook}")
        parameters = {
            "labels": " ".join(reviewed.label for reviewed in periods),
            "workdir": str(request.workdir),
            "processed_dir": str(layout.processed.root),
            "reports_dir": str(layout.reports.root),
            "code_version": code_version(git_state()),
        }
        run_notebook(step, parameters, layout)
        timings = {"compare": time.perf_counter() - started}
        progress(f"      done in {timings['compare']:.1f} s")
        progress("[2/2] render: compare.qmd")
        rendered = render_step(periods[-1].as_at, request.renderer, layout)
        timings["render"] = time.perf_counter() - started - timings["compare"]
        progress(f"      rendered with {rendered.renderer} in {timings['render']:.1f} s")
        progress("      scanning the published HTML and PDF for personal data")
        check_rendered(layout, [layout.reports.html, layout.reports.pdf])
        manifest = write_comparison_manifest(
            request, label, periods, layout, rendered.renderer, timings
        )
        published = publish(layout, request.workdir, label)
    except (StepFailed, InputError, ValidationFailed) as exc:
        return refused(exc, staging, request.workdir, label)
    except BaseException:
        keep_failed(staging, request.workdir, label)
        raise
    shutil.rmtree(staging.root, ignore_errors=True)
    message = f"published {label} in {time.perf_counter() - started:.1f} s"
    if manifest["identical_to_previous"]:
        message += "; inputs, code and outputs are identical to the previous comparison"
    return RunOutcome(0, message, published=published)
