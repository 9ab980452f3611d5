"""Helpers shared by the test modules (import them from here, never from another test module)."""

from __future__ import annotations

import contextlib
import functools
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WORK_AREA_MARKER = "DEMENTIA-HOUSING-GRADING-WORK-AREA"
AXE = ROOT / "tests" / "_vendor" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def course_copy(base: Path) -> Path:
    """A copy of this checkout as it is now (fetched web assets included), without the virtual
    environment, git, build output, caches or any grading work area."""
    copy = base / "course"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".git", ".venv", "_build", "__pycache__", ".pytest_cache", ".ruff_cache"),
        symlinks=True,
    )
    for own in [copy / ".grading", *(m.parent for m in copy.glob("**/" + WORK_AREA_MARKER))]:
        shutil.rmtree(own, ignore_errors=True)
    return copy


def build_book(course: Path, output: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """jupyter-book build of ``course`` as the tests and `make build` do it (warnings are errors)."""
    return subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(course), "-W", "-n", "--keep-going", "--path-output", str(output)],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def add(entries: list[dict]) -> None:
        for entry in entries:
            if "glob" in entry:  # as Sphinx expands it: matching pages, sorted by name
                pages = {p.with_suffix("").relative_to(ROOT).as_posix() for p in ROOT.glob(entry["glob"] + ".*")}
                files.extend(sorted(p for p in pages if not Path(p).name.startswith(("_", "."))))
            else:
                files.append(entry["file"])
            add(entry.get("sections", []))  # a chapter's own pages, such as a data page

    for part in toc.get("parts", []):
        add(part["chapters"])
    return files


def source_of(entry: str) -> Path:
    matches = [p for p in (ROOT / f"{entry}.md", ROOT / f"{entry}.ipynb") if p.exists()]
    assert len(matches) == 1, f"{entry}: expected one .md or .ipynb file, found {matches}"
    return matches[0]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serving(folder: Path, *, like_a_host: bool = False):
    """Serve ``folder`` on 127.0.0.1 (a free port) in a thread; yields its address.

    ``like_a_host`` serves it as `make serve` does (scripts/serve_site.py: gzip when asked, the
    right types for .wasm and .mjs), otherwise as a plain file server."""
    if like_a_host:
        sys.path.insert(0, str(ROOT / "scripts"))
        from serve_site import serve

        server = serve(folder, port=0, log=False)
    else:
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class Visit:
    """A page visit that records console errors, failed loads and every outside request."""

    def __init__(self, browser, url: str, **context_options):
        self.context = browser.new_context(**context_options)
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.requested: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
        self.page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))
        self.page.goto(url, wait_until="networkidle")

    def _route(self, route):
        self.requested.append(route.request.url)
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def draw_saved_widgets(self, timeout_ms: int = 30_000) -> int:
        """Scroll to the page's saved worked examples, as a reader does, and wait until they are
        drawn: widgets-on-demand.js loads the widget manager only when one comes near the screen.
        Returns how many saved widget views the page has (0 on a page without any)."""
        views = self.page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
        if views:
            self.page.locator(".dh-widget-note").first.scroll_into_view_if_needed()
            self.page.wait_for_function("() => !document.querySelector('.dh-widget-note')", timeout=timeout_ms)
        return views

    def axe_violations(self) -> list[str]:
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
        )
        return [
            f"{v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in {"serious", "critical"}
        ]

    def close(self):
        self.context.close()


def assert_data_error(error, data: object, file: str, field: str | None, words: str) -> None:
    """A DataError from data given in memory names ``file``, ``field`` and a line of the data's
    JSON form (as the loader writes it) on which that field, or the object holding it, starts."""
    import json

    from dementia_housing.content.datafiles import DataError

    assert isinstance(error, DataError), f"{type(error).__name__}: {error}"
    assert (error.file, error.field) == (file, field), str(error)
    assert words in error.problem, str(error)
    assert str(error).startswith(f"{file}:{error.line}, ") if error.line else str(error).startswith(file)
    if field is not None:
        line = json.dumps(data, indent=1, ensure_ascii=False).splitlines()[error.line - 1]
        last = field.rsplit(".", 1)[-1].split("[")[0]
        assert f'"{last}":' in line or line.strip() in {"{", "[", "{}", "[]"} or line.strip().startswith('"'), line
