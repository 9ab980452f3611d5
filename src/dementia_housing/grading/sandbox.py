"""Confine the kernel that runs a learner's code: files, network, processes, time and memory.

nbgrader and the gradebook stay in the trusted grading process; only the Jupyter kernel that
executes a submission is confined. Each kernel gets:

- resource limits (``prlimit``): address space, CPU seconds, size of any file it writes, open
  files, no core dumps;
- with bubblewrap (Debian package ``bubblewrap``), the full sandbox: the whole file system
  read-only, the course folder, the grading work area, the submissions folder, home folders,
  ``/tmp`` and ``/run`` hidden behind empty folders (so solutions, hidden tests, the gradebook,
  database sockets and other learners' work cannot be read), only the Python environment and
  the course package put back read-only, a private writable scratch folder, no network (own
  network namespace), its own process namespace, no capabilities, a clean environment;
- without bubblewrap, a weaker fallback that still has no network (``unshare --net``) and the
  resource limits, but *can read files*: the grader refuses it unless the assessor asks for it
  explicitly, and says so.

The kernel talks to the grader over Unix sockets in the scratch folder (``transport="ipc"``):
TCP cannot cross into a private network namespace.
"""

from __future__ import annotations

import functools
import math
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from traitlets import List, Unicode

FULL = "bubblewrap"
WEAK = "network-only"
NONE = "none"


class SandboxUnavailable(RuntimeError):
    """No adequate sandbox here; the message says what to install or which flag accepts less."""


@dataclass(frozen=True)
class Limits:
    """Limits for one submission's kernel (times in seconds, sizes in bytes)."""

    cell_seconds: float = 30.0
    total_seconds: float = 180.0
    cpu_seconds: int | None = None  # default: follows total_seconds (see cpu_limit)
    memory_bytes: int = 3 * 1024**3
    file_bytes: int = 64 * 1024**2
    output_bytes: int = 2 * 1024**2
    open_files: int = 512
    startup_seconds: float = 60.0

    @property
    def cpu_limit(self) -> int:
        """CPU seconds for the kernel: as given, else the whole submission's time plus start-up."""
        if self.cpu_seconds is not None:
            return int(self.cpu_seconds)
        return int(math.ceil(self.total_seconds + self.startup_seconds))


@dataclass
class SandboxPlan:
    """What to hide and what to put back, worked out once per grading run."""

    kind: str
    hide: list[Path] = field(default_factory=list)
    expose: list[Path] = field(default_factory=list)

    def describe(self) -> str:
        if self.kind == FULL:
            return "full sandbox (bubblewrap): no network, files hidden, read-only system, resource limits"
        if self.kind == WEAK:
            return (
                "WEAK sandbox: no network and resource limits only; learner code CAN READ files on this machine "
                "(solutions, gradebook, other submissions). Install bubblewrap for the full sandbox."
            )
        return "NO sandbox: learner code runs with your permissions. Only for your own test notebooks."


@functools.cache
def bubblewrap_problem() -> str | None:
    """None if bubblewrap can build the sandbox here, else why not (in words for the assessor)."""
    bwrap = shutil.which("bwrap")
    if not bwrap:
        return (
            "bubblewrap is not installed, so learner code could read the solutions, the gradebook and other "
            "learners' work. Install it (Debian/Ubuntu: sudo apt-get install bubblewrap, or run "
            "scripts/ensure_grading_tools.sh as root)"
        )
    probe = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-net", "--unshare-pid"]
    probe += ["--die-with-parent", "--cap-drop", "ALL", "--", "/bin/true"]
    result = subprocess.run(probe, capture_output=True, text=True, timeout=30)
    if result.returncode == 0:
        return None
    said = (result.stderr.strip().splitlines() or ["no message"])[-1]
    return (
        f"bubblewrap is installed but cannot build a sandbox on this machine ({said}). It needs Linux user "
        "namespaces: they may be switched off (sysctl kernel.unprivileged_userns_clone=1, "
        "user.max_user_namespaces above 0, or an AppArmor rule for bwrap on Ubuntu 24.04), or this is a "
        "container that does not allow them (run the grading on the host, or give the container the right to "
        "create namespaces)"
    )


def bubblewrap_works() -> bool:
    return bubblewrap_problem() is None


@functools.cache
def network_namespace_works() -> bool:
    unshare = shutil.which("unshare")
    if not unshare:
        return False
    args = [unshare, "--net"] if os.geteuid() == 0 else [unshare, "--user", "--map-root-user", "--net"]
    return subprocess.run([*args, "/bin/true"], capture_output=True, timeout=30).returncode == 0


def kernel_python() -> str:
    """This environment's interpreter as an absolute path without '..' (as `../.venv/bin/python`
    would give): inside the sandbox the folders such a path passes through may be hidden."""
    return os.path.normpath(os.path.abspath(sys.executable))


def package_paths() -> list[Path]:
    """What a kernel needs to see: the Python environment, its interpreter and the course package."""
    import dementia_housing
    from dementia_housing.content.evidence import data_path

    paths = [Path(sys.prefix), Path(sys.base_prefix).resolve(), Path(os.path.realpath(sys.executable)).parent.parent]
    paths.append(Path(dementia_housing.__file__).resolve().parent.parent)
    paths.append(data_path("evidence.csv").resolve().parent)
    unique: list[Path] = []
    for path in paths:
        if path not in unique:
            unique.append(path)
    return unique


