"""Labels of the figures' pages: indicators, profiles, the local and global pages (see i18n.py)."""

TEXT = {}
