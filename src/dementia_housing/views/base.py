"""What every tool's view has in common, so that a new tool is a model, a view and a page.

A view module defines one :class:`ToolView` subclass and sets its ``TOOL``. That is its
registration: :func:`dementia_housing.views.tools` finds it, and the tests then check, for
every tool, that its page exists and is in the table of contents, that its chapter links to
it, that the page's live cell builds it, that the worked example renders, and that a browser
check (``tests/live_checks/<page>.py``) drives it live.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import ClassVar

import ipywidgets as widgets

# A control's label takes a whole line, so the control wraps below it, as wide as a phone allows.
# (Layouts are made per control, never at import: a widget made at import would shift the model
# ids of every notebook that imports this module.)
FIELD = {"width": "100%", "max_width": "20em", "height": "auto", "flex_flow": "row wrap"}
LABEL_ABOVE = {"description_width": "100%"}


def full_width(max_width: str = "40em") -> widgets.Layout:
    """A layout as wide as the screen allows, up to ``max_width``; a new one for each widget."""
    return widgets.Layout(width="100%", max_width=max_width)


def labelled(widget: type[widgets.Widget], description: str, **options: object) -> widgets.Widget:
    """A control with its label above it (so both fit a 390 px phone); the label is its accessible name.

    course.css aligns the label of ``dh-label-above`` controls to the left."""
    control = widget(description=description, style=LABEL_ABOVE, layout=widgets.Layout(**FIELD), **options)
    control.add_class("dh-label-above")
    return control


@dataclass(frozen=True)
class ToolInfo:
    """A tool's place in the book."""

    page: str  # its page is book/tools/<page>.ipynb
    title: str  # as its page's heading says it
    chapter: str  # the chapter whose "Try it" section links to the page: book/<chapter>.md


class ToolView:
    """A tool's thin view over its model: ipywidgets only, no arithmetic.

    Subclasses build ``self.view`` (the widget tree) in ``__init__`` and set ``TOOL``. Ending a
    notebook cell with the object shows the tool, in Jupyter and live on the book's page.
    """

    TOOL: ClassVar[ToolInfo]
    view: widgets.Widget

    @classmethod
    def worked_example(cls) -> ToolView:
        """The tool filled in with the worked example its page explains first."""
        return cls()

    @staticmethod
    def field_error(message: str) -> str:
        """A problem's message, as shown beside the field it is about (read out by screen readers)."""
        return f'<span class="dh-field-error" role="alert">{escape(message)}</span>' if message else ""

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        return self.view._repr_mimebundle_(**kwargs)
