"""Disclosure control of the published figures, attacked by differencing."""

import shutil

import duckdb
import pytest

from dwh.build.dbt import dbt_env, run_dbt
from dwh.core import paths
from dwh.publish import disclosure_parameters
from dwh.serving.publication import current

from attack import recovered

THRESHOLD, NOISE = disclosure_parameters().values()  # the dbt vars
TABLES = {
    "local_figures": ["sex", "age_class"],
    "global_figures": ["sex", "age_class", "nationality_group"],
}


def test_no_small_count_is_published(in_built):
    with duckdb.connect(str(current().public), read_only=True) as con:
        for table in TABLES:
            small, withheld, cells = con.execute(
                f"select count(*) filter (persons <= {THRESHOLD}), count(*) filter "
                f"(persons is null), count(*) from {table}"
            ).fetchone()
            assert small == 0
            assert 0 < withheld < cells


def test_every_combination_is_published_so_zeros_hide_among_small_counts(in_built):
    with duckdb.connect(str(current().public), read_only=True) as con:
        rows = con.execute("select count(*) from local_figures where quarter = '2024Q2'").fetchone()
        units_2024 = con.execute(
            "select count(*) from dim_geography where (valid_to is null "
            "or valid_to > '2024-06-30') and (valid_from is null or valid_from <= '2024-06-30')"
        ).fetchone()[0]
    assert rows[0] == units_2024 * (19 + 4 + 1) * 3 * 9


@pytest.mark.parametrize("table", TABLES)
def test_differencing_recovers_no_withheld_count(in_built, table):
    with duckdb.connect(str(current().public), read_only=True) as con:
        assert recovered(con, table, TABLES[table], THRESHOLD, NOISE) == 0


def test_the_attack_succeeds_without_perturbation(in_built, tmp_path):
    """Without noise, the same attacker pins small counts: the test above can fail."""
    copy = tmp_path / "unperturbed.duckdb"
    shutil.copy2(paths.build_db(), copy)
    env = {**dbt_env(), "DWH_BUILD_DB": str(copy), "DBT_TARGET_PATH": str(tmp_path / "target")}
    ok, _ = run_dbt(["run", "--select", "local_figures", "--vars", "{perturbation_max: 0}"], env)
    assert ok
    with duckdb.connect(str(copy), read_only=True) as con:
        assert recovered(con, "local_figures", TABLES["local_figures"], THRESHOLD, 0) > 0


def test_the_same_cell_has_the_same_value_in_both_tables(in_built):
    with duckdb.connect(str(current().public), read_only=True) as con:
        differing = con.execute(
            "select count(*) from local_figures l join global_figures g using "
            "(geo_level, geo_code, ref_date, position, sex, age_class) "
            "where g.nationality_group = '_T' and l.persons is distinct from g.persons"
        ).fetchone()[0]
        shared = con.execute(
            "select count(*) from global_figures where nationality_group = '_T'"
        ).fetchone()[0]
    assert differing == 0 and shared > 0
