"""The ``dwh`` command line: one module per command group (``warehouse``: simulate, build,
status, serve; ``review``: review, publish, rollback and history; ``synthetic``; ``users``;
``requests``: requests and extracts).

Each command imports what it runs when it runs, so ``dwh --help`` loads no build, ingest,
simulation or synthesis code (``bench/cli.py`` measures it).
"""

# isort: off
# Each module registers its commands; --help lists them in this order. review's `publish`
# (with --rollback and --history) replaces warehouse's, registered before it.
from dwh.cli import warehouse, review, synthetic, users, requests  # noqa: F401
from dwh.cli.app import app
# isort: on

__all__ = ["app"]

if __name__ == "__main__":
    app()
