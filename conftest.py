"""pytest, run from the course root: never collect anything inside a grading work area.

A work area holds learners' submitted notebooks. nbval (``pytest --nbval book``) would run them
outside the grading sandbox, so any folder marked as a work area (see
``dementia_housing.grading.workarea``) is skipped, whatever its name or place.
"""

from pathlib import Path

from dementia_housing.grading.workarea import inside_work_area


def pytest_ignore_collect(collection_path: Path, config):
    if inside_work_area(collection_path):
        return True
    return None
