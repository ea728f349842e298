"""``dwh publish``: atomically swap the last successful build into the serving copy.

The writer of publications (:mod:`dwh.serving.publication` reads them). Each publication is
a folder ``serving/publications/<id>/`` holding the warehouse (all of it: microdata for
extracts and synthesis), the public file (only the disclosure-controlled marts that the
public dashboards may read), the dbt docs and manifest, and the build record.
``serving/current`` is a symbolic link to the served publication, replaced in one atomic
rename; readers open files through it, read-only, so a reader never sees a half publication
and a connection already open keeps reading the publication it opened.

``publication.json`` records the SHA-256 of every file; a rollback serves a kept publication
again through the same link, once those checksums, its tables and its output check are
verified again. ``serving/history.jsonl`` records every publish and rollback: who, when, how
(the command line or the web) and which publication.

``python -m dwh.publish STEWARD`` publishes for a steward the stewards' page has signed in:
the page runs it as a child process, so the dashboards never load build code.
"""

import getpass
import json
import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import yaml

from dwh.build import output_check
from dwh.build import record as build
from dwh.core import paths
from dwh.core.files import sha256_file
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


def _verify(db: Path, what: str = "the built warehouse"):
    """The tables readers need, read from the file alone: a view on files outside it (the
    build's landing zone) would change under a publication, and a rollback's checksums would
    not cover it."""
    config = {"enable_external_access": False}
    with duckdb.connect(str(db), read_only=True, config=config) as con:
        for table in REQUIRED:
            try:
                con.execute(f"select count(*) from {table}").fetchone()
            except duckdb.PermissionException as e:
                raise PublishError(
                    f"{what}: {table} reads files outside the warehouse ({e}); a publication "
                    "must hold its tables (materialise the model as a table)"
                ) from None
            except duckdb.Error as e:
                raise PublishError(f"{what} lacks {table}: {e}") from None


def _write_public(warehouse: Path, public: Path, tables: list[str]):
    with duckdb.connect(str(public)) as con:
        con.execute("attach ? as built (read_only)", [str(warehouse)])
        for table in tables:
            con.execute(f"create table {table} as select * from built.main.{table}")
        con.execute("detach built")


def publish(keep: int = 3, user: str | None = None, via: str = "cli") -> dict:
    """Publish the last build if it succeeded, for ``user`` (the system account running the
    command line by default); returns the publication record."""
    record = build.read_record()
    if record is not None and record.get("target") == "spark":
        raise PublishError(
            f"the last build ran on Spark; its tables are in {record['warehouse']}. "
            "The dashboards serve DuckDB builds: run `dwh build` to publish."
        )
    if record is None:
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
    if not paths.build_db().exists():
        raise PublishError("the built warehouse is missing: run `dwh build`")
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
        "files": {f.name: sha256_file(f) for f in sorted(staging.iterdir())},
    }
    (staging / served.METADATA).write_text(json.dumps(publication, indent=2) + "\n")
    final = publications / pub_id
    staging.rename(final)
    previous = served.current()
    _serve(final)
    _log("publish", publication, previous, user, via)
    _prune(publications, keep, final)
    return publication


def rollback(target: str | None = None, user: str | None = None, via: str = "cli") -> dict:
    """Serve a kept publication again (by default the newest one older than the served one),
    atomically, once it is verified; returns its record."""
    previous = served.current()
    if previous is None:
        raise PublishError("nothing is published yet: there is nothing to roll back")
    kept = kept_publications()
    if target is None:
        older = [p for p in kept if p < previous.id]
        if not older:
            raise PublishError(f"no publication older than the served one ({previous.id}) is kept")
        target = older[-1]
    if target not in kept:
        raise PublishError(
            f"{target!r} is not a kept publication; kept: {', '.join(kept) or 'none'}"
        )
    if target == previous.id:
        raise PublishError(f"{target} is already served")
    folder = paths.serving_dir() / "publications" / target
    publication = verify(folder)
    _serve(folder)
    _log("rollback", publication, previous, user, via)
    return publication


def kept_publications() -> list[str]:
    """The ids of the publications kept in ``serving/publications``, oldest first."""
    folder = paths.serving_dir() / "publications"
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def verify(folder: Path) -> dict:
    """A kept publication's record once its files match the checksums recorded when it was
    published, its warehouse holds the required tables and its build passed the output
    check; a tampered or incomplete one raises PublishError."""
    try:
        publication = json.loads((folder / served.METADATA).read_text())
    except (OSError, ValueError) as e:
        raise PublishError(f"publication {folder.name} has no readable record: {e}") from None
    files = publication.get("files")
    if publication.get("id") != folder.name or not files:
        raise PublishError(
            f"publication {folder.name} records no checksums of its files: it cannot be "
            "verified and is not served again"
        )
    present = {f.name for f in folder.iterdir()} - {served.METADATA}
    if present != set(files):
        raise PublishError(
            f"publication {folder.name} does not hold the files it was published with "
            f"(missing: {sorted(set(files) - present)}, added: {sorted(present - set(files))}); "
            "the served publication is unchanged"
        )
    changed = [name for name, sha in sorted(files.items()) if sha256_file(folder / name) != sha]
    if changed:
        raise PublishError(
            f"publication {folder.name} was changed after it was published "
            f"({', '.join(changed)}: checksum differs); the served publication is unchanged"
        )
    _verify(folder / served.WAREHOUSE, f"publication {folder.name}")
    checked = json.loads((folder / served.BUILD_RECORD).read_text()).get("output_check")
    if not checked or checked.get("disclosive") or "error" in checked:
        raise PublishError(f"publication {folder.name} has no passed output check")
    return publication


def _serve(folder: Path):
    """Point ``serving/current`` at ``folder`` in one atomic rename."""
    serving = paths.serving_dir()
    tmp_link = serving / f".current.{folder.name}"
    tmp_link.unlink(missing_ok=True)
    tmp_link.symlink_to(folder.relative_to(serving))
    os.replace(tmp_link, served.link())


def _log(
    action: str, publication: dict, previous: served.Publication | None, user: str | None, via: str
):
    """One line of ``serving/history.jsonl``: what was done, to which publication, by whom."""
    entry = {
        "action": action,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "user": user or getpass.getuser(),
        "via": via,
        "previous": previous.id if previous else None,
        **{k: v for k, v in publication.items() if k != "files"},
    }
    with served.history().open("a") as f:
        f.write(json.dumps(entry) + "\n")


def _prune(publications: Path, keep: int, serving: Path):
    """Keep the ``keep`` newest publications; readers of older ones keep their open files."""
    old = sorted(p for p in publications.iterdir() if not p.name.startswith("."))[:-keep]
    for folder in old:
        if folder != serving:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":  # the stewards' page, for the steward it has signed in
    try:
        print(json.dumps(publish(user=sys.argv[1], via="web")))
    except PublishError as e:
        print(e, file=sys.stderr)
        sys.exit(1)
