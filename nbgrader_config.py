"""nbgrader's view of this repository, so stock nbgrader commands and the formgrader work here.

Sources with solutions and hidden tests live in solutions/<assignment>/, the released learner
notebooks in exercises/<assignment>/ (generated, committed). Everything about learners (their
submissions, grades, feedback and the gradebook) stays in the grading work area, by default the
folder beside this course called `<course folder>-grading` (or $DEMENTIA_HOUSING_WORK), outside
the book's source tree. The settings themselves are in dementia_housing.grading.course, shared
with the assessors' command `dementia-housing grade SUBMISSIONS` (see book/assessors/guide.md),
which does not read this file.
"""

import os

from dementia_housing.grading import workarea
from dementia_housing.grading.course import nbgrader_settings

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

_here = os.path.dirname(os.path.abspath(__file__))
_work = workarea.default_work_area(_here)
if not os.environ.get("DEMENTIA_HOUSING_DB_URL"):
    workarea.mark(_work)  # stock nbgrader's SQLite gradebook cannot create its folder itself
nbgrader_settings(c, root=_here, work=_work)
