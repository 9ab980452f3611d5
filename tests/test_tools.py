"""The tools' common interface: a tool is a model, a view and a page, and the rest follows.

For every view that :func:`dementia_housing.views.tools` finds, these tests check what a new
tool would otherwise have to remember: its page, its place in the table of contents, its
chapter's "Try it" link, its live cell and worked example, and its live browser check.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, source_of, toc_files
from live_checks import LIVE_CHECKS

sys.path.insert(0, str(ROOT / "book" / "_ext"))
from live_tools import live_cells

from dementia_housing import live
from dementia_housing.views import ToolView, tools

TOOLS = tools()
PACKAGE = ROOT / "src" / "dementia_housing"
PURE_FOLDERS = ("models", "content")  # these also run in the reader's browser, with no extra wheel


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
    return names


@pytest.mark.parametrize(
    "path",
    [p for folder in PURE_FOLDERS for p in sorted((PACKAGE / folder).glob("*.py"))],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_models_and_loaders_use_only_the_standard_library(path):
    outside = {
        name
        for name in imported_modules(path)
        if not name.startswith("..content")
        and not name.startswith(".")
        and name.split(".")[0] not in sys.stdlib_module_names
    }
    assert not outside, f"{path.name} imports {outside}: models and loaders are standard library only"


def test_the_registry_finds_every_tool_page_and_nothing_else():
    pages = {p.stem for p in (ROOT / "book" / "tools").glob("*.ipynb")}
    assert set(TOOLS) == pages
    assert len(TOOLS) >= 3


@pytest.mark.parametrize("name", TOOLS)
def test_a_tool_has_its_page_in_the_toc_with_its_title(name):
    tool = TOOLS[name].TOOL
    assert tool.page == name
    assert f"book/tools/{name}" in toc_files()
    page = source_of(f"book/tools/{name}").read_text(encoding="utf-8")
    assert f'"# {tool.title}\\n"' in page, f"the page's heading must be '# {tool.title}'"


@pytest.mark.parametrize("name", TOOLS)
def test_a_tools_chapter_links_to_it_from_try_it(name):
    tool = TOOLS[name].TOOL
    assert f"book/{tool.chapter}" in toc_files(), f"{tool.chapter} is not in the toc"
    chapter = source_of(f"book/{tool.chapter}").read_text(encoding="utf-8")
    try_it = chapter.split("\n## Try it", 1)
    assert len(try_it) == 2, f"{tool.chapter} has no 'Try it' section"
    section = try_it[1].split("\n## ", 1)[0]
    assert f"tools/{name}>`" in section, f"the 'Try it' section of {tool.chapter} must link to tools/{name}"


@pytest.mark.parametrize("name", TOOLS)
def test_the_live_cell_builds_the_tool_and_the_worked_example_shows(name):
    view_class = TOOLS[name]
    cells = live_cells(source_of(f"book/tools/{name}"))
    assert cells, f"book/tools/{name}.ipynb needs a code cell tagged live-tool"
    shown = live.run_cell(cells[0])
    assert isinstance(shown, view_class) and isinstance(shown, ToolView)
    example = view_class.worked_example()
    assert "application/vnd.jupyter.widget-view+json" in example._repr_mimebundle_()


@pytest.mark.parametrize("name", TOOLS)
def test_every_tool_has_a_live_browser_check(name):
    assert f"book/tools/{name}" in LIVE_CHECKS, f"add tests/live_checks/{name.replace('-', '_')}.py with check()"


def test_importing_the_views_creates_no_widget():
    """A widget made at import (a shared Layout, say) would shift the model ids in every notebook
    that imports the module, so committed outputs would stop matching `make notebooks`."""
    code = (
        "import ipywidgets.widgets.widget as w; import dementia_housing.views as v; v.tools(); "
        "print(sorted(type(x).__name__ for x in w._instances.values()))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", f"widgets made at import: {result.stdout.strip()}"
