"""Benchmark (not a test): book build times and page weight. Prints figures; asserts nothing.

- clean build: a fresh output folder, so every notebook executes;
- no-change rebuild: the same folder again, nothing edited;
- page weight: for the welcome page, a chapter, the VIPS tool page and the first exercise page
  (when it exists), the bytes and requests when Chromium loads the page with a cold cache and
  nothing is pressed, file by file, served twice: as files (python -m http.server, uncompressed)
  and as a host serves them (scripts/serve_site.py, gzip); once as opened, and again after
  scrolling to the end (a tool page loads its widget manager only when its saved example comes
  near the screen);
- Lighthouse 12 (mobile, simulated slow 4G) on the same pages: bench/lighthouse.py.

Run: make bench, or on a build you already have:
  python bench/build_and_page_weight.py --site /tmp/jb-x/_build/html [--no-lighthouse] [--files]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))
from helpers import CHROMIUM_FLAGS, serving  # noqa: E402

PAGES = {
    "welcome": "book/welcome.html",
    "chapter 1": "book/ch01-why-housing.html",
    "VIPS tool": "book/tools/vips-self-assessment.html",
    "exercise ch05": "book/exercises/ch05-evidence.html",
}


def build(output: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "-W", "-n", "--keep-going"]
        + ["--path-output", str(output)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def pages_in(site: Path) -> dict[str, str]:
    """The benchmark's pages that this build has (the exercise page comes later)."""
    return {name: path for name, path in PAGES.items() if (site / path).is_file()}


def served(site: Path, compressed: bool):
    """The site on a free 127.0.0.1 port: plain files, or compressed as a host serves it."""
    return serving(site, like_a_host=compressed)


def page_files(site: Path, paths: dict[str, str], compressed: bool) -> dict[str, dict[str, list[tuple[str, int]]]]:
    """Per page, as opened and after scrolling to the end: (file, body bytes received) for each
    request of a cold load so far, nothing pressed."""
    from playwright.sync_api import sync_playwright

    results = {}
    with served(site, compressed) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
        for name, path in paths.items():
            context = browser.new_context()
            page = context.new_page()
            files: list[tuple[str, int]] = []
            page.on(
                "requestfinished",
                lambda request, files=files: files.append(
                    (urlparse(request.url).path or request.url[:40], request.sizes()["responseBodySize"])
                ),
            )
            page.goto(f"{base}/{path}", wait_until="networkidle")
            page.wait_for_timeout(500)
            opened = list(files)
            for _ in range(40):  # a reader who scrolls to the end, a screen at a time
                page.mouse.wheel(0, 700)
                page.wait_for_timeout(50)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1000)
            page.wait_for_load_state("networkidle")
            results[name] = {"as opened": opened, "scrolled to the end": list(files)}
            context.close()
        browser.close()
    return results


def print_weights(site: Path, show_files: bool) -> None:
    paths = pages_in(site)
    for compressed in (False, True):
        how = "gzip, as scripts/serve_site.py serves it" if compressed else "uncompressed, python -m http.server"
        print(f"page weight, cold cache, nothing pressed ({how}):")
        for name, states in page_files(site, paths, compressed).items():
            for state, files in states.items():
                total = sum(size for _, size in files)
                print(
                    f"  {name:14} {state:20} {paths[name]}: {len(files)} requests,"
                    f" {total / 1e6:.2f} MB ({total:,} bytes)"
                )
            if show_files:
                for file, size in sorted(states["scrolled to the end"], key=lambda f: -f[1]):
                    print(f"      {size:>10,}  {file}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="measure this built site (_build/html) instead of building")
    parser.add_argument("--files", action="store_true", help="list each page's files and their bytes")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip the Lighthouse runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            output = Path(tmp)
            print("Building the book from scratch…", flush=True)
            clean = build(output)
            rebuild = build(output)
            site = output / "_build" / "html"
            print(f"clean build:        {clean:6.1f} s")
            print(f"no-change rebuild:  {rebuild:6.1f} s")
        size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file() and f.suffix != ".gz")
        print(f"built site:         {size / 1e6:6.1f} MB")
        print_weights(site, show_files=args.files or args.site is None)
        if not args.no_lighthouse:
            from lighthouse import print_scores

            print_scores(site, pages_in(site))


if __name__ == "__main__":
    main()
