"""Run a tool's widget live in the reader's browser (Pyodide), with no Jupyter server.

In Jupyter, ipywidgets talks to the page through a kernel's "comm" channel. On the static
book page there is no kernel: Python runs in the page itself (Pyodide), and this module is the
channel. :class:`PageComm` hands every message Python sends to a function the page provides
(``send``), and :func:`deliver` hands every message the page sends back to the right widget.
The page side is ``book/_widgets_extra/live/live-tools.js``, which feeds these messages to the
same ipywidgets manager that shows the saved worked example.

The module runs unchanged on CPython, where the tests drive it with a recording ``send``.
"""

from __future__ import annotations

import ast
import json
import sys
import types
from collections.abc import Callable, Sequence
from typing import Any

import comm
from comm.base_comm import BaseComm

# send(message_json, buffers): the page's receiver for messages from Python.
Sender = Callable[[str, Sequence[bytes]], None]

_send: Sender | None = None


class PageComm(BaseComm):
    """A comm whose messages go straight to the page's widget manager."""

    def publish_msg(
        self,
        msg_type: str,
        data: dict | None = None,
        metadata: dict | None = None,
        buffers: Sequence[bytes | memoryview] | None = None,
        **keys: Any,
    ) -> None:
        if _send is None:
            raise RuntimeError("dementia_housing.live.connect(send) must be called before any widget is created")
        message = {
            "msg_type": msg_type,
            "content": {"comm_id": self.comm_id, "data": data or {}, **keys},
            "metadata": metadata or {},
        }
        _send(json.dumps(message), [bytes(b) for b in buffers or ()])


def connect(send: Sender) -> None:
    """Route every widget's messages to ``send`` from now on.

    Also provides the three IPython names ipywidgets imports, when IPython itself is not
    installed (as in the browser, where it would add about 4 MB for names a tool never uses).
    """
    global _send
    _send = send
    try:
        import IPython  # noqa: F401  (present in Jupyter; absent in the browser)
    except ImportError:
        _provide_ipython_names()
    comm.create_comm = PageComm


def deliver(message_json: str, buffers: Sequence[bytes | memoryview] = ()) -> None:
    """Pass a message from the page (``{"content": {"comm_id", "data"}}``) to its widget.

    A message for a widget that no longer exists is dropped, as Jupyter does.
    """
    message = json.loads(message_json)
    # From the page each buffer is a JavaScript Uint8Array (a JsProxy with to_bytes()).
    message["buffers"] = [memoryview(b.to_bytes() if hasattr(b, "to_bytes") else bytes(b)) for b in buffers]
    target = comm.get_comm_manager().get_comm(message["content"]["comm_id"])
    if target is not None:
        target.handle_msg(message)


def run_cell(source: str) -> Any:
    """Run a notebook cell's source and return the value of its last expression, as Jupyter shows it."""
    tree = ast.parse(source, mode="exec")
    namespace: dict[str, Any] = {"__name__": "__live__"}
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<live-tool>", "exec"), namespace)
    if last is None:
        return None
    return eval(compile(ast.Expression(last.value), "<live-tool>", "eval"), namespace)


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def start_tool(source: str) -> str:
    """Run a tool cell and return the model id of the widget it shows, for the page to display.

    The cell ends with a widget, or with a tool object that shows one (``_repr_mimebundle_``),
    exactly as in Jupyter.
    """
    shown = run_cell(source)
    bundle = shown._repr_mimebundle_() if hasattr(shown, "_repr_mimebundle_") else None
    view = (bundle or {}).get(WIDGET_VIEW)
    if not view or not view.get("model_id"):
        raise TypeError(
            f"the live-tool cell must end with a widget or a tool that shows one, got {type(shown).__name__}"
        )
    return view["model_id"]


def _provide_ipython_names() -> None:
    """Stand-ins for ``IPython.get_ipython``, ``IPython.display`` and ``InteractiveShell``.

    ipywidgets imports them at start-up; outside a Jupyter kernel ``get_ipython()`` is None, and
    the tools never call ``display``: a live-tool cell returns its widget instead.
    """

    def get_ipython() -> None:
        return None

    def display(*objects: Any, **options: Any) -> None:
        raise RuntimeError("display() is not available on the live page: end the tool cell with the widget instead")

    def clear_output(wait: bool = False) -> None:
        return None

    class InteractiveShell:
        @classmethod
        def initialized(cls) -> bool:
            return False

    package = types.ModuleType("IPython")
    package.get_ipython = get_ipython
    display_module = types.ModuleType("IPython.display")
    display_module.display = display
    display_module.clear_output = clear_output
    core = types.ModuleType("IPython.core")
    shell_module = types.ModuleType("IPython.core.interactiveshell")
    shell_module.InteractiveShell = InteractiveShell
    package.display, package.core, core.interactiveshell = display_module, core, shell_module
    sys.modules.update(
        {
            "IPython": package,
            "IPython.display": display_module,
            "IPython.core": core,
            "IPython.core.interactiveshell": shell_module,
        }
    )
