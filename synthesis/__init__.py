"""Synthetic versions of the published warehouse (SDV), released only through a quality and
privacy gate. ``synthesize`` is the entry point; ``engines`` holds the replaceable engine."""
