"""How each tool is checked live in the browser: change an input, compare with the model.

One module a tool, named after its page (``book/tools/vips-self-assessment.ipynb`` is checked
by ``vips_self_assessment.py``), each with ``check(page, area)``: ``area`` is the tool's part of
the page, already started live. A new tool adds its module here and nothing else: the live
tests find it, and ``tests/test_tools.py`` fails for a tool that has none.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable


def live_checks() -> dict[str, Callable]:
    """Each tool page (``book/tools/<page>``) and its live check."""
    checks = {}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        checks[f"book/tools/{module_info.name.replace('_', '-')}"] = module.check
    return checks


LIVE_CHECKS = live_checks()
