"""Where everything lives: one data directory, ``$DWH_HOME`` (default ``./data``)."""

import os
from pathlib import Path
from typing import Literal

PROJECT_DIR = Path(__file__).resolve().parents[2]
SEEDS_DIR = PROJECT_DIR / "seeds"


def home() -> Path:
    """The data directory, created on first use, readable by its owner only.

    Everything the platform writes lives here (the deliveries, the build, the publications,
    the requests' store with its password hashes, the extracts, the key), so the process
    creates its files 0600 and its folders 0700 (umask 077), and so do dbt and the dashboards
    it starts."""
    os.umask(0o077)
    path = Path(os.environ.get("DWH_HOME", PROJECT_DIR / "data")).resolve()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def deliveries() -> Path:
    return home() / "deliveries"


def landing() -> Path:
    """Pseudonymised, validated copies of the deliveries (Parquet), read by dbt as sources."""
    return build_dir() / "landing"


def build_dir() -> Path:
    return home() / "build"


def build_db() -> Path:
    return build_dir() / "warehouse.duckdb"


BUILD_RECORD = "build.json"  # a build's record, beside its warehouse and in its publication


def build_record() -> Path:
    """The last build's record: what it ingested and what dbt did."""
    return build_dir() / BUILD_RECORD


def spark_warehouse() -> Path:
    """The tables of a build on Spark (``dwh build --target spark``), and their metastore."""
    return build_dir() / "spark-warehouse"


def serving_dir() -> Path:
    return home() / "serving"


def extracts() -> Path:
    """The delivered extracts, one folder per request (``<number>/``)."""
    return home() / "extracts"


def extract_folders(number: str) -> tuple[Path, Path, Path]:
    """The delivery folder of a request, the hidden one it is written in, and the hidden one
    an earlier delivery is moved to while the new one takes its place."""
    root = extracts()
    return root / number, root / f".{number}.partial", root / f".{number}.old"


Target = Literal["dev", "spark"]  # the targets of profiles.yml a build runs on: DuckDB or Spark
