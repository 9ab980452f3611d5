"""Sphinx extension: "Run this tool live" on the tool pages.

A notebook code cell tagged ``live-tool`` builds a tool's widget. On its page this extension
puts, just before that cell's saved output, a button, a status line and the cell's source.
Pressing the button loads ``/live/live-tools.js``, which runs the same cell in the reader's
browser (Pyodide) and swaps the saved worked example for the live tool. Until then the page
loads nothing extra: the button's handler is a few lines inline, and they also disable the
saved example's controls, which a notice beside the button explains (they could not change
anything, so they must not look as if they could).

At the end of the build it also makes the site's Python package index for the browser:
our own package as a wheel (built from this checkout, so the browser runs the code the tests
ran) and a ``pyodide-lock.json`` listing exactly the wheels the site ships, with their sha256,
so Pyodide checks every file and never looks anywhere else.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

TAG = "live-tool"
RUNTIME = Path("book/_widgets_extra/live")  # copied to the site as /live/ (html_extra_path)
MANIFEST = Path("scripts/web-assets.json")
OWN_PACKAGE = {"name": "dementia-housing", "imports": ["dementia_housing"]}  # depends: from pyproject.toml
CELL_START = re.compile(r'<div class="cell(?: [^"]*)? tag_live-tool[ "]')

# Said before the reader starts a tool: changes are worked out when a choice is made or a typed
# value is sent (the fields send theirs on Enter or on leaving them, not at every key).
RECALCULATES = (
    "It recalculates when you choose an option, or when you press Enter or move to the next field after typing."
)
SAVED_NOTICE = "This is a saved worked example. Press <strong>Run this tool live</strong> to change it."

BUTTON = """<div class="dh-live" data-live-module="{module}">
<p class="dh-live-intro"><button type="button" class="dh-live-button">Run this tool live</button>
<span class="dh-live-note">Runs the tool in your browser. {recalculates} Nothing you enter
leaves this computer. The first start downloads up to 18 MB.</span></p>
<p class="dh-saved-notice">{saved}</p>
<noscript><p class="dh-no-script">This browser is not running JavaScript, so the tool cannot be shown or
run here. The worked example earlier on this page shows what it does; to use your own figures,
download this page as a notebook and open it in Jupyter.</p></noscript>
<progress hidden aria-label="Starting the live tool"></progress>
<p class="dh-live-status" role="status" aria-live="polite"></p>
<script type="application/json" class="dh-live-cell">{cell}</script>
</div>
"""

# Binds the buttons; live-tools.js is fetched only when one is pressed. Until then the saved
# worked example (drawn by the page's widget manager, possibly after this runs) shows its
# controls disabled: they could not change anything, so they must not look as if they could.
LOADER = """<script>
document.querySelectorAll(".dh-live").forEach(function (box) {
  var saved = box.nextElementSibling && box.nextElementSibling.querySelector(".cell_output");
  if (saved) {
    saved.classList.add("dh-saved-example");
    var pending = false;
    var reachable = function () {
      // A box that scrolls has, now, nothing in it to focus: let the keyboard reach and scroll it.
      pending = false;
      saved.querySelectorAll(".widget-box").forEach(function (area) {
        if (area.scrollWidth > area.clientWidth || area.scrollHeight > area.clientHeight) area.tabIndex = 0;
      });
    };
    var hold = function () {
      saved.querySelectorAll("input, select, textarea, button").forEach(function (control) {
        control.disabled = true;
        control.setAttribute("aria-disabled", "true");
      });
      if (!pending) {
        pending = true;
        requestAnimationFrame(reachable); // once the layout has settled
      }
    };
    hold();
    new MutationObserver(hold).observe(saved, { childList: true, subtree: true });
    window.addEventListener("resize", hold);
  }
  box.querySelector("button").addEventListener("click", function () {
    import(new URL(box.dataset.liveModule, document.baseURI).href)
      .then(function (module) { return module.start(box); })
      .catch(function (error) {
        box.querySelector(".dh-live-status").textContent =
          "The live tool could not be loaded (" + error.message + "). The saved worked example below still shows how it works.";
      });
  });
});
</script>
"""


def live_cells(notebook_path: Path) -> list[str]:
    """The sources of a notebook's code cells tagged ``live-tool``, in order."""
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    sources = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code" and TAG in cell.get("metadata", {}).get("tags", []):
            source = cell["source"]
            sources.append("".join(source) if isinstance(source, list) else source)
    return sources


