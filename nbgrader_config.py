"""nbgrader's view of this repository, so stock nbgrader commands and the formgrader work here.

Sources with solutions and hidden tests live in solutions/<assignment>/, the released learner
notebooks in exercises/<assignment>/ (generated, committed). Everything about learners (their
submissions, grades, feedback and the gradebook) stays in the git-ignored work area .grading/.
The assessors' command is `dementia-housing grade SUBMISSIONS` (see book/assessors/guide.md).
"""

import os
import sys

from dementia_housing.grading.safety import HideHiddenTests, SanitiseLearnerCells

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

_here = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = _here
c.CourseDirectory.course_id = "dementia-housing"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.submitted_directory = os.path.join(".grading", "submitted")
c.CourseDirectory.autograded_directory = os.path.join(".grading", "autograded")
c.CourseDirectory.feedback_directory = os.path.join(".grading", "feedback")
c.CourseDirectory.solution_directory = os.path.join(".grading", "solution")
# The gradebook: SQLite in the work area by default. For a shared PostgreSQL gradebook set
# DEMENTIA_HOUSING_DB_URL (or pass --db-url to dementia-housing grade), for example
# postgresql+psycopg2://assessor@dbhost/dementia_housing (psycopg2 driver).
# A new gradebook is created by running nbgrader's `alembic` command: find this environment's
# copy even when the virtual environment is not activated.
_tools = os.path.dirname(sys.executable)
if _tools not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _tools + os.pathsep + os.environ.get("PATH", "")

_db_url = os.environ.get("DEMENTIA_HOUSING_DB_URL")
if not _db_url:
    os.makedirs(os.path.join(_here, ".grading"), exist_ok=True)  # SQLite cannot create the folder itself
    _db_url = "sqlite:///" + os.path.join(_here, ".grading", "gradebook.db")
c.CourseDirectory.db_url = _db_url

# Friendly stubs where generate_assignment removes a solution.
c.ClearSolutions.code_stub = {
    "python": (
        "# Your answer goes here: replace both lines of this cell with your answer, then run it.\n"
        'raise NotImplementedError("Not answered yet: replace this cell with your answer")'
    )
}
c.ClearSolutions.text_stub = "*Write your answer here, in your own words (double-click to type).*"

# Stock `nbgrader autograde` / `generate_feedback`, if an assessor runs them directly, get the
# same protections as the course's command: learners' markup is made inert before anyone sees
# it, and feedback never shows hidden tests. (Prefer `dementia-housing grade`: it also runs
# each submission in a sandbox.)
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.Execute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
    SanitiseLearnerCells,
]
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    HideHiddenTests,
    SanitiseLearnerCells,
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
