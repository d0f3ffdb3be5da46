"""Every program the render runs (pandoc, typst, quarto) runs under a time and a memory limit
(config/schema.yaml report: render_timeout_seconds and render_memory_mb), so a document too
long to typeset stops the run with a message saying what to do, rather than exhausting the
machine. The memory is the resident memory of the program and everything it starts, polled:
an address-space limit (RLIMIT_AS) would stop pandoc and quarto at start, as their runtimes
reserve far more address space than they use."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import psutil

from impact_review.render.errors import RenderError
from impact_review.report_settings import report_settings

POLL_SECONDS = 0.1
ADVICE = (
    "the document may be too long to typeset: lower register_max_rows (the longest listing the "
    "review prints) or raise the limit, in the report: section of the partnership's "
    "taxonomy.yaml (config/schema.yaml has the defaults)"
)


@dataclass(frozen=True)
class RenderLimits:
    seconds: float
    memory_mb: int

    @classmethod
    def configured(cls) -> RenderLimits:
        settings = report_settings()
        return cls(settings.render_timeout_seconds, settings.render_memory_mb)


def resident_mb(process: psutil.Process) -> float:
    """The resident memory of a process and its descendants, in MB (0 once it has gone)."""
    total = 0
    try:
        for member in (process, *process.children(recursive=True)):
            try:
                total += member.memory_info().rss
            except psutil.NoSuchProcess:
                continue
    except psutil.NoSuchProcess:
        return 0.0
    return total / 2**20


class Streams:
    """The process's input written, and its output read, by threads of their own, so the
    limits are checked while it runs (a pipe left full would stall it)."""

    def __init__(self, process: subprocess.Popen, input: bytes | None):
        self.out: list[bytes] = []
        self.err: list[bytes] = []
        self.threads = [
            threading.Thread(target=self._read, args=(process.stdout, self.out), daemon=True),
            threading.Thread(target=self._read, args=(process.stderr, self.err), daemon=True),
        ]
        if input is not None:
            self.threads.append(
                threading.Thread(target=self._write, args=(process.stdin, input), daemon=True)
            )
        for thread in self.threads:
            thread.start()

    @staticmethod
    def _read(stream: IO[bytes], into: list[bytes]) -> None:
        into.append(stream.read())
        stream.close()

    @staticmethod
    def _write(stream: IO[bytes], data: bytes) -> None:
        try:
            stream.write(data)
            stream.close()
        except (BrokenPipeError, OSError):
            pass  # the program ended or was stopped before reading it all

    def collected(self) -> tuple[bytes, bytes]:
        for thread in self.threads:
            thread.join()
        return b"".join(self.out), b"".join(self.err)


def stop(process: subprocess.Popen, streams: Streams) -> None:
    """End the process and everything it started."""
    try:
        members = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        members = []
    for member in members:
        try:
            member.kill()
        except psutil.NoSuchProcess:
            continue
    process.kill()
    process.wait()
    streams.collected()


def run_limited(
    command: Sequence[str],
    what: str,
    *,
    input: bytes | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    limits: RenderLimits | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """The command's completed process (bytes out and err), or RenderError naming what (the
    document and program) when it passes either limit (default: the configured ones)."""
    limits = limits or RenderLimits.configured()
    started = time.monotonic()
    process = subprocess.Popen(
        list(command),
        stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env=env,
    )
    streams = Streams(process, input)
    watched = psutil.Process(process.pid)
    while True:
        try:
            process.wait(timeout=POLL_SECONDS)
            out, err = streams.collected()
            return subprocess.CompletedProcess(process.args, process.returncode, out, err)
        except subprocess.TimeoutExpired:
            pass
        if time.monotonic() - started > limits.seconds:
            stop(process, streams)
            raise RenderError(
                f"{what} did not finish in {limits.seconds:g} s, the render's time limit "
                f"(render_timeout_seconds), and was stopped; {ADVICE}"
            ) from None
        if (used := resident_mb(watched)) > limits.memory_mb:
            stop(process, streams)
            raise RenderError(
                f"{what} held {used:.0f} MB, more than the render's memory limit of "
                f"{limits.memory_mb} MB (render_memory_mb), and was stopped; {ADVICE}"
            ) from None
