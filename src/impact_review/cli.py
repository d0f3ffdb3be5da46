"""The `impact-review` command.

    impact-review run [--tracker PATH] [--sheet NAME] [--year YYYY-YY | --from YYYY-MM-DD
                      --to YYYY-MM-DD] [--label NAME] [--workdir DIR]
                      [--renderer auto|quarto|builtin] [--rebuild] [--config DIR]
    impact-review init --tracker PATH [--sheet NAME] [--name NAME] --out DIR [--force]
    impact-review evidence-request [--tracker PATH] [--year YYYY-YY | --from D --to D]
                                   [--config DIR] --out DIR
    impact-review compare LABEL LABEL... [--workdir DIR] [--renderer auto|quarto|builtin]
                      [--config DIR]

Exit codes: 0 published; 1 the data failed validation or a publication-safety check (nothing
published); 2 unusable input or arguments; 3 an internal error (nothing published).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

from impact_review.errors import InputError
from impact_review.intake.tracker import Limits
from impact_review.partnership import check_folder, configured_folder
from impact_review.paths import (
    CONFIG_ENV,
    DEFAULT_AS_AT,
    DEFAULT_LABEL,
    DEFAULT_PERIOD_END,
    DEFAULT_PERIOD_START,
    ROOT,
    SAMPLE_EVIDENCE,
    SAMPLE_TRACKER,
    WORKFOLDER_SETTINGS,
)
from impact_review.period import Period, financial_year, parse_iso_date

SAMPLE_PERIOD = (date.fromisoformat(DEFAULT_PERIOD_START), date.fromisoformat(DEFAULT_PERIOD_END))
YEAR_HELP = (
    "the UK financial year, 1 April to 31 March: 2019-20 (or 2019/2020, FY2019-20); a tracker "
    "other than the sample needs --year, or --from and --to"
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep the one-line form
        self.exit(2, f"impact-review: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="impact-review", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="clean, validate, analyse and publish one period")
    run.add_argument(
        "--tracker",
        type=Path,
        default=SAMPLE_TRACKER,
        help="tracker .xlsx or .csv (default: the shipped sample)",
    )
    run.add_argument("--sheet", help="sheet to read (default: found by its header row)")
    run.add_argument("--year", metavar="YYYY-YY", help=YEAR_HELP)
    run.add_argument(
        "--from",
        dest="start",
        help=f"first day, YYYY-MM-DD (with --to; the sample's default: {DEFAULT_PERIOD_START})",
    )
    run.add_argument(
        "--to",
        dest="end",
        help=f"last day, YYYY-MM-DD (with --from; the sample's default: {DEFAULT_PERIOD_END})",
    )
    run.add_argument(
        "--label",
        default=None,
        help=f"names the output folders (default: the year, as 2019-20, for --year; "
        f"{DEFAULT_LABEL} for the sample's own period; else FROM_TO)",
    )
    run.add_argument(
        "--workdir",
        type=Path,
        default=ROOT,
        help="where data/processed and reports go (default: the repository)",
    )
    add_renderer_option(run)
    run.add_argument(
        "--narrative",
        type=Path,
        help="the analyst's words for the period (default: narrative-LABEL.md beside the tracker)",
    )
    run.add_argument(
        "--as-at",
        dest="as_at",
        help="the day the review is as at, YYYY-MM-DD: statuses and overdue are as they stood "
        f"then (default: the period's last day; for the sample's own period, {DEFAULT_AS_AT}, "
        "the day its tracker was exported)",
    )
    run.add_argument(
        "--config",
        type=Path,
        help=f"the partnership's configuration folder (default: ${CONFIG_ENV}, else the config: "
        f"entry of {WORKFOLDER_SETTINGS} in the working folder, else the shipped sample's)",
    )
    run.add_argument(
        "--evidence",
        type=Path,
        help="folder of returned evidence workbooks to merge (see evidence-request; default "
        "for the sample's own period: its returns, data/raw/sample/evidence-2015-18)",
    )
    run.add_argument(
        "--no-evidence",
        action="store_true",
        help="merge no returned evidence, not even the sample's",
    )
    run.add_argument(
        "--max-bytes",
        type=int,
        default=None,
        help="refuse larger tracker files before reading them (default: "
        f"{Limits.max_file_bytes:,} for a workbook, a guard against zip bombs; for a CSV, "
        "what this machine's memory can carry through a run)",
    )
    run.add_argument(
        "--rebuild",
        action="store_true",
        help="run every step, even one whose inputs, code and parameters are unchanged since "
        "the label's last run (which is otherwise reused from WORKDIR/.cache)",
    )
    init = commands.add_parser(
        "init", help="draft a partnership's configuration folder from its tracker"
    )
    init.add_argument("--tracker", type=Path, required=True, help="tracker .xlsx or .csv")
    init.add_argument("--sheet", help="sheet to read (default: found by its header row)")
    init.add_argument("--name", help="the partnership's name (default: a placeholder to change)")
    init.add_argument("--out", type=Path, required=True, help="the folder to draft (new or empty)")
    init.add_argument("--force", action="store_true", help="overwrite a draft in a used folder")
    request = commands.add_parser(
        "evidence-request", help="write the call for evidence: one workbook per agency"
    )
    request.add_argument("--tracker", type=Path, default=SAMPLE_TRACKER, help="tracker file")
    request.add_argument("--sheet", help="sheet to read (default: found by its header row)")
    request.add_argument("--year", metavar="YYYY-YY", help=YEAR_HELP)
    request.add_argument("--from", dest="start", help="first day, YYYY-MM-DD")
    request.add_argument("--to", dest="end", help="last day, YYYY-MM-DD")
    request.add_argument("--config", type=Path, help="the partnership's configuration folder")
    request.add_argument("--out", type=Path, required=True, help="folder for the workbooks")
    add_compare_command(commands)
    return parser


def add_renderer_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--renderer",
        choices=("auto", "quarto", "builtin"),
        default="auto",
        help="auto uses quarto when it is on PATH",
    )


def add_compare_command(commands: argparse._SubParsersAction) -> None:
    compare = commands.add_parser(
        "compare",
        help="set earlier runs' reviews side by side: reports/compare-FIRST-LAST/",
    )
    compare.add_argument("labels", nargs="+", metavar="LABEL", help="labels of earlier runs")
    compare.add_argument(
        "--workdir",
        type=Path,
        default=ROOT,
        help="where those runs were published (default: the repository)",
    )
    add_renderer_option(compare)
    compare.add_argument(
        "--config", type=Path, help="the partnership's configuration folder the runs used"
    )


def compare_runs(args: argparse.Namespace) -> int:
    """`impact-review compare`: the comparison review of earlier runs."""
    from impact_review.compare.pipeline import CompareRequest, run_comparison

    try:
        request = CompareRequest(
            labels=tuple(args.labels),
            workdir=args.workdir.expanduser().resolve(),
            renderer=args.renderer,
            config=check_folder(args.config if args.config else configured_folder()),
        )
    except InputError as exc:
        print(f"impact-review: error: {exc}", file=sys.stderr)
        return exc.exit_code
    return reported(run_comparison(request))


def period_bounds(args: argparse.Namespace, tracker: Path) -> tuple[str, str]:
    """--from and --to as given; only the shipped sample has a period of its own to fall back
    on, as any other tracker cut to the sample's years would be reviewed for the wrong period."""
    if tracker == SAMPLE_TRACKER.resolve():
        return args.start or DEFAULT_PERIOD_START, args.end or DEFAULT_PERIOD_END
    if args.start is None or args.end is None:
        absent = " and ".join(
            name for name, value in (("--from", args.start), ("--to", args.end)) if value is None
        )
        raise InputError(
            f"give the period to review with --year (YYYY-YY) or with --from and --to "
            f"(YYYY-MM-DD; {absent} missing): "
            f"only the shipped sample has a default period, and {tracker.name} is not it"
        )
    return args.start, args.end


