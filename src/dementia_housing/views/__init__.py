"""The tools' thin ipywidgets views, one module per model in :mod:`dementia_housing.models`.

No arithmetic lives here. Each module defines a :class:`~.base.ToolView` with its ``TOOL``;
:func:`tools` finds them all, so adding a tool never means editing this file.
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import ToolInfo, ToolView

HELPERS = {"base", "charts", "render"}  # modules that are not tools


def tools() -> dict[str, type[ToolView]]:
    """Every tool's view, by page name (``"prevalence-estimator"``), in page-name order."""
    found: dict[str, type[ToolView]] = {}
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name in HELPERS:
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, ToolView) and value.__module__ == module.__name__:
                if value.TOOL.page in found:
                    raise ValueError(f"two tools claim the page {value.TOOL.page!r}")
                found[value.TOOL.page] = value
    return dict(sorted(found.items()))


__all__ = ["ToolInfo", "ToolView", "tools"]
