"""What is served: the publication behind the ``serving/current`` link, read-only.

A publication is a folder ``serving/publications/<id>/`` holding the whole warehouse
(microdata, for extracts and synthesis), the public file (only the disclosure-controlled
marts), the dbt docs and manifest, the build record and ``publication.json``. The file names
are written here once; :mod:`dwh.publish` writes them, every reader opens them through
:class:`Publication`.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from dwh.core import paths

WAREHOUSE = "warehouse.duckdb"
PUBLIC = "public.duckdb"
DOCS = "docs.html"
MANIFEST = "manifest.json"
BUILD_RECORD = paths.BUILD_RECORD
METADATA = "publication.json"


@dataclass(frozen=True)
class Publication:
    """One publication: its folder, its files and its metadata."""

    folder: Path
    id: str
    published_at: str
    build_started_at: str
    disclosure: dict  # threshold and noise of the cell-key method, as built

    @classmethod
    def load(cls, folder: Path) -> "Publication":
        meta = json.loads((folder / METADATA).read_text())
        return cls(
            folder,
            meta["id"],
            meta["published_at"],
            meta["build_started_at"],
            meta["disclosure"],
        )

    @property
    def warehouse(self) -> Path:
        """All marts and the pseudonymised microdata (extracts, synthesis)."""
        return self.folder / WAREHOUSE

    @property
    def public(self) -> Path:
        """Only the disclosure-controlled marts: all the public dashboards may open."""
        return self.folder / PUBLIC

    @property
    def docs(self) -> Path:
        return self.folder / DOCS

    @property
    def manifest(self) -> Path:
        """dbt's manifest of the build: models, columns and their descriptions."""
        return self.folder / MANIFEST

    def build_record(self) -> dict:
        """The record of the build this publication serves (deliveries, dbt nodes)."""
        return json.loads((self.folder / BUILD_RECORD).read_text())


def link() -> Path:
    """The symbolic link to the served publication, replaced atomically by ``dwh publish``."""
    return paths.serving_dir() / "current"


def history() -> Path:
    """Every publication ever served, one JSON line each."""
    return paths.serving_dir() / "history.jsonl"


def current() -> Publication | None:
    """The served publication, if any."""
    folder = link()
    return Publication.load(folder.resolve()) if folder.exists() else None
