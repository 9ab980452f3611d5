"""Benchmark the live tools: how long and how many bytes until a tool first recomputes in the
browser, a second tool once the runtime is cached, and what pages cost when nobody presses
the button. Builds the book into a temp dir and serves it on 127.0.0.1 (no compression).

Goals (issue 6): first live result < 6 s and < 15 MB; a second tool < 2 s; 0 extra bytes on
pages where the button is not pressed. Run: make bench (or python bench/live_tools.py).
"""

from __future__ import annotations

import functools
import shutil
import sys
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "book" / "_ext"))
from build_and_page_weight import build  # noqa: E402
from helpers import (  # noqa: E402
    CHROMIUM_FLAGS,
    QuietHandler,
    toc_files,
)
from live_tools import live_cells  # noqa: E402

LIVE_PAGES = [e for e in toc_files() if (ROOT / f"{e}.ipynb").exists() and live_cells(ROOT / f"{e}.ipynb")]
OTHER_PAGES = [e for e in toc_files() if e not in LIVE_PAGES]


class Transfer:
    """Bytes on the wire per page load, from the DevTools protocol (encodedDataLength)."""

    def __init__(self, context, page):
        self.bytes = 0
        self.requests = 0
        self.urls: list[str] = []
        self.session = context.new_cdp_session(page)
        self.session.send("Network.enable")
        self.session.on("Network.responseReceived", lambda e: self.urls.append(e["response"]["url"]))
        self.session.on("Network.loadingFinished", self._finished)

    def _finished(self, event) -> None:
        self.bytes += event["encodedDataLength"]
        self.requests += 1

    def reset(self) -> None:
        self.bytes, self.requests, self.urls = 0, 0, []


def press_and_wait(page) -> tuple[float, str]:
    """Seconds from pressing the button to the live tool on screen, and where they went."""
    start = time.perf_counter()
    page.get_by_role("button", name="Run this tool live").click()
    page.locator(".dh-live-area .widget-vbox").first.wait_for(timeout=120_000)
    seconds = time.perf_counter() - start
    marks = page.evaluate(
        "() => Object.fromEntries(performance.getEntriesByType('mark')"
        ".filter(m => m.name.startsWith('dh-live:')).map(m => [m.name.slice(8), m.startTime]))"
    )
    stages = []
    for name, label in (("python-started", "Python"), ("packages-loaded", "packages"), ("shown", "tool")):
        if name in marks and "pressed" in marks:
            stages.append(f"{label} {(marks[name] - marks['pressed']) / 1000:.2f} s")
    return seconds, ", ".join(stages)


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        print("Building the book from scratch…", flush=True)
        build(Path(tmp))
        site = Path(tmp) / "_build" / "html"
        size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
        live_size = sum(f.stat().st_size for f in (site / "live").rglob("*") if f.is_file())
        print(f"built site: {size / 1e6:.1f} MB, of which the live runtime (/live/) {live_size / 1e6:.1f} MB")

        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)

            unpressed = 0
            for entry in LIVE_PAGES + OTHER_PAGES:
                context = browser.new_context()
                page = context.new_page()
                transfer = Transfer(context, page)
                page.goto(f"{base}/{entry}.html", wait_until="networkidle")
                unpressed += sum(1 for url in transfer.urls if "/live/" in url)
                context.close()
            print(f"requests to /live/ on {len(LIVE_PAGES + OTHER_PAGES)} pages loaded without pressing: {unpressed}")

            # One reader with an ordinary browser profile (disk cache), starting empty. Private
            # contexts keep only a small memory cache, which never holds the 9.6 MB runtime.
            profile = tempfile.mkdtemp(prefix="live-bench-profile-")
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS
            )
            page = context.new_page()
            transfer = Transfer(context, page)
            first = LIVE_PAGES[0]
            second = LIVE_PAGES[1] if len(LIVE_PAGES) > 1 else first
            label = "second tool" if second != first else "same tool, reloaded (only one tool page so far)"
            for name, entry, cache in (("first live result", first, "cold cache"), (label, second, "runtime cached")):
                page.goto(f"{base}/{entry}.html", wait_until="networkidle")
                transfer.reset()
                seconds, stages = press_and_wait(page)
                print(
                    f"{name} ({entry}): {seconds:.2f} s, {transfer.bytes / 1e6:.2f} MB in "
                    f"{transfer.requests} requests ({cache}; reached {stages})"
                )
            context.close()
            shutil.rmtree(profile, ignore_errors=True)
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
