"""Fetch the course's pinned front-end files (npm registry) and the live tools' wheels (PyPI).

Each npm package in scripts/web-assets.json is fetched at its exact version (``npm pack``), its
tarball is checked against the recorded npm integrity (sha512), and the listed files are
copied to their destination. The wheels the live tools run in the reader's browser are
downloaded with ``pip download --require-hashes`` (pure-Python wheels for Python 3.14).
Each destination gets a LICENSES.md naming every package, version and licence. A stamp file
makes re-runs instant while the manifest is unchanged. Run: python scripts/fetch_web_assets.py
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "scripts" / "web-assets.json"


def integrity_of(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def fetch(package: dict, workdir: Path) -> Path:
    spec = f"{package['name']}@{package['version']}"
    print(f"  npm pack {spec}", flush=True)
    try:
        out = subprocess.run(
            ["npm", "pack", spec, "--json", "--pack-destination", str(workdir)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    except FileNotFoundError:
        sys.exit("npm is not installed: install Node.js and npm (Debian: apt-get install nodejs npm), then run again")
    except subprocess.CalledProcessError as failure:
        sys.exit(f"npm could not fetch {spec}:\n{failure.stderr.strip()}")
    tarball = workdir / json.loads(out)[0]["filename"]
    actual = integrity_of(tarball)
    if actual != package["integrity"]:
        sys.exit(f"{spec}: integrity mismatch\n  expected {package['integrity']}\n  got      {actual}")
    return tarball


def extract(package: dict, tarball: Path) -> list[str]:
    destination = ROOT / package["destination"]
    destination.mkdir(parents=True, exist_ok=True)
    copied = []
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            if not member.isfile():
                continue
            inner = member.name.removeprefix("package/")
            if any(fnmatch.fnmatch(inner, pattern) for pattern in package["files"]):
                source = archive.extractfile(member)
                target = destination / Path(inner).name
                target.write_bytes(source.read())
                copied.append(target.name)
    if not copied:
        sys.exit(f"{package['name']}: none of {package['files']} found in the package")
    return copied


def fetch_wheels(wheels: dict, workdir: Path) -> list[str]:
    """Download the pinned wheels, checked against their sha256, into the wheels' destination."""
    destination = ROOT / wheels["destination"]
    destination.mkdir(parents=True, exist_ok=True)
    requirements = workdir / "live-wheels.txt"
    requirements.write_text(
        "".join(f"{w['name']}=={w['version']} --hash=sha256:{w['sha256']}\n" for w in wheels["packages"]),
        encoding="utf-8",
    )
    print(f"  pip download {len(wheels['packages'])} wheels for Python {wheels['python_version']}", flush=True)
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps"]
    command += ["--only-binary=:all:", "--platform", "any", "--implementation", "py"]
    command += ["--python-version", wheels["python_version"], "--require-hashes", "-r", str(requirements)]
    command += ["--dest", str(destination)]
    try:
        subprocess.run(command, check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError as failure:
        sys.exit(f"pip could not fetch the live tools' wheels:\n{failure.stderr.strip()}")
    return [f"- `{w['name']}` {w['version']} (PyPI wheel) — {w['license']}" for w in wheels["packages"]]


def main() -> None:
    manifest_text = MANIFEST.read_text(encoding="utf-8")
    manifest = json.loads(manifest_text)
    digest = hashlib.sha256(manifest_text.encode()).hexdigest()
    wheels = manifest["wheels"]
    destinations = sorted({p["destination"] for p in manifest["packages"]} | {wheels["destination"]})
    stamps = [ROOT / d / ".fetched" for d in destinations]
    if all(s.exists() and s.read_text() == digest for s in stamps):
        print("Front-end files are up to date (" + ", ".join(destinations) + ")")
        return
    print("Fetching pinned front-end files from the npm registry…", flush=True)
    licences: dict[str, list[str]] = {d: [] for d in destinations}
    with tempfile.TemporaryDirectory() as tmp:
        for package in manifest["packages"]:
            files = extract(package, fetch(package, Path(tmp)))
            licences[package["destination"]].append(
                f"- `{package['name']}` {package['version']} — {package['license']} — files: {', '.join(sorted(files))}"
            )
        licences[wheels["destination"]] += fetch_wheels(wheels, Path(tmp))
    for destination, lines in licences.items():
        (ROOT / destination / "LICENSES.md").write_text(
            "# Third-party files in this folder\n\nFetched by scripts/fetch_web_assets.py from the npm registry and PyPI, "
            "pinned by version and integrity. Licence texts ship inside the files or beside them.\n\n"
            + "\n".join(lines)
            + "\n",
            encoding="utf-8",
        )
        (ROOT / destination / ".fetched").write_text(digest)
        size = sum(f.stat().st_size for f in (ROOT / destination).iterdir() if f.is_file())
        print(f"  -> {destination} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
