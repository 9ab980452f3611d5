"""The gradebook on PostgreSQL (nbgrader's db_url), with a private server from Debian's packages."""

from __future__ import annotations

import csv
import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from grading_helpers import CH02_RIGHT, ROOT, answered, ensure_bubblewrap, points, released, save

from dementia_housing.grading.pipeline import Course, grade
from dementia_housing.grading.sandbox import Limits

pytestmark = pytest.mark.grading
SCRIPT = ROOT / "scripts" / "postgres_for_tests.sh"


@pytest.fixture(scope="module")
def postgres_url():
    installed = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    can_install = os.geteuid() == 0 and shutil.which("apt-get")
    if not installed and not can_install:
        reason = "PostgreSQL is not installed and this is not root with apt-get to install it"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run the PostgreSQL gradebook test")
        pytest.skip(reason)
    folder = Path(tempfile.mkdtemp(prefix="dh-pg-"))
    folder.chmod(0o755)  # the server runs as the 'postgres' user
    started = subprocess.run(["bash", str(SCRIPT), "start", str(folder / "pg")], capture_output=True, text=True)
    if started.returncode != 0:
        pytest.fail(f"could not start PostgreSQL:\n{started.stderr}")
    yield started.stdout.strip().splitlines()[-1]
    subprocess.run(["bash", str(SCRIPT), "stop", str(folder / "pg")], capture_output=True)
    shutil.rmtree(folder, ignore_errors=True)


def test_grading_with_a_postgresql_gradebook(postgres_url, tmp_path):
    ensure_bubblewrap()
    subs = tmp_path / "subs"
    save(answered("ch02-understanding", CH02_RIGHT), subs / "sam_ch02-understanding.ipynb")
    save(released("ch02-understanding"), subs / "alex_ch02-understanding.ipynb")
    course = Course.at(ROOT, work=tmp_path / "work", db_url=postgres_url)
    report = grade(subs, course, limits=Limits(cell_seconds=10, total_seconds=60), say=lambda line: None)
    assert {g.status for g in report.graded} == {"graded"}
    assert not (tmp_path / "work" / "gradebook.db").exists()  # nothing went to SQLite
    with open(report.export, newline="") as handle:
        rows = {r["learner"]: r for r in csv.DictReader(handle)}
    full_auto_marks = points("ch02-understanding", "auto")  # sam answered every question right
    assert float(rows["sam"]["score"]) == full_auto_marks and float(rows["alex"]["score"]) == 0

    from nbgrader.api import Gradebook

    with Gradebook(postgres_url, course.course_id) as gb:
        assert gb.find_submission("ch02-understanding", "sam").score == full_auto_marks
