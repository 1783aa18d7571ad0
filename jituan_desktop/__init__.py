"""Jituan Desktop (集团化办学工作台): offline workbench for school education groups."""

__version__ = "0.1.0"
