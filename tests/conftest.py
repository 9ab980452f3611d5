"""Shared fixtures: one fresh book build per test session, a localhost server, Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import CHROMIUM_FLAGS, Visit, serving

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """Build the book from scratch (no execution cache) with warnings as errors.

    While you work, ``DH_BUILT_SITE=/path/to/_build/html`` reuses a build you made yourself
    (with the same -W flags); CI never sets it."""
    reuse = os.environ.get("DH_BUILT_SITE")
    if reuse:
        return Path(reuse)
    output = tmp_path_factory.mktemp("book")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "-W", "-n", "--keep-going", "--path-output", str(output)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    log = result.stdout + result.stderr
    (output / "build.log").write_text(log)
    if result.returncode != 0:
        pytest.fail(f"jupyter-book build failed (exit {result.returncode}):\n{log[-6000:]}")
    return output / "_build" / "html"


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """Serve the built site on 127.0.0.1 for the browser tests, as `make serve` and a web host do
    (compressed when the browser asks)."""
    with serving(built_site, like_a_host=True) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail("Chromium is missing: run `make test` (installs it as root) or `sudo apt-get install chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def visit(browser, site_url):
    visits = []

    def open_page(path: str, **context_options) -> Visit:
        v = Visit(browser, f"{site_url}/{path}", **context_options)
        visits.append(v)
        return v

    yield open_page
    for v in visits:
        v.close()


def pytest_collection_modifyitems(config, items):
    """Tests that use the session's Chromium run last, in their usual order. While that browser
    is open, Playwright's sync API holds an asyncio loop in this process, and code under test that
    runs its own loop (the grading pipeline's kernels, the handouts' and cohort report's own
    Chromium) would fail with "cannot be called from a running event loop"."""
    items.sort(key=lambda item: "browser" in getattr(item, "fixturenames", ()))
