"""The build record ``build.json``: what a build ingested and what dbt did, the record that
``dwh publish`` checks before it serves anything."""

import json
from pathlib import Path

from dwh.core import paths
from dwh.ingest.register import Delivery

RECORD = paths.BUILD_RECORD


def read_record() -> dict | None:
    path = paths.build_record()
    return json.loads(path.read_text()) if path.exists() else None


def deliveries_of(record: dict) -> list[Delivery]:
    return [Delivery(**d) for d in record["deliveries"]]


def docs_file() -> Path:
    return paths.build_dir() / "dbt-target" / "static_index.html"


def manifest_file() -> Path:
    """dbt's manifest of the last build: models, columns, tags, descriptions."""
    return paths.build_dir() / "dbt-target" / "manifest.json"
