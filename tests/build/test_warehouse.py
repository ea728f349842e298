"""The built and served warehouse: privacy, completeness, geography, positions, docs."""

import re

import duckdb
import pyarrow as pa
import pytest

from dwh.build.dbt import dbt_env, run_dbt
from dwh.deliveries import SOURCES
from dwh.serving.publication import current


@pytest.fixture(scope="module")
def national_numbers(built) -> set[str]:
    """Every national number in the deliveries (raw, as delivered)."""
    con = duckdb.connect()
    numbers = set()
    for source in SOURCES.values():
        for path in (built / "deliveries" / source.institution).glob("*/*"):
            if path.name.startswith("_"):
                continue
            rows = con.execute(
                f"select distinct {source.person} from read_csv(?, delim = ?, header = true, "
                "all_varchar = true, quote = '')",
                [str(path), source.delimiter],
            ).fetchall()
            numbers.update(n for (n,) in rows if n)
    assert len(numbers) > 1000
    return numbers


def _databases(home):
    serving = home / "serving" / "current"
    return [
        home / "build" / "warehouse.duckdb",
        serving / "warehouse.duckdb",
        serving / "public.duckdb",
    ]


def test_no_raw_national_number_in_any_table(built, national_numbers):
    for db in _databases(built):
        with duckdb.connect(str(db), read_only=True) as con:
            columns = con.execute(
                "select table_name, column_name from information_schema.columns "
                "where data_type = 'VARCHAR' and table_catalog = current_database()"
            ).fetchall()
            con.register("numbers", pa.table({"n": sorted(national_numbers)}))
            assert columns
            for table, column in columns:
                # only a value of 11 characters or more can hold one (the rest skip the regex)
                found = con.execute(
                    f'select count(*) from (select unnest(regexp_extract_all("{column}", '
                    f'\'[0-9]{{11}}\')) as n from "{table}" where length("{column}") >= 11) '
                    "t join numbers using (n)"
                ).fetchone()[0]
                assert found == 0, f"{db.name}: {table}.{column} holds national numbers"


def test_no_raw_national_number_in_landing_or_logs(built, national_numbers):
    files = [
        p
        for p in (built / "build").rglob("*")
        if p.is_file() and p.suffix in (".parquet", ".json", ".log", ".html", ".sql")
    ]
    assert any(p.suffix == ".parquet" for p in files) and any(p.suffix == ".log" for p in files)
    pattern = re.compile(rb"(?<![0-9])[0-9]{11}(?![0-9])")
    numbers = {n.encode() for n in national_numbers}
    for path in files:
        if path.suffix == ".parquet":
            text = (
                duckdb.connect()
                .execute(
                    "select string_agg(cast(columns(*) as varchar), ' ') from read_parquet(?)",
                    [str(path)],
                )
                .fetchall()
            )
            data = " ".join(str(v) for row in text for v in row).encode()
        else:
            data = path.read_bytes()
        assert not numbers.intersection(pattern.findall(data)), path


def test_rows_received_are_accepted_or_quarantined(in_built):
    with duckdb.connect(str(current().warehouse), read_only=True) as con:
        registration = con.execute(
            "select institution_code, year, file, rows_received, rows_accepted, "
            "rows_quarantined from source_registration where registration_status in "
            "('received', 'provisional')"
        ).fetchall()
        quarantined = dict(
            con.execute(
                "select institution_code || year, count(*) from quarantine_rows group by 1"
            ).fetchall()
        )
    assert len(registration) > 30
    for inst, year, file, received, accepted, quarantine in registration:
        lines = (in_built / "deliveries" / inst / str(year) / file).read_bytes().count(b"\n")
        assert received == lines - 1, (inst, year)
        assert received == accepted + quarantine
        assert quarantined.get(f"{inst}{year}", 0) == quarantine
        landed = (
            duckdb.connect()
            .execute(
                "select count(*) from read_parquet(?)",
                [str(in_built / "build" / "landing" / inst / f"{year}.parquet")],
            )
            .fetchone()[0]
        )
        assert landed == accepted


def test_every_fault_is_quarantined_with_its_reason(in_built):
    with duckdb.connect(str(current().warehouse), read_only=True) as con:
        reasons = {
            r for (r,) in con.execute("select distinct reason_code from quarantine_rows").fetchall()
        }
        described = con.execute(
            "select count(*) from quarantine_rows where reason_description is null"
        ).fetchone()[0]
    assert {"INVALID_NISS", "DUPLICATE", "OUT_OF_PERIOD", "UNKNOWN_MUNICIPALITY"} <= reasons
    assert described == 0


