"""The assessors' pipeline around nbgrader: intake, sandboxed autograding, feedback, export.

Kept free of imports on purpose: ``grading.guard`` is imported inside every sandboxed kernel
and must not drag nbgrader or a database driver in with it.
"""