def plan_sandbox(secret_places: list[Path], allow_weak: bool = False) -> SandboxPlan:
    """Choose the sandbox; ``secret_places`` are folders learner code must never read."""
    hide = [Path(p).resolve() for p in secret_places if Path(p).exists()]
    hide += [Path(p) for p in ("/tmp", "/var/tmp", "/run", "/root", "/home") if Path(p).exists()]
    problem = bubblewrap_problem()
    if problem is None:
        return SandboxPlan(FULL, hide=hide, expose=package_paths())
    if not allow_weak:
        raise SandboxUnavailable(
            f"{problem}. Or pass --allow-weak-sandbox to grade anyway with only the network blocked and "
            "resource limits (only for notebooks you trust)."
        )
    return SandboxPlan(WEAK if network_namespace_works() else NONE)


def kernel_environment(scratch: Path) -> dict[str, str]:
    home = scratch / "work"
    return {
        "HOME": str(home),
        "PATH": f"{Path(kernel_python()).parent}:/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": str(home / ".matplotlib"),
        "IPYTHONDIR": str(home / ".ipython"),
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "JUPYTER_DATA_DIR": str(home / ".jupyter-data"),
        "JUPYTER_RUNTIME_DIR": str(scratch / "ipc"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


def sandbox_prefix(plan: SandboxPlan, scratch: Path, limits: Limits) -> list[str]:
    """The command words that go in front of ``python -m ipykernel_launcher``."""
    prlimit = shutil.which("prlimit")
    words = []
    if prlimit:
        words += [
            prlimit,
            f"--as={limits.memory_bytes}",
            f"--cpu={limits.cpu_limit}",
            f"--fsize={limits.file_bytes}",
            f"--nofile={limits.open_files}",
            "--core=0",
            "--",
        ]
    env = kernel_environment(scratch)
    if plan.kind == FULL:
        words += [shutil.which("bwrap") or "bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
        for place in plan.hide:  # a folder behind an empty one; a file (a zip of submissions) behind /dev/null
            words += ["--tmpfs", str(place)] if place.is_dir() else ["--ro-bind", "/dev/null", str(place)]
        for place in plan.expose:
            words += ["--ro-bind", str(place), str(place)]
        # Only work/ and ipc/ are visible: report/ (the blocked-attempts log, the kernel's own
        # log) stays out of reach of learner code, which writes to the log through a passed fd.
        for part in ("work", "ipc"):
            words += ["--bind", str(scratch / part), str(scratch / part)]
        words += ["--chdir", str(scratch / "work"), "--clearenv"]
        for key, value in env.items():
            words += ["--setenv", key, value]
        words += ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
        words += ["--die-with-parent", "--new-session", "--cap-drop", "ALL", "--"]
    elif plan.kind == WEAK:
        words += [shutil.which("unshare") or "unshare", "--net"]
        if os.geteuid() != 0:
            words += ["--user", "--map-root-user"]
        words += ["--", "env", "-i", *[f"{k}={v}" for k, v in env.items()]]
    else:
        words += ["env", "-i", *[f"{k}={v}" for k, v in env.items()]]
    return words


def make_scratch(base: Path | None = None) -> Path:
    """A private scratch folder: work/ (the kernel's home and working folder), ipc/, report/."""
    import tempfile

    scratch = Path(tempfile.mkdtemp(prefix="dhg-", dir=base))
    for name in ("work", "ipc", "report"):
        (scratch / name).mkdir()
    return scratch


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel command is wrapped in the sandbox and talks over ipc."""

    sandbox_prefix = List(Unicode())
    guard_report = Unicode()
    _report_fd: int | None = None

    @property
    def kernel_spec(self) -> KernelSpec:
        guard = (
            f"import dementia_housing.grading.guard as _dh_guard; _dh_guard.install({self._report_fd!r}); del _dh_guard"
        )
        argv = [
            kernel_python(),
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
            f"--IPKernelApp.exec_lines={[guard]!r}",
        ]
        return KernelSpec(
            argv=argv, display_name="Python 3 (sandboxed)", language="python", interrupt_mode="message", env={}
        )

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        return list(self.sandbox_prefix) + super().format_kernel_cmd(extra_arguments)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        # The kernel's own stdout/stderr (not what cells print) go to a log in the scratch
        # folder, whose size the file-size limit caps, never to the assessor's terminal.
        log = open(os.path.join(os.path.dirname(self.guard_report), "kernel.log"), "ab")  # noqa: SIM115
        try:
            kw.update(stdout=log, stderr=log, stdin=subprocess.DEVNULL, pass_fds=(self._report_fd,))
            await super()._async_launch_kernel(kernel_cmd, **kw)
        finally:
            log.close()
            os.close(self._report_fd)  # the kernel has its own copy; the grader reads the file

    async def _async_pre_start_kernel(self, **kw):
        # The blocked-attempts log is opened here, append-only, and only its descriptor is
        # passed to the kernel: the file itself is outside the sandbox's view.
        self._report_fd = os.open(self.guard_report, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return await super()._async_pre_start_kernel(**kw)


def kernel_manager(plan: SandboxPlan, scratch: Path, limits: Limits) -> SandboxedKernelManager:
    return SandboxedKernelManager(
        kernel_name="python3",
        transport="ipc",
        ip=str(scratch / "ipc" / "k"),
        connection_file=str(scratch / "ipc" / "kernel.json"),
        sandbox_prefix=sandbox_prefix(plan, scratch, limits),
        guard_report=str(scratch / "report" / "blocked.log"),
    )
