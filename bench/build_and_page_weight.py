"""Benchmark (not a test): book build times and page weight. Prints figures; asserts nothing.

- clean build: a fresh output folder, so every notebook executes;
- no-change rebuild: the same folder again, nothing edited;
- page weight: bytes and requests when Chromium loads a page from a localhost server
  (uncompressed, cold cache), for the welcome page and the widget page.
Run: make bench
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from helpers import CHROMIUM_FLAGS, QuietHandler  # noqa: E402

PAGES = ["book/welcome.html", "book/tools/prevalence-estimator.html"]


def build(output: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "-W", "-n", "--keep-going"]
        + ["--path-output", str(output)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def page_weights(site: Path) -> list[tuple[str, int, int]]:
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
        for path in PAGES:
            context = browser.new_context()
            page = context.new_page()
            sizes: list[int] = []
            page.on("requestfinished", lambda request, sizes=sizes: sizes.append(request.sizes()["responseBodySize"]))
            page.goto(f"{base}/{path}", wait_until="networkidle")
            results.append((path, len(sizes), sum(sizes)))
            context.close()
        browser.close()
    server.shutdown()
    return results


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp)
        print("Building the book from scratch…", flush=True)
        clean = build(output)
        rebuild = build(output)
        site = output / "_build" / "html"
        size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
        print(f"clean build:        {clean:6.1f} s")
        print(f"no-change rebuild:  {rebuild:6.1f} s")
        print(f"built site:         {size / 1e6:6.1f} MB")
        for path, requests, total in page_weights(site):
            print(f"{path}: {requests} requests, {total / 1e6:.2f} MB transferred (uncompressed, cold cache)")


if __name__ == "__main__":
    main()
