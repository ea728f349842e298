"""The ingest: check every delivered file and row, pseudonymise at the door, write the landing
zone and the delivery register (``run``, ``register``). Knows the simulator not at all: it
reads what :mod:`dwh.deliveries` describes."""
