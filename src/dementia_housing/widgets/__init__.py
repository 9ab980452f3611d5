"""Thin ipywidgets views over the course's models. No arithmetic lives here."""

from .interactions import InteractionSorter
from .prevalence import PrevalenceEstimator
from .vips import VipsSelfAssessment

__all__ = ["InteractionSorter", "PrevalenceEstimator", "VipsSelfAssessment"]
