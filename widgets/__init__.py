"""Innokraft's exercise widgets. Each exercise: one module, its computation a plain function."""

from .myth_or_data import MythOrData
from .quiz import Quiz
from .reflection import Reflections
from .unit_barometer import UnitBarometer

__all__ = ["MythOrData", "Quiz", "Reflections", "UnitBarometer"]