def _json_in_script(value: object) -> str:
    """JSON safe inside a <script> element (no "</" can end it early)."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def add_live_buttons(app: Sphinx, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    source_path = Path(app.env.doc2path(pagename)) if pagename in app.env.all_docs else None
    if not body or source_path is None or source_path.suffix != ".ipynb":
        return
    sources = live_cells(source_path)
    if not sources:
        return
    starts = [m.start() for m in CELL_START.finditer(body)]
    if len(starts) != len(sources):
        logger.warning(
            "%s: %d cell(s) tagged %r but %d found in the page; is the tag on a code cell with output?",
            pagename,
            len(sources),
            TAG,
            len(starts),
            location=pagename,
        )
        return
    module = html.escape(context["pathto"]("live/live-tools.js", 1), quote=True)
    for start, source in reversed(list(zip(starts, sources, strict=True))):
        cell = _json_in_script({"source": source})
        button = BUTTON.format(module=module, recalculates=RECALCULATES, saved=SAVED_NOTICE, cell=cell)
        body = body[:start] + button + body[start:]
    context["body"] = body + LOADER


def check_runtime(app: Sphinx) -> None:
    if app.builder.format == "html" and not (Path(app.confdir) / RUNTIME / "pyodide" / "pyodide.asm.wasm").exists():
        logger.warning(
            "live tools: the browser runtime is missing from %s; run `make assets` (scripts/fetch_web_assets.py)",
            RUNTIME / "pyodide",
        )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _lock_entry(name: str, version: str, wheel: Path, imports: list[str], depends: list[str]) -> dict:
    return {
        "name": name,
        "version": version,
        "file_name": wheel.name,
        "install_dir": "site",
        "sha256": _sha256(wheel),
        "package_type": "package",
        "imports": imports,
        "depends": depends,
        "unvendored_tests": False,
        "tool": {},
    }


def own_dependencies(pyproject: Path) -> list[str]:
    """Our package's runtime dependencies, as lock names (the browser installs these with it)."""
    dependencies = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    return [re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", spec).group()).lower() for spec in dependencies]


def build_wheel(project: Path, destination: Path) -> Path:
    """Our package as a wheel, built from this checkout with its own build backend."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check"]
        command += ["--no-deps", "--no-build-isolation", "--wheel-dir", tmp, str(project)]
        result = subprocess.run(command, capture_output=True, text=True)
        wheels = list(Path(tmp).glob("dementia_housing-*.whl"))
        if result.returncode != 0 or len(wheels) != 1:
            raise ExtensionError(f"live tools: could not build the course package's wheel:\n{result.stderr.strip()}")
        target = destination / wheels[0].name
        shutil.copyfile(wheels[0], target)
        return target


def write_package_index(app: Sphinx, exception) -> None:
    """Build our wheel into the site and write a lock listing only the wheels the site ships."""
    if exception is not None or app.builder.format != "html":
        return
    folder = Path(app.outdir) / "live" / "pyodide"
    if not (folder / "pyodide.asm.wasm").exists():
        return  # check_runtime has already said why
    project = Path(app.confdir)
    manifest = json.loads((project / MANIFEST).read_text(encoding="utf-8"))["wheels"]["packages"]
    packages = {}
    for wheel in manifest:
        path = folder / f"{wheel['name'].replace('-', '_')}-{wheel['version']}-py3-none-any.whl"
        if not path.exists() or _sha256(path) != wheel["sha256"]:
            raise ExtensionError(f"live tools: {path.name} is missing or altered; run `make assets`")
        packages[wheel["name"]] = _lock_entry(wheel["name"], wheel["version"], path, wheel["imports"], wheel["depends"])
    own = build_wheel(project, folder)
    version = own.name.split("-")[1]
    packages[OWN_PACKAGE["name"]] = _lock_entry(
        OWN_PACKAGE["name"], version, own, OWN_PACKAGE["imports"], own_dependencies(project / "pyproject.toml")
    )
    npm_lock = json.loads((project / RUNTIME / "pyodide" / "pyodide-lock.json").read_text(encoding="utf-8"))
    lock = {"info": npm_lock["info"], "packages": packages}
    (folder / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True), encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", check_runtime)
    app.connect("html-page-context", add_live_buttons)
    app.connect("build-finished", write_package_index)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
