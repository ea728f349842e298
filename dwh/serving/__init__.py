"""The read side of a publication: what is served (``publication``) and what researchers may
ask of it (``catalogue``). Dashboards, synthesis and extracts read through this package only."""