def test_missing_and_provisional_sources_are_registered(in_built):
    with duckdb.connect(str(current().public), read_only=True) as con:
        status = dict(
            con.execute(
                "select institution_code || ':' || year, registration_status from source_status"
            ).fetchall()
        )
    assert status["fodss:2024"] == "missing"
    assert status["onem:2025"] == "provisional"
    assert status["rr:2025"] == "received"
    assert "famifed:2024" not in status  # regional funds since 2020


def test_geography_before_and_after_the_2025_mergers(in_built):
    with duckdb.connect(str(current().warehouse), read_only=True) as con:

        def valid_on(day):
            return {
                c
                for (c,) in con.execute(
                    "select nis_code from dim_municipality where valid_from <= ? "
                    "and (valid_to is null or valid_to > ?)",
                    [day, day],
                ).fetchall()
            }

        before, after = valid_on("2024-06-30"), valid_on("2025-03-31")
        assert (len(before), len(after)) == (581, 565)
        assert "82039" in valid_on("2024-12-31") and "82003" not in valid_on("2024-12-31")
        for quarter, codes in (("2024Q3", before), ("2025Q1", after)):
            used = {
                c
                for (c,) in con.execute(
                    "select distinct nis_code from fct_person_quarter where quarter = ?", [quarter]
                ).fetchall()
            }
            assert used <= codes and len(used) > 400
        zwijndrecht = con.execute(
            "select distinct quarter, arrondissement_code from fct_person_quarter "
            "where nis_code in ('11056', '46030') and quarter in ('2024Q4', '2025Q1')"
        ).fetchall()
        assert sorted(zwijndrecht) == [("2024Q4", "11000"), ("2025Q1", "46000")]
        merged = con.execute(
            "select merged_into_nis_code from dim_municipality where nis_code = '11007'"
        ).fetchone()[0]
        assert merged == "11002"


def test_positions_follow_life_courses_and_regions(in_built):
    with duckdb.connect(str(current().warehouse), read_only=True) as con:
        working_children = con.execute(
            "select count(*) from fct_person_quarter where age < 15 and main_group_code = 1"
        ).fetchone()[0]
        pension_ages = con.execute(
            "select quantile_cont(age, 0.1) from fct_person_quarter where position_code = 'n34'"
        ).fetchone()[0]
        rates = dict(
            con.execute(
                "select region_code, avg(case when main_group_code = 2 then 1 else 0 end) "
                "from fct_person_quarter where age between 18 and 64 group by 1"
            ).fetchall()
        )
        combined = con.execute(
            "select count(*) from fct_person_quarter where position_code in ('n141', 'n142')"
        ).fetchone()[0]
        one_each = con.execute(
            "select count(*) = count(distinct pseudonym || quarter) from fct_person_quarter"
        ).fetchone()[0]
    assert working_children == 0 and one_each
    assert pension_ages >= 60
    assert rates["04000"] > rates["03000"] > rates["02000"]
    assert combined > 0


def test_dbt_tests_unit_tests_and_docs(in_built):
    record = current().build_record()
    units = [n for n in record["nodes"] if n["node"].startswith("unit_test.")]
    tests = [n for n in record["nodes"] if n["node"].startswith("test.")]
    assert len(units) >= 6 and all(n["status"] == "pass" for n in units)
    assert len(tests) > 50 and all(n["status"] == "pass" for n in tests)
    docs = current().docs.read_text()
    assert "fct_person_quarter" in docs and "local_figures" in docs


def test_the_in_memory_ci_target_compiles_the_project(in_built, tmp_path):
    """The target sqlfluff's dbt templater uses (`make lint`): every node compiles on it and
    it writes no warehouse (running the same SQL on DuckDB is the session build's part)."""
    env = {**dbt_env(target="ci"), "DBT_TARGET_PATH": str(tmp_path / "target")}
    files = sorted(in_built.glob("build/*.duckdb*"))
    before = [f.stat().st_mtime_ns for f in files]
    ok, nodes = run_dbt(["compile"], env)
    assert ok and len(nodes) > 100 and {n["status"] for n in nodes} == {"success"}
    compiled = {p.stem for p in (tmp_path / "target" / "compiled").rglob("*.sql")}
    assert {"fct_person_quarter", "local_figures", "cohort_figures"} <= compiled
    assert sorted(in_built.glob("build/*.duckdb*")) == files
    assert [f.stat().st_mtime_ns for f in files] == before
