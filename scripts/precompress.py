"""Write a gzipped copy (NAME.gz) beside each large text asset of the built site.

A host that serves precompressed files (nginx ``gzip_static on``, Apache with a rewrite rule,
scripts/serve_site.py) then sends these instead of compressing on every request. Only files that
gzip makes at least 10% smaller are kept; the originals stay for browsers that do not accept
gzip. Running it again rewrites only the copies older than their file.

Run: python scripts/precompress.py [DIRECTORY]  (make build runs it on _build/html)
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_site import COMPRESSIBLE, GZIP_LEVEL, SMALLEST

WORTH_IT = 0.9  # keep a .gz only if it is at most 90% of the file


def precompress(site: Path) -> tuple[int, int, int]:
    """Gzip the site's compressible files; returns (files written or kept, bytes before, after)."""
    count = before = after = 0
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in COMPRESSIBLE or path.stat().st_size < SMALLEST:
            continue
        target = path.with_name(path.name + ".gz")
        if not (target.is_file() and target.stat().st_mtime >= path.stat().st_mtime):
            data = gzip.compress(path.read_bytes(), compresslevel=GZIP_LEVEL, mtime=0)
            if len(data) > WORTH_IT * path.stat().st_size:
                target.unlink(missing_ok=True)
                continue
            target.write_bytes(data)
        count += 1
        before += path.stat().st_size
        after += target.stat().st_size
    return count, before, after


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "_build/html")
    if not (site / "index.html").is_file():
        sys.exit(f"Nothing built in {site}: run 'make build' first")
    count, before, after = precompress(site)
    print(f"    precompressed {count} files: {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB gzipped (beside them, .gz)")


if __name__ == "__main__":
    main()
