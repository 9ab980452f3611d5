"""Execute submissions in sandboxed kernels, several at once, from memory.

The notebook handed to :func:`run_many` is the kernel's copy made by
:meth:`.marking.MarkingPlan.kernel_copy`: check cells are replaced by cells that report the
answers, so no hidden test enters the kernel. It never touches the disk inside the sandbox:
the grader keeps it in memory and sends the kernel one cell at a time, in order. Every code
cell ends with outputs or an error saying why it did not run, with the specific reason.

A cell past its time limit is interrupted; if the kernel does not answer within a few seconds
(learner code that catches the interrupt, or that broke the kernel's own machinery), the
kernel is ended and the rest of the notebook is labelled as not run, with that reason.
"""

from __future__ import annotations

import asyncio
import atexit
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode

from .capture import MAX_REPORT_CHARS
from .guard import MARKER
from .sandbox import Limits, SandboxPlan, kernel_manager, make_scratch

TIMEOUT_NAME = "CellTimeoutError"
INTERRUPT_GRACE_SECONDS = 5.0


class StuckCell(RuntimeError):
    """A cell went past its time limit and the kernel did not answer the interrupt."""


@dataclass
class Execution:
    """What happened to one submission's run, for the grader and the assessor."""

    notebook: NotebookNode
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    executed: set[int] = field(default_factory=set)
    kernel_started: bool = True


def _error(ename: str, evalue: str) -> NotebookNode:
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class CappedClient(NotebookClient):
    """nbclient with nbgrader's error handling, an output cap and a whole-notebook deadline."""

    def __init__(self, nb: NotebookNode, km, limits: Limits, tags: list[str] = (), **kwargs) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + limits.total_seconds
        self.output_total = 0
        self.output_cut = False
        self.executed: set[int] = set()
        self.current: int | None = None  # the cell running now
        self.started = False  # the kernel started and answered
        self.tags = list(tags)  # answer reports always get through the output cap
        super().__init__(
            nb,
            km=km,
            timeout_func=self._cell_timeout,
            allow_errors=True,
            interrupt_on_timeout=True,
            error_on_timeout={
                "ename": TIMEOUT_NAME,
                "evalue": f"this cell ran for longer than the time allowed ({limits.cell_seconds:g} s) and was stopped",
                "traceback": [f"{TIMEOUT_NAME}: the cell ran for longer than the time allowed and was stopped"],
            },
            raise_on_iopub_timeout=False,
            startup_timeout=int(limits.startup_seconds),
            shutdown_kernel="immediate",
            on_cell_executed=self._on_cell_executed,
            on_cell_start=self._on_cell_start,
            **kwargs,
        )

    def _on_cell_start(self, cell: NotebookNode, cell_index: int) -> None:
        self.started = True
        self.current = cell_index

    async def _async_handle_timeout(self, timeout: int, cell: NotebookNode | None = None):
        reply = await super()._async_handle_timeout(timeout, cell)  # interrupts the kernel
        if not await self._kernel_answers(INTERRUPT_GRACE_SECONDS):
            raise StuckCell("the cell did not stop when interrupted")
        return reply

    async def _kernel_answers(self, seconds: float) -> bool:
        """True if the kernel answers a kernel_info request within ``seconds`` (so it is free again)."""
        msg_id = self.kc.kernel_info()
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                msg = await self.kc.shell_channel.get_msg(timeout=left)
            except Exception:  # noqa: BLE001 - queue.Empty: no answer in time
                return False
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                return True
        return False

    def _cell_timeout(self, cell: NotebookNode) -> int:
        remaining = self.deadline - time.monotonic()
        return max(1, int(min(self.limits.cell_seconds, remaining)))

    def _on_cell_executed(self, cell: NotebookNode, cell_index: int, execute_reply: dict) -> None:
        # As nbgrader's Execute: an error reply with no matching error output (learner code
        # that hid the traceback, or a timeout) still counts as an error.
        self.executed.add(cell_index)
        content = execute_reply.get("content", {}) if execute_reply else {}
        if content.get("status") == "error":
            ename = content.get("ename", "Error")
            if not any(o.get("output_type") == "error" and o.get("ename") == ename for o in cell.outputs):
                cell.outputs.append(
                    _error(ename, content.get("evalue", "") or "an error occurred (its display was hidden)")
                )

    def output(self, outs, msg, display_id, cell_index):
        if msg["msg_type"] == "error":
            return super().output(outs, msg, display_id, cell_index)
        content = msg.get("content", {})
        size = len(content.get("text", "")) + sum(len(str(v)) for v in content.get("data", {}).values())
        self.output_total += size
        if self.output_total > self.limits.output_bytes:
            text = content.get("text", "")
            if msg["msg_type"] == "stream" and len(text) <= 2 * MAX_REPORT_CHARS and any(t in text for t in self.tags):
                return super().output(outs, msg, display_id, cell_index)  # an answer report
            if not self.output_cut:
                self.output_cut = True
                outs.append(
                    nbformat.v4.new_output(
                        "stream", name="stdout", text=f"\n[output cut: more than {self.limits.output_bytes:,} bytes]\n"
                    )
                )
            return None
        return super().output(outs, msg, display_id, cell_index)


