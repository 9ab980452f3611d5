"""Write the live tools' wheel pins in scripts/web-assets.json from constraints.txt.

The reader's browser runs our package and its pure-Python dependencies. Which wheels those are
follows from two files that are already the source of truth: ``pyproject.toml`` names our
package's dependencies, and ``constraints.txt`` pins every version. This script walks the
dependencies from there, reading each wheel's own metadata (``Requires-Dist``, evaluated for
Pyodide, i.e. Emscripten) and writes each wheel's version, sha256, imports, dependencies and
licence into the manifest. ``leave_out`` in the manifest lists, with a reason, what the browser
does without. ``make lock`` runs it after re-pinning, so one command leaves everything
consistent; ``--check`` (run by the tests) fails if the manifest no longer matches.

Wheels already fetched into the live runtime's folder are read from there; others are
downloaded from PyPI (``pip download``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "scripts" / "web-assets.json"


def pins(constraints: Path) -> dict[str, str]:
    """constraints.txt as {canonical name: version}."""
    pinned = {}
    for line in constraints.read_text(encoding="utf-8").splitlines():
        name, _, version = line.strip().partition("==")
        if version:
            pinned[canonicalize_name(name)] = version.strip()
    return pinned


def own_dependencies(pyproject: Path) -> list[str]:
    """Our package's runtime dependencies (what the browser must install), as canonical names."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    return [canonicalize_name(Requirement(spec).name) for spec in project["dependencies"]]


def pyodide_environment(python_version: str) -> dict[str, str]:
    """The values environment markers see in Pyodide."""
    return {
        "python_version": python_version,
        "python_full_version": f"{python_version}.0",
        "sys_platform": "emscripten",
        "platform_system": "Emscripten",
        "platform_machine": "wasm32",
        "os_name": "posix",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "extra": "",
    }


def wheel_file(name: str, version: str, python_version: str, folders: list[Path], download_to: Path) -> Path:
    """The pure-Python wheel of ``name==version``: from a folder we already have, else from PyPI."""
    stem = f"{name.replace('-', '_')}-{version}-"
    for folder in folders:
        found = sorted(p for p in folder.glob("*.whl") if canonicalize_name(p.name.split("-")[0]) == name)
        found = [p for p in found if p.name.split("-")[1] == version]
        if found:
            return found[0]
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps"]
    command += ["--only-binary=:all:", "--platform", "any", "--implementation", "py"]
    command += ["--python-version", python_version, "--dest", str(download_to), f"{name}=={version}"]
    result = subprocess.run(command, capture_output=True, text=True)
    wheels = [p for p in download_to.glob("*.whl") if p.name.lower().startswith(stem.lower())]
    if result.returncode != 0 or not wheels:
        sys.exit(f"{name}=={version}: no pure-Python wheel (py3-none-any) could be fetched:\n{result.stderr.strip()}")
    return wheels[0]


def metadata(wheel: Path) -> tuple[dict, list[str]]:
    """A wheel's METADATA headers and its top-level import names."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = next(n for n in names if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))
        headers = Parser().parsestr(archive.read(info).decode("utf-8"))
        top_level = next((n for n in names if n.endswith(".dist-info/top_level.txt")), None)
        if top_level:
            imports = archive.read(top_level).decode().split()
        else:
            tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}
            imports = sorted(t.removesuffix(".py") for t in tops if "/" not in t or t.endswith(".py"))
    return headers, sorted(i for i in imports if not i.startswith("_"))


def licence(headers, name: str, previous: dict[str, dict]) -> str:
    """The SPDX licence: the wheel's License-Expression, else what the manifest said before."""
    expression = headers.get("License-Expression")
    if expression:
        return expression.strip()
    if name in previous:
        return previous[name]["license"]
    sys.exit(f"{name}: its wheel has no License-Expression; add its SPDX licence to web-assets.json by hand")


def resolve(manifest: dict, pinned: dict[str, str], roots: list[str], folders: list[Path]) -> list[dict]:
    """Every wheel the browser needs, dependencies before the packages that need them."""
    wheels = manifest["wheels"]
    left_out = {canonicalize_name(n) for n in wheels.get("leave_out", {})}
    environment = pyodide_environment(wheels["python_version"])
    previous = {p["name"]: p for p in wheels.get("packages", [])}
    entries: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:

        def visit(name: str, chain: tuple[str, ...]) -> None:
            if name in entries or name in left_out:
                return
            if name in chain:
                sys.exit(f"dependency loop: {' -> '.join((*chain, name))}")
            if name not in pinned:
                sys.exit(f"{name} is needed in the browser ({' -> '.join(chain)}) but not pinned in constraints.txt")
            wheel = wheel_file(name, pinned[name], wheels["python_version"], folders, Path(tmp))
            headers, imports = metadata(wheel)
            depends = []
            for spec in headers.get_all("Requires-Dist") or []:
                requirement = Requirement(spec)
                if requirement.marker is None or requirement.marker.evaluate(environment):
                    dependency = canonicalize_name(requirement.name)
                    if dependency not in left_out:
                        depends.append(dependency)
            for dependency in depends:
                visit(dependency, (*chain, name))
            entries[name] = {
                "name": name,
                "version": pinned[name],
                "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
                "imports": imports,
                "depends": depends,
                "license": licence(headers, name, previous),
            }

        for root in roots:
            visit(root, ("dementia-housing",))
    return list(entries.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if web-assets.json is not what it should be")
    options = parser.parse_args()
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    folders = [ROOT / manifest["wheels"]["destination"]]
    packages = resolve(manifest, pins(ROOT / "constraints.txt"), own_dependencies(ROOT / "pyproject.toml"), folders)
    if options.check:
        if packages != manifest["wheels"]["packages"]:
            have = {(p["name"], p["version"]) for p in manifest["wheels"]["packages"]}
            want = {(p["name"], p["version"]) for p in packages}
            sys.exit(
                "scripts/web-assets.json does not match constraints.txt and the wheels' metadata "
                f"(only in the file: {sorted(have - want)}; needed: {sorted(want - have)}); run python scripts/pin_live_wheels.py"
            )
        print(f"web-assets.json: {len(packages)} live wheels, all as constraints.txt pins them")
        return
    manifest["wheels"]["packages"] = packages
    MANIFEST.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"web-assets.json: {len(packages)} live wheels pinned from constraints.txt")


if __name__ == "__main__":
    main()
