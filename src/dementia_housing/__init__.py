"""Dementia and Housing: the course's models (pure, standard library) and thin widget views."""

__version__ = "0.1.0"
