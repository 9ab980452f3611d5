"""Re-execute the book's notebooks in place, keeping outputs and widget state.

Chapter and tool notebooks are committed with their outputs; nbval (in `make test`) proves
those outputs are what the code produces today. After changing code that a notebook shows,
run `make notebooks` and commit the notebooks with the change.
Usage: python scripts/execute_notebooks.py [NOTEBOOK ... | --list]   (default: every book/**/*.ipynb)
"""

from __future__ import annotations

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
    )
    client.execute()
    if not _has_widgets(notebook):
        notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)


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
    if argv == ["--list"]:
        print("\n".join(str(p) for p in book_notebooks()))
        return
    paths = [Path(a) for a in argv] or book_notebooks()
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
