"""Labels of the app's frame: navigation, page titles, shared links, errors (see i18n.py)."""

TEXT = {}
