"""The same dbt project on Apache Spark: the same pseudonyms and the same marts, row for row."""

import shutil
from collections import Counter

import duckdb
import pytest

from dwh.build import spark
from dwh.build.run import build
from dwh.core import paths, pseudonym
from dwh.deliveries import SOURCES
from dwh.publish import PublishError, publish
from dwh.simulate.run import simulate

from conftest import FAULTS

PERSONS = 1000
YEARS = [2024, 2025]  # across the 2025 mergers, so that the geography's validity is compared
COMPARED = ("fct_person_quarter", "local_figures", "global_figures")


@pytest.fixture(scope="module")
def homes(tmp_path_factory) -> dict[str, object]:
    """The same simulated deliveries, built on DuckDB and on Spark, each in its own DWH_HOME."""
    homes = {target: tmp_path_factory.mktemp(target) for target in ("dev", "spark")}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DWH_HOME", str(homes["dev"]))
        simulate(PERSONS, YEARS, 11, FAULTS, paths.deliveries())
        shutil.copytree(paths.deliveries(), homes["spark"] / "deliveries")
        for target, home in homes.items():
            mp.setenv("DWH_HOME", str(home))
            record = build(docs=False, target=target)
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


def _duckdb_rows(home, table: str) -> tuple[list[str], list[tuple]]:
    with duckdb.connect(str(home / "build" / "warehouse.duckdb"), read_only=True) as con:
        result = con.execute(f"select * from {table}")
        return [c[0] for c in result.description], result.fetchall()


@pytest.mark.parametrize("table", COMPARED)
def test_spark_marts_equal_duckdb_marts_row_for_row(homes, session, table):
    columns, rows = _duckdb_rows(homes["dev"], table)
    frame = session.table(f"warehouse.{table}")
    assert frame.columns == columns
    spark_rows = [tuple(row) for row in frame.collect()]
    assert len(rows) > 0
    assert len(spark_rows) == len(rows)
    assert Counter(spark_rows) == Counter(rows)


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
    assert len(landed) > PERSONS / 2
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
