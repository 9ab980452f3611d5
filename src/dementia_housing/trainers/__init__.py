"""Tools for trainers: the pre- and post-workshop knowledge check and the cohort report.

``knowledge_check`` loads the question bank (``data/knowledge-check.json``); ``cohort`` reads a
group's responses and does the arithmetic (standard library only); ``cohort_report`` turns the
result into an HTML page and, if asked, a PDF (matplotlib and Playwright, imported only there).
"""
