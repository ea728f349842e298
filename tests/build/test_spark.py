"""The same dbt project on Apache Spark: the same pseudonyms and the same marts, row for row."""

import shutil

import duckdb
import pytest
from rows import differing

from dwh.build import spark
from dwh.build.run import build
from dwh.core import paths, pseudonym
from dwh.deliveries import SOURCES
from dwh.publish import PublishError, publish

COMPARED = (
    "fct_person_quarter",
    "local_figures",
    "global_figures",
    "household_figures",
    "mobility_figures",
    "cohort_figures",
)


@pytest.fixture(scope="module")
def homes(built, tmp_path_factory) -> dict[str, object]:
    """The session's deliveries (2024-2025, across the 2025 mergers, so that the geography's
    validity is compared), built on DuckDB by the session and here on Spark, without dbt's
    tests (they ran on DuckDB), in a DWH_HOME of its own."""
    homes = {"dev": built, "spark": tmp_path_factory.mktemp("spark")}
    shutil.copytree(built / "deliveries", homes["spark"] / "deliveries")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DWH_HOME", str(homes["spark"]))
        record = build(docs=False, target="spark", tests=False)
        failed = [n for n in record["nodes"] if n["status"] not in ("success", "pass")]
        assert record["status"] == "success", failed or record["rejected_files"]
        yield homes


@pytest.fixture(scope="module")
def session(homes):
    """A PySpark session on the Spark build's catalog."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DWH_HOME", str(homes["spark"]))
        spark_session = spark.session()
        yield spark_session
        spark_session.stop()


@pytest.mark.parametrize("table", COMPARED)
def test_spark_marts_equal_duckdb_marts_row_for_row(homes, session, table, tmp_path):
    """DuckDB reads Spark's table, the Parquet files of its catalog (a view: what Spark writes
    of it), and compares it with its own, row for row (as multisets: ``rows.differing``)."""
    exported = homes["spark"] / "build" / "spark-warehouse" / "warehouse.db" / table
    frame = session.table(f"warehouse.{table}")
    if not exported.is_dir():  # a view has no files of its own
        exported = tmp_path / table
        frame.write.parquet(str(exported))
    with duckdb.connect(str(homes["dev"] / "build" / "warehouse.duckdb"), read_only=True) as con:
        columns = [c[0] for c in con.execute(f"select * from {table} limit 0").description]
        assert frame.columns == columns
        spark = f"(select * from read_parquet('{exported}/*.parquet'))"
        rows, spark_rows = con.execute(
            f"select (select count(*) from {table}), (select count(*) from {spark})"
        ).fetchone()
        only = differing(con, f"select * from {table}", f"select * from {spark}")
    assert rows > 0 and spark_rows == rows
    assert only == (0, 0)


def test_spark_gives_the_ingests_pseudonyms(homes, session, pseudonym_key):
    """Spark's HMACs of the delivered numbers equal the pseudonyms and record keys the ingest
    landed."""
    rr = SOURCES["rr"]
    delivered = session.read.csv(
        str(homes["spark"] / "deliveries" / "rr" / "*" / "*.csv"),
        sep=rr.delimiter,
        header=True,
        encoding=rr.encoding,
    ).select(rr.person)
    on_spark = {
        row.pseudonym: row.record_key
        for row in spark.pseudonymise(
            delivered.distinct().dropna(), rr.person, pseudonym_key, pseudonym.load_record_key()
        )
        .select("pseudonym", "record_key")
        .collect()
    }
    with duckdb.connect() as con:
        landing = homes["dev"] / "build" / "landing"
        landed = dict(
            con.execute(
                "select distinct pseudonym, record_key from read_parquet(?)",
                [str(landing / "rr" / "*.parquet")],
            ).fetchall()
        )
        quarantined = {
            p
            for (p,) in con.execute(
                "select distinct pseudonym from read_parquet(?) "
                "where institution = 'rr' and pseudonym is not null",
                [str(landing / "quarantine.parquet")],
            ).fetchall()
        }
    assert len(landed) > 1000
    assert quarantined - set(landed)
    assert set(on_spark) == set(landed) | quarantined
    assert {p: on_spark[p] for p in landed} == landed


def test_a_spark_build_is_not_published(homes, monkeypatch):
    monkeypatch.setenv("DWH_HOME", str(homes["spark"]))
    with pytest.raises(PublishError, match="ran on Spark"):
        publish()
    assert not (paths.serving_dir() / "current").exists()


def test_the_spark_master_comes_from_the_environment(dwh_home, monkeypatch):
    """DWH_SPARK_MASTER points the target at a cluster; the tables stay under DWH_HOME."""
    assert spark.settings()["spark.master"] == "local[2]"
    monkeypatch.setenv("DWH_SPARK_MASTER", "spark://head:7077")
    settings = spark.settings()
    assert settings["spark.master"] == "spark://head:7077"
    assert settings["spark.sql.warehouse.dir"] == str(dwh_home / "build" / "spark-warehouse")
