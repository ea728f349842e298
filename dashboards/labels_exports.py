"""Labels of numbers, dates, downloads and their metadata (see i18n.py)."""

TEXT = {}
