"""Thin ipywidgets views over the course's models. No arithmetic lives here."""

from .prevalence import PrevalenceEstimator

__all__ = ["PrevalenceEstimator"]
