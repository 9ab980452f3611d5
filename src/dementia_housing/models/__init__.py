"""The tools' pure models: standard library only, no widgets, one module per tool."""
