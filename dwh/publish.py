"""``dwh publish``: atomically swap the last successful build into the serving copy.

The writer of publications (:mod:`dwh.serving.publication` reads them). Each publication is
a folder ``serving/publications/<id>/`` holding the warehouse (all of it: microdata for
extracts and synthesis), the public file (only the disclosure-controlled marts that the
public dashboards may read), the dbt docs and manifest, and the build record.
``serving/current`` is a symbolic link to the served publication, replaced in one atomic
rename; readers open files through it, read-only, so a reader never sees a half publication
and a connection already open keeps reading the publication it opened.
"""

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import yaml

from dwh.build import output_check
from dwh.build import record as build
from dwh.core import paths
from dwh.serving import publication as served

REQUIRED = ("fct_person_quarter", "local_figures", "global_figures", "source_status")


class PublishError(Exception):
    """The build cannot be published; the served warehouse stays as it was."""


def disclosure_parameters() -> dict[str, int]:
    """The dbt vars of the disclosure control, recorded with each publication for its readers."""
    project = yaml.safe_load((paths.PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
    return {"threshold": project["disclosure_threshold"], "noise": project["perturbation_max"]}


def public_tables() -> list[str]:
    """The models tagged ``public`` in dbt: the only tables the public dashboards get."""
    manifest = json.loads(build.manifest_file().read_text())
    return sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and "public" in node["tags"]
    )


def _verify(db: Path):
    with duckdb.connect(str(db), read_only=True) as con:
        for table in REQUIRED:
            try:
                con.execute(f"select count(*) from {table}").fetchone()
            except duckdb.Error as e:
                raise PublishError(f"the built warehouse lacks {table}: {e}") from None


def _write_public(warehouse: Path, public: Path, tables: list[str]):
    with duckdb.connect(str(public)) as con:
        con.execute("attach ? as built (read_only)", [str(warehouse)])
        for table in tables:
            con.execute(f"create table {table} as select * from built.main.{table}")
        con.execute("detach built")


def publish(keep: int = 3) -> dict:
    """Publish the last build if it succeeded; returns the publication record."""
    record = build.read_record()
    if record is not None and record.get("target") == "spark":
        raise PublishError(
            f"the last build ran on Spark; its tables are in {record['warehouse']}. "
            "The dashboards serve DuckDB builds: run `dwh build` to publish."
        )
    if record is None or not paths.build_db().exists():
        raise PublishError("nothing is built yet: run `dwh build` first")
    checked = record.get("output_check")
    if checked and checked["disclosive"]:
        raise PublishError(
            "the build's output check flags it as disclosive, the served warehouse is "
            "unchanged:\n  " + "\n  ".join(output_check.violation_lines(checked))
        )
    if record["status"] != "success":
        reasons = record["rejected_files"] or ["the dbt build failed (see `dwh status`)"]
        raise PublishError(
            "the last build failed, the served warehouse is unchanged:\n  " + "\n  ".join(reasons)
        )
    if checked is None or not output_check.unchanged(checked, paths.build_db()):
        raise PublishError(
            "the built warehouse is not the one its output check passed: run `dwh build`"
        )
    _verify(paths.build_db())
    tables = public_tables()
    if unchecked := output_check.unreviewed(tables):
        raise PublishError(
            f"public models neither output-checked nor reviewed: {', '.join(unchecked)} "
            "(dwh/build/output_check.py: FIGURES or REVIEWED); the served warehouse is unchanged"
        )
    serving = paths.serving_dir()
    publications = serving / "publications"
    pub_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    staging = publications / f".{pub_id}.partial"
    staging.mkdir(parents=True)
    shutil.copy2(paths.build_db(), staging / served.WAREHOUSE)
    _write_public(staging / served.WAREHOUSE, staging / served.PUBLIC, tables)
    if build.docs_file().exists():
        shutil.copy2(build.docs_file(), staging / served.DOCS)
    shutil.copy2(build.manifest_file(), staging / served.MANIFEST)
    shutil.copy2(paths.build_dir() / build.RECORD, staging / served.BUILD_RECORD)
    publication = {
        "id": pub_id,
        "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_started_at": record["started_at"],
        "disclosure": disclosure_parameters(),
    }
    (staging / served.METADATA).write_text(json.dumps(publication, indent=2) + "\n")
    final = publications / pub_id
    staging.rename(final)
    link = served.link()
    tmp_link = serving / f".current.{pub_id}"
    tmp_link.symlink_to(final.relative_to(serving))
    os.replace(tmp_link, link)
    with served.history().open("a") as f:
        f.write(json.dumps(publication) + "\n")
    _prune(publications, keep, final)
    return publication


def _prune(publications: Path, keep: int, serving: Path):
    """Keep the ``keep`` newest publications; readers of older ones keep their open files."""
    old = sorted(p for p in publications.iterdir() if not p.name.startswith("."))[:-keep]
    for folder in old:
        if folder != serving:
            shutil.rmtree(folder, ignore_errors=True)
