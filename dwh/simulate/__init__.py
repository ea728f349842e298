"""The simulator, a stand-in for the institutions: a synthetic population (``population``) and
the files each institution would deliver about it (``run``), in the shapes of
:mod:`dwh.deliveries`. The warehouse never imports it."""
