"""The built site carries what the live tools need, and nothing more: our own Pyodide folder,
a lock listing exactly the wheels it ships (checked by sha256), the versions the tests ran,
and a "Run this tool live" control on each tool page only."""

from __future__ import annotations

import hashlib
import json
import re
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
from live_tools import live_cells  # noqa: E402

pytestmark = pytest.mark.build
CORE = {"pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"}


def pinned_versions() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version.strip()
    return pins


@pytest.fixture(scope="module")
def lock(built_site: Path) -> dict:
    return json.loads((built_site / "live" / "pyodide" / "pyodide-lock.json").read_text())


def test_the_lock_lists_exactly_the_wheels_the_site_ships(built_site: Path, lock):
    folder = built_site / "live" / "pyodide"
    wheels = {p.name for p in folder.glob("*.whl")}
    assert wheels == {entry["file_name"] for entry in lock["packages"].values()}
    for entry in lock["packages"].values():
        assert hashlib.sha256((folder / entry["file_name"]).read_bytes()).hexdigest() == entry["sha256"]
        for dependency in entry["depends"]:
            assert dependency in lock["packages"], f"{entry['name']} needs {dependency}, which the site does not ship"
    assert {p.name for p in folder.iterdir()} >= CORE
    assert lock["info"]["python"].startswith("3.14")


def test_the_browser_runs_the_versions_the_tests_run(lock):
    pins = pinned_versions()
    for name, entry in lock["packages"].items():
        if name != "dementia-housing":
            assert entry["version"] == pins[name], f"{name}: browser {entry['version']}, constraints.txt {pins[name]}"


def test_the_wheel_pins_follow_from_pyproject_and_constraints():
    """web-assets.json's wheels are exactly what pin_live_wheels.py derives (make lock writes them)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import pin_live_wheels as pinning

    manifest = json.loads((ROOT / "scripts" / "web-assets.json").read_text(encoding="utf-8"))
    folders = [ROOT / manifest["wheels"]["destination"]]
    roots = pinning.own_dependencies(ROOT / "pyproject.toml")
    derived = pinning.resolve(manifest, pinning.pins(ROOT / "constraints.txt"), roots, folders)
    assert derived == manifest["wheels"]["packages"], "run python scripts/pin_live_wheels.py (make lock does)"
    # and the derivation follows the pins: pinning another version changes the entry
    other = {**pinning.pins(ROOT / "constraints.txt"), "comm": "0.0.0-not-a-release"}
    with pytest.raises(SystemExit, match="comm==0.0.0-not-a-release"):
        pinning.resolve(manifest, other, roots, folders=[])


def test_our_wheel_is_built_from_this_checkout(built_site: Path, lock):
    wheel = built_site / "live" / "pyodide" / lock["packages"]["dementia-housing"]["file_name"]
    with zipfile.ZipFile(wheel) as archive:
        for source in (ROOT / "src" / "dementia_housing").rglob("*.py"):
            inside = source.relative_to(ROOT / "src").as_posix()
            assert archive.read(inside) == source.read_bytes(), f"{inside} in the wheel differs from the checkout"
        assert archive.read("dementia_housing/data/evidence.csv") == (ROOT / "data" / "evidence.csv").read_bytes()


def test_tool_pages_offer_the_live_button_and_no_other_page_does(built_site: Path):
    notebooks = {p.relative_to(ROOT).with_suffix(".html"): live_cells(p) for p in (ROOT / "book").rglob("*.ipynb")}
    pages = sorted(built_site.glob("book/**/*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        sources = [
            json.loads(m)["source"]
            for m in re.findall(r'<script type="application/json" class="dh-live-cell">(.*?)</script>', text, re.S)
        ]
        assert sources == notebooks.get(page.relative_to(built_site), []), page.name
        # Nothing of the runtime is loaded with the page: the module is only named, for the button.
        assert not re.search(r"<script[^>]+src=\"[^\"]*(pyodide|live-tools)", text), page.name
