"""The assessors' pipeline around nbgrader: intake, sandboxed runs, marking, feedback, export.

- ``workarea``: where learners' work is kept, and how every other tool is kept out of it;
- ``course``: the course's folders and nbgrader settings (shared with ``nbgrader_config.py``);
- ``gradebook``: opening the gradebook; keeping its copy of each assignment in step with solutions/;
- ``intake``: folders, named files and zips as learners send them;
- ``sandbox``, ``guard``, ``execute``: running a submission's kernel confined, with limits;
- ``capture`` (runs in the kernel) and ``marking`` (runs in the grader): answers leave the
  kernel as plain values and are marked outside it;
- ``pipeline``: the ``grade`` command from end to end; ``feedback``, ``export``: what assessors
  send back and keep; ``safety``: learners' markup made inert, hidden tests kept out of feedback;
- ``checks``: the format checks learners see under each question.

Kept free of imports on purpose: ``grading.guard``, ``grading.capture`` and ``grading.checks``
are imported inside every sandboxed kernel and must not drag nbgrader or a database driver in.
"""
