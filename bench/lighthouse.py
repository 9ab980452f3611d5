"""Benchmark (not a test): Lighthouse scores for a few pages of a built site. Asserts nothing.

Lighthouse is pinned in bench/lighthouse/package.json and package-lock.json (exact version and
integrity) and installed there with ``npm ci`` on first use. It drives Debian's Chromium
(headless, no sandbox) with its default mobile profile (simulated slow 4G, 4x CPU slowdown)
against scripts/serve_site.py, which serves the site compressed as a host would. Nothing leaves
127.0.0.1: error reporting is off, and Chromium resolves no other host name.

Run: python bench/lighthouse.py SITE  (make bench runs it after the page weights);
DH_LIGHTHOUSE_REPORTS=FOLDER keeps each page's full JSON report there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))
from helpers import CHROMIUM_FLAGS  # noqa: E402
from serve_site import serve  # noqa: E402

PACKAGE = HERE / "lighthouse"
CLI = PACKAGE / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# Any host name but 127.0.0.1 fails to resolve, so a request that would leave the machine cannot.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


def install() -> None:
    """npm ci the pinned Lighthouse once (again if the lock file changed)."""
    stamp = PACKAGE / "node_modules" / ".package-lock.json"
    lock = PACKAGE / "package-lock.json"
    if CLI.is_file() and stamp.is_file() and stamp.stat().st_mtime >= lock.stat().st_mtime:
        return
    print("    npm ci (bench/lighthouse: pinned Lighthouse, first run only)", flush=True)
    subprocess.run(
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], cwd=PACKAGE, check=True
    )


def audit(url: str, report: Path) -> dict:
    """One Lighthouse run on ``url``; the parsed JSON report."""
    chrome_flags = ["--headless=new", *CHROMIUM_FLAGS, OFFLINE]
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"}
    subprocess.run(
        ["node", str(CLI), url, "--quiet", "--output=json", f"--output-path={report}"]
        + [f"--only-categories={','.join(CATEGORIES)}", "--no-enable-error-reporting"]
        + [f"--chrome-flags={' '.join(chrome_flags)}", "--max-wait-for-load=120000"],
        env=env,
        check=True,
        timeout=600,
    )
    return json.loads(report.read_text())


def summary(result: dict) -> str:
    scores = " ".join(f"{c} {round(100 * (result['categories'][c]['score'] or 0)):3d}" for c in CATEGORIES)
    audits = result["audits"]
    paints = (
        f"FCP {audits['first-contentful-paint']['numericValue'] / 1000:4.1f} s, "
        f"LCP {audits['largest-contentful-paint']['numericValue'] / 1000:4.1f} s, "
        f"TBT {audits['total-blocking-time']['numericValue']:5.0f} ms, "
        f"CLS {audits['cumulative-layout-shift']['numericValue']:.3f}"
    )
    return f"{scores} | {paints}"


def failing(result: dict) -> list[str]:
    """The audits below full marks in the categories other than performance."""
    found = []
    for category in CATEGORIES[1:]:
        for ref in result["categories"][category]["auditRefs"]:
            entry = result["audits"][ref["id"]]
            if ref["weight"] and entry["score"] is not None and entry["score"] < 1:
                found.append(f"{category}: {ref['id']} ({entry['title']})")
    return found


def print_scores(site: Path, pages: dict[str, str]) -> None:
    install()
    print("Lighthouse 12, mobile (simulated slow 4G), served with gzip by scripts/serve_site.py:")
    server = serve(site, port=0, log=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for name, path in pages.items():
                report = Path(os.environ.get("DH_LIGHTHOUSE_REPORTS", tmp)) / f"{Path(path).stem}.json"
                result = audit(f"{base}/{path}", report)
                print(f"  {name:14} {summary(result)}", flush=True)
                for problem in failing(result):
                    print(f"      below 100: {problem}")
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    sys.path.insert(0, str(HERE))
    from build_and_page_weight import pages_in

    site = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "_build" / "html")
    print_scores(site, pages_in(site))


if __name__ == "__main__":
    main()