def _label_unrun(nb: NotebookNode, ran: set[int], labelled: set[int], reason: str) -> None:
    """Give every code cell that neither ran nor has a reason yet an error saying why it did not run."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and index not in ran and index not in labelled:
            cell.outputs = [_error("NotRun", f"this cell did not run: {reason}")]
            labelled.add(index)


def _read_problems(nb: NotebookNode, blocked_log: Path, limits: Limits, client: CappedClient) -> list[str]:
    problems: list[str] = []
    if blocked_log.exists():
        seen = []
        for line in blocked_log.read_text(errors="replace").splitlines()[:200]:
            event, _, what = line.partition("\t")
            note = f"tried to {what[:80]} ({event[:40]}); blocked"
            if note not in seen:
                seen.append(note)
        problems += seen
    names = {o.get("ename") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])}
    if TIMEOUT_NAME in names:
        problems.append(f"a cell ran longer than {limits.cell_seconds:g} s and was stopped")
    if "MemoryError" in names:
        problems.append(f"used more memory than allowed ({limits.memory_bytes / 1024**3:g} GB)")
    if client.output_cut:
        problems.append(f"printed more than {limits.output_bytes:,} bytes; the rest of the output was cut")
    evalues = [
        o.get("evalue", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    if any(MARKER in v for v in evalues) and not problems:
        problems.append("tried something exercises may not do; blocked")
    return problems


async def run_one(
    nb: NotebookNode, plan: SandboxPlan, limits: Limits, scratch_base: Path | None = None, tags: list[str] = ()
) -> Execution:
    """Run one notebook in a fresh sandboxed kernel and a fresh scratch folder."""
    scratch = make_scratch(scratch_base)
    started = time.monotonic()
    km = kernel_manager(plan, scratch, limits)
    client = CappedClient(nb, km, limits, tags=tags, resources={"metadata": {"path": str(scratch / "work")}})
    problems: list[str] = []
    ran, labelled = client.executed, set()
    try:
        try:
            await asyncio.wait_for(client.async_execute(), timeout=limits.total_seconds + limits.startup_seconds + 30)
        except StuckCell:
            problems.append(
                f"a cell ran longer than {limits.cell_seconds:g} s and did not stop when interrupted, so its "
                "kernel was ended; the cells after it did not run"
            )
            if client.current is not None:
                nb.cells[client.current].outputs.append(
                    _error(
                        TIMEOUT_NAME,
                        f"this cell ran for longer than the time allowed ({limits.cell_seconds:g} s) and would not stop",
                    )
                )
                labelled.add(client.current)
            _label_unrun(nb, ran, labelled, "the kernel was ended after an earlier cell would not stop")
        except DeadKernelError:
            problems.append(
                "the Python kernel stopped part-way (it may have gone over the memory or CPU-time limit, or exited)"
            )
            if client.current is not None and client.current not in ran:
                nb.cells[client.current].outputs.append(
                    _error(
                        "KernelStopped",
                        "the kernel stopped while running this cell (over the memory or CPU-time limit, or it exited)",
                    )
                )
                labelled.add(client.current)
            _label_unrun(nb, ran, labelled, "the kernel stopped before it got here")
        except TimeoutError:
            problems.append(f"did not finish within {limits.total_seconds:g} s and was stopped")
            _label_unrun(nb, ran, labelled, "the submission ran out of time before this cell")
        except RuntimeError as error:  # kernel failed to start, or died during start-up
            problems.append(f"the kernel could not run this submission ({error})")
            _label_unrun(nb, ran, labelled, "the kernel could not start")
        if time.monotonic() > client.deadline:
            problems.append(f"went over the {limits.total_seconds:g} s allowed for a whole submission")
        _label_unrun(nb, ran, labelled, "the submission was stopped before this cell")
        found = _read_problems(nb, scratch / "report" / "blocked.log", limits, client)
        if any("did not stop when interrupted" in p for p in problems):
            found = [p for p in found if not p.startswith("a cell ran longer")]
        problems = found + problems
    finally:
        try:
            if km.has_kernel:
                await km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 - best effort: the sandbox dies with its parent anyway
            pass
        shutil.rmtree(scratch, ignore_errors=True)
        atexit.unregister(client._cleanup_kernel)  # nbclient's own exit hook fails when a kernel never started
    return Execution(
        notebook=nb,
        seconds=time.monotonic() - started,
        problems=problems,
        executed=set(client.executed),
        kernel_started=client.started,
    )


def run_many(
    notebooks: list[NotebookNode],
    plan: SandboxPlan,
    limits: Limits,
    workers: int,
    on_done: Callable[[int, Execution], None] | None = None,
    scratch_base: Path | None = None,
    tags: list[list[str]] | None = None,
) -> list[Execution]:
    """Run notebooks ``workers`` at a time (one kernel process each); call ``on_done`` as each ends.

    ``on_done`` runs in one helper thread, one call at a time, so that saving a finished
    submission never holds up starting and talking to the other kernels.
    """
    from concurrent.futures import ThreadPoolExecutor

    async def main(helper: ThreadPoolExecutor) -> list[Execution]:
        gate = asyncio.Semaphore(max(1, workers))
        results: list[Execution | None] = [None] * len(notebooks)
        loop = asyncio.get_running_loop()

        async def one(index: int, nb: NotebookNode) -> None:
            async with gate:
                results[index] = await run_one(nb, plan, limits, scratch_base, tags[index] if tags else ())
            if on_done:
                await loop.run_in_executor(helper, on_done, index, results[index])

        await asyncio.gather(*(one(i, nb) for i, nb in enumerate(notebooks)))
        return [r for r in results if r is not None]

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dh-save") as helper:
        return asyncio.run(main(helper))
