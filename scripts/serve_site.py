"""Serve the built course as a real web host does: compressed, with the right types and headers.

A browser that sends ``Accept-Encoding: gzip`` gets a text asset (HTML, CSS, JavaScript, JSON,
SVG, WebAssembly…) gzipped, with ``Content-Encoding: gzip`` and ``Vary: Accept-Encoding``; others
get the file as it is. A ``.gz`` file written beside an asset by scripts/precompress.py is sent
as it is (like nginx's ``gzip_static``); without one the asset is compressed once and kept in
memory. Nothing else changes: the same files, the same addresses, no caching headers.

Run: python scripts/serve_site.py [--host 127.0.0.1] [--port 8000] [DIRECTORY]  (make serve)
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import os
import sys
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# What a host compresses. Already-compressed formats (images, fonts, .zip, .whl) are left alone.
COMPRESSIBLE = {
    ".html",
    ".htm",
    ".css",
    ".js",
    ".mjs",
    ".json",
    ".map",
    ".svg",
    ".txt",
    ".md",
    ".xml",
    ".wasm",
    ".ipynb",
    ".ttf",
    ".eot",
}
SMALLEST = 1024  # bytes: below this, gzip's header costs more than it saves (nginx's gzip_min_length)
GZIP_LEVEL = 9  # scripts/precompress.py: compressed once, served many times
ON_THE_FLY_LEVEL = 6  # zlib's default (Apache's too): quick enough for 10 MB of WebAssembly
TYPES = {".mjs": "text/javascript", ".wasm": "application/wasm", ".ipynb": "application/x-ipynb+json"}


def accepts_gzip(header: str | None) -> bool:
    """Whether an Accept-Encoding header allows gzip (and does not refuse it with q=0)."""
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in {"gzip", "*"}:
            quality = params.strip().removeprefix("q=")
            return not (params.strip().startswith("q=") and float(quality or 0) == 0)
    return False


class CompressingHandler(SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler that sends gzip when the browser accepts it."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **TYPES}
    log_requests = False
    _memory: dict[tuple[str, float], bytes] = {}
    _varies = False

    def log_message(self, *args) -> None:
        if self.log_requests:
            super().log_message(*args)

    def send_head(self):
        path = Path(self.translate_path(self.path))
        self._varies = path.suffix.lower() in COMPRESSIBLE and path.is_file() and path.stat().st_size >= SMALLEST
        if not (self._varies and accepts_gzip(self.headers.get("Accept-Encoding"))):
            return super().send_head()
        body = self._gzipped(path)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self) -> None:
        if self._varies:  # a cache must not give the gzipped copy to a browser that cannot read it
            self.send_header("Vary", "Accept-Encoding")
        super().end_headers()

    def _gzipped(self, path: Path) -> bytes:
        ready = path.with_name(path.name + ".gz")
        if ready.is_file() and ready.stat().st_mtime >= path.stat().st_mtime:
            return ready.read_bytes()
        key = (str(path), path.stat().st_mtime)
        if key not in self._memory:
            self._memory[key] = gzip.compress(path.read_bytes(), compresslevel=ON_THE_FLY_LEVEL, mtime=0)
        return self._memory[key]


def serve(directory: Path, host: str = "127.0.0.1", port: int = 8000, log: bool = True) -> ThreadingHTTPServer:
    """A server for ``directory`` (not yet started: call serve_forever, or shutdown when done)."""
    handler = functools.partial(CompressingHandler, directory=str(directory))
    CompressingHandler.log_requests = log
    return ThreadingHTTPServer((host, port), handler)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", default="_build/html", type=Path)
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    args = parser.parse_args()
    if not (args.directory / "index.html").is_file():
        sys.exit(f"Nothing built in {args.directory}: run 'make build' or 'make book' first")
    server = serve(args.directory, args.host, args.port, log=not args.quiet)
    print(f"==> Serving the course on http://{args.host}:{server.server_address[1]}/  (Ctrl-C stops it)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
