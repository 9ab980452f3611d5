"""Runs inside the sandboxed kernel, before any learner code: refuse what exercises never need.

The operating-system sandbox (see ``sandbox.py``) is the real boundary; this audit hook makes
the refusal *clear*: the learner's cell fails with a message naming what was blocked, and the
event is noted in a report file the grader reads. Audit hooks cannot be removed once added.
"""

from __future__ import annotations

import contextlib
import os
import sys

MARKER = "[course sandbox]"

# audit event -> what the learner tried to do, in words an assessor can read out
BLOCKED = {
    "os.system": "run a shell command",
    "subprocess.Popen": "start another program",
    "os.exec": "start another program",
    "os.posix_spawn": "start another program",
    "os.spawn": "start another program",
    "os.fork": "start another process",
    "os.forkpty": "start another process",
    "pty.spawn": "start another program",
    "socket.connect": "use the network",
    "socket.bind": "use the network",
    "socket.sendto": "use the network",
    "socket.sendmsg": "use the network",
    "socket.getaddrinfo": "use the network",
    "socket.gethostbyname": "use the network",
    "urllib.Request": "use the network",
    "os.remove": "delete files",
    "os.rmdir": "delete files",
    "shutil.rmtree": "delete files",
    "os.rename": "move or rename files",
    "os.truncate": "empty files",
    "os.chmod": "change file permissions",
    "os.chown": "change file owners",
    "ctypes.dlopen": "load native code",
}


def install(report: int) -> None:
    """Add the audit hook; blocked events are appended, one per line, to the file descriptor
    ``report`` that the grader opened (append-only) and passed in. The file is outside the
    sandbox's view, so learner code cannot erase what was written."""

    def hook(event: str, args: tuple) -> None:
        what = BLOCKED.get(event)
        if what is None:
            return
        with contextlib.suppress(OSError):  # learner code closed the descriptor: the refusal still stands
            os.write(report, f"{event}\t{what}\n".encode())
        raise PermissionError(
            f"{MARKER} exercises may not {what} ({event}); this was blocked and noted for your assessor"
        )

    sys.addaudithook(hook)
