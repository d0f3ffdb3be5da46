"""Kernels started before their notebook needs them.

A notebook step costs a kernel start and its imports (great_expectations alone takes about four
seconds) before its first cell computes anything. Each step still gets a fresh kernel of its own,
so no state passes between notebooks, but the kernels of the steps still to come are started, and
import what their notebook imports, while the current step runs: on two cores that work overlaps
the step's own instead of following it.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import queue
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager

from impact_review.paths import KERNEL_NAME

STARTUP_TIMEOUT = 120.0  # seconds for a kernel to start and import its notebook's modules


# Libraries the project imports inside functions, on first use, so that commands that do not need
# them start quickly: a notebook's own import statements do not show them, so they are named here
# by the modules whose functions import them.
DEFERRED_IMPORTS = {
    "impact_review.bundle": ("matplotlib.pyplot", "seaborn"),
    "impact_review.analyse.restated": ("sklearn.feature_extraction.text", "sklearn.preprocessing"),
}

Imports = tuple[tuple[str, tuple[str, ...]], ...]


def imported_modules(notebook: Path) -> Imports:
    """Every module a notebook's code cells import, in order of first appearance, with the names
    taken from it (`from module import name`), which may be loaded only when asked for."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    found: dict[str, list[str]] = {}
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        try:
            tree = ast.parse("".join(cell["source"]))
        except SyntaxError:  # IPython magics: nothing to warm
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    found.setdefault(alias.name, [])
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.setdefault(node.module, []).extend(alias.name for alias in node.names)
    for module in list(found):
        for deferred in DEFERRED_IMPORTS.get(module, ()):
            found.setdefault(deferred, [])
    return tuple((module, tuple(dict.fromkeys(names))) for module, names in found.items())


def warm_up_code(imports: Imports) -> str:
    """Code that imports the modules, and loads the names taken from them, and leaves the user
    namespace as it found it."""
    return (
        "def _impact_review_warm_up():\n"
        "    import importlib\n"
        f"    for module, names in {[list(pair) for pair in imports]!r}:\n"
        "        loaded = importlib.import_module(module)\n"
        "        for name in names:\n"
        "            getattr(loaded, name, None)\n"
        "_impact_review_warm_up()\n"
        "del _impact_review_warm_up\n"
    )


@contextmanager
def stderr_to(log: Path) -> Iterator[None]:
    """Send this process's stderr, and that of the kernels it starts, to log (restricted audit).

    Kernels write start-up chatter and tracebacks to the stderr they inherit; they belong with
    the executed notebooks, not on the analyst's terminal.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    with log.open("ab") as handle:
        os.dup2(handle.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


@dataclass
class StartedKernel:
    manager: KernelManager
    client: BlockingKernelClient
    warm_up: str  # the warm-up request's message id

    def ready(self, timeout: float = STARTUP_TIMEOUT) -> KernelManager:
        """The manager, once the warm-up has finished: a client that connects to a kernel still
        starting can miss its first IOPub messages and wait forever for kernel_info."""
        deadline = time.monotonic() + timeout
        while self.client.channels_running:
            try:
                reply = self.client.get_shell_msg(timeout=max(deadline - time.monotonic(), 0.1))
            except queue.Empty:
                raise RuntimeError(f"the kernel did not start in {timeout:.0f} s") from None
            if reply["parent_header"].get("msg_id") == self.warm_up:
                self.client.stop_channels()
        return self.manager

    def stop(self) -> None:
        self.client.stop_channels()
        if self.manager.has_kernel:
            self.manager.shutdown_kernel(now=True)


def yield_to_others(pid: int) -> None:
    """Lower a process's priority, so a kernel warming up for a later step takes the CPU the
    running step leaves, not a share of it (on two cores the difference is whole seconds)."""
    import psutil

    low = psutil.BELOW_NORMAL_PRIORITY_CLASS if os.name == "nt" else 10
    # A priority is an optimisation: a machine that refuses it runs as before.
    with contextlib.suppress(psutil.Error, OSError):
        psutil.Process(pid).nice(low)


def started_kernel(notebook: Path, cwd: Path, log: Path, later: bool = False) -> StartedKernel:
    """A kernel started in cwd, its stderr (start-up chatter, tracebacks) to log, that is already
    importing what the notebook imports. The imports are sent silently (no history, no
    execution count), so the notebook's executed copy reads as if its kernel had just started.
    later: the kernel is for a step after the running one, so runs at a lower priority."""
    manager = KernelManager(kernel_name=KERNEL_NAME)
    # Inherited, not passed as start_kernel(stderr=...): a kernel given its stderr that way
    # never answers its client (jupyter_client 8).
    with stderr_to(log):
        manager.start_kernel(cwd=str(cwd))
    if later and (pid := getattr(manager.provisioner, "pid", None)):
        yield_to_others(pid)
    client = manager.client()
    client.start_channels()
    code = warm_up_code(imported_modules(notebook))
    return StartedKernel(manager, client, client.execute(code, silent=True, store_history=False))


@dataclass
class KernelPool:
    """The kernels of a run's notebook steps, by step name; each used once, then stopped."""

    cwd: Path
    kernels: dict[str, StartedKernel] = field(default_factory=dict)

    def start(self, step: str, notebook: Path, log: Path, later: bool = False) -> KernelManager:
        """The step's kernel manager, started now unless it was started before (later: for a
        step after the running one, at a lower priority)."""
        if step not in self.kernels:
            self.kernels[step] = started_kernel(notebook, self.cwd, log, later)
        return self.kernels[step].manager

    def ready(self, step: str, notebook: Path, log: Path) -> KernelManager:
        """The step's kernel manager, once its kernel has started and imported its modules."""
        self.start(step, notebook, log)
        return self.kernels[step].ready()

    def release(self, step: str) -> None:
        """Stop the step's kernel (used, or not needed after all), freeing its memory."""
        if kernel := self.kernels.pop(step, None):
            kernel.stop()

    def close(self) -> None:
        for step in list(self.kernels):
            self.release(step)
