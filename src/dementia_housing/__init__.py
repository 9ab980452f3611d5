"""Dementia and Housing: the course's code, a folder per kind.

- ``content``: the course's data files: one loader (``datafiles``), the evidence table, self-checks;
- ``models``: the tools' pure models (standard library only), one module per tool;
- ``views``: the tools' thin ipywidgets views, one module per model, and the tool registry;
- ``grading``: the assessors' pipeline (nbgrader in a sandbox);
- ``live``: the channel that runs a view in the reader's browser.

Notebooks import ``dementia_housing.evidence``, ``.prevalence``, ``.interactions`` and ``.vips``,
and learners keep exercise notebooks for months, so those names stay: they are the very modules
in ``content`` and ``models``, not copies.
"""

import sys

from .content import evidence
from .models import interactions, prevalence, vips

__version__ = "0.1.0"

for _module in (evidence, interactions, prevalence, vips):
    sys.modules[f"{__name__}.{_module.__name__.rsplit('.', 1)[1]}"] = _module
del _module
