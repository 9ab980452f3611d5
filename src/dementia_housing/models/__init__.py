"""The tools' pure models: standard library only, no widgets, one module per tool, and
``spreadsheet``, the CSV copy they all offer."""
