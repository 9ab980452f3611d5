"""`make notebooks` gives reviewable diffs: re-running a notebook whose outputs did not change
rewrites it byte for byte (no random widget ids, no reordered state, no timings)."""

from __future__ import annotations

import importlib.util
import shutil

import pytest
from helpers import ROOT

spec = importlib.util.spec_from_file_location("execute_notebooks", ROOT / "scripts" / "execute_notebooks.py")
execute_notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(execute_notebooks)

NOTEBOOKS = execute_notebooks.book_notebooks()


def test_the_script_finds_the_book_notebooks():
    assert NOTEBOOKS and all(p.suffix == ".ipynb" and "book" in p.parts for p in NOTEBOOKS)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_re_executing_a_committed_notebook_changes_nothing(notebook, tmp_path):
    copy = tmp_path / notebook.name
    shutil.copy(notebook, copy)
    execute_notebooks.execute(copy)
    assert copy.read_bytes() == notebook.read_bytes(), (
        f"{notebook.relative_to(ROOT)} is not what `make notebooks` writes: run it and commit the result"
    )
