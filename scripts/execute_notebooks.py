"""Re-execute the book's notebooks in place, keeping outputs and widget state.

Chapter and tool notebooks are committed with their outputs; nbval (in `make test`) proves
those outputs are what the code produces today. After changing code that a notebook shows,
run `make notebooks` and commit the notebooks with the change.
Usage: python scripts/execute_notebooks.py [NOTEBOOK ... | --list]   (default: every book/**/*.ipynb)
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from dementia_housing.grading.workarea import inside_work_area

ROOT = Path(__file__).resolve().parents[1]


def execute(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
        record_timing=False,  # timestamps would change every cell on every run
    )
    client.execute()
    if not _has_widgets(notebook):
        notebook.metadata.pop("widgets", None)
    path.write_text(stable_widget_ids(notebook, path.stem), encoding="utf-8")


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_REF = re.compile(r"IPY_MODEL_([0-9a-f]{32})")


def stable_widget_ids(notebook, seed: str) -> str:
    """The notebook as text with its widget models in a fixed order and with fixed ids.

    Each run gives the models random ids, stored in the order their messages arrived. Here they
    are ordered by a walk from each output's widget through the models it refers to (fields
    read in sorted order), then numbered: re-running a notebook whose outputs did not change
    gives the same file, so a diff shows only real changes."""
    state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    order: list[str] = []

    def visit(model: str) -> None:
        if model in state and model not in order:
            order.append(model)
            for ref in _REF.findall(json.dumps(state[model], sort_keys=True)):
                visit(ref)

    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view:
                visit(view.get("model_id", ""))
    unreferenced = sorted(set(state) - set(order), key=lambda m: _REF.sub("", json.dumps(state[m], sort_keys=True)))
    for model in unreferenced:
        visit(model)
    if state:
        notebook.metadata["widgets"][WIDGET_STATE]["state"] = {model: state[model] for model in order}
    ids = {old: hashlib.sha256(f"{seed}:{n}".encode()).hexdigest()[:32] for n, old in enumerate(order)}
    text = nbformat.writes(notebook)
    text = re.sub(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])", lambda m: ids.get(m.group(0), m.group(0)), text)
    return nbformat.writes(nbformat.reads(text, as_version=4))  # written again: keys sorted by the new ids


def _has_widgets(notebook) -> bool:
    state = notebook.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    return bool(state.get("state"))


def book_notebooks() -> list[Path]:
    """The book's notebooks: never hidden folders or checkpoints, never a grading work area
    (learners' submissions run only in the grading sandbox)."""
    return sorted(
        p
        for p in (ROOT / "book").rglob("*.ipynb")
        if not any(part.startswith(".") for part in p.relative_to(ROOT).parts) and not inside_work_area(p)
    )


def main(argv: list[str]) -> None:
    if any(a in ("-h", "--help") for a in argv):
        print(__doc__)
        return
    if argv == ["--list"]:
        print("\n".join(str(p) for p in book_notebooks()))
        return
    paths = [Path(a) for a in argv] or book_notebooks()
    missing = [str(p) for p in paths if p.suffix != ".ipynb" or not p.is_file()]
    if missing:
        sys.exit(f"not a notebook file: {', '.join(missing)} (give .ipynb paths, --list or --help)")
    for path in paths:
        if inside_work_area(path):
            print(f"skipping {path}: it is inside a grading work area")
            continue
        start = time.perf_counter()
        print(f"executing {path.relative_to(ROOT) if path.is_absolute() else path} …", end=" ", flush=True)
        execute(path)
        print(f"{time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