def period_from_args(args: argparse.Namespace, tracker: Path) -> Period:
    """The period --year, or --from and --to, name (--label aside): labelled as the year, as the
    sample's own period, or else by its first and last days."""
    if args.year is not None:
        if args.start is not None or args.end is not None:
            raise InputError("give the period with --year or with --from and --to, not both")
        try:
            return financial_year(args.year)
        except InputError as exc:
            raise InputError(f"--year {exc}") from exc
    first, last = period_bounds(args, tracker)
    start, end = parse_iso_date(first, "--from"), parse_iso_date(last, "--to")
    label = DEFAULT_LABEL if (start, end) == SAMPLE_PERIOD else f"{start:%Y%m%d}_{end:%Y%m%d}"
    return Period(start, end, label)


def init_folder(args: argparse.Namespace) -> int:
    """`impact-review init`: draft the folder, print the draft report."""
    from impact_review.adopt.draft import draft_configuration
    from impact_review.adopt.folder import write_folder
    from impact_review.adopt.report import report_text

    try:
        draft = draft_configuration(args.tracker.expanduser(), args.sheet, args.name)
        written = write_folder(draft, args.out.expanduser(), args.force)
    except InputError as exc:
        print(f"impact-review: error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(report_text(draft))
    print("impact-review: drafted")
    for path in written:
        print(f"  {path}")
    print(
        f"then: impact-review run --tracker {args.tracker} --config {args.out} --from ... --to ..."
    )
    return 0


def evidence_request(args: argparse.Namespace) -> int:
    """`impact-review evidence-request`: a workbook per agency, listing its recommendations."""
    from impact_review.evidence.request import write_period_requests
    from impact_review.pipeline import environment

    try:
        tracker = args.tracker.expanduser().resolve()
        period = period_from_args(args, tracker)
        config = check_folder(args.config if args.config else configured_folder())
        with environment(CONFIG_ENV, str(config)):
            written = write_period_requests(tracker, args.sheet, period, args.out.expanduser())
    except InputError as exc:
        print(f"impact-review: error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"impact-review: wrote {len(written)} evidence requests for {period.describe()}")
    for path in written:
        print(f"  {path}")
    return 0


def sample_period(tracker: Path, period: Period) -> bool:
    """Whether this is the shipped sample on its own period (whose defaults then apply)."""
    return tracker == SAMPLE_TRACKER.resolve() and (period.start, period.end) == SAMPLE_PERIOD


def evidence_folder(args: argparse.Namespace, tracker: Path, period: Period):
    """--evidence as given; else, for the sample on its own period, the sample's returns."""
    if args.no_evidence:
        return None
    if args.evidence:
        return args.evidence.expanduser().resolve()
    sample = sample_period(tracker, period)
    return SAMPLE_EVIDENCE if sample and SAMPLE_EVIDENCE.is_dir() else None


def as_at_from_args(args: argparse.Namespace, tracker: Path, period: Period) -> date | None:
    """--as-at as given; else, for the sample on its own period, the day its tracker was
    exported; else None (the period's last day)."""
    if args.as_at:
        return parse_iso_date(args.as_at, "--as-at")
    return date.fromisoformat(DEFAULT_AS_AT) if sample_period(tracker, period) else None


def request_from_args(args: argparse.Namespace):
    from impact_review.pipeline import RunRequest

    tracker = args.tracker.expanduser().resolve()
    if not tracker.exists():
        raise InputError(f"tracker file not found: {args.tracker}")
    period = period_from_args(args, tracker)
    if args.label is not None:
        period = replace(period, label=args.label)
    return RunRequest(
        tracker=tracker,
        period=period,
        workdir=args.workdir.expanduser().resolve(),
        sheet=args.sheet,
        renderer=args.renderer,
        narrative=args.narrative.expanduser().resolve() if args.narrative else None,
        as_at=as_at_from_args(args, tracker, period),
        max_bytes=args.max_bytes,
        evidence=evidence_folder(args, tracker, period),
        config=check_folder(args.config if args.config else configured_folder()),
        reuse=not args.rebuild,
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "init":
        return init_folder(args)
    if args.command == "evidence-request":
        return evidence_request(args)
    if args.command == "compare":
        return compare_runs(args)
    try:
        request = request_from_args(args)
    except InputError as exc:
        print(f"impact-review: error: {exc}", file=sys.stderr)
        return exc.exit_code
    from impact_review.pipeline import run_review

    print(
        f"impact-review: {request.tracker.name}, {request.period.describe()} "
        f"(label {request.period.label})"
    )
    return reported(run_review(request))


def reported(outcome) -> int:
    """Tell the analyst how a run or comparison ended; its exit code."""
    if outcome.exit_code:
        print(f"impact-review: error: {outcome.message}", file=sys.stderr)
        if outcome.failed_build:
            print(
                f"impact-review: the failed build (restricted) is kept in {outcome.failed_build}",
                file=sys.stderr,
            )
        print(
            "impact-review: nothing was published; earlier outputs are unchanged", file=sys.stderr
        )
        return outcome.exit_code
    print(f"impact-review: {outcome.message}")
    for path in outcome.published:
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
