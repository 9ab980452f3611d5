"""The live bridge on CPython: a tool cell runs, its widgets' messages reach the page, and a
change sent back from the page recomputes the tool, exactly as it will in the browser."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from html import escape
from pathlib import Path

import comm
import pytest

from dementia_housing import live
from dementia_housing.models import prevalence
from dementia_housing.views.prevalence import WORKED_EXAMPLE, band_title

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
from live_tools import live_cells  # noqa: E402

TOOL_NOTEBOOKS = sorted(p for p in (ROOT / "book").rglob("*.ipynb") if live_cells(p))


def test_every_interactive_tool_page_has_exactly_one_live_cell():
    """A tool added to book/tools/ without a live cell would only ever show its saved state."""
    tool_pages = sorted((ROOT / "book" / "tools").glob("*.ipynb"))
    assert tool_pages
    for notebook in tool_pages:
        assert len(live_cells(notebook)) == 1, f"{notebook.name}: tag the cell that builds the tool 'live-tool'"


class Page:
    """Stands in for the page's widget manager: keeps every widget's latest state by comm id."""

    def __init__(self):
        self.messages: list[dict] = []
        self.state: dict[str, dict] = {}

    def receive(self, message_json: str, buffers) -> None:
        message = json.loads(message_json)
        self.messages.append(message)
        content = message["content"]
        if message["msg_type"] == "comm_open":
            self.state[content["comm_id"]] = dict(content["data"]["state"])
        elif message["msg_type"] == "comm_msg" and content["data"].get("method") in {"update", "echo_update"}:
            self.state[content["comm_id"]].update(content["data"]["state"])

    def find(self, model_name: str, **state) -> str:
        matches = [
            comm_id
            for comm_id, values in self.state.items()
            if values.get("_model_name") == model_name and all(values.get(k) == v for k, v in state.items())
        ]
        assert len(matches) == 1, f"expected one {model_name} with {state}, found {len(matches)}"
        return matches[0]

    def type_into(self, comm_id: str, value: str) -> None:
        update = {"method": "update", "state": {"value": value}, "buffer_paths": []}
        live.deliver(json.dumps({"header": {"msg_id": "page-1"}, "content": {"comm_id": comm_id, "data": update}}))

    def html_containing(self, fragment: str) -> list[str]:
        return [
            s["value"] for s in self.state.values() if s.get("_model_name") == "HTMLModel" and fragment in s["value"]
        ]


@pytest.fixture
def page(monkeypatch):
    # connect() replaces comm.create_comm for the process; put it back after each test.
    monkeypatch.setattr(comm, "create_comm", comm.create_comm)
    monkeypatch.setattr(live, "_send", None)
    page = Page()
    live.connect(page.receive)
    return page


def test_every_tool_page_has_a_live_cell():
    assert ROOT / "book" / "tools" / "prevalence-estimator.ipynb" in TOOL_NOTEBOOKS
    for path in (ROOT / "book" / "tools").glob("*.ipynb"):
        assert live_cells(path), f"{path.name} has no cell tagged live-tool, so it cannot run live"


@pytest.mark.parametrize("notebook", TOOL_NOTEBOOKS, ids=lambda p: p.stem)
def test_each_live_cell_builds_its_widget_through_the_bridge(page, notebook):
    for source in live_cells(notebook):
        model_id = live.start_tool(source)
        opened = {m["content"]["comm_id"] for m in page.messages if m["msg_type"] == "comm_open"}
        assert model_id in opened
        assert all(
            m["content"]["target_name"] == "jupyter.widget" for m in page.messages if m["msg_type"] == "comm_open"
        )


def prevalence_cell() -> str:
    [source] = live_cells(ROOT / "book" / "tools" / "prevalence-estimator.ipynb")
    return source


def test_a_change_from_the_page_recomputes_the_prevalence_estimate(page):
    live.start_tool(prevalence_cell())
    field = page.find("TextModel", description=band_title("95+"))
    assert page.state[field]["value"] == str(WORKED_EXAMPLE["95+"])

    page.type_into(field, "40")

    expected = prevalence.estimate({**WORKED_EXAMPLE, "95+": 40})
    [summary] = page.html_containing('class="dh-summary"')
    assert f"About {expected.expected_whole} people</strong> of the {expected.total_residents} people" in summary
    assert f"estimate {expected.expected:.1f}" in summary
    [table] = page.html_containing('class="dh-table"')
    assert f"{expected.expected:.2f}" in table


def test_bad_input_from_the_page_is_explained_next_to_its_field(page):
    live.start_tool(prevalence_cell())
    field = page.find("TextModel", description=band_title("80-84"))
    page.type_into(field, "-3")
    with pytest.raises(ValueError) as reason:
        prevalence.parse_count(band_title("80-84"), "-3")
    errors = page.html_containing("dh-field-error")
    assert len(errors) == 1 and escape(str(reason.value)) in errors[0]
    assert page.state[field]["value"] == "-3", "what the reader typed is kept"


def test_run_cell_returns_the_last_expression_like_jupyter():
    assert live.run_cell("x = 2\nx * 21") == 42
    assert live.run_cell("x = 2") is None
    with pytest.raises(ZeroDivisionError):
        live.run_cell("1 / 0")


def test_a_cell_that_shows_no_widget_is_refused_with_a_reason(page):
    with pytest.raises(TypeError, match="must end with a widget"):
        live.start_tool("'just text'")


def test_widgets_cannot_open_before_the_page_is_connected(monkeypatch):
    monkeypatch.setattr(comm, "create_comm", live.PageComm)
    monkeypatch.setattr(live, "_send", None)
    import ipywidgets

    with pytest.raises(RuntimeError, match="connect"):
        ipywidgets.IntSlider()


def test_messages_for_closed_widgets_are_dropped(page):
    live.deliver(json.dumps({"content": {"comm_id": "no-such-widget", "data": {"method": "update", "state": {}}}}))


def test_ipywidgets_runs_without_ipython_installed():
    """In the browser IPython is absent; connect() must supply the names ipywidgets imports."""
    script = textwrap.dedent(
        """
        import importlib.abc, json, sys

        class NoIPython(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name == "IPython" or name.startswith("IPython."):
                    raise ModuleNotFoundError(name)
                return None

        sys.meta_path.insert(0, NoIPython())
        sent = []
        from dementia_housing import live
        live.connect(lambda message, buffers: sent.append(json.loads(message)))
        import ipywidgets
        from dementia_housing.views.prevalence import PrevalenceEstimator
        model_id = live.start_tool("from dementia_housing.views.prevalence import PrevalenceEstimator\\nPrevalenceEstimator()")
        assert "IPython" in sys.modules and not hasattr(sys.modules["IPython"], "__file__")
        print(json.dumps({"model_id": model_id, "opened": [m["content"]["comm_id"] for m in sent]}))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["model_id"] in report["opened"]
