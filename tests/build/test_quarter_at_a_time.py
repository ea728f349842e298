"""The project's quarter-at-a-time macros (macros/quarter_at_a_time.sql) in a throwaway dbt
project of three small models: a model filtered once gets every quarter of its source, one
statement per quarter; a model whose SQL holds the first quarter's filter twice is refused
before anything is inserted, since replacing the filter would then change more than the
quarter."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from dwh.core import paths

PROFILE = """macros_test:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{path}"
      threads: 1
"""
PROJECT = """name: macros_test
version: "1.0"
config-version: 2
profile: macros_test
model-paths: ["models"]
macro-paths: ["macros"]
flags:
  send_anonymous_usage_stats: false
"""
QUARTERS = """select cast(d as date) as ref_date, n
from (values ('2024-03-31', 1), ('2024-06-30', 2), ('2024-06-30', 3), ('2024-09-30', 4)) as t (d, n)
"""
CONFIG = (
    "{{ config(materialized='table', "
    "post_hook=\"{{ insert_other_quarters('ref_date', ref('quarters')) }}\") }}\n"
)
ONCE = CONFIG + (
    "select ref_date, sum(n) as n from {{ ref('quarters') }}\n"
    "where {{ quarter_at_a_time('ref_date', ref('quarters')) }}\ngroup by ref_date\n"
)
TWICE = CONFIG + (
    "select ref_date, n from {{ ref('quarters') }}\n"
    "where {{ quarter_at_a_time('ref_date', ref('quarters')) }}\n"
    "union all\n"
    "select ref_date, n from {{ ref('quarters') }}\n"
    "where {{ quarter_at_a_time('ref_date', ref('quarters')) }}\n"
)


def _dbt(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    env.pop("DWH_REBUILD_QUARTERS", None)
    return subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), *args, "--project-dir", str(project)]
        + ["--profiles-dir", str(project)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )


def test_a_model_is_built_quarter_by_quarter_and_a_doubled_filter_is_refused(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(paths.PROJECT_DIR / "macros", project / "macros")
    (project / "models").mkdir()
    (project / "dbt_project.yml").write_text(PROJECT)
    database = tmp_path / "macros.duckdb"
    (project / "profiles.yml").write_text(PROFILE.format(path=database))
    for name, sql in {"quarters": QUARTERS, "once": ONCE, "twice": TWICE}.items():
        (project / "models" / f"{name}.sql").write_text(sql)

    done = _dbt(project, "run", "-s", "quarters", "once")
    assert done.returncode == 0, done.stdout
    with duckdb.connect(str(database), read_only=True) as con:
        once = con.execute("select cast(ref_date as varchar), n from once order by 1").fetchall()
    assert once == [("2024-03-31", 1), ("2024-06-30", 5), ("2024-09-30", 4)]
    compiled = (project / "target" / "run" / "macros_test" / "models" / "once.sql").read_text()
    assert "ref_date = cast('2024-03-31' as date)" in compiled  # the first quarter alone

    refused = _dbt(project, "run", "-s", "twice")
    assert refused.returncode != 0
    assert "must appear once in twice's SQL" in refused.stdout, refused.stdout
    with duckdb.connect(str(database), read_only=True) as con:
        tables = con.execute("select table_name from information_schema.tables").fetchall()
    assert sorted(tables) == [("once",), ("quarters",)]  # rolled back: nothing of twice's
